// The only file that knows cpp-httplib: converts its requests to Request values and back,
// and stands in front of it on the socket.
//
// cpp-httplib 0.11.4 (Debian's, compiled with its defaults) cannot be told to bound the
// number or size of header lines, to give a whole request a deadline rather than each read,
// to refuse ambiguous framing, or to leave byte ranges alone; it slices any response with a
// Range header, and it drops pipelined requests it has already buffered. So each connection
// is served here (HttpServer::process_and_close_socket): the request head is read with its
// own limits and deadline and checked (http.hpp: scan_head, parse_head), and only a checked
// head, rewritten without Range, is handed to httplib's process_request through a Stream
// that reads what is buffered first. Ranges are answered here, after the Site, on the
// resources where they make sense.
#include "hrtrack/web/server.hpp"

#include <arpa/inet.h>
#include <httplib.h>
#include <malloc.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "hrtrack/base/ascii.hpp"
#include "hrtrack/corpus/store.hpp"
#include "hrtrack/web/analysts.hpp"

namespace hrtrack::web {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

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

// ---- the log: one line per request, through spdlog (its sinks lock, so lines never mix)

std::shared_ptr<spdlog::logger> serve_logger() {
  static const auto log = [] {
    auto l = std::make_shared<spdlog::logger>("serve", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    l->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ [%l] %v", spdlog::pattern_time_type::utc);
    l->flush_on(spdlog::level::info);
    return l;
  }();
  return log;
}

// A request target as it goes in the log: bytes outside printable ASCII as \xHH, so a
// request cannot write control sequences to the terminal or pass for another line.
std::string loggable(std::string_view s) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c > 0x20 && c < 0x7f && c != '\\') {
      out += ch;
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out.empty() ? "-" : out;
}

void log_request(std::string_view addr, std::string_view method, std::string_view target, int status, std::size_t bytes,
                 Clock::time_point start) {
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  serve_logger()->info("{} {} {} {} {} B {:.2f} ms", addr, loggable(method), loggable(target), status, bytes, ms);
}

// ---- what the server knows of the request being answered on this connection thread

struct Exchange {
  Clock::time_point start = Clock::now();
  std::string addr;
  std::string range, if_range;  // taken out of the head: ranges are answered here
  bool site_answered = false;   // false: httplib answered by itself (an error of its own)
};
thread_local Exchange* t_exchange = nullptr;

// Byte ranges make sense on bytes that stay the same: the embedded assets and the exports.
bool byte_ranges(std::string_view path) {
  return path.starts_with("/assets/") || path == "/favicon.ico" || path.starts_with("/api/v1/export/");
}

// Sign-ins hash a password (PBKDF2, slow on purpose): they have threads of their own.
bool is_sign_in(const Request& r) { return r.method == "POST" && r.path == "/login"; }

// ---- connections: per client address, and the idle ones that can make way

class Connections {
 public:
  Connections(std::size_t max_open, std::size_t per_address)
      : short_at_(std::max<std::size_t>(1, max_open * 3 / 4)), per_address_(std::max<std::size_t>(1, per_address)) {}

  // An idle keep-alive connection, waiting for its next request. relieve() may close it
  // (shutdown, which wakes its thread) until it is claimed back.
  struct Idle {
    socket_t fd = INVALID_SOCKET;
    bool closed = false;
    std::list<Idle*>::iterator at;
  };

  // False when `addr` already holds its share of the connections.
  bool admit(const std::string& addr) {
    std::lock_guard lock(mutex_);
    auto& n = by_address_[addr];
    if (n >= per_address_) {
      if (n == 0) by_address_.erase(addr);
      return false;
    }
    ++n;
    if (++open_ > short_at_) relieve_locked(open_ - short_at_);
    return true;
  }
  void leave(const std::string& addr) {
    std::lock_guard lock(mutex_);
    --open_;
    const auto it = by_address_.find(addr);
    if (it != by_address_.end() && --it->second == 0) by_address_.erase(it);
  }
  // Near the limit: idle connections wait less for their next request.
  bool short_of_connections() const {
    std::lock_guard lock(mutex_);
    return open_ >= short_at_;
  }
  void go_idle(Idle& i) {
    std::lock_guard lock(mutex_);
    i.at = idle_.insert(idle_.end(), &i);
  }
  // False when the connection was closed meanwhile to make way.
  bool claim(Idle& i) {
    std::lock_guard lock(mutex_);
    if (i.closed) return false;
    idle_.erase(i.at);
    return true;
  }
  // Closes up to `n` idle connections, the longest idle first.
  void relieve(std::size_t n) {
    std::lock_guard lock(mutex_);
    relieve_locked(n);
  }
  void close_idle() { relieve(std::numeric_limits<std::size_t>::max()); }

 private:
  void relieve_locked(std::size_t n) {
    for (; n > 0 && !idle_.empty(); --n) {
      Idle* i = idle_.front();
      idle_.pop_front();
      i->closed = true;
      ::shutdown(i->fd, SHUT_RDWR);  // under the lock: its thread closes the fd only after claim()
    }
  }

  const std::size_t short_at_, per_address_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::size_t> by_address_;
  std::size_t open_ = 0;
  std::list<Idle*> idle_;  // oldest first
};

// cpp-httplib serves a keep-alive connection on one thread until the connection closes, so
// with a fixed pool smaller than the open connections the others sit in the queue
// unanswered, for seconds. Here a connection that finds no idle thread gets a new one (up
// to `max`); threads beyond `keep` end after a minute without work. When all `max` are busy,
// `make_way` is asked to close as many idle keep-alive connections as connections wait.
class ConnectionThreads : public httplib::TaskQueue {
 public:
  ConnectionThreads(std::size_t keep, std::size_t max, std::function<void(std::size_t)> make_way)
      : keep_(std::max<std::size_t>(1, keep)), max_(std::max(keep_, max)), make_way_(std::move(make_way)) {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < keep_; ++i) start();
  }
  ~ConnectionThreads() override { shutdown(); }

  void enqueue(std::function<void()> fn) override {
    std::list<Worker> finished;
    std::size_t waiting = 0;
    {
      std::lock_guard lock(mutex_);
      finished.splice(finished.end(), finished_);
      jobs_.push_back(std::move(fn));
      if (idle_ < jobs_.size() && workers_.size() < max_) start();
      if (idle_ < jobs_.size() && workers_.size() >= max_) waiting = jobs_.size() - idle_;
    }
    cond_.notify_one();
    if (waiting > 0 && make_way_) make_way_(waiting);
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
    const auto now = Clock::now();
    if (now - last_trim_ < std::chrono::seconds(1)) return;
    last_trim_ = now;
    lock.unlock();
    malloc_trim(0);
    lock.lock();
  }

  const std::size_t keep_, max_;
  std::function<void(std::size_t)> make_way_;
  Clock::time_point last_trim_{};
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
// hands the answer back); when idle, two. Sign-ins have Workers of their own, fewer, at a
// lower priority and with a bounded queue.
class Workers {
 public:
  // nice: added to the threads' nice value; max_waiting: requests queued beyond it are not
  // taken (0: no bound).
  Workers(std::size_t count, int nice, std::size_t max_waiting, std::function<Response(const Request&)> run)
      : count_(std::max<std::size_t>(1, count)), nice_(nice), max_waiting_(max_waiting), run_(std::move(run)) {}
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

  // Blocks until a worker has answered; rethrows what the handler threw. nullopt when
  // max_waiting requests already wait.
  std::optional<Response> answer(const Request& req) {
    Job job;
    job.req = &req;
    {
      std::lock_guard lock(mutex_);
      if (max_waiting_ > 0 && queue_.size() >= max_waiting_) return std::nullopt;
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
    if (nice_ != 0) setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice_);
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
  const int nice_;
  const std::size_t max_waiting_;
  std::function<Response(const Request&)> run_;
  std::mutex mutex_;
  std::condition_variable has_job_;
  std::deque<Job*> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// ---- one connection's socket: what has arrived and not been read yet, and deadlines

struct Peer {
  std::string ip, local_ip;
  int port = 0, local_port = 0;
};

Peer peer_of(socket_t fd) {
  Peer p;
  auto name = [](const sockaddr_storage& a, std::string& ip, int& port) {
    char buf[INET6_ADDRSTRLEN] = "";
    if (a.ss_family == AF_INET) {
      const auto& v4 = reinterpret_cast<const sockaddr_in&>(a);
      inet_ntop(AF_INET, &v4.sin_addr, buf, sizeof buf);
      port = ntohs(v4.sin_port);
    } else if (a.ss_family == AF_INET6) {
      const auto& v6 = reinterpret_cast<const sockaddr_in6&>(a);
      inet_ntop(AF_INET6, &v6.sin6_addr, buf, sizeof buf);
      port = ntohs(v6.sin6_port);
    }
    ip = buf;
  };
  sockaddr_storage a{};
  socklen_t len = sizeof a;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) name(a, p.ip, p.port);
  len = sizeof a;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) name(a, p.local_ip, p.local_port);
  return p;
}

class Conn {
 public:
  Conn(socket_t fd, const std::atomic<socket_t>& listening) : fd_(fd), listening_(listening) {}
  socket_t fd() const { return fd_; }
  std::string& buffer() { return buf_; }
  bool stopping() const { return listening_ == INVALID_SOCKET; }

  enum class Got { more, closed, timeout };
  // Receives what has arrived (up to 16 kB) into the buffer, waiting until `deadline`.
  Got receive(Clock::time_point deadline) {
    if (!wait(POLLIN, deadline)) return stopping() ? Got::closed : Got::timeout;
    char chunk[16384];
    for (;;) {
      const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n > 0) {
        buf_.append(chunk, static_cast<std::size_t>(n));
        return Got::more;
      }
      if (n < 0 && errno == EINTR) continue;
      return Got::closed;
    }
  }
  // A byte of a next request is buffered or arrives within `wait`.
  bool await(Clock::duration wait) {
    if (!buf_.empty()) return true;
    return receive(Clock::now() + wait) == Got::more;
  }
  // What the Stream reads: the buffer first, then the socket, until `deadline`.
  ssize_t read(char* out, std::size_t n, Clock::time_point deadline) {
    if (buf_.empty() && receive(deadline) != Got::more) return -1;
    const std::size_t k = std::min(n, buf_.size());
    std::memcpy(out, buf_.data(), k);
    buf_.erase(0, k);
    return static_cast<ssize_t>(k);
  }
  // Drops `n` bytes of the request (a body nobody reads) as they arrive.
  bool skip(std::uint64_t n, Clock::time_point deadline) {
    while (n > 0) {
      if (buf_.empty() && receive(deadline) != Got::more) return false;
      const auto k = std::min<std::uint64_t>(n, buf_.size());
      buf_.erase(0, static_cast<std::size_t>(k));
      n -= k;
    }
    return true;
  }
  bool write_all(const char* p, std::size_t n, Clock::duration timeout) {
    const auto deadline = Clock::now() + timeout;
    while (n > 0) {
      if (!wait(POLLOUT, deadline)) return false;
      const auto k = ::send(fd_, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (k < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (k <= 0) return false;
      p += k;
      n -= static_cast<std::size_t>(k);
    }
    return true;
  }
  // After a refusal: the client may still be sending, and closing on unread bytes resets
  // the connection, which can destroy the answer before the client reads it. So: no more
  // writes, and what still arrives is read and dropped for a moment (at most 1 MB, 500 ms).
  void linger() {
    ::shutdown(fd_, SHUT_WR);
    const auto deadline = Clock::now() + milliseconds(500);
    std::size_t dropped = 0;
    while (dropped < (1u << 20)) {
      buf_.clear();
      if (receive(deadline) != Got::more) break;
      dropped += buf_.size();
    }
  }

 private:
  // Polls in slices, so that a stopping server is noticed within 100 ms.
  bool wait(short events, Clock::time_point deadline) {
    for (;;) {
      if (stopping()) return false;
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return false;
      pollfd p{fd_, events, 0};
      const int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 100)));
      if (r > 0) return true;  // ready, or an error the next recv/send reports
      if (r < 0 && errno != EINTR) return false;
    }
  }

  socket_t fd_;
  const std::atomic<socket_t>& listening_;
  std::string buf_;
};

// What httplib reads a request from and writes its answer to: the checked head, then the
// connection (its buffer, then the socket) until the request's deadline.
class FrontStream final : public httplib::Stream {
 public:
  FrontStream(Conn& conn, std::string head, Clock::time_point deadline, Clock::duration write_timeout, const Peer& peer)
      : conn_(conn), head_(std::move(head)), deadline_(deadline), write_timeout_(write_timeout), peer_(peer) {}

  // As httplib's SocketStream: true once there is something to read, waiting until the
  // request's deadline.
  bool is_readable() const override {
    return at_ < head_.size() || !conn_.buffer().empty() || conn_.receive(deadline_) == Conn::Got::more;
  }
  bool is_writable() const override { return true; }  // write() waits, bounded
  ssize_t read(char* ptr, size_t size) override {
    if (at_ < head_.size()) {
      const std::size_t k = std::min(size, head_.size() - at_);
      std::memcpy(ptr, head_.data() + at_, k);
      at_ += k;
      return static_cast<ssize_t>(k);
    }
    return conn_.read(ptr, size, deadline_);
  }
  ssize_t write(const char* ptr, size_t size) override {
    return conn_.write_all(ptr, size, write_timeout_) ? static_cast<ssize_t>(size) : -1;
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = peer_.ip;
    port = peer_.port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = peer_.local_ip;
    port = peer_.local_port;
  }
  socket_t socket() const override { return conn_.fd(); }

 private:
  Conn& conn_;
  std::string head_;
  std::size_t at_ = 0;
  Clock::time_point deadline_;
  Clock::duration write_timeout_;
  const Peer& peer_;
};

const char* reason_phrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Error";
  }
}

// Methods whose body httplib reads (it reads until the connection closes when they have
// no Content-Length, so those get "Content-Length: 0", their length under RFC 9112).
bool library_reads_body(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE" || method == "PRI";
}

// cpp-httplib's server with the connections served as the file's header says.
class HttpServer : public httplib::Server {
 public:
  explicit HttpServer(const Config& c)
      : c_(c),
        connections_(static_cast<std::size_t>(std::max(c.threads, c.max_connections)),
                     static_cast<std::size_t>(std::max(1, c.max_connections_per_address))) {}
  socket_t listening_socket() const { return svr_sock_; }
  Connections& connections() { return connections_; }

 private:
  bool process_and_close_socket(socket_t sock) override {
    if (serve(sock)) {
      Conn(sock, svr_sock_).linger();
    }
    ::close(sock);
    return true;
  }

  // Serves the requests of one connection; true when it ends on a refusal (linger first).
  bool serve(socket_t sock) {
    const Peer peer = peer_of(sock);
    Conn conn(sock, svr_sock_);
    if (!connections_.admit(peer.ip)) {
      // No lingering here: the connection holds no slot of its address, and lingering
      // would let that address hold threads after all.
      Exchange ex;
      ex.addr = peer.ip;
      refuse(conn, ex, 503, "too many connections from your address (at most " + std::to_string(c_.max_connections_per_address) + ")");
      return false;
    }
    struct Leave {
      Connections& c;
      const std::string& addr;
      ~Leave() { c.leave(addr); }
    } leave{connections_, peer.ip};
    for (int served = 0; served < c_.keep_alive_max; ++served) {
      if (conn.buffer().empty()) {
        Connections::Idle idle;
        idle.fd = sock;
        connections_.go_idle(idle);
        const auto wait = connections_.short_of_connections() ? c_.keep_alive_timeout / 10 : c_.keep_alive_timeout;
        const bool ready = conn.await(served == 0 ? c_.request_timeout : Clock::duration(wait));
        if (!connections_.claim(idle) || !ready) return false;
      }
      Exchange ex;
      ex.addr = peer.ip;
      const auto deadline = ex.start + c_.request_timeout;
      HeadScan scan;
      for (;;) {
        scan_head(conn.buffer(), c_.max_header_lines, c_.max_header_bytes, scan);
        if (scan.state != HeadScan::State::incomplete) break;
        const auto got = conn.receive(deadline);
        if (got == Conn::Got::more) continue;
        const bool nothing = !scan.in_head;
        if (got == Conn::Got::closed) {
          if (nothing || conn.stopping()) return false;
          return refuse(conn, ex, 400, "the connection was closed in the middle of the request's headers");
        }
        return refuse(conn, ex, 408,
                      "the request line and headers did not arrive within " + std::to_string(c_.request_timeout.count()) + " ms");
      }
      if (scan.state == HeadScan::State::too_large) return refuse(conn, ex, 431, scan.why);
      if (scan.state == HeadScan::State::malformed) return refuse(conn, ex, 400, scan.why);
      RequestHead head;
      if (auto no = parse_head(std::string_view(conn.buffer()).substr(scan.start, scan.end - scan.start), head))
        return refuse(conn, ex, no->status, no->why);
      conn.buffer().erase(0, scan.end);
      if (head.content_length && *head.content_length > c_.max_body_bytes)
        return refuse(conn, ex, 413, "Request body too large (at most " + std::to_string(c_.max_body_bytes) + " bytes)");
      const bool body = library_reads_body(head.method);
      if (!body && head.chunked) return refuse(conn, ex, 400, "a chunked body on a " + head.method + " request");
      // A body on a GET means nothing here: dropped, so it cannot pass for the next request.
      if (!body && head.content_length && !conn.skip(*head.content_length, deadline))
        return refuse(conn, ex, 408, "the request body did not arrive in time");

      FrontStream stream(conn, for_library(head, body, ex), deadline, c_.write_timeout, peer);
      const bool last = served + 1 == c_.keep_alive_max || conn.stopping();
      bool client_closes = false;
      t_exchange = &ex;
      const bool ok = process_request(stream, last, client_closes, nullptr);
      t_exchange = nullptr;
      // After an error httplib answered itself (a malformed request line, a body too large
      // while read) it may not have read the whole request: the rest is not a request.
      if (!ok || client_closes || last || !ex.site_answered) return !ex.site_answered && ok;
    }
    return false;
  }

  // The head httplib reads: the checked one, without Range and If-Range (answered here),
  // without Accept-Encoding when a range is asked for (a slice is of the plain bytes), and
  // with "Content-Length: 0" when a body method has no length.
  static std::string for_library(const RequestHead& head, bool body, Exchange& ex) {
    std::string out = head.method + " " + head.target + " " + head.version + "\r\n";
    const bool ranged = !head.field("range").empty();
    for (const auto& [name, v] : head.fields) {
      const std::string k = name;
      auto is = [&k](std::string_view lower) { return base::ascii_iequals(k, lower); };
      if (is("range")) {
        ex.range = v;
      } else if (is("if-range")) {
        ex.if_range = v;
      } else if ((is("accept-encoding") && ranged) || (is("content-length") && !body)) {
        // left out
      } else {
        out += k + ": " + v + "\r\n";
      }
    }
    if (body && !head.content_length && !head.chunked) out += "Content-Length: 0\r\n";
    return out + "\r\n";
  }

  // Answers `status` with `why` and ends the connection; true (the caller lingers).
  bool refuse(Conn& conn, const Exchange& ex, int status, const std::string& why) {
    const std::string body = why + "\n";
    const std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) +
                            "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + std::to_string(body.size()) +
                            "\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n" + body;
    (void)conn.write_all(out.data(), out.size(), c_.write_timeout);
    if (c_.log_requests) log_request(ex.addr, "-", "-", status, body.size(), ex.start);
    return true;
  }

  const Config& c_;
  Connections connections_;
};

}  // namespace

struct Server::Impl {
  const int malloc_arenas;  // first: before any thread of the server allocates
  Config config;
  // Made by bind(), once the port is known: a default base URL names it.
  std::optional<Site> site;
  // Before http: the connection threads wait on the workers, so the workers go last.
  Workers workers;
  Workers sign_ins;
  HttpServer http;
  int port = 0;

  explicit Impl(Config c)
      : malloc_arenas(limit_malloc_arenas(c.malloc_arenas)),
        config(std::move(c)),
        workers(static_cast<std::size_t>(config.max_active_requests > 0 ? config.max_active_requests
                                                                        : std::max(4, 2 * cores())),
                0, 0, [this](const Request& req) { return site->handle(req); }),
        // Below the pages' priority: pages first, sign-ins with what CPU is left.
        sign_ins(static_cast<std::size_t>(std::max(1, config.sign_in_threads)), 10,
                 static_cast<std::size_t>(std::max(1, config.max_waiting_sign_ins)),
                 [this](const Request& req) { return site->handle(req); }),
        http(config) {}

  void handle(const httplib::Request& in, httplib::Response& out) {
    Exchange* ex = t_exchange;
    if (ex) ex->site_answered = true;
    Request req;
    req.method = in.method;
    req.path = in.path;
    req.remote_addr = in.remote_addr;
    for (const auto& [k, v] : in.params) req.query.emplace(k, v);
    for (const auto& [k, v] : in.headers) {
      req.headers[base::ascii_lower(k)] = v;
    }
    if (in.method == "POST") {
      // Forms arrive url-encoded: read them from the body, and keep the query string apart.
      req.query.clear();
      const auto q = in.target.find('?');
      if (q != std::string::npos) req.query = parse_query(std::string_view(in.target).substr(q + 1));
      if (req.header("content-type").rfind("application/x-www-form-urlencoded", 0) == 0) req.form = parse_query(in.body);
    }
    std::optional<Response> answer = is_sign_in(req) ? sign_ins.answer(req) : workers.answer(req);
    Response r = answer ? std::move(*answer)
                        : text_busy("Too many sign-ins are being checked at once; try again in a few seconds.");
    const bool ranges = byte_ranges(req.path);
    if (ranges && ex && (req.method == "GET" || req.method == "HEAD"))
      apply_range(ex->range, ex->if_range, config.max_ranges, "hrtrack-" + random_hex(12), r);
    r.headers.emplace_back("Accept-Ranges", ranges ? "bytes" : "none");
    out.status = r.status;
    for (const auto& [k, v] : r.headers) out.set_header(k, v);
    if (r.status == 304) {
      out.body.clear();
    } else {
      out.set_content(std::move(r.body), r.content_type);
    }
  }

  static Response text_busy(std::string message) {
    Response r;
    r.status = 503;
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::move(message) + "\n";
    r.headers.emplace_back("Retry-After", "5");
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
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
  // The deadlines themselves are kept by the connection (HttpServer::serve); httplib's
  // read and write timeouts are not used by its Stream.
  http.set_keep_alive_max_count(static_cast<size_t>(std::max(1, c.keep_alive_max)));
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
  http.new_task_queue = [this, threads, max_threads] {
    return new ConnectionThreads(threads, max_threads, [this](std::size_t n) { impl_->http.connections().relieve(n); });
  };
  // Every answer httplib writes, the Site's and its own errors: one line each.
  const bool log = c.log_requests;
  http.set_logger([log](const httplib::Request& req, const httplib::Response& res) {
    const Exchange* ex = t_exchange;
    if (log && ex) log_request(ex->addr, req.method, req.target, res.status, res.body.size(), ex->start);
  });
  // Site::handle catches everything; this is the last line should httplib itself throw.
  http.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    serve_logger()->error("{} {}: internal error: {}", loggable(req.method), loggable(req.path), what);
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

Site& Server::site() { return *impl_->site; }

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
  if (!impl_->site) {
    Config site_config = c;
    site_config.port = impl_->port;
    if (site_config.base_url.empty()) site_config.base_url = public_base(site_config);
    impl_->site.emplace(std::move(site_config));
  }
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
    impl_->site->warm_up(stop);
  });
  impl_->workers.start();
  impl_->sign_ins.start();
  impl_->http.listen_after_bind();
  impl_->workers.stop();  // after httplib has closed every connection: none waits for them
  impl_->sign_ins.stop();
  stop = true;
  prepare.join();
}

void Server::stop() {
  if (impl_->http.is_running()) {
    impl_->http.stop();
    impl_->http.connections().close_idle();
  }
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
        serve_logger()->warn("stopping (signal {})...", sig);
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
