// Crash consistency (issue 7): the real hrtrack binary is killed with SIGKILL at random
// moments of `import`, `crawl --mirror --replay-history`, `index` and `index --rebuild`, 50
// times in all. After each kill: the catalogue passes SQLite's integrity and foreign-key
// checks (opened read-only), the index passes xapian-check, every version stored before
// the kill is still listed by `hrtrack history` with the same text (read back through the
// corpus API, and a sample through `hrtrack show`), and every blob the catalogue names
// exists and hashes to its name. The interrupted command is then run again (and may be
// killed again, up to three times in a row) until it finishes, and must leave what an
// uninterrupted run leaves: the same versions with the same sections and diffs, and the
// same search hits.
//
// The kill moments come from a PRNG whose seed is printed; HRTRACK_CRASH_SEED=N replays a
// run. Each moment is drawn over the duration of an uninterrupted run of the same command
// measured at the start of the test (so on a slow or busy machine the kills still spread
// over the work), and some land in the first milliseconds after the start.
#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <compare>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "child.hpp"
#include "hrtrack/corpus/store.hpp"
#include "process.hpp"
#include "shared.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;
using hrtrack::test::legislation;
using hrtrack::test::TempDir;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// A program on PATH (posix_spawn wants a path).
std::string on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (std::size_t start = 0; start <= dirs.size();) {
    const auto end = std::min(dirs.find(':', start), dirs.size());
    const fs::path candidate = fs::path(dirs.substr(start, end - start)) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    start = end + 1;
  }
  return {};
}

// ---- What a user reads back from a data folder.

// One version as stored.
struct Stored {
  std::string instrument, language, date, sha256, text_sha256;
  int sections = 0, added = 0, removed = 0, changed = 0;
  std::string text;  // sha256 of every section's number, heading and text, in order
  std::string first_section, first_text;
  auto operator<=>(const Stored&) const = default;
};
using Catalogue = std::vector<Stored>;  // sorted

// Through the corpus API, as every hrtrack command reads it. An absent catalogue is empty
// (opening it would create one).
Catalogue read_catalogue(const fs::path& data) {
  Catalogue out;
  if (!fs::exists(data / "catalogue.sqlite3")) return out;
  auto opened = hrtrack::corpus::Store::open(data);
  INFO((opened ? "" : opened.error().message));
  REQUIRE(opened);
  const auto& store = *opened.value();
  for (const auto& in : store.instruments())
    for (const auto& v : store.versions(in.id)) {
      Stored s;
      s.instrument = in.identifier;
      s.language = v.language;
      s.date = v.date;
      s.sha256 = v.sha256;
      s.text_sha256 = v.text_sha256;
      s.sections = v.section_count;
      const auto sections = store.sections(v.id);
      INFO(in.identifier << " " << v.language << " " << v.date);
      CHECK(sections.size() == static_cast<std::size_t>(v.section_count));
      std::string all;
      for (const auto& x : sections) all += x.body.number + '\x1f' + x.body.heading + '\x1f' + x.body.text + '\x1e';
      s.text = hrtrack::corpus::sha256_hex(all);
      if (!sections.empty()) s.first_section = sections.front().body.number, s.first_text = sections.front().body.text;
      for (const auto& c : store.changes(v.id))
        ++(c.kind == hrtrack::corpus::SectionChange::Kind::added     ? s.added
           : c.kind == hrtrack::corpus::SectionChange::Kind::removed ? s.removed
                                                                     : s.changed);
      out.push_back(std::move(s));
    }
  std::sort(out.begin(), out.end());
  return out;
}

// The first column of every row.
std::vector<std::string> rows(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr);
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> st(raw, sqlite3_finalize);
  INFO(sql << ": " << sqlite3_errmsg(db));
  REQUIRE(rc == SQLITE_OK);
  std::vector<std::string> out;
  int step = SQLITE_ROW;
  while ((step = sqlite3_step(st.get())) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(st.get(), 0);
    out.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
  }
  CHECK(step == SQLITE_DONE);
  return out;
}

using Db = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;

Db open_db(const fs::path& file, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  Db db(raw, sqlite3_close);
  INFO(file.string() << ": " << (raw ? sqlite3_errmsg(raw) : "out of memory"));
  REQUIRE(rc == SQLITE_OK);
  return db;
}

// The catalogue file, opened read-only with SQLite itself: sound, consistent, and every
// blob it names present under its hash. Returns true when the kill left a log that only a
// writer may replay (a write-ahead log to recover, or a hot rollback journal while the
// catalogue was being created): then a copy of the files in `scratch`, recovered as the
// next hrtrack will recover them, is checked instead, and the data folder stays as the
// kill left it.
bool check_catalogue_file(const fs::path& data, const fs::path& scratch) {
  const fs::path file = data / "catalogue.sqlite3";
  if (!fs::exists(file)) return false;
  Db db = open_db(file, SQLITE_OPEN_READONLY);
  const int probe = sqlite3_exec(db.get(), "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
  const bool recovered = (probe & 0xff) == SQLITE_READONLY;
  if (recovered) {
    std::printf("  a kill left a catalogue only a writer may open: %s (extended code %d)\n",
                sqlite3_errmsg(db.get()), sqlite3_extended_errcode(db.get()));
    fs::remove_all(scratch);
    fs::create_directories(scratch);
    for (const char* suffix : {"", "-wal", "-journal"})
      if (fs::exists(file.string() + suffix))
        fs::copy_file(file.string() + suffix, scratch / ("catalogue.sqlite3" + std::string(suffix)));
    db = open_db(scratch / "catalogue.sqlite3", SQLITE_OPEN_READWRITE);
  } else {
    INFO(sqlite3_errmsg(db.get()));
    CHECK(probe == SQLITE_OK);
  }
  CHECK(rows(db.get(), "PRAGMA integrity_check") == std::vector<std::string>{"ok"});
  CHECK(rows(db.get(), "PRAGMA foreign_key_check").empty());
  // Killed before the first migration committed: no tables yet, nothing else to check.
  if (rows(db.get(), "SELECT name FROM sqlite_master WHERE name = 'version'").empty()) return recovered;
  CHECK(rows(db.get(), "SELECT id FROM version v WHERE section_count != "
                       "(SELECT count(*) FROM section s WHERE s.version_id = v.id)").empty());
  for (const auto& sha : rows(db.get(), "SELECT sha256 FROM blob UNION SELECT sha256 FROM version")) {
    INFO("blob " << sha);
    REQUIRE(sha.size() == 64);
    const fs::path blob = data / "blobs" / sha.substr(0, 2) / sha.substr(2);
    REQUIRE(fs::exists(blob));
    CHECK(hrtrack::corpus::sha256_hex(hrtrack::test::read_file(blob)) == sha);
  }
  return recovered;
}

// Every version of `before` is in `after`, unchanged.
void check_kept(const Catalogue& before, const Catalogue& after) {
  for (const auto& v : before) {
    INFO("version " << v.instrument << " " << v.language << " " << v.date << " stored before the kill");
    CHECK(std::binary_search(after.begin(), after.end(), v));
  }
}

// Search hits, as comparable text: which section, which version, and the totals.
struct Hits {
  long long total = 0;
  std::vector<std::string> hits;  // sorted
  bool operator==(const Hits&) const = default;
};

// ---- The rig: the binary, the data, the seeded kill moments.

class Rig {
 public:
  explicit Rig(std::uint64_t seed) : rng_(seed), bin_(hrtrack::test::hrtrack_bin()) {}

  hrtrack::test::Run cli(const fs::path& data, std::vector<std::string> args) const {
    args.insert(args.begin(), {bin_, "--data", data.string()});
    return hrtrack::test::run(args);
  }

  // Runs a command to the end; returns its wall time.
  double complete(const fs::path& data, const std::vector<std::string>& args) const {
    const auto start = Clock::now();
    const auto r = cli(data, args);
    INFO(args.front() << " ran to the end: " << r.err);
    REQUIRE(r.status == 0);
    return seconds_since(start);
  }

  // Starts the command and SIGKILLs it after `delay` if it is still running.
  hrtrack::test::Ending start_and_kill(const fs::path& data, std::vector<std::string> args,
                                       Clock::duration delay, const fs::path& log) const {
    args.insert(args.begin(), {bin_, "--data", data.string()});
    return hrtrack::test::kill_after(hrtrack::test::spawn(args, "/dev/null", log), delay);
  }

  Hits search(const fs::path& data, const std::string& query) const {
    const auto r = cli(data, {"search", query, "--all-versions", "--limit", "1000", "--json"});
    INFO("search " << query << ": " << r.err);
    REQUIRE(r.status == 0);
    const auto j = json::parse(r.out);
    Hits h;
    h.total = j["total"].get<long long>();
    for (const auto& x : j["hits"])
      h.hits.push_back(x["id"].get<std::string>() + " " + x["language"].get<std::string>() + " " +
                       x["version_date"].get<std::string>() + ".." + x["in_force_to"].get<std::string>());
    std::sort(h.hits.begin(), h.hits.end());
    return h;
  }

  // The index, if there is one, passes xapian-check.
  void check_index(const fs::path& data) const {
    const fs::path index = data / "index";
    if (!fs::exists(index)) return;
    const auto r = hrtrack::test::run({xapian_check_, index.string()});
    INFO("xapian-check " << index.string() << ":\n" << r.out << r.err);
    CHECK(r.status == 0);
  }

  // What `hrtrack history` lists and `hrtrack show` prints agrees with what was stored
  // before the kill: every version of one instrument, and the text of one version (the
  // corpus API has read back every version already; these are the binary's own reads).
  void check_cli_reads(const fs::path& data, const Catalogue& before) {
    if (before.empty()) return;
    const std::string name = before[std::uniform_int_distribution<std::size_t>(0, before.size() - 1)(rng_)].instrument;
    {
      const auto r = cli(data, {"history", name, "--json"});
      INFO("history " << name << ": " << r.err);
      REQUIRE(r.status == 0);
      std::set<std::tuple<std::string, std::string, std::string, int>> listed;
      const auto history = json::parse(r.out);
      for (const auto& v : history["versions"])
        listed.insert({v["date"].get<std::string>(), v["language"].get<std::string>(),
                       v["sha256"].get<std::string>(), v["sections"].get<int>()});
      for (const auto& v : before)
        if (v.instrument == name) {
          INFO(v.language << " version of " << v.date);
          CHECK(listed.count({v.date, v.language, v.sha256, v.sections}) == 1);
        }
    }
    // `show --as-of` reads the latest version on or before a date: pick a dated one that is
    // the only one of its instrument, language and date (an undated version has no as-of).
    std::map<std::tuple<std::string, std::string, std::string>, int> same_day;
    for (const auto& v : before) ++same_day[{v.instrument, v.language, v.date}];
    std::vector<const Stored*> pick;
    for (const auto& v : before)
      if (same_day[{v.instrument, v.language, v.date}] == 1 && !v.date.empty() && !v.first_section.empty())
        pick.push_back(&v);
    if (pick.empty()) return;
    const Stored& v = *pick[std::uniform_int_distribution<std::size_t>(0, pick.size() - 1)(rng_)];
    const auto r = cli(data, {"show", v.instrument + "#" + v.first_section, "--as-of", v.date, "--lang",
                              v.language, "--json"});
    INFO("show " << v.instrument << "#" << v.first_section << " as of " << v.date << ": " << r.err);
    REQUIRE(r.status == 0);
    CHECK(json::parse(r.out)["text"] == v.first_text);
  }

  // Every check that must hold right after a kill; returns the catalogue it left.
  Catalogue check_after_kill(const fs::path& data, const Catalogue& before) {
    logs_recovered_ += check_catalogue_file(data, data.parent_path() / "recovered");
    check_index(data);
    Catalogue after = read_catalogue(data);
    check_kept(before, after);
    check_cli_reads(data, before);
    return after;
  }

  std::mt19937_64& rng() { return rng_; }
  // Kills that left a log only a writer could recover.
  int logs_recovered() const { return logs_recovered_; }

 private:
  std::mt19937_64 rng_;
  std::string bin_;
  std::string xapian_check_ = on_path("xapian-check");
  int logs_recovered_ = 0;
};

// One command killed again and again. A chain starts from `fresh`, kills the command a
// few times in a row (each restart carries on from what the last one left), then runs it
// to the end and compares with the reference.
struct Phase {
  std::string name;
  std::vector<std::string> args;
  int kills = 0;
  double reference_seconds = 0;              // an uninterrupted run, measured in this test
  int chain_min = 2, chain_max = 4;          // kills in a row before a run to the end
  std::function<void()> fresh;               // the state each chain starts from
  std::function<void()> same_as_reference;   // after a run to the end
  std::function<void()> after_kill;          // checks of this phase's own, if any
};

struct Tally {
  int kills = 0, early = 0, finished_first = 0, completions = 0, logs_recovered = 0;
  int kept_work = 0;    // kills after which the catalogue held more versions than before
  int temp_blobs = 0;   // kills after which a half-written blob's temp file was left
  double seconds = 0;
};

// Temp files of blobs being written (renamed to their hash when whole).
int temp_blobs_in(const fs::path& data) {
  int n = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(data / "blobs", ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    n += it->path().filename().string().find(".tmp") != std::string::npos;
  return n;
}

Tally run_phase(Rig& rig, const fs::path& data, const fs::path& log, const Phase& p) {
  Tally t;
  const auto start = Clock::now();
  const int recovered_before = rig.logs_recovered();
  auto& rng = rig.rng();
  std::uniform_real_distribution<double> share(0.0, 1.0);
  int chain_left = 0;
  double window = p.reference_seconds;
  while (t.kills < p.kills) {
    if (chain_left == 0) {
      p.fresh();
      chain_left = std::uniform_int_distribution<int>(p.chain_min, p.chain_max)(rng);
      window = p.reference_seconds;
    }
    const Catalogue before = read_catalogue(data);
    // The first kill of a phase, and one in eight after it, right after the start (in the
    // first tenth of a run: the catalogue and the index being opened or created); the
    // others over the whole run.
    const bool early = t.kills == 0 || share(rng) < 0.125;
    const double at = (early ? std::min(window, std::max(0.03, 0.1 * p.reference_seconds)) : window) * share(rng);
    const auto delay = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(at));
    const auto ending = rig.start_and_kill(data, p.args, delay, log);
    INFO(p.name << ": kill " << t.kills + 1 << " at " << at * 1000 << " ms; output: "
                << hrtrack::test::read_file(log));
    if (!ending.killed) {
      // It finished first: that was a run to the end. Aim earlier in this chain.
      CHECK(ending.status == 0);
      ++t.finished_first;
      window = at;
      p.same_as_reference();
      chain_left = 0;
      continue;
    }
    ++t.kills;
    t.early += early;
    t.kept_work += rig.check_after_kill(data, before).size() > before.size();
    t.temp_blobs += temp_blobs_in(data) > 0;
    if (p.after_kill) p.after_kill();
    if (--chain_left == 0 || t.kills == p.kills) {
      const Catalogue kept = read_catalogue(data);
      rig.complete(data, p.args);
      ++t.completions;
      check_kept(kept, read_catalogue(data));
      p.same_as_reference();
      chain_left = 0;
    }
  }
  t.logs_recovered = rig.logs_recovered() - recovered_before;
  t.seconds = seconds_since(start);
  return t;
}

// A mirror folder for `crawl --mirror`: links to some German sources and the BtMG's
// dated history, and a sources folder naming just those.
void make_mirror(const fs::path& mirror, const fs::path& sources) {
  fs::create_directories(mirror / "DE");
  fs::create_directories(mirror / "history" / "DE");
  for (const char* f : {"btmg_1981.gii.xml", "btmvv_1998.gii.xml", "kcang.gii.xml", "btmg_1981.bundestag.md"})
    fs::create_symlink(legislation(std::string("DE/") + f), mirror / "DE" / f);
  for (const auto& e : fs::directory_iterator(legislation("history/DE")))
    fs::create_symlink(e.path(), mirror / "history" / "DE" / e.path().filename());
  fs::create_directories(sources);
  std::ofstream(sources / "DE.toml") << R"toml(code = "DE"
name = "Germany"
languages = ["de"]

[[source]]
id = "DE/btmg_1981.gii"
title = "Betäubungsmittelgesetz"
url = "https://www.gesetze-im-internet.de/btmg_1981/xml.zip"
format = "gii"
language = "de"
mirror = "DE/btmg_1981.gii.xml"

[[source]]
id = "DE/btmvv_1998.gii"
title = "Betäubungsmittel-Verschreibungsverordnung"
url = "https://www.gesetze-im-internet.de/btmvv_1998/xml.zip"
format = "gii"
language = "de"
mirror = "DE/btmvv_1998.gii.xml"

[[source]]
id = "DE/kcang.gii"
title = "Konsumcannabisgesetz"
url = "https://www.gesetze-im-internet.de/kcang/xml.zip"
format = "gii"
language = "de"
mirror = "DE/kcang.gii.xml"

[[source]]
id = "DE/btmg_1981.bundestag"
title = "Betäubungsmittelgesetz (markdown)"
url = "https://raw.githubusercontent.com/bundestag/gesetze/79bdc90dff8489c35bbd9fdab1f1e101d0579592/b/btmg_1981/index.md"
format = "markdown"
language = "de"
mirror = "DE/btmg_1981.bundestag.md"
as_of = "2022-02-13"
)toml";
}

// The index and whatever a killed run left beside it.
void remove_index(const fs::path& data) {
  std::vector<fs::path> gone;
  for (const auto& e : fs::directory_iterator(data))
    if (e.path().filename().string().rfind("index", 0) == 0) gone.push_back(e.path());
  for (const auto& p : gone) fs::remove_all(p);
}

}  // namespace

TEST_CASE("SIGKILL at 50 random moments of import, crawl and indexing loses nothing", "[app][crash]") {
  std::uint64_t seed = std::random_device{}();
  if (const char* s = std::getenv("HRTRACK_CRASH_SEED"); s && *s) seed = std::strtoull(s, nullptr, 10);
  std::printf("crash test seed %llu (replay with HRTRACK_CRASH_SEED=%llu)\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
  std::fflush(stdout);
  INFO("seed " << seed << " (replay with HRTRACK_CRASH_SEED=" << seed << ")");
  Rig rig(seed);
  REQUIRE_FALSE(on_path("xapian-check").empty());
  const auto test_start = Clock::now();

  TempDir tmp;
  const fs::path mirror = tmp.path() / "mirror", sources = tmp.path() / "sources";
  const fs::path log = tmp.path() / "hrtrack.log";
  make_mirror(mirror, sources);
  // Imported: the Controlled Drugs and Substances Act as published through 2022 and 2023,
  // English and French, and two German laws (gii XML and markdown).
  std::vector<std::string> import_args = {"import"};
  for (const auto& e : fs::directory_iterator(legislation("history/CA"))) {
    const std::string name = e.path().filename().string();
    if (name.find("@2022-") != std::string::npos || name.find("@2023-") != std::string::npos)
      import_args.push_back(e.path().string());
  }
  std::sort(import_args.begin() + 1, import_args.end());
  import_args.push_back(legislation("DE/kcang.gii.xml").string());
  import_args.push_back(legislation("DE/btmvv_1998.bundestag.md").string());
  const std::vector<std::string> crawl_args = {"crawl", "--sources", sources.string(), "--mirror",
                                               mirror.string(), "--replay-history"};
  const std::vector<std::string> queries = {"Betäubungsmittel", "\"ärztliche Behandlung\"",
                                            "concept:consumption-rooms"};

  // Uninterrupted runs: what every interrupted one must end up with, and how long a run
  // takes on this machine now.
  const fs::path ref_import = tmp.path() / "reference-import", ref = tmp.path() / "reference";
  const double import_seconds = rig.complete(ref_import, import_args);
  const double crawl_seconds = rig.complete(ref, crawl_args);
  const double index_seconds = rig.complete(ref, {"index"});
  const Catalogue imported = read_catalogue(ref_import), crawled = read_catalogue(ref);
  REQUIRE(imported.size() > 10);
  REQUIRE(crawled.size() > 8);
  std::map<std::string, Hits> hits;
  for (const auto& q : queries) {
    hits[q] = rig.search(ref, q);
    REQUIRE(hits[q].total > 0);
  }
  const double rebuild_seconds = rig.complete(ref, {"index", "--rebuild"});
  for (const auto& q : queries) CHECK(rig.search(ref, q) == hits[q]);

  const fs::path data = tmp.path() / "data";
  auto same_catalogue = [&](const Catalogue& expected) {
    return [&rig, &data, &expected] {
      rig.check_after_kill(data, expected);
      CHECK(read_catalogue(data) == expected);
    };
  };
  auto same_hits = [&] {
    rig.check_index(data);
    for (const auto& q : queries) {
      INFO("query " << q);
      CHECK(rig.search(data, q) == hits[q]);
    }
  };
  // A finished run leaves nothing beside the index, whatever the kills before it left.
  auto indexed = [&] {
    same_hits();
    for (const auto& e : fs::directory_iterator(data)) {
      const std::string name = e.path().filename().string();
      INFO(name << " was left beside the index");
      CHECK(name.rfind("index.", 0) != 0);
    }
  };
  std::vector<std::pair<Phase, Tally>> phases;
  phases.push_back({{"import", import_args, 14, import_seconds, 2, 4, [&] { fs::remove_all(data); },
                     same_catalogue(imported), {}}, {}});
  phases.push_back({{"crawl --mirror --replay-history", crawl_args, 14, crawl_seconds, 2, 4,
                     [&] { fs::remove_all(data); }, same_catalogue(crawled), {}}, {}});
  // The index from nothing: each chain removes it; restarts carry on from what was committed.
  phases.push_back({{"index", {"index"}, 11, index_seconds, 2, 4, [&] { remove_index(data); }, indexed, {}}, {}});
  // A rebuild starts again from nothing each time, beside the live index, which every kill
  // must leave whole and searchable as it was: two runs to the end are enough.
  phases.push_back({{"index --rebuild", {"index", "--rebuild"}, 11, rebuild_seconds, 5, 6, [] {}, indexed,
                     same_hits}, {}});
  int total = 0;
  for (auto& [phase, tally] : phases) {
    INFO("phase " << phase.name);
    tally = run_phase(rig, data, log, phase);
    total += tally.kills;
    // The index phases start from the crawled catalogue.
    if (phase.name.rfind("crawl", 0) == 0) CHECK(read_catalogue(data) == crawled);
  }
  CHECK(total == 50);
  for (const auto& [phase, tally] : phases)
    std::printf("  %-32s %2d kills survived (%d right after the start; after %d the catalogue had new "
                "versions, after %d a log to recover, after %d a blob's temp file), %d runs to the end "
                "after them, %d finished before their kill; uninterrupted run %.2f s, phase %.1f s\n",
                phase.name.c_str(), tally.kills, tally.early, tally.kept_work, tally.logs_recovered,
                tally.temp_blobs, tally.completions, tally.finished_first, phase.reference_seconds,
                tally.seconds);
  std::printf("crash test: %d kills in %.1f s\n", total, seconds_since(test_start));
}
