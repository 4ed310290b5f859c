#include "hrtrack/crawler/crawler.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "fetcher.hpp"
#include "hrtrack/corpus/clock.hpp"
#include "ingest.hpp"

namespace hrtrack::crawler {
namespace {

namespace fs = std::filesystem;

struct Counters {
  std::atomic<int> done{0}, failed{0};
  std::atomic<long long> bytes{0};
  int total = 0;
  Progress snapshot() const { return {done.load(), total, failed.load(), bytes.load()}; }
  void count(const SourceResult& r) {
    bytes += r.bytes;
    if (r.outcome == SourceResult::Outcome::failed) ++failed;
    ++done;
  }
};

// Imports finished transfers on its own thread, so parsing never stalls the transfers;
// it is the only user of the Store while the crawl runs.
class ImportWorker {
 public:
  struct Job {
    Response response;
    std::string etag, last_modified;  // the validators the request carried
  };

  ImportWorker(corpus::Store& store, const Config& config, const std::vector<Source>& sources,
               Counters& counters, std::function<void()> on_slot_free)
      : store_(store), config_(config), sources_(sources), counters_(counters),
        on_slot_free_(std::move(on_slot_free)), thread_([this] { loop(); }) {}

  ~ImportWorker() { close(); }

  void push(Job job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    ready_.notify_one();
  }

  std::size_t queued() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return jobs_.size();
  }

  // Imports what is queued, then stops. Results are complete after this.
  std::vector<SourceResult> close() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
    }
    ready_.notify_one();
    if (thread_.joinable()) thread_.join();
    return std::move(results_);
  }

 private:
  void loop() {
    for (;;) {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [this] { return closed_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      Job job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      if (on_slot_free_) on_slot_free_();
      results_.push_back(handle(std::move(job)));
      counters_.count(results_.back());
    }
  }

  SourceResult handle(Job job) {
    Response& r = job.response;
    const Source& source = sources_[r.index];
    Fetched f;
    f.url = source.url;
    f.label = source.url;
    f.status = r.status;
    f.not_modified = r.error.empty() && r.status == 304;
    f.body = std::move(r.body);
    f.content_type = std::move(r.content_type);
    // A 304 need not repeat the validators; keep the ones that earned it for next time.
    f.etag = f.not_modified && r.etag.empty() ? job.etag : r.etag;
    f.last_modified = f.not_modified && r.last_modified.empty() ? job.last_modified : r.last_modified;
    f.seconds = r.seconds;
    f.attempts = r.attempts;
    f.error = std::move(r.error);
    f.as_of = http_date_day(f.last_modified);
    if (f.as_of.empty()) f.as_of = corpus::today_utc();
    return ingest(store_, config_, source, std::move(f));
  }

  corpus::Store& store_;
  const Config& config_;
  const std::vector<Source>& sources_;
  Counters& counters_;
  std::function<void()> on_slot_free_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Job> jobs_;
  bool closed_ = false;
  std::vector<SourceResult> results_;
  std::thread thread_;  // last: starts after every member it uses exists
};

std::string read_whole(const fs::path& p, std::string& error) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    error = p.string() + ": cannot read the mirror file";
    return {};
  }
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
}

struct HistoryFile {
  fs::path path;
  std::string date;
  std::string mirror;  // the current file it is a version of, relative to the mirror folder
};

// <mirror>/history/<dir>/<name>@<YYYY-MM-DD><ext>, oldest first.
std::vector<HistoryFile> history_files(const fs::path& mirror) {
  std::vector<HistoryFile> out;
  std::error_code ec;
  const fs::path root = mirror / "history";
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const std::string name = it->path().filename().string();
    const auto at = name.find('@');
    if (at == std::string::npos || name.size() < at + 11) continue;
    const std::string date = name.substr(at + 1, 10);
    const std::string rest = name.substr(at + 11);  // the extension(s)
    const fs::path dir = fs::relative(it->path().parent_path(), root);
    out.push_back({it->path(), date, (dir / (name.substr(0, at) + rest)).generic_string()});
  }
  std::sort(out.begin(), out.end(), [](const HistoryFile& a, const HistoryFile& b) {
    return std::tie(a.date, a.path) < std::tie(b.date, b.path);
  });
  return out;
}

SourceResult read_mirror_file(corpus::Store& store, const Config& config, const Source& source,
                              const fs::path& path, const std::string& as_of) {
  Fetched f;
  f.url = path.string();
  f.label = path.string();
  f.attempts = 1;
  f.as_of = as_of.empty() ? corpus::today_utc() : as_of;
  const auto start = std::chrono::steady_clock::now();
  f.body = read_whole(path, f.error);
  f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return ingest(store, config, source, std::move(f));
}

SourceResult orphan(const HistoryFile& h) {
  SourceResult r;
  r.source_id = h.mirror;
  r.url = h.path.string();
  r.error = h.path.string() + ": no source has mirror = \"" + h.mirror + "\"";
  return r;
}

}  // namespace

std::string_view to_string(SourceResult::Outcome o) {
  switch (o) {
    case SourceResult::Outcome::new_version: return "new-version";
    case SourceResult::Outcome::unchanged: return "unchanged";
    case SourceResult::Outcome::not_modified: return "not-modified";
    case SourceResult::Outcome::stored: return "stored";
    case SourceResult::Outcome::failed: return "failed";
  }
  return "failed";
}

std::string user_agent(const Config& c) {
  return "hrtrack/" + std::string(HRTRACK_CRAWLER_VERSION) + " (+" + c.contact_url + ")";
}

Crawler::Crawler(corpus::Store& store, Config config) : store_(store), config_(std::move(config)) {}

namespace {

void summarise(CrawlReport& report) {
  for (const auto& r : report.results) {
    report.bytes += r.bytes;
    report.versions_new += r.versions_new;
    switch (r.outcome) {
      case SourceResult::Outcome::failed: ++report.failed; break;
      case SourceResult::Outcome::not_modified: ++report.not_modified; break;
      case SourceResult::Outcome::new_version: ++report.changed, ++report.fetched; break;
      default: ++report.fetched; break;
    }
  }
}

std::vector<SourceResult> crawl_mirror(corpus::Store& store, const Config& config, const Registry& registry,
                                       const std::function<void(const Progress&)>& progress) {
  std::vector<HistoryFile> history;
  if (config.replay_history) history = history_files(config.mirror);
  std::map<std::string, const Source*> by_mirror;
  for (const auto& s : registry.sources) by_mirror[s.mirror] = &s;
  Counters counters;
  counters.total = static_cast<int>(history.size() + registry.sources.size());
  std::vector<SourceResult> out;
  auto note = [&](SourceResult r) {
    counters.count(r);
    out.push_back(std::move(r));
    if (progress) progress(counters.snapshot());
  };
  for (const auto& h : history) {
    const auto it = by_mirror.find(h.mirror);
    if (it == by_mirror.end()) note(orphan(h));
    else note(read_mirror_file(store, config, *it->second, h.path, h.date));
  }
  for (const auto& s : registry.sources)
    note(read_mirror_file(store, config, s, config.mirror / s.mirror, s.as_of));
  return out;
}

std::vector<SourceResult> crawl_network(corpus::Store& store, const Config& config, const Registry& registry,
                                        const std::function<void(const Progress&)>& progress) {
  std::vector<Request> requests;
  for (std::size_t i = 0; i < registry.sources.size(); ++i) {
    Request r;
    r.index = i;
    r.url = registry.sources[i].url;
    if (auto last = store.last_good_fetch(r.url)) r.etag = last->etag, r.last_modified = last->last_modified;
    requests.push_back(std::move(r));
  }
  std::map<std::size_t, std::pair<std::string, std::string>> validators;
  for (const auto& r : requests) validators[r.index] = {r.etag, r.last_modified};
  Counters counters;
  counters.total = static_cast<int>(requests.size());
  Fetcher fetcher(config);
  ImportWorker worker(store, config, registry.sources, counters, [&fetcher] { fetcher.wakeup(); });
  fetcher.run(
      requests,
      [&](Response&& r) {
        const auto& v = validators[r.index];
        worker.push({std::move(r), v.first, v.second});
      },
      [&] { return worker.queued() < static_cast<std::size_t>(std::max(1, config.import_queue)); },
      [&] {
        if (progress) progress(counters.snapshot());
      });
  auto results = worker.close();
  if (progress) progress(counters.snapshot());
  return results;
}

}  // namespace

CrawlReport Crawler::crawl(const Registry& registry, const std::function<void(const Progress&)>& progress) {
  const auto start = std::chrono::steady_clock::now();
  CrawlReport report;
  for (const auto& j : registry.jurisdictions) {
    if (auto st = store_.put_jurisdiction(j); !st) {
      SourceResult r;
      r.source_id = j.code;
      r.error = "jurisdiction " + j.code + ": " + st.error().message;
      report.results.push_back(std::move(r));
    }
  }
  auto results = config_.mirror.empty() ? crawl_network(store_, config_, registry, progress)
                                        : crawl_mirror(store_, config_, registry, progress);
  for (auto& r : results) report.results.push_back(std::move(r));
  summarise(report);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace hrtrack::crawler
