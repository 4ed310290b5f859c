#pragma once
// The HTTP server (cpp-httplib) around a Site: limits on body size, read/write time and
// keep-alive set explicitly; every request goes through Site::handle.
#include <memory>
#include <string>

#include "hrtrack/corpus/result.hpp"
#include "hrtrack/web/site.hpp"

namespace hrtrack::web {

class Server {
 public:
  explicit Server(Config config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds config.bind:config.port (port 0: a free one) and makes the Site (without
  // config.base_url, its links name this address and port). Error when the port is taken or
  // the data folder has no catalogue.
  Status bind();
  int port() const;  // after bind()
  std::string url() const;  // "http://127.0.0.1:8080/"
  // Serves until stop(); returns after the requests in flight have been answered. Meanwhile
  // a thread prepares the pages (Site::warm_up), so first visitors do not wait for it.
  void run();
  // Safe from another thread (not from a signal handler: see run_until_signal).
  void stop();

  Site& site();  // after bind()

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Serves until SIGINT or SIGTERM, then stops gracefully. The signals are blocked in every
// thread and waited for by one (sigwait), so no handler runs in signal context.
void run_until_signal(Server& server);

}  // namespace hrtrack::web
