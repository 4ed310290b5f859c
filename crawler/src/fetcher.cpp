#include "fetcher.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <random>

#include "hrtrack/crawler/robots.hpp"
#include "ascii.hpp"

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

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// One queued request: a source, or a host's robots.txt.
struct Pending {
  Request req;
  std::string fetch_url;
  bool robots = false;
  int attempt = 0;
  TimePoint not_before{};
  TimePoint first_start{};
  bool started = false;
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
  std::string body;
  std::size_t cap = 0;
  bool too_big = false;
  std::string content_type, etag, last_modified, retry_after;
  char errbuf[CURL_ERROR_SIZE] = {};
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
    // A new response (after a redirect or a 100): its headers replace the previous ones.
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
  else if (key == "content-length" && !value.empty() && std::all_of(value.begin(), value.end(), ::isdigit) &&
           value.size() < 19)
    // One allocation for the body instead of a doubling series (and its page faults); a
    // hint only: a gzip body decodes larger, and the cap still applies.
    t->body.reserve(std::min<std::size_t>(std::stoull(value), t->cap));
  return size * n;
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
    curl_easy_setopt(h, CURLOPT_URL, t.p.fetch_url.c_str());
    curl_easy_setopt(h, CURLOPT_PRIVATE, &t);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, t.errbuf);
    curl_easy_setopt(h, CURLOPT_USERAGENT, agent.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, config.max_redirects);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config.connect_timeout.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(config.total_timeout.count()));
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, config.low_speed_bytes);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME,
                     std::max(1L, static_cast<long>(config.low_speed_time.count() / 1000)));
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
    if (!p.started) p.first_start = now(), p.started = true;
    ++p.attempt;
    t->p = std::move(p);
    t->host = &host;
    t->cap = t->p.robots ? kRobotsCap : config.max_body_bytes;
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
    p.fetch_url = p.req.url;
    host.queue.push_front(std::move(p));
    host.robots = Host::Robots::fetching;
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

  // Why a finished transfer failed, or "" when it succeeded (2xx or 304).
  std::string failure(const Transfer& t, CURLcode rc, long status) const {
    if (t.too_big)
      return "body larger than " + std::to_string(t.cap) + " bytes (after decompression): aborted";
    if (rc == CURLE_FILESIZE_EXCEEDED)
      return "body larger than " + std::to_string(t.cap) + " bytes (Content-Length): refused";
    if (rc != CURLE_OK) {
      std::string why = std::string(curl_easy_strerror(rc));
      if (t.errbuf[0]) why += ": " + std::string(t.errbuf);
      return why;
    }
    if (status == 304 || (status >= 200 && status <= 299)) return {};
    return "HTTP " + std::to_string(status);
  }

  void robots_done(Transfer& t, CURLcode rc, long status) {
    Host& host = *t.host;
    host.robots = Host::Robots::ready;
    if ((rc == CURLE_OK || t.too_big) && status >= 200 && status <= 299) {
      host.rules = RobotsRules::parse(t.body, "hrtrack");
      if (auto d = host.rules.crawl_delay_seconds()) {
        const auto wanted = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(*d));
        host.delay = std::max<Clock::duration>(config.min_delay, std::min<Clock::duration>(wanted, config.max_crawl_delay));
      }
    } else if (rc == CURLE_OK && status >= 400 && status <= 499) {
      host.rules = RobotsRules::allow_all();  // RFC 9309: "unavailable" means no rules
    } else {
      host.rules = RobotsRules::disallow_all();
      host.robots_problem = failure(t, rc, status);
    }
  }

  void finish(CURL* h, CURLcode rc, const std::function<void(Response&&)>& done) {
    auto node = running.extract(h);
    Transfer& t = *node.mapped();
    curl_multi_remove_handle(multi.get(), h);
    --t.host->active;
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    // Reset at once, so the idle handle keeps no pointer into this Transfer.
    curl_easy_reset(h);
    idle.push_back(std::move(t.easy));  // `h` stays valid
    const std::string why = failure(t, rc, status);
    const bool transient = !t.too_big && (rc != CURLE_OK ? retryable(rc) : retryable_status(status));
    if (!why.empty() && transient && t.p.attempt <= config.retries) {
      const double after = status == 429 || status == 503 ? retry_after_seconds(t.retry_after) : -1;
      if (after * 1000.0 > static_cast<double>(config.max_retry_after.count())) {
        finish_source(t, status, why + ", Retry-After " + t.retry_after + " s exceeds the limit of " +
                                     ms(config.max_retry_after), done);
        return;
      }
      Pending p = std::move(t.p);
      p.not_before = now() + backoff(p.attempt, after);
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
      t.host->robots = Host::Robots::ready;
      t.host->rules = RobotsRules::disallow_all();
      t.host->robots_problem = why;
      return;
    }
    Response r;
    r.index = t.p.req.index;
    r.url = t.p.req.url;
    r.fetched_url = t.p.fetch_url;
    r.status = static_cast<int>(status);
    r.attempts = t.p.attempt;
    r.seconds = std::chrono::duration<double>(now() - t.p.first_start).count();
    r.error = std::move(why);
    r.content_type = std::move(t.content_type);
    r.etag = std::move(t.etag);
    r.last_modified = std::move(t.last_modified);
    if (r.error.empty()) r.body = std::move(t.body);
    --outstanding;
    done(std::move(r));
  }

  void drain(const std::function<void(Response&&)>& done) {
    int left = 0;
    while (CURLMsg* m = curl_multi_info_read(multi.get(), &left))
      if (m->msg == CURLMSG_DONE) finish(m->easy_handle, m->data.result, done);
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
    if (tick) tick();
    if (m.outstanding == 0) break;
    curl_multi_poll(m.multi.get(), nullptr, 0, m.wait_ms(may_start && !may_start()), nullptr);
  }
}

}  // namespace hrtrack::crawler
