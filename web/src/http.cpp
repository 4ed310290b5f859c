#include "hrtrack/web/http.hpp"

#include <algorithm>
#include <cctype>

#include "hrtrack/web/escape.hpp"

namespace hrtrack::web {
namespace {

std::optional<std::string> first(const std::multimap<std::string, std::string>& m, std::string_view name) {
  const auto it = m.find(std::string(name));
  if (it == m.end()) return std::nullopt;
  return it->second;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::optional<std::string> Request::param(std::string_view name) const { return first(query, name); }

std::vector<std::string> Request::params(std::string_view name) const {
  std::vector<std::string> out;
  const auto [from, to] = query.equal_range(std::string(name));
  for (auto it = from; it != to; ++it) out.push_back(it->second);
  return out;
}

std::optional<std::string> Request::field(std::string_view name) const { return first(form, name); }

std::string Request::header(std::string_view lower_name) const {
  const auto it = headers.find(std::string(lower_name));
  return it == headers.end() ? std::string() : it->second;
}

std::string Request::cookie(std::string_view name) const {
  const std::string all = header("cookie");
  std::size_t i = 0;
  while (i < all.size()) {
    auto end = all.find(';', i);
    if (end == std::string::npos) end = all.size();
    std::string_view pair(all.data() + i, end - i);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    i = end + 1;
  }
  return {};
}

std::string Response::header(std::string_view name) const {
  if (iequals(name, "content-type")) return content_type;
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return v;
  return {};
}

std::multimap<std::string, std::string> parse_query(std::string_view s) {
  std::multimap<std::string, std::string> out;
  std::size_t i = 0;
  while (i <= s.size() && !s.empty()) {
    auto end = s.find('&', i);
    if (end == std::string_view::npos) end = s.size();
    const auto pair = s.substr(i, end - i);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      if (eq == std::string_view::npos) out.emplace(url_decode(pair), "");
      else out.emplace(url_decode(pair.substr(0, eq)), url_decode(pair.substr(eq + 1)));
    }
    if (end == s.size()) break;
    i = end + 1;
  }
  return out;
}

}  // namespace hrtrack::web
