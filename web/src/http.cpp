#include "hrtrack/web/http.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "hrtrack/base/ascii.hpp"
#include "hrtrack/web/escape.hpp"

namespace hrtrack::web {
namespace {

std::optional<std::string> first(const std::multimap<std::string, std::string>& m, std::string_view name) {
  const auto it = m.find(std::string(name));
  if (it == m.end()) return std::nullopt;
  return it->second;
}

// RFC 9110 §5.6.2: the characters of a token (methods, header names).
bool tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool token(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), tchar); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// 1 to 18 decimal digits, nothing else: no sign, no hex, no list, no spaces.
std::optional<std::uint64_t> plain_number(std::string_view s) {
  if (s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  std::uint64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

struct ByteRange {
  std::uint64_t first = 0, last = 0;
};

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
  if (base::ascii_iequals(name, "content-type")) return content_type;
  for (const auto& [k, v] : headers)
    if (base::ascii_iequals(k, name)) return v;
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


void scan_head(std::string_view bytes, std::size_t max_lines, std::size_t max_bytes, HeadScan& scan) {
  using State = HeadScan::State;
  auto refuse = [&](State st, std::string why) {
    scan.state = st;
    scan.why = std::move(why);
  };
  while (scan.state == State::incomplete) {
    const auto nl = bytes.find('\n', scan.pos);
    if (nl == std::string_view::npos) {
      if (bytes.size() > max_bytes)
        refuse(State::too_large, "the request line and headers exceed " + std::to_string(max_bytes / 1024) + " KB");
      scan.pos = bytes.size();
      return;
    }
    if (nl == 0 || bytes[nl - 1] != '\r') return refuse(State::malformed, "a line ends without CR LF");
    const std::size_t line_start = scan.pos;
    scan.pos = nl + 1;
    if (scan.pos > max_bytes)
      return refuse(State::too_large, "the request line and headers exceed " + std::to_string(max_bytes / 1024) + " KB");
    const bool empty = nl - 1 == line_start;
    if (!scan.in_head) {
      if (empty) continue;  // empty lines before the request line
      scan.in_head = true;
      scan.start = line_start;
      continue;
    }
    if (empty) {
      scan.state = State::complete;
      scan.end = scan.pos;
      return;
    }
    if (++scan.lines > max_lines)
      return refuse(State::too_large, "more than " + std::to_string(max_lines) + " header lines");
  }
}

std::string RequestHead::field(std::string_view name) const {
  for (const auto& [k, v] : fields)
    if (base::ascii_iequals(k, name)) return v;
  return {};
}

std::optional<Refusal> parse_head(std::string_view head, RequestHead& out) {
  auto refuse = [](std::string why, int status = 400) { return Refusal{status, std::move(why)}; };
  out = RequestHead{};
  auto next_line = [&head]() {
    const auto end = head.find("\r\n");
    const auto line = head.substr(0, end);
    head.remove_prefix(end == std::string_view::npos ? head.size() : end + 2);
    return line;
  };
  const auto request_line = next_line();
  const auto sp1 = request_line.find(' ');
  const auto sp2 = sp1 == std::string_view::npos ? sp1 : request_line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || request_line.find(' ', sp2 + 1) != std::string_view::npos)
    return refuse("the request line is not METHOD TARGET HTTP/1.1");
  out.method = request_line.substr(0, sp1);
  out.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  out.version = request_line.substr(sp2 + 1);
  if (!token(out.method)) return refuse("the method is not a token");
  if (out.target.empty() ||
      std::any_of(out.target.begin(), out.target.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; }))
    return refuse("the request target is empty or holds a control character");
  if (out.version != "HTTP/1.1" && out.version != "HTTP/1.0") {
    const bool http = out.version.size() == 8 && out.version.rfind("HTTP/", 0) == 0 && std::isdigit(static_cast<unsigned char>(out.version[5])) &&
                      out.version[6] == '.' && std::isdigit(static_cast<unsigned char>(out.version[7]));
    if (http) return refuse("only HTTP/1.0 and HTTP/1.1 are served", 505);
    return refuse("the request line does not end in HTTP/1.1");
  }
  int hosts = 0, lengths = 0, codings = 0;
  for (auto line = next_line(); !line.empty(); line = next_line()) {
    if (line.front() == ' ' || line.front() == '\t') return refuse("a folded header line (obsolete line folding)");
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return refuse("a header line without a colon");
    const auto name = line.substr(0, colon);
    if (!token(name)) return refuse("a header name with a space or a character a name cannot hold");
    const auto value = trim(line.substr(colon + 1));
    if (std::any_of(value.begin(), value.end(), [](char c) { return (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f; }))
      return refuse("a control character in the header " + std::string(name));
    if (base::ascii_iequals(name, "host")) ++hosts;
    if (base::ascii_iequals(name, "content-length")) {
      if (++lengths > 1) return refuse("more than one Content-Length");
      out.content_length = plain_number(value);
      if (!out.content_length) return refuse("Content-Length is not a plain decimal number");
    }
    if (base::ascii_iequals(name, "transfer-encoding")) {
      if (++codings > 1) return refuse("more than one Transfer-Encoding");
      if (!base::ascii_iequals(value, "chunked")) return refuse("Transfer-Encoding other than chunked");
      out.chunked = true;
    }
    out.fields.emplace_back(std::string(name), std::string(value));
  }
  if (out.chunked && out.content_length) return refuse("both Content-Length and Transfer-Encoding");
  if (out.chunked && out.version == "HTTP/1.0") return refuse("Transfer-Encoding in an HTTP/1.0 request");
  if (out.version == "HTTP/1.1" && hosts == 0) return refuse("an HTTP/1.1 request without Host");
  if (hosts > 1) return refuse("more than one Host");
  return std::nullopt;
}

void apply_range(std::string_view range, std::string_view if_range, std::size_t max_ranges, std::string_view boundary,
                 Response& r) {
  if (r.status != 200 || range.empty()) return;
  if (!if_range.empty()) {
    // Only a strong entity tag can validate a range; dates are not sent here, so none match.
    const auto etag = r.header("etag");
    if (etag.empty() || etag.rfind("W/", 0) == 0 || trim(if_range) != etag) return;
  }
  range = trim(range);
  if (range.size() < 6 || !base::ascii_iequals(range.substr(0, 6), "bytes=")) return;
  range.remove_prefix(6);
  const std::uint64_t length = r.body.size();
  std::vector<ByteRange> wanted;
  std::size_t specs = 0;
  while (true) {
    const auto comma = range.find(',');
    const auto spec = trim(range.substr(0, comma));
    if (++specs > max_ranges) return;
    const auto dash = spec.find('-');
    if (dash == std::string_view::npos) return;
    const auto first = spec.substr(0, dash), last = spec.substr(dash + 1);
    if (first.empty()) {  // the last N bytes
      const auto n = plain_number(last);
      if (!n) return;
      if (*n > 0 && length > 0) wanted.push_back({length - std::min(*n, length), length - 1});
    } else {
      const auto a = plain_number(first);
      if (!a) return;
      std::uint64_t b = length;  // "A-": to the end
      if (!last.empty()) {
        const auto l = plain_number(last);
        if (!l || *l < *a) return;  // malformed: the whole header is ignored
        b = *l;
      }
      if (*a < length) wanted.push_back({*a, std::min(b, length - 1)});
    }
    if (comma == std::string_view::npos) break;
    range.remove_prefix(comma + 1);
  }
  if (wanted.empty()) {
    r.status = 416;
    r.headers.emplace_back("Content-Range", "bytes */" + std::to_string(length));
    r.body = "Range not satisfiable: the body has " + std::to_string(length) + " bytes\n";
    r.content_type = "text/plain; charset=utf-8";
    return;
  }
  auto sorted = wanted;
  std::sort(sorted.begin(), sorted.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (std::size_t i = 1; i < sorted.size(); ++i)
    if (sorted[i].first <= sorted[i - 1].last) return;  // overlapping: the whole body instead
  auto content_range = [&](const ByteRange& b) {
    return "bytes " + std::to_string(b.first) + "-" + std::to_string(b.last) + "/" + std::to_string(length);
  };
  auto slice = [&](const ByteRange& b) { return r.body.substr(b.first, b.last - b.first + 1); };
  r.status = 206;
  if (wanted.size() == 1) {
    r.headers.emplace_back("Content-Range", content_range(wanted.front()));
    r.body = slice(wanted.front());
    return;
  }
  std::string parts;
  for (const auto& b : wanted)
    parts += "--" + std::string(boundary) + "\r\nContent-Type: " + r.content_type + "\r\nContent-Range: " + content_range(b) +
             "\r\n\r\n" + slice(b) + "\r\n";
  parts += "--" + std::string(boundary) + "--\r\n";
  r.body = std::move(parts);
  r.content_type = "multipart/byteranges; boundary=" + std::string(boundary);
}

}  // namespace hrtrack::web
