#include "data.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>

#include "hrtrack/analysis/json.hpp"
#include "hrtrack/base/hash.hpp"
#include "hrtrack/crawler/sources.hpp"

namespace hrtrack::web {

Pool::Pool(std::filesystem::path data_dir) : dir_(std::move(data_dir)) {}

Pool::Lease::~Lease() {
  if (!h_) return;
  std::lock_guard lock(pool_->mutex_);
  pool_->idle_.push_back(std::move(h_));
}

std::unique_ptr<Handles> Pool::open() const {
  auto h = std::make_unique<Handles>();
  auto store = corpus::Store::open(dir_);
  if (!store) throw std::runtime_error(store.error().message);
  h->store = std::move(store.value());
  if (auto s = index::Searcher::open(dir_, index::Thesaurus::builtin())) h->searcher = std::move(s.value());
  else h->searcher_error = s.error().message;
  analysis::EngineConfig ec;
  ec.data_dir = dir_;
  // The web only reads: the answers and timelines `hrtrack analyze` (or `hrtrack run`) stored,
  // while they are current (Engine::current); it codes a jurisdiction only when they are stale.
  ec.persist = false;
  if (auto e = analysis::Engine::open(*h->store, ec)) h->engine = std::move(e.value());
  else h->engine_error = e.error().message;
  return h;
}

Pool::Lease Pool::lease() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto h = std::move(idle_.back());
      idle_.pop_back();
      // A handle set opened before the index existed tries again.
      if (!h->searcher) {
        if (auto s = index::Searcher::open(dir_, index::Thesaurus::builtin())) h->searcher = std::move(s.value());
      }
      return Lease(*this, std::move(h));
    }
  }
  return Lease(*this, open());
}

const corpus::Jurisdiction* Snapshot::jurisdiction(std::string_view code) const {
  for (const auto& j : jurisdictions)
    if (j.code == code) return &j;
  return nullptr;
}

const analysis::Provision* Snapshot::provision(std::string_view id) const {
  for (const auto& p : provisions)
    if (p.id == id) return &p;
  return nullptr;
}

const analysis::Answer* Snapshot::answer(std::string_view code, std::string_view provision) const {
  const auto it = answers.find(std::string(code));
  if (it == answers.end()) return nullptr;
  for (const auto& a : it->second)
    if (a.provision == provision) return &a;
  return nullptr;
}

std::vector<const corpus::Jurisdiction*> Snapshot::ranked() const {
  std::vector<const corpus::Jurisdiction*> out;
  for (const auto& j : jurisdictions) out.push_back(&j);
  // Assessed by score, then the not assessed, then the unscored.
  auto key = [this](const corpus::Jurisdiction* j) {
    const auto it = scores.find(j->code);
    if (it == scores.end()) return std::pair{2, 0.0};
    return it->second.assessed ? std::pair{0, -it->second.score} : std::pair{1, 0.0};
  };
  std::stable_sort(out.begin(), out.end(), [&](auto* a, auto* b) { return key(a) < key(b); });
  return out;
}

std::string Snapshot::not_assessed(std::string_view code) const {
  if (const auto it = scores.find(std::string(code)); it != scores.end() && !it->second.assessed)
    return it->second.not_assessed;
  if (const auto it = answers.find(std::string(code)); it != answers.end())
    for (const auto& a : it->second)
      if (!a.not_assessed.empty()) return a.not_assessed;
  return {};
}

int Snapshot::assessed_count() const {
  return static_cast<int>(std::count_if(scores.begin(), scores.end(), [](const auto& s) { return s.second.assessed; }));
}

std::string current_etag(Handles& h, const std::filesystem::path& data_dir) {
  // The index's state: a hash of its files' names, sizes and modification times (a commit
  // rewrites some of them). Cheap: a handful of stat calls.
  base::Fnv1a index_state;
  auto mix = [&](std::uint64_t v) { index_state.add_word(v); };
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(index::index_dir(data_dir), ec)) {
    std::error_code fe;
    const auto t = e.last_write_time(fe);
    if (fe) continue;
    mix(std::hash<std::string>{}(e.path().filename().string()));
    mix(static_cast<std::uint64_t>(t.time_since_epoch().count()));
    mix(static_cast<std::uint64_t>(e.file_size(fe)));
  }
  return "\"r" + std::to_string(h.store->revision()) + "-i" + std::to_string(index_state.value() % 1'000'000'007ULL) + "\"";
}

namespace {

void collect_changes(const corpus::Store& store, Snapshot& s) {
  for (const auto& inst : store.instruments()) {
    std::string title = inst.identifier;
    if (!inst.titles.empty()) title = inst.titles.front().second;
    std::map<std::string, std::int64_t> previous;  // language -> version id
    for (const auto& v : store.versions(inst.id)) {
      VersionChange c;
      c.jurisdiction = inst.jurisdiction;
      c.instrument = inst.identifier;
      c.title = title;
      for (const auto& [lang, t] : inst.titles)
        if (lang == v.language) c.title = t;
      c.language = v.language;
      c.date = v.date;
      c.imported_at = v.imported_at;
      c.version_id = v.id;
      c.sections = v.section_count;
      const auto prev = previous.find(v.language);
      if (prev != previous.end()) {
        c.previous_id = prev->second;
        for (const auto& ch : store.changes(v.id)) {
          switch (ch.kind) {
            case corpus::SectionChange::Kind::added: ++c.added; c.added_numbers.push_back(ch.number); break;
            case corpus::SectionChange::Kind::removed: ++c.removed; c.removed_numbers.push_back(ch.number); break;
            case corpus::SectionChange::Kind::changed: ++c.changed; c.changed_numbers.push_back(ch.number); break;
          }
        }
      }
      previous[v.language] = v.id;
      s.version_changes.push_back(std::move(c));
    }
  }
  std::stable_sort(s.version_changes.begin(), s.version_changes.end(), [](const auto& a, const auto& b) {
    return std::tie(a.date, a.imported_at) > std::tie(b.date, b.imported_at);
  });
}

// The status changes and reviews the analysis recorded.
void collect_status_events(const corpus::Store& store, Snapshot& s) {
  for (auto& e : analysis::status_events(store)) {
    StatusChange c;
    c.id = e.id;
    c.kind = std::move(e.kind);
    // A change the machine found in the law is dated by the law, as new versions are.
    c.time = e.law_date.empty() ? std::move(e.recorded_at) : std::move(e.law_date);
    c.jurisdiction = std::move(e.jurisdiction);
    c.provision = std::move(e.provision);
    c.from = std::move(e.from);
    c.to = std::move(e.to);
    c.by = std::move(e.by);
    c.note = std::move(e.note);
    s.status_changes.push_back(std::move(c));
  }
  std::stable_sort(s.status_changes.begin(), s.status_changes.end(),
                   [](const auto& a, const auto& b) { return std::tie(a.time, a.id) > std::tie(b.time, b.id); });
}

// `hrtrack import` records jurisdictions by code only; the sources registry knows their
// names. A page shows the code when neither does.
void fill_names(std::vector<corpus::Jurisdiction>& all) {
  static const std::map<std::string, std::string> known = [] {
    std::map<std::string, std::string> m;
    if (auto r = crawler::load_sources(crawler::default_sources_dir()))
      for (const auto& j : r->jurisdictions) m[j.code] = j.name;
    return m;
  }();
  for (auto& j : all) {
    if (!j.name.empty()) continue;
    const auto it = known.find(j.code);
    j.name = it != known.end() ? it->second : j.code;
  }
}

std::shared_ptr<Snapshot> build(Handles& h, const std::string& etag) {
  auto s = std::make_shared<Snapshot>();
  s->etag = etag;
  s->revision = h.store->revision();
  s->totals = h.store->totals();
  s->jurisdictions = h.store->jurisdictions();
  fill_names(s->jurisdictions);
  std::sort(s->jurisdictions.begin(), s->jurisdictions.end(),
            [](const auto& a, const auto& b) { return a.code < b.code; });
  if (h.engine) {
    s->provisions = h.engine->convention().provisions();
    for (const auto& j : s->jurisdictions) {
      auto answers = h.engine->current(j.code);
      if (!answers) {
        s->analysis_error = j.code + ": " + answers.error().message;
        continue;
      }
      s->answers[j.code] = std::move(answers.value());
    }
    if (auto scores = h.engine->scores()) {
      for (auto& sc : scores.value()) s->scores[sc.jurisdiction] = sc;
    } else if (s->analysis_error.empty()) {
      s->analysis_error = scores.error().message;
    }
  } else {
    s->provisions = analysis::Convention::builtin().provisions();
    s->analysis_error = h.engine_error;
  }
  collect_changes(*h.store, *s);
  collect_status_events(*h.store, *s);
  return s;
}

}  // namespace

std::shared_ptr<const Snapshot> SnapshotCache::get(Handles& h, const std::string& etag) {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (current_ && current_->etag == etag) return current_;
    if (!building_) break;
    if (current_) return current_;  // being rebuilt: the old one answers meanwhile
    built_.wait(lock);              // the first one: everyone waits for it
  }
  building_ = true;
  lock.unlock();
  std::shared_ptr<const Snapshot> fresh;
  try {
    fresh = build(h, etag);
  } catch (...) {
    lock.lock();
    building_ = false;
    built_.notify_all();
    throw;
  }
  lock.lock();
  current_ = std::move(fresh);
  building_ = false;
  built_.notify_all();
  return current_;
}

Snapshot::TimelineResult timeline(const Snapshot& s, Handles& h, const std::string& code) {
  std::promise<Snapshot::TimelineResult> promise;
  std::shared_future<Snapshot::TimelineResult> pending;
  {
    std::lock_guard lock(s.timeline_mutex);
    const auto it = s.timelines.find(code);
    if (it != s.timelines.end()) pending = it->second;
    else s.timelines.emplace(code, promise.get_future().share());
  }
  if (pending.valid()) return pending.get();
  // This request computes it; others asking for the same code wait on the future.
  std::optional<Snapshot::TimelineResult> t;
  try {
    t.emplace(h.engine ? h.engine->timeline(code) : Snapshot::TimelineResult(Error{h.engine_error}));
  } catch (...) {
    promise.set_exception(std::current_exception());
    std::lock_guard lock(s.timeline_mutex);
    s.timelines.erase(code);
    throw;
  }
  promise.set_value(*t);
  // A failure is not kept: the next request tries again.
  if (!*t) {
    std::lock_guard lock(s.timeline_mutex);
    s.timelines.erase(code);
  }
  return std::move(*t);
}

}  // namespace hrtrack::web
