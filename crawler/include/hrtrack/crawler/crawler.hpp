#pragma once
// The crawler: fetches the registry's sources politely (libcurl multi, many hosts in
// parallel, per-host connection limit and delay, robots.txt, conditional GET, retries
// with backoff), or reads them from a mirror folder, and hands the bytes to the corpus
// Importer.
//
// Guarantees (what a user relies on):
//  - raw bytes are stored (content-addressed blob) before anything is parsed;
//  - a failed fetch, unzip, decode or parse records a failed fetch and nothing else: the
//    last good Version stays; its body is kept until the source's next body supersedes it;
//  - each source is independent: it is imported in its own transaction, then its fetch is
//    recorded (fetch log entries are committed in batches of up to 256 sources or 100 ms).
//    A crawl killed at any point and restarted re-fetches only what it had not finished
//    (finished sources answer 304 to the conditional GET; those of the lost batch are
//    simply asked again, and their versions, if new, were already committed);
//  - versions are recorded in the order the bodies arrived (for a mirror: the history
//    first, by date, then the current files), as one import after the other would.
//
// Work: the transfers run on the calling thread; bodies are stored, unzipped, decoded and
// parsed on the corpus ImportPipeline's parser threads while transfers continue, and
// recorded by its one writer thread.
// Thread safety: the Store is written from that one writer thread (parser threads only
// write blob files, through Store::write_blob); the caller must not use the Store meanwhile.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "hrtrack/corpus/store.hpp"
#include "hrtrack/crawler/archive.hpp"
#include "hrtrack/crawler/sources.hpp"

namespace hrtrack::crawler {

using Millis = std::chrono::milliseconds;

struct Config {
  // Identity: "hrtrack/0.1 (+<contact_url>)" on every request.
  std::string contact_url = "https://github.com/hrtrack/hrtrack";

  // Politeness. Defaults are those of a good citizen: one connection per host, one second
  // between requests to a host, robots.txt obeyed (its Crawl-delay raises min_delay).
  int connections_per_host = 1;
  Millis min_delay{1000};
  bool obey_robots = true;
  Millis max_crawl_delay{60'000};  // a larger Crawl-delay is capped here
  int max_connections = 32;        // over all hosts

  // Limits on each source. Its budget is all the time it may take, from its first request
  // to its last byte: transfers, retries and their backoff, Retry-After waits, redirects (not
  // the time it waits for its turn at the host). A source out of budget fails at once (it is
  // asked again next crawl), so a slow source holds its host's connection no longer than
  // this. A body must also arrive at min_bytes_per_second on average over each rate_window
  // (from the request on, so a server that never answers is caught too); a slower one fails
  // the attempt, which is retried within the budget.
  Millis connect_timeout{10'000};
  Millis source_budget{300'000};
  long min_bytes_per_second = 10'000;  // 0: no minimum
  Millis rate_window{30'000};
  // At most this much body, after gzip decoding; held in pieces while it arrives, so a
  // decompression bomb stops at the cap holding the cap, not twice it.
  std::size_t max_body_bytes = 256u << 20;
  UnzipLimits unzip;

  // Redirects are followed by the crawler itself, each hop as a request of its own: it must
  // stay on the source's host (scheme and default port aside) or go to one the source lists
  // (Source::redirect_hosts); it is checked against robots.txt and the politeness of the
  // host it goes to, and recorded in the fetch log. A hop to a loopback, private, link-local
  // or reserved address is refused unless the source itself is on an address of that kind.
  long max_redirects = 5;

  // Retries on timeouts, connection errors, 408, 429 and 5xx (never on other 4xx):
  // delay = min(backoff_max, backoff_base * 2^(attempt-1)) * jitter in [0.5, 1], at least
  // the server's Retry-After; a delay beyond what is left of the source's budget fails the
  // source at once instead of waiting.
  int retries = 3;
  Millis backoff_base{2000};
  Millis backoff_max{60'000};

  // Tests and benchmarks only: official host -> base URL ("http://127.0.0.1:8123"). The
  // official URL is still what the catalogue records. Git sources too ("file:///dir" as a
  // base reads https://host/a/b.git from /dir/a/b.git); with overrides, a remote git
  // repository on a host not listed is left out.
  std::map<std::string, std::string> host_override;

  // Offline: read each source's `mirror` file under this folder instead of its URL (a
  // history_only source has none: it is read only from its dated copies, with replay_history).
  // Git sources that are not local (file://) are left out.
  std::filesystem::path mirror;
  // With `mirror`: first the dated files of <mirror>/history (name@YYYY-MM-DD.ext, in date
  // order), each as the source whose mirror is <jurisdiction>/name.ext. Git sources, with or
  // without `mirror`: their whole history (git_source.hpp).
  bool replay_history = false;

  // How many finished transfers may wait to be parsed and recorded before new transfers
  // pause (the transfer loop then sleeps until the writer frees a place).
  int import_queue = 64;

  // Seam for tests: the time used for scheduling (delays, backoff, Retry-After).
  std::function<std::chrono::steady_clock::time_point()> now = [] {
    return std::chrono::steady_clock::now();
  };
};

// What happened to one source (or one history file) in a crawl.
struct SourceResult {
  // no_legal_text: the body parsed but holds no legal text (metadata, announcements, tables
  // only). Its bytes and validators are kept, so the next crawl gets a 304; it is read again
  // when its bytes change, or when the parsers do (corpus::kParsersRevision).
  enum class Outcome { new_version, unchanged, not_modified, stored, no_legal_text, failed };
  std::string source_id;
  std::string url;  // official URL, or mirror path
  Outcome outcome = Outcome::failed;
  int http_status = 0;
  long long bytes = 0;  // body bytes received (0 on a 304)
  int attempts = 0;
  int versions_new = 0;
  std::string error;  // one line, when failed; for no_legal_text, what the parser found
};
std::string_view to_string(SourceResult::Outcome o);

struct Progress {
  int done = 0, total = 0, failed = 0;
  long long bytes = 0;
};

struct CrawlReport {
  std::vector<SourceResult> results;  // in completion order
  int fetched = 0;       // bodies received (or mirror files read)
  int not_modified = 0;  // 304s
  int changed = 0;       // sources whose import created a version or an instrument
  int versions_new = 0;
  int failed = 0;
  int no_legal_text = 0;  // bodies that hold no legal text (counted in fetched, not failed)
  long long bytes = 0;
  double seconds = 0;
  // The raw bytes of failed fetches superseded by a newer body of their source, removed at
  // the end of the crawl (Store::sweep_failed_bodies).
  corpus::BlobSweep swept;
};

class Crawler {
 public:
  Crawler(corpus::Store& store, Config config);
  // Registers the registry's jurisdictions, then fetches (or reads) every source.
  // `progress` is called from the calling thread, often; keep it cheap.
  CrawlReport crawl(const Registry& registry,
                    const std::function<void(const Progress&)>& progress = {});

 private:
  corpus::Store& store_;
  Config config_;
};

// "hrtrack/<version> (+<contact_url>)".
std::string user_agent(const Config& c);

}  // namespace hrtrack::crawler
