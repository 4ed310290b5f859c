// The only file that knows cpp-httplib: converts its requests to Request values and back.
#include "hrtrack/web/server.hpp"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <thread>

#include "hrtrack/corpus/store.hpp"

namespace hrtrack::web {

struct Server::Impl {
  Config config;
  Site site;
  httplib::Server http;
  int port = 0;

  explicit Impl(Config c) : config(c), site(std::move(c)) {}

  void handle(const httplib::Request& in, httplib::Response& out) {
    Request req;
    req.method = in.method;
    req.path = in.path;
    req.remote_addr = in.remote_addr;
    for (const auto& [k, v] : in.params) req.query.emplace(k, v);
    for (const auto& [k, v] : in.headers) {
      std::string lower = k;
      for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      req.headers[lower] = v;
    }
    if (in.method == "POST") {
      // Forms arrive url-encoded: read them from the body, and keep the query string apart.
      req.query.clear();
      const auto q = in.target.find('?');
      if (q != std::string::npos) req.query = parse_query(std::string_view(in.target).substr(q + 1));
      if (req.header("content-type").rfind("application/x-www-form-urlencoded", 0) == 0) req.form = parse_query(in.body);
    }
    const auto start = std::chrono::steady_clock::now();
    Response r = site.handle(req);
    out.status = r.status;
    for (const auto& [k, v] : r.headers) out.set_header(k, v);
    if (r.status == 304) {
      out.body.clear();
    } else {
      out.set_content(std::move(r.body), r.content_type);
    }
    if (config.log_requests) {
      const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      std::cerr << in.method << ' ' << in.target << ' ' << r.status << ' ' << ms << " ms\n";
    }
  }
};

Server::Server(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {
  auto& http = impl_->http;
  const auto& c = impl_->config;
  auto handler = [this](const httplib::Request& in, httplib::Response& out) { impl_->handle(in, out); };
  http.Get(".*", handler);
  http.Post(".*", handler);
  http.Put(".*", handler);
  http.Delete(".*", handler);
  http.Patch(".*", handler);
  http.Options(".*", handler);
  http.set_payload_max_length(c.max_body_bytes);
  http.set_read_timeout(c.read_timeout_s, 0);
  http.set_write_timeout(c.write_timeout_s, 0);
  http.set_keep_alive_max_count(static_cast<size_t>(c.keep_alive_max));
  http.set_keep_alive_timeout(5);
  // Headers and body go out in separate writes: without TCP_NODELAY every response waits
  // for the client's delayed ACK (40 ms).
  http.set_tcp_nodelay(true);
  const auto threads = static_cast<size_t>(std::max(1, c.threads));
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // Site::handle catches everything; this is the last line should httplib itself throw.
  http.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    std::cerr << "hrtrack serve: " << req.method << ' ' << req.path << ": internal error: " << what << '\n';
    res.status = 500;
    res.set_content("Internal error\n", "text/plain; charset=utf-8");
  });
  // Errors httplib answers itself (413 body too large, 400 malformed request line) get a
  // plain explanation rather than an empty body.
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    std::string msg = "Error " + std::to_string(res.status);
    if (res.status == 413) msg = "Request body too large";
    else if (res.status == 400) msg = "Malformed request";
    res.set_content(msg + "\n", "text/plain; charset=utf-8");
  });
}

Server::~Server() { stop(); }

Site& Server::site() { return impl_->site; }

Status Server::bind() {
  const auto& c = impl_->config;
  if (!std::filesystem::exists(c.data_dir / "catalogue.sqlite3"))
    return Error{"no catalogue in " + c.data_dir.string() + ": run 'hrtrack import' (or 'hrtrack run') first"};
  if (c.port == 0) {
    const int p = impl_->http.bind_to_any_port(c.bind);
    if (p <= 0) return Error{"cannot listen on " + c.bind + ": no free port"};
    impl_->port = p;
  } else {
    if (!impl_->http.bind_to_port(c.bind, c.port))
      return Error{"cannot listen on " + c.bind + ":" + std::to_string(c.port) + " (in use? try --port)"};
    impl_->port = c.port;
  }
  return {};
}

int Server::port() const { return impl_->port; }

std::string Server::url() const {
  const std::string host = impl_->config.bind == "0.0.0.0" ? "127.0.0.1" : impl_->config.bind;
  return "http://" + host + ":" + std::to_string(impl_->port) + "/";
}

void Server::run() { impl_->http.listen_after_bind(); }

void Server::stop() {
  if (impl_->http.is_running()) impl_->http.stop();
}

void run_until_signal(Server& server) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  // Blocked before the server's threads start, so they inherit the mask and only the
  // waiting thread below ever takes the signal.
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::atomic<bool> done{false};
  std::thread waiter([&] {
    timespec tick{0, 200'000'000};
    while (!done) {
      const int sig = sigtimedwait(&set, nullptr, &tick);
      if (sig == SIGINT || sig == SIGTERM) {
        std::cerr << "\nhrtrack: stopping (signal " << sig << ")...\n";
        server.stop();
        return;
      }
    }
  });
  server.run();
  done = true;
  waiter.join();
}

}  // namespace hrtrack::web
