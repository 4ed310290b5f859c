#pragma once
// ASCII case folding for protocol text (header names, robots.txt fields, charset names).
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace hrtrack::crawler {

inline std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

inline std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
  return out;
}

}  // namespace hrtrack::crawler
