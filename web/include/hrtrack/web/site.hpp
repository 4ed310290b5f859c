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
#include <filesystem>
#include <memory>
#include <string>

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
  int read_timeout_s = 10;   // a slow client is cut off after this
  int write_timeout_s = 10;
  int keep_alive_max = 100000;  // requests on one connection before it is closed
  // Slow PBKDF2 rounds for analyst passwords (tests lower it).
  int password_iterations = 310'000;
  bool log_requests = false;  // one line per request on stderr
  // Sessions expire after this much inactivity.
  int session_minutes = 8 * 60;
  // Visitors who opened the sign-in form hold a session for its CSRF token; anyone can open
  // it, so at most this many are kept (the oldest is forgotten first; its form asks again).
  int max_visitor_sessions = 10'000;
};

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

}  // namespace hrtrack::web
