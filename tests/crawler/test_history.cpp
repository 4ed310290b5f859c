// Content that changes between crawls, history replay from the mirror, and a crawl killed
// with SIGKILL and restarted.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>

#include "crawl_support.hpp"
#include "hrtrack/corpus/parse.hpp"
#include "shared.hpp"

using namespace hrtrack;
using Outcome = crawler::SourceResult::Outcome;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> cdsa_history(const std::string& prefix) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(test::legislation("history/CA")))
    if (e.path().filename().string().rfind(prefix + "@", 0) == 0) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// A crawl of the mirror (shared/legislation) with --replay-history, for `codes`.
struct Replay {
  crawler::Registry registry;
  crawler::Config config;
  crawler::CrawlReport report;
};

Replay replay(corpus::Store& store, const std::vector<std::string>& codes) {
  auto all = crawler::load_sources(crawler::default_sources_dir());
  REQUIRE(all);
  auto registry = crawler::select_jurisdictions(*all, codes);
  REQUIRE(registry);
  auto config = test::test_config();
  config.mirror = test::legislation("");
  config.replay_history = true;
  auto report = crawler::Crawler(store, config).crawl(*registry);
  return {std::move(registry.value()), std::move(config), std::move(report)};
}

// What the catalogue should do with a document: a new version unless the text in force at
// its date is the same.
struct Expected {
  std::map<std::string, std::string> by_date;  // date -> normalised text hash stand-in
  bool add(const std::string& date, const std::string& text) {
    auto it = by_date.upper_bound(date);
    if (it != by_date.begin() && std::prev(it)->second == text) return false;
    by_date[date] = text;
    return true;
  }
};

}  // namespace

TEST_CASE("the CDSA served version after version: a new version exactly when the text changed", "[crawler]") {
  test::TempDir dir;
  auto store = std::move(corpus::Store::open(dir.path() / "data").value());
  test::Site site;
  auto config = test::test_config();
  config.host_override["laws-lois.justice.gc.ca"] = site.base();
  const auto registry = test::registry_of({test::source_at(
      "CA/eng_acts_C-38.8", "https://laws-lois.justice.gc.ca/eng/XML/C-38.8.xml", "justice-canada", "en",
      "CA/eng_acts_C-38.8.xml", "CA")});
  Expected expected;
  int n = 0, changes = 0;
  for (const auto& file : cdsa_history("eng_acts_C-38.8")) {
    const std::string bytes = test::read_file(file);
    auto doc = corpus::parse_document(bytes, {file.string(), "CA", "en", "", ""});
    REQUIRE(doc);
    const bool change = expected.add(doc->date, corpus::normalized_text(*doc));
    site.put("/eng/XML/C-38.8.xml", {bytes, "application/xml", "\"" + file.filename().string() + "\"", ""});
    const auto before = test::versions_of(*store);
    const auto r = crawler::Crawler(*store, config).crawl(registry);
    INFO(file.filename().string());
    const auto& x = test::result_of(r, "CA/eng_acts_C-38.8");
    CHECK(x.outcome == (change ? Outcome::new_version : Outcome::unchanged));
    const auto after = test::versions_of(*store);
    CHECK(test::only_additions(before, after));
    CHECK(after.size() == before.size() + (change ? 1 : 0));
    // The same ETag again: a 304, no body.
    const auto again = crawler::Crawler(*store, config).crawl(registry);
    CHECK(test::result_of(again, "CA/eng_acts_C-38.8").outcome == Outcome::not_modified);
    ++n, changes += change;
  }
  CHECK(n == 28);
  CHECK(changes >= 10);
}

TEST_CASE("--replay-history: the dated versions first, in date order, then the current files", "[crawler]") {
  test::TempDir dir;
  auto store = std::move(corpus::Store::open(dir.path() / "data").value());
  const auto [registry, config, r] = replay(*store, {"CA", "DE"});
  CHECK(r.failed == 0);
  const int history = static_cast<int>(cdsa_history("eng_acts_C-38.8").size() + cdsa_history("fra_lois_C-38.8").size()) + 9;
  CHECK(static_cast<int>(r.results.size()) == history + static_cast<int>(registry.sources.size()));
  // Dated files come first, oldest first.
  std::string last;
  for (int i = 0; i < history; ++i) {
    const std::string url = r.results[static_cast<std::size_t>(i)].url;
    const std::string date = url.substr(url.find('@') + 1, 10);
    CHECK(date >= last);
    last = date;
  }
  auto cdsa = store->find_instrument("C-38.8");
  REQUIRE(cdsa);
  const auto en = store->versions(cdsa->id, "en");
  CHECK(en.size() >= 10);
  CHECK(en.front().date == "2019-09-19");
  auto btmg_md = store->versions(store->find_instrument("BtMG")->id, "de");
  CHECK(btmg_md.size() > 1);
  // A second pass over the mirror changes nothing.
  const auto before = test::versions_of(*store);
  const auto again = crawler::Crawler(*store, config).crawl(registry);
  CHECK(again.versions_new == 0);
  CHECK(test::versions_of(*store) == before);
}

TEST_CASE("--replay-history --only DE replays DE's history and leaves CA's alone", "[crawler]") {
  test::TempDir dir;
  auto store = std::move(corpus::Store::open(dir.path() / "data").value());
  const auto [registry, config, r] = replay(*store, {"DE"});
  CHECK(r.failed == 0);
  CHECK(static_cast<int>(r.results.size()) == 9 + static_cast<int>(registry.sources.size()));
  CHECK_FALSE(store->find_instrument("C-38.8"));
  CHECK(store->versions(store->find_instrument("BtMG")->id, "de").size() > 1);
}

TEST_CASE("a crawl killed with SIGKILL and restarted loses nothing and finishes the rest", "[crawler]") {
  auto all = crawler::load_sources(crawler::default_sources_dir());
  REQUIRE(all);
  auto registry = crawler::select_jurisdictions(*all, {"CA", "DE"});
  REQUIRE(registry);
  // Serve every CA and DE source at its official path, slowly, so the kill lands mid-crawl.
  std::map<std::string, std::unique_ptr<test::Site>> sites;
  auto config = test::test_config();
  config.connections_per_host = 2;
  for (const auto& s : registry->sources) {
    const std::string origin = s.url.substr(0, s.url.find('/', 8));
    const std::string host = origin.substr(origin.find("://") + 3);
    auto& site = sites[host];
    if (!site) {
      site = std::make_unique<test::Site>();
      site->slow(40);
      config.host_override[host] = site->base();
    }
    std::string body = test::read_file(test::legislation(s.mirror));
    if (s.url.size() > 8 && s.url.compare(s.url.size() - 8, 8, "/xml.zip") == 0)
      body = test::zip_of({{"doc.xml", body}});
    site->put(s.url.substr(origin.size()), {body, "application/xml", "\"" + s.id + "\"", ""});
  }
  // A clean crawl, for reference.
  test::TempDir clean_dir;
  auto clean = std::move(corpus::Store::open(clean_dir.path() / "data").value());
  REQUIRE(crawler::Crawler(*clean, config).crawl(*registry).failed == 0);
  const auto reference = clean->totals();

  test::TempDir dir;
  const fs::path data = dir.path() / "data";
  for (int kill_after_ms : {150, 400}) {
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      auto store = corpus::Store::open(data);
      if (store) crawler::Crawler(**store, config).crawl(*registry);
      _exit(0);
    }
    usleep(static_cast<useconds_t>(kill_after_ms) * 1000);
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
  }
  auto store = std::move(corpus::Store::open(data).value());
  const auto partial = store->totals();
  CHECK(partial.versions <= reference.versions);
  const auto before = test::versions_of(*store);
  const auto r = crawler::Crawler(*store, config).crawl(*registry);
  CHECK(r.failed == 0);
  CHECK(test::only_additions(before, test::versions_of(*store)));
  const auto after = store->totals();
  CHECK(test::counts_of(after) == test::counts_of(reference));
  // What finished before the kill answered 304.
  CHECK(r.not_modified + r.fetched == static_cast<int>(registry->sources.size()));
}

TEST_CASE("--replay-history reads a history-only source from its dated copies alone", "[crawler]") {
  test::TempDir dir;
  const fs::path mirror = dir.path() / "mirror";
  fs::create_directories(mirror / "history" / "US-DC");
  for (const auto& [date, text] : std::vector<std::pair<std::string, std::string>>{
           {"2019-01-04", "The Mayor may establish a program."}, {"2021-10-18", "The Mayor shall establish a program."}})
    std::ofstream(mirror / "history" / "US-DC" / ("old-law@" + date + ".md"))
        << "---\ntitle: \"Old law\"\njurabk: \"OldLaw\"\n---\n# Old law\n\n## § 1 Program\n\n" << text << "\n";
  // The bytes of a real D.C. Code section.
  fs::create_directories(mirror / "US-DC");
  std::ofstream(mirror / "US-DC" / "dccode-7-403.xml") << test::read_file(test::legislation("US-DC/dccode-7-403.xml"));
  auto old_law = test::source_at("US-DC/old-law", "https://h.test/old-law.md", "markdown", "en", "US-DC/old-law.md", "US-DC");
  old_law.history_only = true;
  const auto dc = test::source_at("US-DC/dccode-7-403", "https://h.test/7-403.xml", "dccouncil", "en",
                                  "US-DC/dccode-7-403.xml", "US-DC");
  const auto registry = test::registry_of({old_law, dc});
  auto store = std::move(corpus::Store::open(dir.path() / "data").value());
  auto config = test::test_config();
  config.mirror = mirror;
  config.replay_history = true;
  const auto r = crawler::Crawler(*store, config).crawl(registry);
  // Two dated copies and the current D.C. file; no attempt to read US-DC/old-law.md.
  REQUIRE(r.results.size() == 3);
  for (const auto& x : r.results)
    if (x.source_id == "US-DC/old-law") CHECK(x.outcome == Outcome::new_version);
  const auto in = store->find_instrument("OldLaw");
  REQUIRE(in);
  const auto versions = store->versions(in->id);
  REQUIRE(versions.size() == 2);
  CHECK(versions.back().date == "2021-10-18");
  // The D.C. section is read as the part of the D.C. Code it is.
  const auto& x = test::result_of(r, "US-DC/dccode-7-403");
  CHECK(x.outcome == Outcome::new_version);
  const auto code = store->find_instrument("D.C. Code");
  REQUIRE(code);
  CHECK(store->find_instrument("dccode-7-403")->id == code->id);
  // Without the replay, the history-only source is not read at all.
  config.replay_history = false;
  const auto plain = crawler::Crawler(*store, config).crawl(registry);
  CHECK(plain.results.size() == 1);
}
