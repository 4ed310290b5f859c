#pragma once
// What handlers read: per-thread handles (Store, Searcher, Engine) borrowed from a pool,
// and what is derived from the whole catalogue (answer matrix, scores, change list),
// computed once per data revision and shared read-only between threads.
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hrtrack/analysis/analysis.hpp"
#include "hrtrack/corpus/store.hpp"
#include "hrtrack/index/index.hpp"

namespace hrtrack::web {

// One thread's view of the data folder. SQLite and Xapian handles must not be shared
// between threads, so each request borrows a whole set.
struct Handles {
  std::unique_ptr<corpus::Store> store;
  std::unique_ptr<index::Searcher> searcher;  // null when there is no index yet
  std::string searcher_error;
  std::unique_ptr<analysis::Engine> engine;  // null when the analysis cannot open
  std::string engine_error;
};

class Pool {
 public:
  explicit Pool(std::filesystem::path data_dir);
  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Handles> h) : pool_(&pool), h_(std::move(h)) {}
    Lease(Lease&& o) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Handles& operator*() { return *h_; }
    Handles* operator->() { return h_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Handles> h_;
  };
  // Throws std::runtime_error when the Store cannot be opened (a broken data folder is
  // exceptional once the server has started: bind() checked it).
  Lease lease();
  const std::filesystem::path& data_dir() const { return dir_; }

 private:
  std::unique_ptr<Handles> open() const;
  std::filesystem::path dir_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Handles>> idle_;
};

// A version of an instrument that differs from the one before it (or is its first).
struct VersionChange {
  std::string jurisdiction, instrument, title, language, date, imported_at;
  std::int64_t version_id = 0, previous_id = 0;  // previous 0: the instrument's first version
  int added = 0, removed = 0, changed = 0, sections = 0;
  std::vector<std::string> added_numbers, removed_numbers, changed_numbers;
};

// An answer whose effective status changed (an event of kind "status" or "review").
struct StatusChange {
  std::int64_t id = 0;
  // When: the date of the law the machine found the change at (YYYY-MM-DD), else the time
  // the event was recorded (ISO 8601 UTC).
  std::string time, kind, jurisdiction, provision, from, to, by, note;
};

// Everything derived from one data revision.
struct Snapshot {
  std::string etag;  // quoted, for the ETag header
  std::int64_t revision = 0;
  corpus::Store::Totals totals;
  std::vector<corpus::Jurisdiction> jurisdictions;  // by code
  std::vector<analysis::Provision> provisions;      // Convention order
  // Jurisdiction code -> its answers in provision order (empty when not analysed).
  std::map<std::string, std::vector<analysis::Answer>> answers;
  std::map<std::string, analysis::JurisdictionScore> scores;
  std::string analysis_error;  // why there are no answers, for the page to say
  std::vector<VersionChange> version_changes;  // newest first
  std::vector<StatusChange> status_changes;    // newest first

  const corpus::Jurisdiction* jurisdiction(std::string_view code) const;
  const analysis::Provision* provision(std::string_view id) const;
  const analysis::Answer* answer(std::string_view code, std::string_view provision) const;
  // The assessed jurisdictions ordered by score (best first), then code; then those not
  // assessed (by code); then those with no scores at all.
  std::vector<const corpus::Jurisdiction*> ranked() const;
  // Why the jurisdiction was not assessed (no drug law held, no rules for its language...);
  // empty when it was, or when it has not been analysed.
  std::string not_assessed(std::string_view code) const;
  int assessed_count() const;  // jurisdictions ranked together

  // Timelines are costly (the jurisdiction coded at every version date: seconds for Canada),
  // so they are computed on first use and kept with the snapshot. The lock guards only the
  // map: a request waits for the timeline it needs, never for another jurisdiction's.
  using TimelineResult = Result<std::vector<analysis::TimelineEntry>>;
  mutable std::mutex timeline_mutex;
  mutable std::map<std::string, std::shared_future<TimelineResult>> timelines;
};

// The data revision as an ETag: the catalogue's revision and the index's last commit.
std::string current_etag(Handles& h, const std::filesystem::path& data_dir);

// Holds the Snapshot of the newest revision; builds a new one when the revision moves.
// Building takes seconds (every jurisdiction coded): the first request waits for it, but
// once there is a snapshot, the request that sees the revision move builds the new one
// while the others are answered from the old one until it is swapped in.
class SnapshotCache {
 public:
  std::shared_ptr<const Snapshot> get(Handles& h, const std::string& etag);

 private:
  std::mutex mutex_;
  std::condition_variable built_;
  bool building_ = false;
  std::shared_ptr<const Snapshot> current_;
};

// The timeline of one jurisdiction from the snapshot's cache (computed on first use).
Result<std::vector<analysis::TimelineEntry>> timeline(const Snapshot& s, Handles& h, const std::string& code);

}  // namespace hrtrack::web
