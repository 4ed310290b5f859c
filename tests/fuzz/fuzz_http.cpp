// libFuzzer: the web's request handling on a small real data folder (imported, indexed and
// analysed at start-up), fed raw HTTP requests two ways:
//  - parsed here into a web::Request and answered by Site::handle (query string, form and
//    cookie parsing, routing, the review forms with their CSRF tokens, escaping);
//  - sent as they are to the real Server (cpp-httplib parses them) on 127.0.0.1.
// In the input, {sid} and {csrf} stand for a signed-in analyst's session id and CSRF token,
// so the forms behind sign-in are reached too.
//
// Invariants: every response has a status in 100..599 and no 500 (Site::handle answers 500
// only when a handler threw); header values hold no line break; HTML (and Atom) never
// carries markup that runs script (a <script> other than the site's own two forms, an on*
// attribute, a javascript: URL, an <iframe>/<img>/<object>/...), whatever the request or
// the data said; JSON responses parse. The server's front (http.hpp) does what its rules
// say: a request head that scan_head/parse_head refuse gets exactly that status and nothing
// after it on the connection; apply_range, on the request's Range over a known body, gives
// a whole 200, a 416 with "bytes */LEN", or a 206 whose parts are the bytes they name, at
// most max_ranges of them and no byte twice.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdio>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_data.hpp"
#include "hrtrack/analysis/analysis.hpp"
#include "hrtrack/corpus/model.hpp"
#include "hrtrack/web/analysts.hpp"
#include "hrtrack/web/escape.hpp"
#include "hrtrack/web/http.hpp"
#include "hrtrack/web/server.hpp"
#include "shared.hpp"

using namespace hrtrack;

namespace {

constexpr const char* kAnalyst = "fuzz";
constexpr const char* kPassword = "fuzz-pass-1";
// A jurisdiction whose name is an attack: every page that names it must escape it.
constexpr const char* kHostileName = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&";
constexpr int kSocketTimeoutS = 8;

// Canada (two dated versions of the Controlled Drugs and Substances Act, a regulation in
// English and French) and Germany's BtMG.
const std::vector<std::string> kDocuments = {
    "history/CA/eng_acts_C-38.8@2021-02-26.xml", "history/CA/eng_acts_C-38.8@2022-04-19.xml",
    "CA/eng_regulations_SOR-97-229.xml", "CA/fra_reglements_DORS-97-229.xml", "DE/btmg_1981.gii.xml"};

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && lower(std::string(s.substr(0, prefix.size()))) == prefix;
}

// ---- the data folder and the server, built once

struct Fixture {
  test::TempDir dir;
  std::unique_ptr<web::Server> server;
  std::thread serving;
  std::string sid, csrf;  // the signed-in analyst's

  Fixture() {
    fuzz::import_and_index(dir.path(), kDocuments);
    const auto store = fuzz::open_store(dir.path());
    if (!store->put_jurisdiction({"XX", kHostileName, {"en"}})) fuzz::fail("set-up: cannot add the hostile jurisdiction");
    analysis::EngineConfig ec;
    ec.data_dir = dir.path();
    auto engine = analysis::Engine::open(*store, ec);
    if (!engine) fuzz::fail("set-up: " + engine.error().message);
    for (const auto& j : store->jurisdictions())
      if (auto a = (*engine)->analyze(j.code); !a) fuzz::fail("set-up: analysis of " + j.code + ": " + a.error().message);
    if (auto s = web::add_analyst(*store, kAnalyst, kPassword, 1000); !s) fuzz::fail("set-up: " + s.error().message);

    web::Config c;
    c.data_dir = dir.path();
    c.port = 0;
    c.threads = 4;
    c.request_timeout = std::chrono::seconds(2);
    c.write_timeout = std::chrono::seconds(2);
    c.password_iterations = 1000;
    // The inputs sign in with wrong passwords again and again: the throttle (tested in
    // tests/web) must not lock the harness's own analyst out.
    c.per_name = {1 << 30, 1 << 30, std::chrono::milliseconds(1), std::chrono::milliseconds(1)};
    c.per_address = c.per_name;
    server = std::make_unique<web::Server>(c);
    if (auto s = server->bind(); !s) fuzz::fail("set-up: " + s.error().message);
    serving = std::thread([this] { server->run(); });
    sign_in();
  }

  ~Fixture() {
    server->stop();
    if (serving.joinable()) serving.join();
  }

  const web::Site& site() { return server->site(); }

  // "name=value" of the response's first Set-Cookie.
  static std::string cookie_of(const web::Response& r) {
    const auto set = r.header("set-cookie");
    return set.substr(0, set.find(';'));
  }

  std::string csrf_on_login_page(const std::string& cookie) {
    web::Request get;
    get.path = "/login";
    get.headers["cookie"] = cookie;
    const auto body = site().handle(get).body;
    const std::string mark = "name=\"csrf\" value=\"";
    const auto at = body.find(mark);
    if (at == std::string::npos) fuzz::fail("set-up: no CSRF token on the sign-in form");
    return body.substr(at + mark.size(), body.find('"', at + mark.size()) - at - mark.size());
  }

  // As a browser does: open the form (its cookie and token), send it, keep the session and
  // read its token.
  void sign_in() {
    web::Request get;
    get.path = "/login";
    const auto form_cookie = cookie_of(site().handle(get));
    web::Request post;
    post.method = "POST";
    post.path = "/login";
    post.headers["cookie"] = form_cookie;
    post.form = {{"name", kAnalyst}, {"password", kPassword}, {"csrf", csrf_on_login_page(form_cookie)}};
    const auto r = site().handle(post);
    const auto session = cookie_of(r);
    if (r.status != 303 || !session.starts_with("hrsid=")) fuzz::fail("set-up: sign-in failed with " + std::to_string(r.status));
    sid = session.substr(6);
    csrf = csrf_on_login_page(session);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

// ---- checks

void check_headers(const web::Response& r, std::string_view input) {
  if (r.status < 100 || r.status > 599) fuzz::fail("status " + std::to_string(r.status) + " outside 100..599", input);
  if (r.status == 500) fuzz::fail("500: a handler threw (its message is on stderr above)", input);
  for (const auto& [k, v] : r.headers)
    if (k.find_first_of("\r\n") != std::string::npos || v.find_first_of("\r\n") != std::string::npos)
      fuzz::fail("a line break in the header " + k + ": a response could be split", input);
}

// Tags the site never writes, each able to run script or load content if a request or a
// document could inject it.
bool forbidden_tag(std::string_view name) {
  static constexpr std::string_view kTags[] = {"iframe", "frame", "frameset", "object", "embed", "img",
                                               "style", "base", "math", "video", "audio", "source",
                                               "template", "xmp", "plaintext", "applet", "portal"};
  return std::find(std::begin(kTags), std::end(kTags), name) != std::end(kTags);
}

// Walks the markup of an HTML page or Atom feed: every tag, its attributes, and the text of
// each script element.
void check_markup(std::string_view body, std::string_view input) {
  auto name_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == ':';
  };
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; };
  for (std::size_t i = body.find('<'); i != std::string_view::npos; i = body.find('<', i + 1)) {
    std::size_t k = i + 1;
    if (k < body.size() && body[k] == '/') continue;  // an end tag carries no attributes
    while (k < body.size() && name_char(body[k])) ++k;
    const std::string tag = lower(std::string(body.substr(i + 1, k - i - 1)));
    if (tag.empty()) continue;  // "<!doctype", or a '<' that no browser reads as a tag
    if (tag == "script" && !body.substr(i).starts_with("<script type=\"application/json\" id=\"") &&
        !body.substr(i).starts_with("<script defer src=\"/assets/"))
      fuzz::fail("a <script> the site does not write: " + std::string(body.substr(i, 120)), input);
    if (forbidden_tag(tag)) fuzz::fail("a <" + tag + "> in a page: " + std::string(body.substr(i, 120)), input);
    // Attributes: name, and a value quoted, unquoted or absent.
    while (k < body.size() && body[k] != '>') {
      if (space(body[k]) || body[k] == '/') {
        ++k;
        continue;
      }
      const std::size_t name_at = k;
      while (k < body.size() && !space(body[k]) && body[k] != '=' && body[k] != '>' && body[k] != '/') ++k;
      const std::string attr = lower(std::string(body.substr(name_at, k - name_at)));
      if (attr.starts_with("on") || attr == "http-equiv" || attr == "srcdoc")
        fuzz::fail("an attribute '" + attr + "' on <" + tag + ">: " + std::string(body.substr(i, 160)), input);
      if (k == name_at) ++k;  // a stray '=': step over it
      while (k < body.size() && space(body[k])) ++k;
      if (k >= body.size() || body[k] != '=') continue;
      ++k;
      while (k < body.size() && space(body[k])) ++k;
      std::string_view value;
      if (k < body.size() && (body[k] == '"' || body[k] == '\'')) {
        const auto close = body.find(body[k], k + 1);
        if (close == std::string_view::npos) fuzz::fail("an attribute value never closed on <" + tag + ">", input);
        value = body.substr(k + 1, close - k - 1);
        k = close + 1;
      } else {
        const std::size_t from = k;
        while (k < body.size() && !space(body[k]) && body[k] != '>') ++k;
        value = body.substr(from, k - from);
      }
      while (!value.empty() && space(value.front())) value.remove_prefix(1);
      if ((attr == "href" || attr == "src" || attr == "action" || attr == "formaction") &&
          (starts_with_nocase(value, "javascript:") || starts_with_nocase(value, "vbscript:") || starts_with_nocase(value, "data:")))
        fuzz::fail("a script URL in " + attr + "=\"" + std::string(value.substr(0, 80)) + "\"", input);
    }
    if (tag == "script") {
      // Script text ends at the first '<': json_for_script writes none, so it must be the end tag.
      const auto end = body.find('<', k);
      if (end == std::string_view::npos || !body.substr(end).starts_with("</script>"))
        fuzz::fail("markup inside a <script> element: " + std::string(body.substr(i, 160)), input);
      i = end;
    }
  }
}

void check_body(std::string_view content_type, std::string_view body, std::string_view input) {
  if (content_type.starts_with("text/html") || content_type.starts_with("application/atom+xml")) check_markup(body, input);
  if (content_type.starts_with("application/json") && !nlohmann::json::accept(body))
    fuzz::fail("a JSON response that does not parse: " + std::string(body.substr(0, 300)), input);
}

// ---- the request, parsed the way the server hands it to the Site

std::optional<web::Request> parse_request(std::string_view raw) {
  auto line = [&raw]() -> std::optional<std::string_view> {
    const auto end = raw.find('\n');
    if (end == std::string_view::npos) return std::nullopt;
    auto l = raw.substr(0, end);
    raw.remove_prefix(end + 1);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    return l;
  };
  const auto first = line();
  if (!first) return std::nullopt;
  const auto sp1 = first->find(' '), sp2 = first->rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1 || !first->substr(sp2 + 1).starts_with("HTTP/")) return std::nullopt;
  web::Request r;
  r.method = std::string(first->substr(0, sp1));
  const auto target = first->substr(sp1 + 1, sp2 - sp1 - 1);
  r.remote_addr = "127.0.0.1";
  for (auto l = line(); l && !l->empty(); l = line()) {
    const auto colon = l->find(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    auto value = l->substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    r.headers[lower(std::string(l->substr(0, colon)))] = std::string(value);
  }
  std::string_view body = raw;
  std::size_t length = 0;
  const auto cl = r.header("content-length");
  if (std::from_chars(cl.data(), cl.data() + cl.size(), length).ec == std::errc()) body = body.substr(0, length);
  // A path keeps '+' (only query strings and forms read it as a space).
  const auto q = target.find('?');
  std::string path(target.substr(0, q));
  for (auto at = path.find('+'); at != std::string::npos; at = path.find('+', at + 3)) path.replace(at, 1, "%2B");
  r.path = web::url_decode(path);
  if (q != std::string_view::npos) r.query = web::parse_query(target.substr(q + 1));
  if (r.method == "POST" && r.header("content-type").starts_with("application/x-www-form-urlencoded"))
    r.form = web::parse_query(body);
  return r;
}

// ---- the real server

// Sends `request` on a new connection to the server, closes the sending side, and returns
// everything the server wrote until it closed; `reset` tells whether it reset the connection.
std::string exchange(int port, std::string_view request, bool& reset, std::string_view input) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fuzz::fail("socket() failed");
  const timeval tv{kSocketTimeoutS, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    fuzz::fail("cannot connect to the server", input);
  }
  // The server may answer (413) and close before reading everything: stop sending then.
  for (std::size_t sent = 0; sent < request.size();) {
    const auto n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string out;
  char buf[16384];
  for (;;) {
    const auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      ::close(fd);
      fuzz::fail("the server neither answered nor closed within " + std::to_string(kSocketTimeoutS) + " s", input);
    }
    reset = n < 0;  // reset after an early answer (413), or closed
    break;
  }
  ::close(fd);
  return out;
}

// The fields of the response head ending at head_end: its Content-Length (0 without one),
// Content-Type into r, and whether it sets a cookie.
std::size_t read_fields(std::string_view wire, std::size_t head_end, web::Response& r, bool& cookie) {
  std::size_t length = 0;
  for (auto at = wire.find("\r\n"); at < head_end; at = wire.find("\r\n", at + 2)) {
    const auto l = wire.substr(at + 2, wire.find("\r\n", at + 2) - at - 2);
    const auto colon = l.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string name = lower(std::string(l.substr(0, colon)));
    const auto value = l.substr(std::min(colon + 2, l.size()));
    if (name == "content-length") (void)std::from_chars(value.data(), value.data() + value.size(), length);
    else if (name == "content-type") r.content_type = value;
    else if (name == "set-cookie") cookie = true;
  }
  return length;
}

// The responses on one connection, one after the other. Returns true when one of them set
// a cookie (a sign-in or sign-out may have replaced the analyst's session).
bool check_wire(std::string_view wire, bool reset, std::string_view input) {
  bool cookie = false;
  while (!wire.empty()) {
    if (!wire.starts_with("HTTP/1.1 ")) fuzz::fail("bytes that are not an HTTP/1.1 response: " + std::string(wire.substr(0, 80)), input);
    const auto head_end = wire.find("\r\n\r\n");
    if (head_end == std::string_view::npos) fuzz::fail("a response cut off in its headers", input);
    web::Response r;
    r.content_type.clear();
    if (std::from_chars(wire.data() + 9, wire.data() + std::min<std::size_t>(12, head_end), r.status).ec != std::errc())
      fuzz::fail("a status line without a status: " + std::string(wire.substr(0, 40)), input);
    const std::size_t length = read_fields(wire, head_end, r, cookie);
    check_headers(r, input);
    wire.remove_prefix(head_end + 4);
    // No body after 1xx, 204, 304, nor after a HEAD (the next response or the end follows).
    if (r.status < 200 || r.status == 204 || r.status == 304 || wire.starts_with("HTTP/1.") || wire.empty()) continue;
    // A reset (the server closed with bytes of ours unread) may drop what was in flight.
    if (length > wire.size() && reset) return cookie;
    if (length > wire.size()) fuzz::fail("a response body shorter than its Content-Length", input);
    // 206 answers a Range header with a slice of the body: valid bytes, not a whole document.
    if (r.status != 206) check_body(r.content_type, wire.substr(0, length), input);
    wire.remove_prefix(length);
  }
  return cookie;
}

// ---- the server's own rules (http.hpp), checked against what it did

// What the server's front must do with the first request of `raw` (sent whole, then the
// sending side closed): the status it refuses it with, 0 when it passes the request on, or
// -1 when nothing of a request arrived (no answer at all).
int front_verdict(std::string_view raw, web::RequestHead& head) {
  const web::Config c;
  web::HeadScan scan;
  web::scan_head(raw, c.max_header_lines, c.max_header_bytes, scan);
  using State = web::HeadScan::State;
  if (scan.state == State::incomplete) return scan.in_head ? 400 : -1;
  if (scan.state == State::too_large) return 431;
  if (scan.state == State::malformed) return 400;
  if (const auto no = web::parse_head(raw.substr(scan.start, scan.end - scan.start), head)) return no->status;
  if (head.content_length && *head.content_length > c.max_body_bytes) return 413;
  const bool body = head.method == "POST" || head.method == "PUT" || head.method == "PATCH" || head.method == "DELETE" ||
                    head.method == "PRI";
  if (!body && head.chunked) return 400;
  return 0;
}

void check_front(int verdict, std::string_view wire, bool reset, std::string_view input) {
  if (verdict < 0 && !wire.empty()) fuzz::fail("an answer to bytes that hold no request", input);
  if (verdict <= 0 || (wire.empty() && reset)) return;
  const std::string status = "HTTP/1.1 " + std::to_string(verdict) + " ";
  if (!wire.starts_with(status)) fuzz::fail("a request the server must refuse with " + std::to_string(verdict) + " got: " +
                                            std::string(wire.substr(0, 40)), input);
  // Nothing after the refusal's body (whose text may itself say "HTTP/1.1").
  const auto head_end = wire.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return;  // check_wire reports a cut-off head
  web::Response r;
  bool cookie = false;
  if (wire.size() > head_end + 4 + read_fields(wire, head_end, r, cookie))
    fuzz::fail("the connection went on after a refused request (framing is ambiguous after it)", input);
}

// apply_range on a known body: a range answer is one of 200 (the whole body), 206 (the bytes
// named, each once at most) or 416, never more bytes than the body.
void check_range(const web::RequestHead& head, std::string_view input) {
  const auto range = head.field("range");
  if (range.empty()) return;
  web::Response r;
  r.content_type = "text/plain";
  for (int i = 0; i < 1000; ++i) r.body += static_cast<char>('a' + i % 26);
  const std::string whole = r.body;
  r.headers.emplace_back("ETag", "\"e\"");
  const web::Config c;
  web::apply_range(range, head.field("if-range"), c.max_ranges, "BOUNDARY", r);
  if (r.status == 200) {
    if (r.body != whole) fuzz::fail("a 200 to a Range that is not the whole body", input);
    return;
  }
  if (r.status == 416) {
    if (r.header("content-range") != "bytes */1000") fuzz::fail("a 416 without Content-Range bytes */1000", input);
    return;
  }
  if (r.status != 206) fuzz::fail("a Range answered " + std::to_string(r.status), input);
  auto check_part = [&](std::string_view content_range, std::string_view bytes) {
    unsigned long long a = 0, b = 0, len = 0;
    if (std::sscanf(std::string(content_range).c_str(), "bytes %llu-%llu/%llu", &a, &b, &len) != 3 || len != 1000 || a > b ||
        b >= 1000 || bytes != std::string_view(whole).substr(a, b - a + 1))
      fuzz::fail("a 206 part whose bytes are not those its Content-Range names: " + std::string(content_range), input);
    return b - a + 1;
  };
  if (!r.content_type.starts_with("multipart/byteranges")) {
    check_part(r.header("content-range"), r.body);
    return;
  }
  std::size_t parts = 0, bytes = 0;
  std::string_view body = r.body;
  const std::string mark = "--BOUNDARY\r\nContent-Type: text/plain\r\nContent-Range: ";
  while (body.starts_with(mark)) {
    body.remove_prefix(mark.size());
    const auto eol = body.find("\r\n\r\n");
    const auto content_range = body.substr(0, eol);
    body.remove_prefix(eol + 4);
    const auto end = body.find("\r\n--BOUNDARY");
    bytes += check_part(content_range, body.substr(0, end));
    body.remove_prefix(end + 2);
    ++parts;
  }
  if (body != "--BOUNDARY--\r\n" || parts < 2 || parts > c.max_ranges || bytes > whole.size())
    fuzz::fail("a multipart 206 that is not " + std::to_string(c.max_ranges) + " or fewer parts of distinct bytes", input);
}

std::string with_session(std::string_view input, const Fixture& f) {
  std::string s(input);
  for (const auto& [mark, value] : {std::pair<std::string, std::string>{"{sid}", f.sid}, {"{csrf}", f.csrf}})
    for (auto at = s.find(mark); at != std::string::npos; at = s.find(mark, at + value.size())) s.replace(at, mark.size(), value);
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fixture();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& f = fixture();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string raw = with_session(input, f);
  bool cookie = false;
  if (const auto req = parse_request(raw)) {
    const auto r = f.site().handle(*req);
    check_headers(r, input);
    if (r.status != 304 && r.content_type.empty()) fuzz::fail("a response without a Content-Type", input);
    check_body(r.content_type, r.body, input);
    cookie = !r.header("set-cookie").empty();
  }
  bool reset = false;
  const auto wire = exchange(f.server->port(), raw, reset, input);
  cookie = check_wire(wire, reset, input) || cookie;
  web::RequestHead head;
  check_front(front_verdict(raw, head), wire, reset, input);
  check_range(head, input);
  // Sign in again when the analyst may have signed out (or in, which replaces the session).
  if (cookie && input.find("{sid}") != std::string_view::npos) f.sign_in();
  return 0;
}
