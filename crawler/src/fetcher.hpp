#pragma once
// The transfer engine behind Crawler: libcurl multi, politeness per host, robots.txt,
// retries, redirects hop by hop, each source's time budget. Private to the crawler; knows
// nothing of the corpus.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hrtrack/crawler/crawler.hpp"

namespace hrtrack::crawler {

struct Request {
  std::size_t index = 0;  // the caller's handle, returned in the Response
  std::string url;        // official URL
  std::string etag, last_modified;  // validators for a conditional GET, may be empty
  std::vector<std::string> redirect_hosts;  // hosts a redirect may go to besides url's own
};

// One redirect on the way to a Response: the URL asked (official), what it answered.
struct Hop {
  std::string url;
  int status = 0;
  std::string location;  // where it sent us, as the server wrote it (resolved)
  double seconds = 0;    // from the source's first request to this answer
};

struct Response {
  std::size_t index = 0;
  std::string url;          // official URL
  std::string fetched_url;  // after host_override
  int status = 0;           // last HTTP status, 0 when none
  std::string body;
  std::string content_type, etag, last_modified;
  double seconds = 0;  // from the first attempt's start to the end
  int attempts = 0;
  std::vector<Hop> hops;  // the redirects followed (or refused: the last one), in order
  std::string error;  // empty: a 2xx with a body, or a 304
};

class Fetcher {
 public:
  explicit Fetcher(const Config& config);
  ~Fetcher();
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  // Runs every request to completion (after its retries), calling `done` on this thread as
  // each finishes. New transfers start only while `may_start()` holds (back-pressure);
  // `tick()` is called on every turn of the loop.
  void run(const std::vector<Request>& requests, const std::function<void(Response&&)>& done,
           const std::function<bool()>& may_start, const std::function<void()>& tick);

  // Wakes run() from its wait; safe from any thread (the importer calls it when it frees a
  // slot in its queue).
  void wakeup();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "https://host/path" with the host replaced by its override base, if any.
std::string effective_url(const std::string& url, const std::map<std::string, std::string>& overrides);
// "https://host:port" of a URL.
std::string origin_of(const std::string& url);
// Which host a URL is on, for the redirect rule: "host" or "host:port", lower case, the
// scheme's default port left out (http://h/ and https://h/ are the same host).
std::string host_of(const std::string& url);
// The path and query of a URL ("/a/b?c"), "/" when empty.
std::string path_of(const std::string& url);

}  // namespace hrtrack::crawler
