#pragma once
// Test doubles for the crawler: an HTTP server on 127.0.0.1 that serves the legislation
// at its official paths and misbehaves on demand, a server that resets connections, and
// builders for gzip and zip bodies (libarchive, which the crawler links anyway).
#include <httplib.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "hrtrack/corpus/store.hpp"
#include "hrtrack/crawler/crawler.hpp"

namespace hrtrack::test {

struct Page {
  std::string body;
  std::string content_type = "application/xml";
  std::string etag;           // empty: none sent, If-None-Match ignored
  std::string last_modified;  // empty: none sent, If-Modified-Since ignored
};

// Decides a response itself; returns false to fall through to the normal page.
using Behaviour = std::function<bool(const httplib::Request&, httplib::Response&, int hit)>;

// One official host, served from 127.0.0.1:<port> in its own thread.
class Site {
 public:
  Site();
  ~Site();
  Site(const Site&) = delete;
  Site& operator=(const Site&) = delete;

  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void put(const std::string& path, Page page);
  void behave(const std::string& path, Behaviour b);
  void robots(const std::string& text);  // empty: 404
  void slow(int millis) { slow_ms_ = millis; }  // every response waits this long

  int hits(const std::string& path) const;
  int bodies_sent() const { return bodies_; }
  int not_modified_sent() const { return not_modified_; }
  int max_in_flight() const { return max_in_flight_; }
  std::vector<std::string> user_agents() const;
  // Arrival times (steady clock, ms) of requests for `path`: comparable across sites.
  std::vector<long long> arrivals(const std::string& path) const;

  std::atomic<bool> stopping{false};

 private:
  void handle(const httplib::Request& req, httplib::Response& res);
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::map<std::string, Page> pages_;
  std::map<std::string, std::string> gzipped_;  // each page's body, gzip-encoded
  std::map<std::string, Behaviour> behaviours_;
  std::map<std::string, int> hits_;
  std::map<std::string, std::vector<long long>> arrivals_;
  std::vector<std::string> agents_;
  std::string robots_;
  std::atomic<int> bodies_{0}, not_modified_{0}, in_flight_{0}, max_in_flight_{0}, slow_ms_{0};
};

// Accepts TCP connections and resets them at once (SO_LINGER 0).
class ResetServer {
 public:
  ResetServer();
  ~ResetServer();
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int accepted() const { return accepted_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::atomic<int> accepted_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

std::string gzip_of(const std::string& data);
// gzip of `zeros` zero bytes, made without holding them: a decompression bomb.
std::string gzip_bomb(std::size_t zeros);
// A zip with one entry per (name, bytes); sizes left unset so the reader must stream.
std::string zip_of(const std::vector<std::pair<std::string, std::string>>& entries);

// Fast, polite-enough settings for tests: no delay, a 5 s budget, short timeouts and backoff.
crawler::Config test_config();

// The catalogue's versions as (instrument id, version id, text hash), to prove that
// nothing stored was lost.
std::vector<std::string> versions_of(const corpus::Store& store);
// True when every element of `before` is in `after`.
bool only_additions(const std::vector<std::string>& before, const std::vector<std::string>& after);
// "instruments I, versions V, sections S": compared as one, so a failure shows all three.
std::string counts_of(const corpus::Store::Totals& t);

// A source on `host` at `path`, whose mirror is shared/legislation/<mirror>.
crawler::Source source_at(const std::string& id, const std::string& url, const std::string& format,
                          const std::string& language, const std::string& mirror, const std::string& jurisdiction);
crawler::Registry registry_of(std::vector<crawler::Source> sources);

// The outcome of one source in a report.
const crawler::SourceResult& result_of(const crawler::CrawlReport& r, const std::string& source_id);

}  // namespace hrtrack::test
