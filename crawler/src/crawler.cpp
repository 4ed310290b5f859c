#include "hrtrack/crawler/crawler.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <set>
#include <mutex>
#include <thread>

#include "fetcher.hpp"
#include "git_crawl.hpp"
#include "hrtrack/corpus/clock.hpp"
#include "hrtrack/corpus/import.hpp"
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

// A mirror file, under the same size limit as a fetched body.
std::string read_whole(const fs::path& p, std::size_t max_bytes, std::string& error) {
  auto bytes = corpus::read_file(p, max_bytes);
  if (!bytes) {
    error = bytes.error().message + " (a mirror file)";
    return {};
  }
  return std::move(bytes).value();
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

// A network response as the ingest sees it.
Fetched fetched_of(Response&& r, const Source& source, const std::string& etag, const std::string& last_modified) {
  Fetched f;
  f.url = source.url;
  f.label = source.url;
  f.status = r.status;
  f.not_modified = r.error.empty() && r.status == 304;
  f.body = std::move(r.body);
  f.content_type = std::move(r.content_type);
  // A 304 need not repeat the validators; keep the ones that earned it for next time.
  f.etag = f.not_modified && r.etag.empty() ? etag : std::move(r.etag);
  f.last_modified = f.not_modified && r.last_modified.empty() ? last_modified : std::move(r.last_modified);
  f.seconds = r.seconds;
  f.attempts = r.attempts;
  f.hops = std::move(r.hops);
  f.error = std::move(r.error);
  // A document that carries no date is stored undated unless its source gives one: neither
  // the day it was fetched nor the server's Last-Modified dates the text of the law.
  f.as_of = source.as_of;
  return f;
}

Fetched read_mirror_file(const fs::path& path, const std::string& as_of, std::size_t max_bytes) {
  Fetched f;
  f.url = path.string();
  f.label = path.string();
  f.attempts = 1;
  f.as_of = as_of;
  const auto start = std::chrono::steady_clock::now();
  f.body = read_whole(path, max_bytes, f.error);
  f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return f;
}

// Every body goes through the corpus import pipeline: stored, unzipped, decoded and parsed
// on parser threads while transfers go on, then recorded by one writer thread in the order
// the bodies were handed over (completion order; for a mirror, history first, by date).
class Ingestion {
 public:
  // `on_recorded` runs on the writer thread after each source (e.g. to wake the transfers).
  Ingestion(corpus::Store& store, const Config& config, int total, std::function<void()> on_recorded = {})
      : store_(store), config_(config), on_recorded_(std::move(on_recorded)), pipeline_(options(this)) {
    counters_.total = total;
  }

  // `fetch` runs on a parser thread (it may read a file); it must not throw.
  void submit(const Source& source, std::function<Fetched()> fetch) {
    pipeline_.submit([this, &source, fetch = std::move(fetch)]() -> corpus::ImportPipeline::RecordStep {
      auto in = std::make_shared<Ingest>(prepare_ingest(store_, config_, source, fetch()));
      return [this, &source, in] {
        if (imports(source, *in)) open_group();
        note(record_ingest(store_, source, *in));
        if (group_open_ && !store_.in_group()) write_batch();  // SQLite gave the group up
      };
    });
  }
  // A network response: a body is parsed on a parser thread; a 304 or a failed transfer,
  // with nothing to parse, goes straight to the writer.
  void submit(const Source& source, Fetched f) {
    if (f.error.empty() && !f.not_modified) {
      auto body = std::make_shared<Fetched>(std::move(f));
      submit(source, [body] { return std::move(*body); });
      return;
    }
    auto in = std::make_shared<Ingest>(prepare_ingest(store_, config_, source, std::move(f)));
    pipeline_.submit_ready([this, &source, in] { note(record_ingest(store_, source, *in)); });
  }
  // A result known without a transfer (a history file no source claims): reported in its
  // turn, not logged as a fetch.
  void submit(SourceResult done) {
    pipeline_.submit_ready([this, done = std::move(done)] { note(Recording{done, {}, {}, {}, 0}, false); });
  }

  std::size_t pending() const { return pipeline_.pending(); }
  Progress progress() const { return counters_.snapshot(); }

  // Waits for every submitted body to be recorded, reporting progress from this thread as
  // sources are recorded. Results are complete after this.
  std::vector<SourceResult> finish(const std::function<void(const Progress&)>& progress) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      while (pipeline_.pending() > 0) {
        recorded_.wait_for(lock, std::chrono::milliseconds(100));
        if (progress) progress(counters_.snapshot());
      }
    }
    pipeline_.finish();
    write_batch();
    if (progress) progress(counters_.snapshot());
    return std::move(results_);
  }

 private:
  static corpus::ImportPipeline::Options options(Ingestion* self) {
    corpus::ImportPipeline::Options o;
    // Idle while the group is open: commit it rather than hold the catalogue's write lock.
    o.on_idle = [self] {
      if (self->group_open_) self->write_batch();
    };
    o.on_recorded = [self] {
      {
        std::lock_guard<std::mutex> lock(self->mutex_);
      }
      self->recorded_.notify_one();
      if (self->on_recorded_) self->on_recorded_();
    };
    return o;
  }
  // On the writer thread. Fetch log entries (and raw blob rows) are written in batches, one
  // transaction for up to kBatch sources or kBatchAge: one commit per 304 made a re-crawl
  // cost a WAL append per source. The versions imported meanwhile are recorded in the same
  // write group (Store::begin_group): one commit per batch instead of one per document. A
  // kill loses at most the uncommitted batch, whose sources the restarted crawl simply asks
  // for again.
  void open_group() {
    if (group_open_ || !store_.begin_group()) return;  // no group: each import commits alone
    group_open_ = true;
    group_first_ = results_.size();
    if (batch_.empty()) batch_start_ = std::chrono::steady_clock::now();
  }

  void note(Recording r, bool log = true) {
    if (!log) write_batch();  // the batch stays the last entries of results_
    counters_.count(r.result);
    results_.push_back(r.result);
    if (!log) return;
    if (batch_.empty()) batch_start_ = std::chrono::steady_clock::now();
    batch_bytes_ += r.unregistered_blob ? r.unregistered_blob->size() : 0;
    batch_.push_back(std::move(r));
    if (batch_.size() >= kBatch || batch_bytes_ >= kBatchBytes ||
        std::chrono::steady_clock::now() - batch_start_ >= kBatchAge)
      write_batch();
  }

  void write_batch() {
    std::string lost;  // why the write group's writes did not land
    if (group_open_ && !store_.in_group()) lost = "catalogue: the write group was rolled back after an error";
    const Status logged = write_fetch_log(store_, batch_);
    const std::size_t first = results_.size() - batch_.size();
    for (std::size_t i = 0; i < batch_.size(); ++i) {
      SourceResult& kept = results_[first + i];
      if (batch_[i].result.outcome == SourceResult::Outcome::failed && kept.outcome != SourceResult::Outcome::failed) {
        kept = batch_[i].result;
        ++counters_.failed;
      }
    }
    batch_.clear();
    batch_bytes_ = 0;
    if (!group_open_) return;
    group_open_ = false;
    if (lost.empty() && !logged) lost = logged.error().message;
    if (lost.empty()) {
      if (const Status st = store_.commit_group(); !st) lost = st.error().message;
    } else {
      store_.rollback_group();
    }
    if (lost.empty()) return;
    // None of the group's versions landed: each of its sources failed.
    for (std::size_t i = group_first_; i < results_.size(); ++i) {
      if (results_[i].outcome == SourceResult::Outcome::failed) continue;
      results_[i].outcome = SourceResult::Outcome::failed;
      results_[i].versions_new = 0;
      results_[i].error = lost;
      ++counters_.failed;
    }
  }

  static constexpr std::size_t kBatch = 256;
  static constexpr std::size_t kBatchBytes = 16u << 20;
  static constexpr std::chrono::milliseconds kBatchAge{100};

  corpus::Store& store_;
  const Config& config_;
  Counters counters_;
  std::vector<SourceResult> results_;
  std::vector<Recording> batch_;  // the last batch_.size() of results_, not yet in the fetch log
  std::size_t batch_bytes_ = 0;
  std::chrono::steady_clock::time_point batch_start_{};
  bool group_open_ = false;      // a write group holds the imports since results_[group_first_]
  std::size_t group_first_ = 0;
  std::function<void()> on_recorded_;
  std::mutex mutex_;  // with recorded_: finish() waits for the writer
  std::condition_variable recorded_;
  corpus::ImportPipeline pipeline_;  // last: its threads stop before the members they use go
};

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
    case SourceResult::Outcome::no_legal_text: return "no-legal-text";
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
      case SourceResult::Outcome::no_legal_text: ++report.no_legal_text, ++report.fetched; break;
      default: ++report.fetched; break;
    }
  }
}

std::vector<SourceResult> crawl_mirror(corpus::Store& store, const Config& config, const Registry& registry,
                                       const std::function<void(const Progress&)>& progress) {
  std::vector<HistoryFile> history;
  if (config.replay_history) history = history_files(config.mirror);
  std::map<std::string, const Source*> by_mirror;
  std::set<std::string> folders;  // the mirror's top folders the sources crawled live in
  const auto folder_of = [](const std::string& mirror) { return mirror.substr(0, mirror.find('/')); };
  for (const auto& s : registry.sources)
    if (!s.mirror.empty()) by_mirror[s.mirror] = &s, folders.insert(folder_of(s.mirror));
  // A history file no crawled source claims is reported, unless it lies in the folder of a
  // jurisdiction left out (--only).
  std::erase_if(history, [&](const HistoryFile& h) {
    return !by_mirror.contains(h.mirror) && !folders.contains(folder_of(h.mirror));
  });
  // A history-only source has no current file in the mirror: its dated copies are all of it.
  const auto in_mirror = [](const Source& s) { return !s.history_only && !s.mirror.empty(); };
  const auto current = static_cast<int>(std::count_if(registry.sources.begin(), registry.sources.end(), in_mirror));
  Ingestion ingestion(store, config, static_cast<int>(history.size()) + current);
  for (const auto& h : history) {
    const auto it = by_mirror.find(h.mirror);
    if (it == by_mirror.end()) ingestion.submit(orphan(h));
    else ingestion.submit(*it->second, [&h, &config] { return read_mirror_file(h.path, h.date, config.max_body_bytes); });
  }
  for (const auto& s : registry.sources)
    if (in_mirror(s))
      ingestion.submit(s, [&config, &s] {
        return read_mirror_file(config.mirror / s.mirror, s.as_of, config.max_body_bytes);
      });
  return ingestion.finish(progress);
}

std::vector<SourceResult> crawl_network(corpus::Store& store, const Config& config, const Registry& registry,
                                        const std::function<void(const Progress&)>& progress) {
  std::vector<Request> requests;
  for (std::size_t i = 0; i < registry.sources.size(); ++i) {
    Request r;
    r.index = i;
    r.url = registry.sources[i].url;
    r.redirect_hosts = registry.sources[i].redirect_hosts;
    if (auto last = store.last_good_fetch(r.url)) r.etag = last->etag, r.last_modified = last->last_modified;
    // A body older parsers found empty of legal text is read again in full: these may not.
    if (!r.etag.empty() || !r.last_modified.empty())
      if (auto body = store.last_body_fetch(r.url);
          body && body->outcome == to_string(SourceResult::Outcome::no_legal_text) &&
          body->parsers != corpus::kParsersRevision)
        r.etag.clear(), r.last_modified.clear();
    requests.push_back(std::move(r));
  }
  Fetcher fetcher(config);
  const auto queue = static_cast<std::size_t>(std::max(1, config.import_queue));
  // The transfer loop waits only while the queue is full: wake it when a place frees.
  Ingestion ingestion(store, config, static_cast<int>(requests.size()), [&fetcher, &ingestion, queue] {
    if (ingestion.pending() + 1 >= queue) fetcher.wakeup();
  });
  fetcher.run(
      requests,
      [&](Response&& r) {
        const Request& asked = requests[r.index];
        const Source& source = registry.sources[r.index];
        ingestion.submit(source, fetched_of(std::move(r), source, asked.etag, asked.last_modified));
      },
      [&] { return ingestion.pending() < queue; },
      [&] {
        if (progress) progress(ingestion.progress());
      });
  return ingestion.finish(progress);
}

// The git sources (git_crawl.hpp): each repository fetched once, then the files of each new
// commit through the same ingestion, in date order.
std::vector<SourceResult> crawl_git(corpus::Store& store, const Config& config, const Registry& registry,
                                    const std::function<void(const Progress&)>& progress) {
  if (registry.git.empty()) return {};
  GitCrawl git(store, config, registry.git);
  Ingestion ingestion(store, config, static_cast<int>(git.versions().size()));
  for (const auto& v : git.versions()) ingestion.submit(*v.source, v.read);
  return git.finish(ingestion.finish(progress));
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
  for (auto& r : crawl_git(store_, config_, registry, progress)) report.results.push_back(std::move(r));
  summarise(report);
  // Every body of the crawl is recorded: the bodies of failures a newer body superseded go.
  if (auto swept = store_.sweep_failed_bodies()) report.swept = *swept;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace hrtrack::crawler
