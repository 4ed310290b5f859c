// Issue 14: the web server against hostile clients. Each test is an attack, reproduced against
// the real server on 127.0.0.1 with raw sockets (header floods, slow clients, one address
// holding the connections, range bombs, ambiguous framing, pipelining, sign-in storms, links
// built from Host, a read-only data folder, the request log). Deadlines are shortened in the
// Config so that no test sleeps for the production values.
#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <thread>

#include "hrtrack/analysis/analysis.hpp"
#include "hrtrack/corpus/import.hpp"
#include "hrtrack/index/index.hpp"
#include "hrtrack/web/analysts.hpp"
#include "hrtrack/web/server.hpp"
#include "hrtrack/web/site.hpp"
#include "process.hpp"
#include "shared.hpp"

using namespace hrtrack;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kAnalyst = "ana";
constexpr const char* kPassword = "s3cret-pass";

// Germany's BtMG and a Canadian regulation: imported, indexed, analysed, one analyst. Built
// once for the whole run.
const std::filesystem::path& data_dir() {
  static test::TempDir dir;
  static const bool built = [] {
    auto store = corpus::Store::open(dir.path());
    REQUIRE(store);
    auto& s = *store.value();
    corpus::Importer importer(s);
    const auto report =
        importer.import_paths({test::legislation("DE/btmg_1981.gii.xml"), test::legislation("CA/eng_regulations_SOR-97-229.xml")}, {});
    REQUIRE(report.versions_new > 0);
    auto indexer = index::Indexer::open(dir.path(), index::Thesaurus::builtin());
    REQUIRE(indexer);
    REQUIRE((*indexer)->update(s));
    analysis::EngineConfig ec;
    ec.data_dir = dir.path();
    auto engine = analysis::Engine::open(s, ec);
    REQUIRE(engine);
    for (const auto& j : s.jurisdictions()) REQUIRE((*engine)->analyze(j.code));
    REQUIRE(web::add_analyst(s, kAnalyst, kPassword, 1000).ok());
    return true;
  }();
  (void)built;
  return dir.path();
}

// Short deadlines, few threads: what every test starts from.
web::Config quick_config() {
  web::Config c;
  c.data_dir = data_dir();
  c.port = 0;
  c.threads = 4;
  c.max_connections = 64;
  c.request_timeout = 800ms;
  c.write_timeout = 2s;
  c.keep_alive_timeout = 3s;
  c.password_iterations = 1000;
  return c;
}

// A real server on a free port of 127.0.0.1, serving until the object goes.
class Serving {
 public:
  explicit Serving(web::Config c = quick_config()) : server_(std::move(c)) {
    REQUIRE(server_.bind().ok());
    thread_ = std::thread([this] { server_.run(); });
  }
  ~Serving() {
    server_.stop();
    thread_.join();
  }
  int port() const { return server_.port(); }

 private:
  web::Server server_;
  std::thread thread_;
};

struct Reply {
  int status = 0;
  std::multimap<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// One client connection, from `from` (any 127.x.y.z: the whole block is this machine, so one
// test can play several client addresses).
class Wire {
 public:
  explicit Wire(int port, const std::string& from = "127.0.0.1") {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in self{};
    self.sin_family = AF_INET;
    REQUIRE(::inet_pton(AF_INET, from.c_str(), &self.sin_addr) == 1);
    REQUIRE(::bind(fd_, reinterpret_cast<const sockaddr*>(&self), sizeof self) == 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~Wire() {
    if (fd_ >= 0) ::close(fd_);
  }
  Wire(const Wire&) = delete;
  Wire& operator=(const Wire&) = delete;

  // False once the server has closed (or reset) the connection, or stopped reading for 2 s.
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      pollfd p{fd_, POLLOUT, 0};
      if (::poll(&p, 1, 2000) != 1 || (p.revents & (POLLERR | POLLHUP))) return false;
      const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // The next response (its body by Content-Length; none after HEAD, 1xx, 204, 304), or
  // nullopt when the connection closed or `within` passed first.
  std::optional<Reply> response(std::chrono::milliseconds within = 5s, bool head = false) {
    const auto deadline = Clock::now() + within;
    std::size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
      if (!fill(deadline)) return std::nullopt;
    Reply r;
    const std::string head_text = buf_.substr(0, end + 2);
    if (head_text.rfind("HTTP/1.1 ", 0) != 0) return std::nullopt;
    r.status = std::stoi(head_text.substr(9, 3));
    for (auto at = head_text.find("\r\n"); at + 2 < head_text.size(); at = head_text.find("\r\n", at + 2)) {
      const auto line = head_text.substr(at + 2, head_text.find("\r\n", at + 2) - at - 2);
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      auto value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers.emplace(lower(line.substr(0, colon)), value);
    }
    buf_.erase(0, end + 4);
    std::size_t length = 0;
    if (!head && r.status >= 200 && r.status != 204 && r.status != 304 && !r.header("content-length").empty())
      length = std::stoull(r.header("content-length"));
    while (buf_.size() < length)
      if (!fill(deadline)) return std::nullopt;
    r.body = buf_.substr(0, length);
    buf_.erase(0, length);
    return r;
  }

  // True when the server closes the connection (end of stream or reset) within `within`;
  // whatever it sends before is kept for response().
  bool closed(std::chrono::milliseconds within) {
    const auto deadline = Clock::now() + within;
    while (fill(deadline)) {
    }
    return eof_;
  }

  // Everything sent since until the server closed the connection or `within` passed.
  std::string rest(std::chrono::milliseconds within) {
    closed(within);
    return std::exchange(buf_, {});
  }

  int fd() const { return fd_; }

 private:
  // Reads more into buf_; false at the end of the stream, on a reset or at the deadline.
  bool fill(Clock::time_point deadline) {
    if (eof_) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd_, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) != 1) return false;
    char chunk[65536];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    buf_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool eof_ = false;
  std::string buf_;
};

std::string get(const std::string& target, const std::string& extra = {}) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
}

// A whole exchange on a new connection: one request, one response.
std::optional<Reply> ask(int port, const std::string& request, const std::string& from = "127.0.0.1") {
  Wire w(port, from);
  if (!w.send(request)) return std::nullopt;
  return w.response();
}

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

}  // namespace

// ---- 1. header floods

TEST_CASE("a request with too many header lines is refused with 431 and the connection closed", "[web][hostile]") {
  Serving server;
  std::string flood = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (int i = 0; i < 150; ++i) flood += "X-Flood-" + std::to_string(i) + ": a\r\n";
  Wire w(server.port());
  REQUIRE(w.send(flood + "\r\n"));
  const auto r = w.response(2s);
  REQUIRE(r);
  CHECK(r->status == 431);
  CHECK(w.closed(1s));
  // 100 lines are still a request.
  std::string many = "GET /assets/style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (int i = 0; i < 99; ++i) many += "X-Many-" + std::to_string(i) + ": a\r\n";
  const auto fine = ask(server.port(), many + "\r\n");
  REQUIRE(fine);
  CHECK(fine->status == 200);
}

TEST_CASE("headers of more than 64 KB in all are refused with 431", "[web][hostile]") {
  Serving server;
  std::string big = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (int i = 0; i < 20; ++i) big += "X-Big-" + std::to_string(i) + ": " + std::string(4000, 'a') + "\r\n";
  Wire w(server.port());
  REQUIRE(w.send(big + "\r\n"));
  const auto r = w.response(2s);
  REQUIRE(r);
  CHECK(r->status == 431);
  CHECK(w.closed(1s));
}

TEST_CASE("an endless stream of header lines is cut off, not stored", "[web][hostile]") {
  // Today's server read 2,000,000 header lines (100 MB) into memory and answered 200. Here
  // the server must stop reading: the flood cannot push more than the kernel's buffers
  // (a few MB) past the first 64 KB.
  Serving server;
  Wire w(server.port());
  int rcvbuf = 64 * 1024;
  ::setsockopt(w.fd(), SOL_SOCKET, SO_SNDBUF, &rcvbuf, sizeof rcvbuf);
  REQUIRE(w.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  std::string lines;
  for (int i = 0; i < 1000; ++i) lines += "X-Flood: " + std::string(50, 'f') + "\r\n";  // 61 kB
  std::size_t sent = 0;
  const std::size_t cap = 48u << 20;
  while (sent < cap && w.send(lines)) sent += lines.size();
  INFO("sent " << sent / 1024 << " kB of header lines");
  CHECK(sent < (16u << 20));
}

// ---- 2. slow clients

TEST_CASE("a request that trickles in is cut off at the request deadline", "[web][hostile]") {
  Serving server;  // request_timeout 800 ms
  SECTION("headers, a line every 200 ms") {
    Wire w(server.port());
    REQUIRE(w.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
    const auto start = Clock::now();
    bool cut = false;
    for (int i = 0; i < 20 && !cut; ++i) {
      std::this_thread::sleep_for(200ms);
      cut = !w.send("X-Slow-" + std::to_string(i) + ": a\r\n") || w.closed(1ms);
    }
    const auto r = w.response(500ms);
    CHECK((cut || w.closed(1s)));
    CHECK(ms_since(start) < 2500);
    if (r) CHECK(r->status == 408);
  }
  SECTION("a body, a byte every 100 ms") {
    Wire w(server.port());
    REQUIRE(w.send("POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                   "Content-Length: 100\r\n\r\n"));
    const auto start = Clock::now();
    bool cut = false;
    for (int i = 0; i < 40 && !cut; ++i) {
      std::this_thread::sleep_for(100ms);
      cut = !w.send("a") || w.closed(1ms);
    }
    CHECK((cut || w.closed(1s)));
    CHECK(ms_since(start) < 2500);
  }
}

TEST_CASE("one client address cannot hold more than its share of connections", "[web][hostile]") {
  auto c = quick_config();
  c.max_connections_per_address = 4;
  c.request_timeout = 3s;
  Serving server(c);
  // Ten slow connections from one address, each holding a request open.
  std::vector<std::unique_ptr<Wire>> slow;
  for (int i = 0; i < 10; ++i) {
    slow.push_back(std::make_unique<Wire>(server.port(), "127.0.0.2"));
    (void)slow.back()->send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  }
  int refused = 0;
  for (auto& w : slow) {
    const auto r = w->response(300ms);
    if ((r && r->status == 503) || w->closed(1ms)) ++refused;
  }
  CHECK(refused >= 6);
  // Another address is served at once.
  const auto start = Clock::now();
  const auto r = ask(server.port(), get("/assets/style.css"));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(ms_since(start) < 1000);
}

TEST_CASE("idle keep-alive connections are closed first when connections run short", "[web][hostile]") {
  auto c = quick_config();
  c.threads = 2;
  c.max_connections = 6;
  c.keep_alive_timeout = 5s;
  Serving server(c);
  // Six clients (six addresses) each make a request and keep the connection open.
  std::vector<std::unique_ptr<Wire>> idle;
  for (int i = 0; i < 6; ++i) {
    idle.push_back(std::make_unique<Wire>(server.port(), "127.0.1." + std::to_string(i + 1)));
    REQUIRE(idle.back()->send(get("/assets/style.css")));
    const auto r = idle.back()->response(3s);
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  // A seventh is answered without waiting for a keep-alive to run out.
  const auto start = Clock::now();
  const auto r = ask(server.port(), get("/assets/style.css"), "127.0.2.1");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(ms_since(start) < 1500);
}

// ---- 3. ranges

namespace {

std::string full_body(int port, const std::string& target) {
  const auto r = ask(port, get(target));
  REQUIRE(r);
  REQUIRE(r->status == 200);
  return r->body;
}

}  // namespace

TEST_CASE("ranges: 206 with a correct Content-Range on assets and exports", "[web][hostile]") {
  Serving server;
  const int port = server.port();
  const std::string css = full_body(port, "/assets/style.css");
  REQUIRE(css.size() > 200);
  const std::string len = std::to_string(css.size());

  auto r = ask(port, get("/assets/style.css", "Range: bytes=0-99\r\n"));
  REQUIRE(r);
  CHECK(r->status == 206);
  CHECK(r->header("content-range") == "bytes 0-99/" + len);
  CHECK(r->body == css.substr(0, 100));

  r = ask(port, get("/assets/style.css", "Range: bytes=-10\r\n"));
  REQUIRE(r);
  CHECK(r->status == 206);
  CHECK(r->header("content-range") == "bytes " + std::to_string(css.size() - 10) + "-" + std::to_string(css.size() - 1) + "/" + len);
  CHECK(r->body == css.substr(css.size() - 10));

  // Two ranges: multipart/byteranges, each part with its own Content-Range.
  r = ask(port, get("/assets/style.css", "Range: bytes=0-9, 20-29\r\n"));
  REQUIRE(r);
  CHECK(r->status == 206);
  const auto type = r->header("content-type");
  REQUIRE(type.rfind("multipart/byteranges; boundary=", 0) == 0);
  const std::string boundary = type.substr(type.find('=') + 1);
  CHECK(r->body.find("Content-Range: bytes 0-9/" + len + "\r\n\r\n" + css.substr(0, 10) + "\r\n--" + boundary) != std::string::npos);
  CHECK(r->body.find("Content-Range: bytes 20-29/" + len + "\r\n\r\n" + css.substr(20, 10) + "\r\n--" + boundary + "--") !=
        std::string::npos);

  // Unsatisfiable.
  r = ask(port, get("/assets/style.css", "Range: bytes=" + std::to_string(css.size() + 10) + "-\r\n"));
  REQUIRE(r);
  CHECK(r->status == 416);
  CHECK(r->header("content-range") == "bytes */" + len);

  // If-Range with another validator: the whole file.
  r = ask(port, get("/assets/style.css", "Range: bytes=0-9\r\nIf-Range: \"old\"\r\n"));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == css);

  // Exports.
  const std::string csv = full_body(port, "/api/v1/export/answers.csv");
  r = ask(port, get("/api/v1/export/answers.csv", "Range: bytes=5-14\r\n"));
  REQUIRE(r);
  CHECK(r->status == 206);
  CHECK(r->header("content-range") == "bytes 5-14/" + std::to_string(csv.size()));
  CHECK(r->body == csv.substr(5, 10));
}

TEST_CASE("ranges: many or overlapping ranges get the file once, never a multiple of it", "[web][hostile]") {
  Serving server;
  const int port = server.port();
  const std::string css = full_body(port, "/assets/style.css");
  std::string bomb = "bytes=0-";
  for (int i = 0; i < 2600; ++i) bomb += ",0-";
  auto r = ask(port, get("/assets/style.css", "Range: " + bomb + "\r\n"));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == css);
  r = ask(port, get("/assets/style.css", "Range: bytes=0-99,50-149\r\n"));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == css);
  r = ask(port, get("/assets/style.css", "Range: bytes=abc\r\n"));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == css);
}

TEST_CASE("ranges: the JSON API and pages ignore Range and answer the whole 200", "[web][hostile]") {
  Serving server;
  const int port = server.port();
  for (const std::string target : {"/api/v1/jurisdictions", "/api/v1/search?q=Bet%C3%A4ubungsmittel&limit=5", "/jurisdictions/DE", "/"}) {
    INFO(target);
    const std::string whole = full_body(port, target);
    const auto r = ask(port, get(target, "Range: bytes=0-10\r\n"));
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->header("content-range").empty());
    CHECK(r->body.size() == whole.size());
    if (target.rfind("/api/", 0) == 0) CHECK(nlohmann::json::accept(r->body));
  }
}

// ---- 4. framing

TEST_CASE("ambiguous message framing gets 400 and a closed connection", "[web][hostile]") {
  Serving server;
  const std::string start = "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n";
  const std::vector<std::string> framings = {
      "Content-Length: 6\r\nContent-Length: 6\r\n",  "Content-Length: 6\r\nContent-Length: 7\r\n",
      "Content-Length: 6, 6\r\n",                    "Content-Length: +6\r\n",
      "Content-Length: 0x6\r\n",                     "Content-Length: -6\r\n",
      "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n", "Transfer-Encoding: gzip, chunked\r\n",
      "Content-Length : 6\r\n",                      " Content-Length: 6\r\n"};
  for (const auto& f : framings) {
    INFO(f);
    Wire w(server.port());
    REQUIRE(w.send(start + f + "\r\ncsrf=1"));
    const auto r = w.response(2s);
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(w.closed(1s));
  }
}

TEST_CASE("HTTP/1.1 without Host gets 400; HTTP/1.0 without it is answered", "[web][hostile]") {
  Serving server;
  auto r = ask(server.port(), "GET /assets/style.css HTTP/1.1\r\n\r\n");
  REQUIRE(r);
  CHECK(r->status == 400);
  r = ask(server.port(), "GET /assets/style.css HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
  REQUIRE(r);
  CHECK(r->status == 400);
  r = ask(server.port(), "GET /assets/style.css HTTP/1.0\r\n\r\n");
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("pipelined requests are answered in order", "[web][hostile]") {
  Serving server;
  Wire w(server.port());
  const std::string form = "csrf=forged&name=x&password=y";
  REQUIRE(w.send(get("/assets/style.css") + get("/api/v1/jurisdictions") +
                 "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                 std::to_string(form.size()) + "\r\n\r\n" + form + get("/no/such/page") + get("/assets/site.js")));
  std::vector<int> statuses;
  std::vector<std::string> types;
  for (int i = 0; i < 5; ++i) {
    const auto r = w.response(2s);
    if (!r) break;
    statuses.push_back(r->status);
    types.push_back(r->header("content-type").substr(0, 15));
  }
  CHECK(statuses == std::vector<int>{200, 200, 403, 404, 200});
  REQUIRE(types.size() == 5);
  CHECK(types[0] == "text/css; chars");
  CHECK(types[1] == "application/jso");
  CHECK(types[4] == "text/javascript");
}

// ---- 5. sign-in

namespace {

// Signs in through the real server's form: GET /login (its cookie and token), then POST.
struct SignInForm {
  std::string cookie, csrf;
};

SignInForm open_form(int port, const std::string& from = "127.0.0.1") {
  const auto r = ask(port, get("/login"), from);
  REQUIRE(r);
  REQUIRE(r->status == 200);
  SignInForm f;
  const auto set = r->header("set-cookie");
  f.cookie = set.substr(0, set.find(';'));
  const std::string mark = "name=\"csrf\" value=\"";
  const auto at = r->body.find(mark);
  REQUIRE(at != std::string::npos);
  f.csrf = r->body.substr(at + mark.size(), r->body.find('"', at + mark.size()) - at - mark.size());
  return f;
}

std::optional<Reply> sign_in(int port, const SignInForm& f, const std::string& name, const std::string& password,
                             const std::string& from = "127.0.0.1") {
  const std::string body = "csrf=" + f.csrf + "&name=" + name + "&password=" + password;
  return ask(port,
             "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + f.cookie +
                 "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + std::to_string(body.size()) +
                 "\r\n\r\n" + body,
             from);
}

bool has_session_cookie(const Reply& r) {
  for (auto [it, end] = r.headers.equal_range("set-cookie"); it != end; ++it)
    if (it->second.rfind("hrsid=", 0) == 0 && it->second.find("Max-Age=0") == std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("failed sign-ins for a name: a growing delay, then a lockout that refuses the right password", "[web][hostile]") {
  auto c = quick_config();
  c.per_name = {2, 4, 150ms, 700ms};
  c.per_address = {100, 1000, 1ms, 1ms};
  Serving server(c);
  const int port = server.port();
  const auto form = open_form(port);
  // Two failures are free.
  for (int i = 0; i < 2; ++i) {
    const auto r = sign_in(port, form, kAnalyst, "wrong-pass");
    REQUIRE(r);
    CHECK(r->status == 401);
  }
  // The third must wait; a try before is refused without being checked.
  auto r = sign_in(port, form, kAnalyst, "wrong-pass");
  REQUIRE(r);
  CHECK(r->status == 429);
  CHECK(!r->header("retry-after").empty());
  CHECK(r->body.find("wait") != std::string::npos);
  std::this_thread::sleep_for(200ms);
  r = sign_in(port, form, kAnalyst, "wrong-pass");
  REQUIRE(r);
  CHECK(r->status == 401);
  std::this_thread::sleep_for(350ms);  // the delay doubled: 300 ms
  r = sign_in(port, form, kAnalyst, "wrong-pass");
  REQUIRE(r);
  CHECK(r->status == 401);
  // Four failures: locked, and the right password is refused while it lasts.
  r = sign_in(port, form, kAnalyst, kPassword);
  REQUIRE(r);
  CHECK(r->status == 429);
  CHECK(r->body.find("locked") != std::string::npos);
  CHECK_FALSE(has_session_cookie(*r));
  std::this_thread::sleep_for(800ms);
  r = sign_in(port, form, kAnalyst, kPassword);
  REQUIRE(r);
  CHECK(r->status == 303);
  CHECK(has_session_cookie(*r));
}

TEST_CASE("failed sign-ins from one address lock that address out, not others", "[web][hostile]") {
  auto c = quick_config();
  c.per_name = {100, 1000, 1ms, 1ms};
  c.per_address = {2, 3, 1ms, 5s};
  Serving server(c);
  const int port = server.port();
  const auto form = open_form(port, "127.0.3.1");
  for (const std::string name : {"alice", "bob", "carol"}) {
    std::this_thread::sleep_for(5ms);
    const auto r = sign_in(port, form, name, "guess-1234", "127.0.3.1");
    REQUIRE(r);
    CHECK(r->status == 401);
  }
  auto r = sign_in(port, form, kAnalyst, kPassword, "127.0.3.1");
  REQUIRE(r);
  CHECK(r->status == 429);
  CHECK(r->body.find("address") != std::string::npos);
  const auto other = open_form(port, "127.0.3.2");
  r = sign_in(port, other, kAnalyst, kPassword, "127.0.3.2");
  REQUIRE(r);
  CHECK(r->status == 303);
}

TEST_CASE("opening the sign-in form creates no session", "[web][hostile]") {
  Serving server;
  const auto r = ask(server.port(), get("/login"));
  REQUIRE(r);
  CHECK_FALSE(has_session_cookie(*r));
  // And the form it gave still signs in.
  const auto form = open_form(server.port());
  const auto in = sign_in(server.port(), form, kAnalyst, kPassword);
  REQUIRE(in);
  CHECK(in->status == 303);
  CHECK(has_session_cookie(*in));
}

TEST_CASE("a storm of sign-ins does not slow public pages", "[web][hostile]") {
  // Unknown names cost the full 310,000 PBKDF2 rounds, as a real name would.
  auto c = quick_config();
  c.per_name = {1'000'000, 1'000'000, 1ms, 1ms};
  c.per_address = {1'000'000, 1'000'000, 1ms, 1ms};
  c.request_timeout = 10s;
  Serving server(c);
  const int port = server.port();
  auto page_ms = [&] {
    std::vector<double> t;
    for (int i = 0; i < 15; ++i) {
      const auto start = Clock::now();
      const auto r = ask(port, get("/api/v1/jurisdictions"));
      REQUIRE(r);
      CHECK(r->status == 200);
      t.push_back(ms_since(start));
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
  };
  const double quiet = page_ms();
  std::atomic<bool> stop{false};
  std::atomic<int> attempts{0};
  std::vector<std::thread> storm;
  for (int i = 0; i < 8; ++i)
    storm.emplace_back([&, i] {
      const auto form = open_form(port);
      for (int k = 0; !stop; ++k) {
        (void)sign_in(port, form, "nobody" + std::to_string(i) + "x" + std::to_string(k), "guess-1234");
        ++attempts;
      }
    });
  std::this_thread::sleep_for(300ms);
  const double stormy = page_ms();
  stop = true;
  for (auto& t : storm) t.join();
  INFO("public page median: quiet " << quiet << " ms, during " << attempts << " sign-ins " << stormy << " ms");
  CHECK(stormy < std::max(3 * quiet, quiet + 60.0));
}

// ---- 6. links

TEST_CASE("feeds and reports link to the configured base URL, never to the Host header", "[web][hostile]") {
  auto c = quick_config();
  c.base_url = "https://hrtrack.example.org/law";
  Serving server(c);
  for (const std::string target : {"/feeds/changes.atom", "/feeds/jurisdictions/DE.atom"}) {
    const auto r = ask(server.port(), "GET " + target + " HTTP/1.1\r\nHost: evil.example\r\n\r\n");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body.find("evil.example") == std::string::npos);
    CHECK(r->body.find("<link href=\"https://hrtrack.example.org/law/changes\"/>") != std::string::npos);
    CHECK(r->body.find("<id>https://hrtrack.example.org/law" + target + "</id>") != std::string::npos);
  }
  const auto md = ask(server.port(), "GET /reports/DE.md HTTP/1.1\r\nHost: evil.example\r\n\r\n");
  REQUIRE(md);
  CHECK(md->body.find("https://hrtrack.example.org/law/reports/DE") != std::string::npos);
  // Without a base URL: the address the server listens on.
  Serving plain;
  const auto r = ask(plain.port(), "GET /feeds/changes.atom HTTP/1.1\r\nHost: evil.example\r\n\r\n");
  REQUIRE(r);
  CHECK(r->body.find("evil.example") == std::string::npos);
  CHECK(r->body.find("http://127.0.0.1:" + std::to_string(plain.port()) + "/changes") != std::string::npos);
}

// ---- 7. a read-only data folder

namespace {

// Copies the fixture's data folder, then makes it read-only to the server: its files and
// folders lose their write bits, and when the tests run as root (for whom those bits mean
// nothing) the server runs as the unprivileged user 65534.
void read_only_copy(const std::filesystem::path& to) {
  namespace fs = std::filesystem;
  fs::copy(data_dir(), to, fs::copy_options::recursive);
  for (const auto& e : fs::recursive_directory_iterator(to))
    fs::permissions(e.path(), e.is_directory() ? fs::perms(0555) : fs::perms(0444));
  fs::permissions(to, fs::perms(0555));
  fs::permissions(to.parent_path(), fs::perms(0755));
}

// `hrtrack --data DIR serve --port 0`, as user 65534 when we are root; its URL from stdout.
class ServeProcess {
 public:
  explicit ServeProcess(const std::filesystem::path& data) {
    const std::string bin = test::hrtrack_bin();
    int out[2];
    REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      if (::geteuid() == 0 && (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(126);
      ::execl(bin.c_str(), bin.c_str(), "--data", data.c_str(), "serve", "--port", "0", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    out_ = out[0];
    std::string text;
    const auto deadline = Clock::now() + 20s;
    while (text.find('\n') == std::string::npos && Clock::now() < deadline) {
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, 200) != 1) continue;
      char buf[512];
      const auto n = ::read(out_, buf, sizeof buf);
      if (n <= 0) break;
      text.append(buf, static_cast<std::size_t>(n));
    }
    const auto at = text.find("http://127.0.0.1:");
    INFO("serve said: " << text);
    REQUIRE(at != std::string::npos);
    port_ = std::stoi(text.substr(at + 17));
  }
  ~ServeProcess() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    ::close(out_);
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  int port_ = 0;
};

}  // namespace

TEST_CASE("a read-only data folder is served: reads work, writes say read-only", "[web][hostile]") {
  test::TempDir tmp;
  const auto ro = tmp.path() / "data";
  read_only_copy(ro);
  ServeProcess serve(ro);
  for (const std::string target : {"/", "/jurisdictions/DE", "/api/v1/jurisdictions", "/search?q=Bet%C3%A4ubungsmittel"}) {
    INFO(target);
    const auto r = ask(serve.port(), get(target));
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  // Signed in, a review is refused with a message that says why.
  const auto form = open_form(serve.port());
  const auto in = sign_in(serve.port(), form, kAnalyst, kPassword);
  REQUIRE(in);
  REQUIRE(in->status == 303);
  std::string session;
  for (auto [it, end] = in->headers.equal_range("set-cookie"); it != end; ++it)
    if (it->second.rfind("hrsid=", 0) == 0) session = it->second.substr(0, it->second.find(';'));
  const auto page = ask(serve.port(), get("/review/DE/urine-testing", "Cookie: " + session + "\r\n"));
  REQUIRE(page);
  CHECK(page->body.find("read-only") != std::string::npos);
  const std::string mark = "name=\"csrf\" value=\"";
  std::string csrf;
  if (const auto at = page->body.find(mark); at != std::string::npos)
    csrf = page->body.substr(at + mark.size(), page->body.find('"', at + mark.size()) - at - mark.size());
  const std::string body = "csrf=" + csrf + "&status=silent&note=checked";
  const auto post = ask(serve.port(), "POST /review/DE/urine-testing HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + session +
                                          "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                                          std::to_string(body.size()) + "\r\n\r\n" + body);
  REQUIRE(post);
  CHECK(post->status >= 400);
  CHECK(post->status < 500);
  CHECK(post->body.find("read-only") != std::string::npos);
}

// ---- 8. the request log

TEST_CASE("the request log has one whole line per request, however many run at once", "[web][hostile]") {
  test::TempDir tmp;
  const auto log = tmp.path() / "stderr.log";
  auto c = quick_config();
  c.log_requests = true;
  constexpr int kClients = 8, kEach = 30;
  {
    // The log goes to stderr: to a file for the length of this test.
    const int saved = ::dup(2);
    const int file = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    REQUIRE(file >= 0);
    ::dup2(file, 2);
    ::close(file);
    {
      Serving server(c);
      std::vector<std::thread> clients;
      for (int i = 0; i < kClients; ++i)
        clients.emplace_back([&, i] {
          for (int k = 0; k < kEach; ++k)
            (void)ask(server.port(), get("/assets/style.css?client=" + std::to_string(i) + "&n=" + std::to_string(k) + "&pad=" +
                                         std::string(200, 'p')));
        });
      for (auto& t : clients) t.join();
    }
    ::dup2(saved, 2);
    ::close(saved);
  }
  const std::string text = test::read_file(log);
  // address, method, target, status, bytes, time
  const std::regex line(R"(^\S+ \[info\] 127\.0\.0\.1 GET /assets/style\.css\?client=\d&n=\d+&pad=p{200} 200 \d+ B [0-9.]+ ms$)");
  int requests = 0, whole = 0;
  std::size_t from = 0;
  for (auto end = text.find('\n'); end != std::string::npos; from = end + 1, end = text.find('\n', from)) {
    const std::string l = text.substr(from, end - from);
    if (l.find("/assets/style.css") == std::string::npos) continue;
    ++requests;
    if (std::regex_match(l, line)) ++whole;
    else UNSCOPED_INFO("not a whole log line: " << l.substr(0, 300));
  }
  CHECK(requests == kClients * kEach);
  CHECK(whole == kClients * kEach);
}
