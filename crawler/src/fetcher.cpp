#include "fetcher.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <random>

#include <arpa/inet.h>
#include <sys/socket.h>

#include "ascii.hpp"
#include "hrtrack/crawler/address.hpp"
#include "hrtrack/crawler/robots.hpp"

namespace hrtrack::crawler {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

namespace {

struct EasyDeleter {
  void operator()(CURL* e) const { curl_easy_cleanup(e); }
};
struct MultiDeleter {
  void operator()(CURLM* m) const { curl_multi_cleanup(m); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;
using Multi = std::unique_ptr<CURLM, MultiDeleter>;
using HeaderList = std::unique_ptr<curl_slist, ListDeleter>;

// robots.txt beyond this is ignored (RFC 9309 asks crawlers to read at least 500 KiB).
constexpr std::size_t kRobotsCap = 512 * 1024;
// RFC 9309 2.3.1.2: at least five redirects are followed for robots.txt.
constexpr std::size_t kRobotsRedirects = 5;

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// A body as it arrives, in pieces of at most kPiece: growing it never copies what has
// arrived. (A string doubling its capacity held the old buffer and the new one at once: a
// decompression bomb stopped at a 64 MB cap had taken 133 MB.)
class Body {
 public:
  std::size_t size() const { return size_; }
  void append(const char* data, std::size_t n) {
    while (n > 0) {
      if (pieces_.empty() || pieces_.back().size() == kPiece) {
        pieces_.emplace_back();
        // The first piece starts small (most bodies are): it grows within kPiece.
        pieces_.back().reserve(pieces_.size() == 1 ? std::min(kPiece, std::max<std::size_t>(n, 64 * 1024)) : kPiece);
      }
      std::string& last = pieces_.back();
      const std::size_t take = std::min(n, kPiece - last.size());
      last.append(data, take);
      data += take;
      n -= take;
      size_ += take;
    }
  }
  // The whole body as one string; each piece is freed as soon as it is copied, so this
  // holds the body and one piece, not the body twice.
  std::string take() {
    std::string out;
    if (pieces_.size() == 1) {
      out = std::move(pieces_.front());
    } else {
      out.reserve(size_);
      for (auto& piece : pieces_) {
        out += piece;
        std::string().swap(piece);
      }
    }
    pieces_.clear();
    size_ = 0;
    return out;
  }

 private:
  static constexpr std::size_t kPiece = 1u << 20;
  std::vector<std::string> pieces_;
  std::size_t size_ = 0;
};

// One queued request: a source (at one hop of its redirects), or a host's robots.txt.
struct Pending {
  Request req;
  std::string fetch_url;  // what is asked now (after host_override)
  std::string hop_url;    // the same URL as officially named: the log's, and the host rule's
  bool robots = false;
  int attempt = 0;        // every attempt of the source, over all its hops
  int tries = 0;          // attempts of this hop
  TimePoint not_before{};
  TimePoint first_start{};
  TimePoint deadline{};   // first_start + the source's budget
  bool started = false;
  std::vector<Hop> hops;  // redirects so far
  // The kind of address the source's own URL connected to, once known.
  std::optional<Reach> source_reach;
  // Set for a redirect hop (and the robots.txt asked because of one): the kind of address
  // of the source it comes from, which decides where it may connect (may_redirect).
  std::optional<Reach> limit_to;
  std::string last_problem;  // why the previous attempt failed, for an out-of-time message
};

struct Host {
  std::deque<Pending> queue;
  int active = 0;
  TimePoint next_start{};
  Clock::duration delay{};
  enum class Robots { unknown, fetching, ready } robots = Robots::unknown;
  RobotsRules rules;
  std::string robots_problem;  // why robots.txt could not be read, when it could not
};

struct Transfer {
  HeaderList headers;  // declared first: freed after the handle that points at it
  Easy easy;
  Pending p;
  Host* host = nullptr;
  Body body;
  std::size_t cap = 0;
  bool too_big = false;
  bool too_slow = false;
  std::string content_type, etag, last_modified, retry_after;
  std::optional<Reach> reached;  // the kind of address it connected to
  std::string refused;           // why the address it was to connect to was refused
  TimePoint window_start{};      // the rate window now running, and the bytes before it
  curl_off_t window_bytes = 0;   // (as received: before gzip decoding)
  char errbuf[CURL_ERROR_SIZE] = {};

  // Why this transfer may not connect to `ip`, or "".
  std::string refusal(const char* ip) const {
    if (!p.limit_to) return {};
    const Reach r = reach_of(ip);
    if (may_redirect(*p.limit_to, r)) return {};
    return "redirect to " + p.hop_url + " refused: " + std::string(ip) + " is a " + std::string(to_string(r)) +
           " address, and the source is on a " + std::string(to_string(*p.limit_to)) + " one";
  }
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t len = size * n;
  // libcurl hands us decoded bytes (after gzip), so this caps the decompressed size.
  if (t->body.size() + len > t->cap) {
    t->too_big = true;
    return 0;
  }
  t->body.append(data, len);
  return len;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::string_view line(data, size * n);
  if (line.substr(0, 5) == "HTTP/") {
    // A new response (after a 100): its headers replace the previous ones.
    t->content_type.clear(), t->etag.clear(), t->last_modified.clear(), t->retry_after.clear();
    return size * n;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  const std::string key = lower(line.substr(0, colon));
  const std::string value = trim(line.substr(colon + 1));
  if (key == "content-type") t->content_type = value;
  else if (key == "etag") t->etag = value;
  else if (key == "last-modified") t->last_modified = value;
  else if (key == "retry-after") t->retry_after = value;
  return size * n;
}

// The address check, before connecting (a refused hop never reaches the address) ...
curl_socket_t on_open_socket(void* user, curlsocktype, curl_sockaddr* a) {
  auto* t = static_cast<Transfer*>(user);
  char ip[INET6_ADDRSTRLEN] = {};
  if (a->family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&a->addr)->sin_addr, ip, sizeof ip);
  else if (a->family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&a->addr)->sin6_addr, ip, sizeof ip);
  if (auto why = t->refusal(ip); !why.empty()) {
    t->refused = std::move(why);
    return CURL_SOCKET_BAD;
  }
  return ::socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

// ... and once connected, for a connection reused from the pool too.
int on_prereq(void* user, char* ip, char*, int, int) {
  auto* t = static_cast<Transfer*>(user);
  if (auto why = t->refusal(ip); !why.empty()) {
    t->refused = std::move(why);
    return CURL_PREREQFUNC_ABORT;
  }
  t->reached = reach_of(ip);
  return CURL_PREREQFUNC_OK;
}

bool redirect_status(long s) { return s == 301 || s == 302 || s == 303 || s == 307 || s == 308; }

bool http_scheme(const std::string& url) {
  const std::string l = lower(url.substr(0, 8));
  return l.rfind("http://", 0) == 0 || l.rfind("https://", 0) == 0;
}

// Seconds a Retry-After asks for (delta-seconds or an HTTP date); -1 when absent or bad.
double retry_after_seconds(const std::string& v) {
  if (v.empty()) return -1;
  if (std::all_of(v.begin(), v.end(), ::isdigit)) return std::stod(v);
  const time_t when = curl_getdate(v.c_str(), nullptr);
  if (when < 0) return -1;
  return std::max(0.0, std::difftime(when, std::time(nullptr)));
}

bool retryable(CURLcode rc) {
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

bool retryable_status(long s) { return s == 408 || s == 429 || (s >= 500 && s <= 599); }

std::string ms(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

}  // namespace

std::string origin_of(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  const auto end = url.find_first_of("/?#", scheme_end + 3);
  return lower(url.substr(0, end));
}

std::string host_of(const std::string& url) {
  const std::string origin = origin_of(url);
  const auto scheme_end = origin.find("://");
  if (scheme_end == std::string::npos) return origin;
  std::string host = origin.substr(scheme_end + 3);
  const std::string scheme = origin.substr(0, scheme_end);
  const std::string default_port = scheme == "https" ? ":443" : scheme == "http" ? ":80" : "";
  if (!default_port.empty() && host.size() > default_port.size() && host.ends_with(default_port))
    host.resize(host.size() - default_port.size());
  return host;
}

std::string path_of(const std::string& url) {
  const auto scheme_end = url.find("://");
  const auto start = scheme_end == std::string::npos ? std::string::npos : url.find('/', scheme_end + 3);
  if (start == std::string::npos) return "/";
  const auto hash = url.find('#', start);
  return url.substr(start, hash == std::string::npos ? std::string::npos : hash - start);
}

std::string effective_url(const std::string& url, const std::map<std::string, std::string>& overrides) {
  if (overrides.empty()) return url;
  const std::string origin = origin_of(url);
  const auto scheme_end = origin.find("://");
  const std::string host = scheme_end == std::string::npos ? origin : origin.substr(scheme_end + 3);
  const auto it = overrides.find(host);
  if (it == overrides.end()) return url;
  std::string base = it->second;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + url.substr(origin.size());
}

struct Fetcher::Impl {
  const Config& config;
  Multi multi{curl_multi_init()};
  std::map<std::string, Host> hosts;
  std::map<CURL*, std::unique_ptr<Transfer>> running;
  std::vector<Easy> idle;  // handles of finished transfers, for reuse
  std::mt19937 random{std::random_device{}()};
  std::string agent;
  int outstanding = 0;

  explicit Impl(const Config& c) : config(c), agent(user_agent(c)) {
    // Not thread-safe in libcurl, so done once; never cleaned up (the process ends first).
    static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
    (void)global;
    curl_multi_setopt(multi.get(), CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(c.max_connections));
    curl_multi_setopt(multi.get(), CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(c.connections_per_host));
  }

  TimePoint now() const { return config.now(); }

  Host& host_for(const std::string& fetch_url) {
    auto [it, fresh] = hosts.try_emplace(origin_of(fetch_url));
    if (fresh) {
      it->second.delay = config.min_delay;
      if (!config.obey_robots) it->second.robots = Host::Robots::ready;
    }
    return it->second;
  }

  void enqueue(const Request& r) {
    Pending p;
    p.req = r;
    p.hop_url = r.url;
    p.fetch_url = effective_url(r.url, config.host_override);
    host_for(p.fetch_url).queue.push_back(std::move(p));
    ++outstanding;
  }

  Easy make_easy(Transfer& t) {
    // A finished transfer's handle is reused (reset to defaults when it finished): a fresh
    // one per request cost more than the request itself on a re-crawl of 304s.
    Easy e;
    if (idle.empty()) {
      e.reset(curl_easy_init());
    } else {
      e = std::move(idle.back());
      idle.pop_back();
    }
    CURL* h = e.get();
    // What is left of the source's budget bounds this attempt.
    const auto left = std::max<long long>(
        1, std::chrono::duration_cast<std::chrono::milliseconds>(t.p.deadline - now()).count());
    curl_easy_setopt(h, CURLOPT_URL, t.p.fetch_url.c_str());
    curl_easy_setopt(h, CURLOPT_PRIVATE, &t);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &t);
    curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, on_prereq);
    curl_easy_setopt(h, CURLOPT_PREREQDATA, &t);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, t.errbuf);
    curl_easy_setopt(h, CURLOPT_USERAGENT, agent.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // each hop is a request of ours
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long long>(config.connect_timeout.count(), left)));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(left));
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(t.cap));
    curl_slist* list = nullptr;
    if (!t.p.req.etag.empty()) list = curl_slist_append(list, ("If-None-Match: " + t.p.req.etag).c_str());
    if (!t.p.req.last_modified.empty())
      list = curl_slist_append(list, ("If-Modified-Since: " + t.p.req.last_modified).c_str());
    t.headers.reset(list);
    if (list) curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
    return e;
  }

  void start(Host& host, Pending p) {
    auto t = std::make_unique<Transfer>();
    if (!p.started) {
      p.first_start = now();
      p.deadline = p.first_start + config.source_budget;
      p.started = true;
    }
    ++p.attempt;
    ++p.tries;
    t->p = std::move(p);
    t->host = &host;
    t->cap = t->p.robots ? kRobotsCap : config.max_body_bytes;
    t->window_start = now();
    t->easy = make_easy(*t);
    CURL* h = t->easy.get();
    curl_multi_add_handle(multi.get(), h);
    running.emplace(h, std::move(t));
    ++host.active;
    host.next_start = now() + host.delay;
  }

  // The first pending request of a host that may start now, or end().
  std::deque<Pending>::iterator next_ready(Host& host) {
    const auto t = now();
    return std::find_if(host.queue.begin(), host.queue.end(), [&](const Pending& p) {
      return p.not_before <= t && (p.robots || host.robots == Host::Robots::ready);
    });
  }

  void add_robots_request(const std::string& origin, Host& host) {
    Pending p;
    p.robots = true;
    p.req.url = origin + "/robots.txt";
    p.fetch_url = p.hop_url = p.req.url;
    // A host first reached by a redirect: its robots.txt is asked under the same rule.
    if (!host.queue.empty()) p.limit_to = host.queue.front().limit_to;
    host.queue.push_front(std::move(p));
    host.robots = Host::Robots::fetching;
  }

  std::string out_of_time(const Pending& p) const {
    return "out of time: the source's budget of " + ms(config.source_budget) +
           " (transfers, retries and their waits) is spent" +
           (p.last_problem.empty() ? "" : " (before: " + p.last_problem + ")") + "; asked again next crawl";
  }

  void start_ready(const std::function<bool()>& may_start, const std::function<void(Response&&)>& done) {
    for (auto& [origin, host] : hosts) {
      if (host.robots == Host::Robots::unknown && !host.queue.empty()) add_robots_request(origin, host);
      while (host.active < config.connections_per_host && now() >= host.next_start &&
             static_cast<int>(running.size()) < config.max_connections) {
        auto it = next_ready(host);
        if (it == host.queue.end()) break;
        if (!it->robots && !may_start()) break;
        Pending p = std::move(*it);
        host.queue.erase(it);
        if (p.started && now() >= p.deadline) {
          std::string why = out_of_time(p);
          if (p.robots) no_robots(host, std::move(why));
          else fail(std::move(p), 0, std::move(why), done);
          continue;
        }
        if (!p.robots && !host.rules.allowed(path_of(p.fetch_url))) {
          fail(std::move(p), 0,
               host.robots_problem.empty() ? "disallowed by robots.txt of " + origin
                                           : "robots.txt of " + origin + " unreachable (" + host.robots_problem +
                                                 "): the host is not crawled (RFC 9309)",
               done);
          continue;
        }
        start(host, std::move(p));
      }
    }
  }

  void fail(Pending p, int status, std::string why, const std::function<void(Response&&)>& done) {
    Response r;
    r.index = p.req.index;
    r.url = p.req.url;
    r.fetched_url = p.fetch_url;
    r.status = status;
    r.attempts = p.attempt;
    r.hops = std::move(p.hops);
    r.error = std::move(why);
    if (p.started) r.seconds = std::chrono::duration<double>(now() - p.first_start).count();
    --outstanding;
    done(std::move(r));
  }

  Clock::duration backoff(int attempt, double retry_after) {
    const double base = static_cast<double>(config.backoff_base.count()) * std::pow(2.0, attempt - 1);
    const double capped = std::min(base, static_cast<double>(config.backoff_max.count()));
    const double jittered = capped * std::uniform_real_distribution<double>(0.5, 1.0)(random);
    const double wait_ms = std::max(jittered, retry_after * 1000.0);
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::milli>(wait_ms));
  }

  // The attempt ran into the end of the source's budget (curl's timeout is what was left).
  bool budget_spent(const Transfer& t, CURLcode rc) const {
    return rc == CURLE_OPERATION_TIMEDOUT && !t.too_slow && now() + std::chrono::milliseconds(20) >= t.p.deadline;
  }

  // Why a finished transfer failed, or "" when it succeeded (2xx, 304, or a redirect).
  std::string failure(const Transfer& t, CURLcode rc, long status) const {
    if (!t.refused.empty()) return t.refused;
    if (t.too_big)
      return "body larger than " + std::to_string(t.cap) + " bytes (after decompression): aborted";
    if (t.too_slow)
      return "body slower than " + std::to_string(config.min_bytes_per_second) + " bytes/s over " +
             ms(config.rate_window) + ": aborted";
    if (rc == CURLE_FILESIZE_EXCEEDED)
      return "body larger than " + std::to_string(t.cap) + " bytes (Content-Length): refused";
    if (budget_spent(t, rc)) return out_of_time(t.p);
    if (rc != CURLE_OK) {
      std::string why = std::string(curl_easy_strerror(rc));
      if (t.errbuf[0]) why += ": " + std::string(t.errbuf);
      return why;
    }
    if (status == 304 || (status >= 200 && status <= 299) || redirect_status(status)) return {};
    return "HTTP " + std::to_string(status);
  }

  void no_robots(Host& host, std::string why) {
    host.robots = Host::Robots::ready;
    host.rules = RobotsRules::disallow_all();
    host.robots_problem = std::move(why);
  }

  void robots_done(Transfer& t, CURLcode rc, long status) {
    Host& host = *t.host;
    host.robots = Host::Robots::ready;
    if ((rc == CURLE_OK || t.too_big) && status >= 200 && status <= 299) {
      host.rules = RobotsRules::parse(t.body.take(), "hrtrack");
      if (auto d = host.rules.crawl_delay_seconds()) {
        const auto wanted = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(*d));
        host.delay = std::max<Clock::duration>(config.min_delay, std::min<Clock::duration>(wanted, config.max_crawl_delay));
      }
    } else if (rc == CURLE_OK && ((status >= 400 && status <= 499) || redirect_status(status))) {
      // RFC 9309: "unavailable" (and a redirect we do not follow) means no rules.
      host.rules = RobotsRules::allow_all();
    } else {
      no_robots(host, failure(t, rc, status));
    }
  }

  // The official name of where a redirect sends us: a URL on a host_override base is named
  // by the official host it stands for (the current hop's, else one the source lists).
  std::string official_of(const std::string& location, const Pending& p) const {
    const std::string at = origin_of(location);
    const std::string rest = location.substr(at.size());
    if (at == origin_of(p.fetch_url)) return origin_of(p.hop_url) + rest;
    const std::string scheme = p.hop_url.substr(0, p.hop_url.find("://"));
    std::string named;
    for (const auto& [host, base] : config.host_override) {
      if (origin_of(base) != at) continue;
      const bool listed = std::find(p.req.redirect_hosts.begin(), p.req.redirect_hosts.end(), host) !=
                          p.req.redirect_hosts.end();
      if (named.empty() || listed) named = host;
      if (listed) break;
    }
    return named.empty() ? location : scheme + "://" + named + rest;
  }

  // Where a redirect of `p` to `location` may not go, or "".
  std::string hop_refusal(const Pending& p, const std::string& location, const std::string& official) const {
    if (location.empty()) return "HTTP redirect without a Location";
    if (!http_scheme(location)) return "redirect to '" + location + "' refused: http and https only";
    const std::string to = host_of(official), own = host_of(p.req.url);
    if (to == own || std::find(p.req.redirect_hosts.begin(), p.req.redirect_hosts.end(), to) != p.req.redirect_hosts.end())
      return {};
    return "redirect to " + official + " refused: it leaves the source's host " + own + " (list " + to +
           " in the source's redirect_hosts to follow it)";
  }

  // A 3xx: the next hop is queued at the host it goes to (its robots.txt, its politeness),
  // or the source fails saying why it may not go there.
  void redirect(Transfer& t, long status, const std::string& location, const std::function<void(Response&&)>& done) {
    Pending p = std::move(t.p);
    const std::string official = location.empty() ? std::string() : official_of(location, p);
    p.hops.push_back({p.hop_url, static_cast<int>(status), location,
                      std::chrono::duration<double>(now() - p.first_start).count()});
    const std::size_t limit = p.robots ? kRobotsRedirects : static_cast<std::size_t>(std::max(0L, config.max_redirects));
    std::string why = hop_refusal(p, location, official);
    if (why.empty() && p.hops.size() > limit)
      why = "more than " + std::to_string(limit) + " redirects: stopped at " + official;
    if (p.robots) {
      // robots.txt is followed within its host only; anywhere else it is "unavailable".
      if (!why.empty() || host_of(official) != host_of(p.hop_url)) {
        t.host->robots = Host::Robots::ready;
        t.host->rules = RobotsRules::allow_all();
        return;
      }
    } else if (!why.empty()) {
      fail(std::move(p), static_cast<int>(status), std::move(why), done);
      return;
    }
    p.limit_to = p.source_reach.value_or(Reach::public_internet);
    p.hop_url = official;
    p.fetch_url = effective_url(official, config.host_override);
    p.tries = 0;
    p.not_before = {};
    (p.robots ? *t.host : host_for(p.fetch_url)).queue.push_front(std::move(p));
  }

  void finish(CURL* h, CURLcode rc, const std::function<void(Response&&)>& done) {
    auto node = running.extract(h);
    Transfer& t = *node.mapped();
    curl_multi_remove_handle(multi.get(), h);
    --t.host->active;
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    std::string location;
    if (char* to = nullptr; redirect_status(status) && curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &to) == CURLE_OK && to)
      location = to;
    // Reset at once, so the idle handle keeps no pointer into this Transfer.
    curl_easy_reset(h);
    idle.push_back(std::move(t.easy));  // `h` stays valid
    if (!t.p.limit_to && t.reached) t.p.source_reach = t.reached;  // the source's own address
    const std::string why = failure(t, rc, status);
    if (why.empty() && redirect_status(status)) return redirect(t, status, location, done);
    const bool transient = t.refused.empty() && !t.too_big && !budget_spent(t, rc) &&
                           (t.too_slow || (rc != CURLE_OK ? retryable(rc) : retryable_status(status)));
    if (!why.empty() && transient && t.p.tries <= config.retries) {
      const double after = status == 429 || status == 503 ? retry_after_seconds(t.retry_after) : -1;
      const auto wait = backoff(t.p.tries, after);
      if (now() + wait > t.p.deadline) {
        const std::string waiting = after >= 0 ? "Retry-After " + t.retry_after + " s" : "the next retry";
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(t.p.deadline - now());
        finish_source(t, status, why + ": " + waiting + " is beyond the source's budget (" + ms(left) + " of " +
                                     ms(config.source_budget) + " left); asked again next crawl",
                      done);
        return;
      }
      Pending p = std::move(t.p);
      p.not_before = now() + wait;
      p.last_problem = why;
      t.host->queue.push_front(std::move(p));
      return;
    }
    if (t.p.robots) {
      robots_done(t, rc, status);
      return;
    }
    finish_source(t, status, why.empty() || !transient ? why : why + " (after " + std::to_string(t.p.attempt) + " attempts)", done);
  }

  void finish_source(Transfer& t, long status, std::string why, const std::function<void(Response&&)>& done) {
    if (t.p.robots) {
      no_robots(*t.host, std::move(why));
      return;
    }
    Response r;
    r.index = t.p.req.index;
    r.url = t.p.req.url;
    r.fetched_url = t.p.fetch_url;
    r.status = static_cast<int>(status);
    r.attempts = t.p.attempt;
    r.hops = std::move(t.p.hops);
    r.seconds = std::chrono::duration<double>(now() - t.p.first_start).count();
    r.error = std::move(why);
    r.content_type = std::move(t.content_type);
    r.etag = std::move(t.etag);
    r.last_modified = std::move(t.last_modified);
    if (r.error.empty()) r.body = t.body.take();
    --outstanding;
    done(std::move(r));
  }

  void drain(const std::function<void(Response&&)>& done) {
    int left = 0;
    while (CURLMsg* m = curl_multi_info_read(multi.get(), &left))
      if (m->msg == CURLMSG_DONE) finish(m->easy_handle, m->data.result, done);
  }

  // Ends the transfers whose body fell below the minimum rate over the last window. The rate
  // is that of the bytes on the wire: a compressed body decodes in bursts.
  void check_pace(const std::function<void(Response&&)>& done) {
    if (config.min_bytes_per_second <= 0 || config.rate_window.count() <= 0) return;
    const auto t0 = now();
    const double needed = static_cast<double>(config.min_bytes_per_second) *
                          std::chrono::duration<double>(config.rate_window).count();
    std::vector<CURL*> slow;
    for (auto& [h, t] : running) {
      if (t0 - t->window_start < config.rate_window) continue;
      curl_off_t received = 0;
      curl_easy_getinfo(h, CURLINFO_SIZE_DOWNLOAD_T, &received);
      if (static_cast<double>(received - t->window_bytes) < needed) {
        t->too_slow = true;
        slow.push_back(h);
      } else {
        t->window_start = t0;
        t->window_bytes = received;
      }
    }
    for (CURL* h : slow) finish(h, CURLE_OPERATION_TIMEDOUT, done);
  }

  // How long the loop may sleep: until the next scheduled start, at most 100 ms. While no
  // transfer may start (`blocked`: the importer's queue is full, or every connection is in
  // use), only I/O, wakeup() or the 100 ms end the wait: a zero wait would spin a core that
  // the parsers need.
  int wait_ms(bool blocked) {
    auto soonest = now() + std::chrono::milliseconds(100);
    if (blocked || static_cast<int>(running.size()) >= config.max_connections) return 100;
    for (auto& [origin, host] : hosts) {
      if (host.queue.empty() || host.active >= config.connections_per_host) continue;
      for (const auto& p : host.queue) {
        soonest = std::min(soonest, std::max(p.not_before, host.next_start));
        if (p.not_before <= host.next_start) break;  // nothing later in the queue starts sooner
      }
    }
    const auto d = std::chrono::duration_cast<std::chrono::milliseconds>(soonest - now()).count();
    return static_cast<int>(std::clamp<long long>(d, 0, 100));
  }
};

Fetcher::Fetcher(const Config& config) : impl_(std::make_unique<Impl>(config)) {}
Fetcher::~Fetcher() = default;

void Fetcher::wakeup() { curl_multi_wakeup(impl_->multi.get()); }

void Fetcher::run(const std::vector<Request>& requests, const std::function<void(Response&&)>& done,
                  const std::function<bool()>& may_start, const std::function<void()>& tick) {
  Impl& m = *impl_;
  for (const auto& r : requests) m.enqueue(r);
  while (m.outstanding > 0) {
    m.start_ready(may_start, done);
    int still = 0;
    curl_multi_perform(m.multi.get(), &still);
    m.drain(done);
    m.check_pace(done);
    if (tick) tick();
    if (m.outstanding == 0) break;
    curl_multi_poll(m.multi.get(), nullptr, 0, m.wait_ms(may_start && !may_start()), nullptr);
  }
}

}  // namespace hrtrack::crawler
