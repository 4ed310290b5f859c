// The only file that knows cpp-httplib: converts its requests to Request values and back.
#include "hrtrack/web/server.hpp"

#include <httplib.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <iostream>
#include <list>
#include <mutex>
#include <thread>

#include "hrtrack/corpus/store.hpp"

namespace hrtrack::web {
namespace {

int cores() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

// glibc gives threads up to 8 malloc arenas per core (16 here) and each keeps the memory
// freed in it for reuse by its own threads; under the load mix 16 arenas held 164 MB free
// of 206 MB, more the longer the server ran. A few arenas hold the same live data with a
// fraction of the free memory; the workers (a handful) rarely contend for them. (Mapping
// every block of 64 kB and more on its own as well, M_MMAP_THRESHOLD, kept a few MB less
// but cost ~8% more CPU a request in the load mix: page faults.) Called before the server's threads start;
// process-wide, like the arenas.
int limit_malloc_arenas(int arenas) {
  const int n = arenas > 0 ? arenas : std::max(2, cores());
  mallopt(M_ARENA_MAX, n);
  return n;
}

// cpp-httplib 0.11.4 listens with a backlog of 5 and keeps the socket to itself; this
// subclass only reads its descriptor, so bind() can widen the backlog.
class HttpServer : public httplib::Server {
 public:
  socket_t listening_socket() const { return svr_sock_; }
};

// cpp-httplib serves a keep-alive connection on one thread until the connection closes, so
// with a fixed pool smaller than the open connections the others sit in the queue
// unanswered, for seconds. Here a connection that finds no idle thread gets a new one (up
// to `max`); threads beyond `keep` end after a minute without work.
class ConnectionThreads : public httplib::TaskQueue {
 public:
  ConnectionThreads(std::size_t keep, std::size_t max) : keep_(std::max<std::size_t>(1, keep)), max_(std::max(keep_, max)) {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < keep_; ++i) start();
  }
  ~ConnectionThreads() override { shutdown(); }

  void enqueue(std::function<void()> fn) override {
    std::list<Worker> finished;
    {
      std::lock_guard lock(mutex_);
      finished.splice(finished.end(), finished_);
      jobs_.push_back(std::move(fn));
      if (idle_ < jobs_.size() && workers_.size() < max_) start();
    }
    cond_.notify_one();
    for (auto& w : finished) w.thread.join();
  }

  void shutdown() override {
    {
      std::lock_guard lock(mutex_);
      if (stopping_ && workers_.empty() && finished_.empty()) return;
      stopping_ = true;
    }
    cond_.notify_all();
    for (;;) {
      std::list<Worker> all;
      {
        std::lock_guard lock(mutex_);
        all.splice(all.end(), workers_);
        all.splice(all.end(), finished_);
      }
      if (all.empty()) return;
      for (auto& w : all) w.thread.join();
    }
  }

 private:
  struct Worker {
    std::thread thread;
  };

  // Called with mutex_ held.
  void start() {
    workers_.emplace_back();
    auto self = std::prev(workers_.end());
    ++idle_;
    self->thread = std::thread([this, self] { work(self); });
  }

  void work(std::list<Worker>::iterator self) {
    std::unique_lock lock(mutex_);
    for (;;) {
      const bool woken = cond_.wait_for(lock, std::chrono::seconds(60), [&] { return stopping_ || !jobs_.empty(); });
      if (!woken && workers_.size() > keep_) break;  // idle for a minute and not needed
      if (jobs_.empty()) {
        if (stopping_) break;
        continue;
      }
      auto fn = std::move(jobs_.front());
      jobs_.pop_front();
      --idle_;
      lock.unlock();
      fn();
      lock.lock();
      ++idle_;
    }
    --idle_;
    // Joined by the next enqueue() or by shutdown(), never by itself. During shutdown()
    // workers_ may already have been moved out; the thread is joined there.
    if (stopping_) return;
    finished_.splice(finished_.end(), workers_, self);
    trim_after_burst(lock);
  }

  // Extra threads end a minute after a burst of connections; what the burst's requests
  // freed stays in malloc's arenas unless handed back to the system. The first thread to
  // end does it (a few ms); those ending within the next second do not repeat it.
  void trim_after_burst(std::unique_lock<std::mutex>& lock) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_trim_ < std::chrono::seconds(1)) return;
    last_trim_ = now;
    lock.unlock();
    malloc_trim(0);
    lock.lock();
  }

  const std::size_t keep_, max_;
  std::chrono::steady_clock::time_point last_trim_{};
  std::mutex mutex_;
  std::condition_variable cond_;
  std::deque<std::function<void()>> jobs_;
  std::list<Worker> workers_, finished_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
};

// Requests are answered by a few worker threads (Config::max_active_requests), in the order
// they arrived; the connection threads only read requests and write answers.
// - CPU: with every request running at once, 128 connections on 2 cores shared the CPU 128
//   ways, a 50 ms page took seconds and the tail passed wrk's 2 s.
// - Memory: when the handlers ran on the connection threads (a few at a time), each of the
//   ~130 threads soon held a full glibc tcache (the blocks it freed last, up to ~230 kB a
//   thread once it has rendered pages), and each connection thread started under a burst
//   of new connections added its own: RSS grew with the threads ever started. Here only the
//   workers allocate what a page needs (SQLite, Xapian, the page itself).
// Under load a request costs the same one wake-up as the turns it replaces (the worker
// hands the answer back); when idle, two.
class Workers {
 public:
  Workers(std::size_t count, std::function<Response(const Request&)> run)
      : count_(std::max<std::size_t>(1, count)), run_(std::move(run)) {}
  ~Workers() { stop(); }
  // The threads start with the server (run_until_signal blocks the signals first, and the
  // threads inherit that) and stop once the connections are closed.
  void start() {
    std::lock_guard lock(mutex_);
    stopping_ = false;
    while (threads_.size() < count_) threads_.emplace_back([this] { work(); });
  }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    has_job_.notify_all();
    for (auto& t : threads_) t.join();
    threads_.clear();
  }
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  // Blocks until a worker has answered; rethrows what the handler threw.
  Response answer(const Request& req) {
    Job job;
    job.req = &req;
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(&job);
    }
    has_job_.notify_one();
    {
      // The job's own lock, not the queue's: 130 waiting threads woken one by one would
      // otherwise each contend with the workers for the queue.
      std::unique_lock lock(job.mutex);
      job.answered.wait(lock, [&] { return job.done; });
    }
    if (job.error) std::rethrow_exception(job.error);
    return std::move(job.response);
  }

 private:
  struct Job {
    const Request* req = nullptr;
    Response response;
    std::exception_ptr error;
    std::mutex mutex;
    bool done = false;
    std::condition_variable answered;
  };

  void work() {
    std::unique_lock lock(mutex_);
    for (;;) {
      has_job_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to answer
      Job* job = queue_.front();
      queue_.pop_front();
      lock.unlock();
      try {
        job->response = run_(*job->req);
      } catch (...) {
        job->error = std::current_exception();
      }
      {
        // Notified under the job's lock: the job lives on the waiting thread's stack, which
        // returns (and destroys it) as soon as it sees `done` and has the lock.
        std::lock_guard job_lock(job->mutex);
        job->done = true;
        job->answered.notify_one();
      }
      lock.lock();
    }
  }

  const std::size_t count_;
  std::function<Response(const Request&)> run_;
  std::mutex mutex_;
  std::condition_variable has_job_;
  std::deque<Job*> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace

struct Server::Impl {
  const int malloc_arenas;  // first: before any thread of the server allocates
  Config config;
  Site site;
  // Before http: the connection threads wait on the workers, so the workers go last.
  Workers workers;
  HttpServer http;
  int port = 0;

  explicit Impl(Config c)
      : malloc_arenas(limit_malloc_arenas(c.malloc_arenas)),
        config(c),
        site(std::move(c)),
        workers(static_cast<std::size_t>(config.max_active_requests > 0 ? config.max_active_requests
                                                                        : std::max(4, 2 * cores())),
                [this](const Request& req) { return site.handle(req); }) {}

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
    Response r = workers.answer(req);
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
  http.set_read_timeout(c.request_timeout);
  http.set_write_timeout(c.write_timeout);
  http.set_keep_alive_max_count(static_cast<size_t>(c.keep_alive_max));
  http.set_keep_alive_timeout(std::max<time_t>(1, std::chrono::duration_cast<std::chrono::seconds>(c.keep_alive_timeout).count()));
  // Headers and body go out in separate writes: without TCP_NODELAY every response waits
  // for the client's delayed ACK (40 ms).
  http.set_tcp_nodelay(true);
  // httplib's default is SO_REUSEPORT, with which a second server on the same port starts
  // and silently takes half the connections; SO_REUSEADDR alone still allows a restart
  // while old connections linger in TIME_WAIT.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  const auto threads = static_cast<std::size_t>(std::max(1, c.threads));
  const auto max_threads = static_cast<std::size_t>(std::max(c.threads, c.max_connections));
  http.new_task_queue = [threads, max_threads] { return new ConnectionThreads(threads, max_threads); };
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
  // Listening again changes the backlog (Linux). With httplib's 5, a burst of connects (a
  // client opening its 64 connections) overflows the accept queue; the kernel drops the
  // handshakes' last ACKs and the clients wait 1-3 s for retransmits.
  if (::listen(impl_->http.listening_socket(), c.listen_backlog) != 0)
    return Error{"cannot listen on " + c.bind + ":" + std::to_string(impl_->port) + ": " + std::strerror(errno)};
  return {};
}

int Server::port() const { return impl_->port; }

std::string Server::url() const {
  const std::string host = impl_->config.bind == "0.0.0.0" ? "127.0.0.1" : impl_->config.bind;
  return "http://" + host + ":" + std::to_string(impl_->port) + "/";
}

void Server::run() {
  std::atomic<bool> stop{false};
  std::thread prepare([&] {
    // Below the request threads: a visitor's page comes before the pages prepared ahead.
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
    impl_->site.warm_up(stop);
  });
  impl_->workers.start();
  impl_->http.listen_after_bind();
  impl_->workers.stop();  // after httplib has closed every connection: none waits for them
  stop = true;
  prepare.join();
}

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
