#pragma once
// The web site as a function from Request to Response: pages (server-rendered HTML that
// works without JavaScript), the JSON API under /api/v1, Atom feeds, CSV/JSON exports,
// printable country reports and the analysts' review forms.
//
// Thread safety: handle() may be called from many threads at once. Each call borrows a
// Store, a Searcher and an analysis Engine from a pool (SQLite and Xapian handles are one
// per thread); what is derived from the whole catalogue (the answer matrix, the change
// list, the overview page) is computed once per data revision and shared read-only.
// Errors never escape handle(): a bad parameter is a 400 with a message, an unknown path a
// 404 page, an exception is logged to stderr and answered 500.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hrtrack/corpus/result.hpp"
#include "hrtrack/web/http.hpp"

namespace hrtrack::web {

struct Config {
  std::filesystem::path data_dir;  // the folder `hrtrack import/index/analyze` wrote
  std::string bind = "127.0.0.1";
  int port = 8080;  // 0: any free port (tests)
  // Handler threads kept ready. cpp-httplib keeps a thread for a keep-alive connection while
  // it lasts, so a connection that finds none idle gets a new thread, up to max_connections;
  // the extra threads end after a minute without work. Connections beyond that wait.
  int threads = 64;
  int max_connections = 1024;
  // Requests answered at once, by as many worker threads; the others wait their turn in
  // arrival order (0: twice the cores, at least 4). Each running request holds a Store, a
  // Searcher and an Engine.
  int max_active_requests = 0;
  // glibc malloc arenas for the whole process, set by the Server before its threads start
  // (0: one per core, at least 2; glibc's default is 8 per core, which under load kept
  // most of the RSS as freed memory).
  int malloc_arenas = 0;
  // Connections accepted by the kernel but not yet by the server (capped by
  // net.core.somaxconn). httplib's own 5 overflowed under a burst of connects.
  int listen_backlog = 4096;
  std::size_t max_body_bytes = 64 * 1024;  // forms are small; larger bodies get 413
  // What one request may carry before its answer is 431 and the connection is closed; the
  // server reads no more than this of a request's head (request line and headers).
  std::size_t max_header_lines = 100;
  std::size_t max_header_bytes = 64 * 1024;
  // The whole request (line, headers and body) must arrive within this, counted from its
  // first byte, however steadily it trickles in: 408 and the connection closed.
  std::chrono::milliseconds request_timeout{10'000};
  std::chrono::milliseconds write_timeout{10'000};  // a client that does not read its answer
  // An idle keep-alive connection is closed after this; sooner (the oldest idle first) when
  // the connections in use near max_connections.
  std::chrono::milliseconds keep_alive_timeout{5'000};
  int keep_alive_max = 100000;  // requests on one connection before it is closed
  // Open connections from one client address; more are refused at once (503).
  int max_connections_per_address = 64;
  // Byte ranges per request (static assets and exports only); more are ignored (200).
  std::size_t max_ranges = 4;
  // The public address of the site, for the absolute links of feeds and reports
  // ("https://hrtrack.example.org", or with a path prefix). Never taken from a request's
  // Host header. Empty: http://bind:port (the Server fills in the port it listens on).
  std::string base_url;
  // Slow PBKDF2 rounds for analyst passwords (tests lower it).
  int password_iterations = 310'000;
  // Sign-ins are checked by this many threads of their own (below the pages' priority), so
  // a flood of sign-ins never holds the workers that answer pages; beyond
  // max_waiting_sign_ins waiting, a sign-in is answered 503 at once.
  int sign_in_threads = 1;
  int max_waiting_sign_ins = 32;
  // Failed sign-ins, counted per analyst name and per client address: the first
  // `free_failures` cost nothing; after them each attempt must wait `delay`, doubling with
  // each further failure; at `lockout_failures` the name (or address) is locked for
  // `lockout` and even the right password is refused. A failure older than `lockout` is
  // forgotten; a successful sign-in clears its name's count.
  struct SignInLimits {
    int free_failures = 3;
    int lockout_failures = 10;
    std::chrono::milliseconds delay{1'000};
    std::chrono::milliseconds lockout{15 * 60'000};
  };
  SignInLimits per_name;
  SignInLimits per_address{10, 50, std::chrono::milliseconds(1'000), std::chrono::milliseconds(15 * 60'000)};
  bool log_requests = false;  // one line per request on stderr (spdlog)
  // Sessions expire after this much inactivity.
  int session_minutes = 8 * 60;
};

// A public base URL as --base-url takes it: http or https, a host (name, IPv4 or [IPv6]),
// an optional port and path; no user, query or fragment. Returned without a trailing '/'.
Result<std::string> check_base_url(std::string_view url);
// The site's public address for absolute links (feeds, reports): Config::base_url, else
// http://bind:port (127.0.0.1 for a server on every address). Never from a request.
std::string public_base(const Config& c);

class Site {
 public:
  explicit Site(Config config);
  ~Site();
  Site(const Site&) = delete;
  Site& operator=(const Site&) = delete;

  // Never throws.
  Response handle(const Request& request) const;
  // Computes what a first visitor would otherwise wait seconds for: the snapshot of the
  // data (every jurisdiction coded) and each jurisdiction's timeline. Returns early once
  // `stop` is true (after the timeline in progress). Safe while handle() runs; never throws.
  void warm_up(const std::atomic<bool>& stop) const;
  const Config& config() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The route table, as the site dispatches on it: every address (pattern such as
// "/jurisdictions/{code}"), its method, a page's JSON twin (the API address returning the
// data it shows; empty when it has none) with an example target, and an API address's
// summary in openapi.json.
struct RouteInfo {
  std::string method, pattern, twin, example, summary;
};
std::vector<RouteInfo> route_table();
// The JSON twin's target of a page's target: "/section?id=C-38.8%234" ->
// "/api/v1/sections?id=C-38.8%234"; empty when the page has none.
std::string twin_of(std::string_view target);

}  // namespace hrtrack::web
