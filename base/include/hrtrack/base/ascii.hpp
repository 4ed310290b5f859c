#pragma once
// ASCII case folding for identifiers, codes, names and HTTP tokens: bytes outside A-Z / a-z
// (and every byte of a multi-byte UTF-8 sequence) are left as they are, whatever the locale.
#include <string>
#include <string_view>

namespace hrtrack::base {

constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
std::string ascii_lower(std::string_view s);
std::string ascii_upper(std::string_view s);
// Equal but for ASCII case.
bool ascii_iequals(std::string_view a, std::string_view b);

}  // namespace hrtrack::base
