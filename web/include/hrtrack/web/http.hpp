#pragma once
// Request and response as plain values: handlers take a Request and return a Response,
// so they can be tested without a socket, and the HTTP library stays in one file.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hrtrack::web {

struct Request {
  std::string method = "GET";
  std::string path = "/";  // decoded, without the query string
  std::multimap<std::string, std::string> query;  // decoded query parameters
  std::multimap<std::string, std::string> form;   // decoded application/x-www-form-urlencoded body
  std::map<std::string, std::string> headers;     // names in lower case
  std::string remote_addr;

  // The first value of a query parameter, or nullopt.
  std::optional<std::string> param(std::string_view name) const;
  std::vector<std::string> params(std::string_view name) const;
  std::optional<std::string> field(std::string_view name) const;  // form body
  std::string header(std::string_view lower_name) const;
  std::string cookie(std::string_view name) const;  // from the Cookie header, "" if absent
};

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type

  std::string header(std::string_view name) const;  // "" if absent (case-insensitive)
};

// Splits "a=1&b=x%20y" into decoded pairs.
std::multimap<std::string, std::string> parse_query(std::string_view s);

}  // namespace hrtrack::web
