#pragma once
// Request and response as plain values: handlers take a Request and return a Response,
// so they can be tested without a socket, and the HTTP library stays in one file.
#include <cstddef>
#include <cstdint>
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

// ---- the wire (RFC 9112), checked before the HTTP library reads anything of a request

// How far a request's head (request line, header lines, blank line) has arrived. Lines end
// in CRLF; empty lines before the request line are skipped (RFC 9112 §2.2) but count
// towards max_bytes.
struct HeadScan {
  enum class State { incomplete, complete, too_large, malformed };
  State state = State::incomplete;
  std::size_t start = 0;  // where the request line starts (after the skipped empty lines)
  std::size_t end = 0;    // complete: just after the blank line
  std::string why;        // too_large, malformed
  // Where the scan goes on, so bytes arriving one at a time are each looked at once.
  std::size_t pos = 0;
  std::size_t lines = 0;
  bool in_head = false;
};
// Goes on scanning `bytes`: the bytes of the last call with more at their end. too_large:
// more than `max_lines` header lines or `max_bytes` in all, known as soon as the bytes so
// far show it, so a flood is refused without reading the rest.
void scan_head(std::string_view bytes, std::size_t max_lines, std::size_t max_bytes, HeadScan& scan);

// A request head whose framing is unambiguous.
struct RequestHead {
  std::string method, target, version;                     // version "HTTP/1.0" or "HTTP/1.1"
  std::vector<std::pair<std::string, std::string>> fields;  // name as sent, value trimmed
  std::optional<std::uint64_t> content_length;
  bool chunked = false;  // Transfer-Encoding: chunked (then no Content-Length)
  std::string field(std::string_view name) const;  // case-insensitive; "" if absent
};
// Why a head is refused: 400 (the framing is ambiguous or the syntax broken: duplicate or
// conflicting Content-Length, one that is not plain digits, Content-Length with
// Transfer-Encoding, a coding other than chunked, HTTP/1.1 without exactly one Host,
// whitespace before a colon, folded lines, control characters) or 505 (another version).
struct Refusal {
  int status = 400;
  std::string why;
};
// `head`: from the request line to the blank line, as scan_head found it.
std::optional<Refusal> parse_head(std::string_view head, RequestHead& out);

// Byte ranges (RFC 9110 §14) on a whole 200 response, in place: one satisfiable range gives
// 206 with Content-Range; several give 206 multipart/byteranges (separated by `boundary`);
// none satisfiable gives 416 with Content-Range "bytes */LENGTH". The Range header is
// ignored (the response stays the whole 200) when it is not "bytes=" ranges, is malformed,
// holds more than `max_ranges` ranges or overlapping ones, or when If-Range names another
// entity tag. Never more bytes than the whole body plus the parts' headers.
void apply_range(std::string_view range, std::string_view if_range, std::size_t max_ranges, std::string_view boundary,
                 Response& r);

}  // namespace hrtrack::web
