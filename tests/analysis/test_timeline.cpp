// Timelines tell a change of the law from the start of coverage: the first version held
// opens the timeline; a change names the version and section that caused it, and is an
// event of the status feed from the first run on, once.
#include <catch2/catch.hpp>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "analysis_fixture.hpp"

using namespace hrtrack;
using analysis::AnswerStatus;

namespace {

// Three versions of the Czech drug act (1999, and the two of 2017 around the amendment of
// § 39 that qualified possession) and the first version held of the 2017 addictive
// substances act.
std::unique_ptr<test::ImportedCorpus> czech() {
  return test::import_corpus({"history/CZ/zakon-167-1998@1999-01-01.md", "history/CZ/zakon-167-1998@2017-05-31.md",
                              "history/CZ/zakon-167-1998@2017-07-01.md", "history/CZ/zakon-65-2017@2017-05-31.md"});
}

std::vector<analysis::TimelineEntry> of(const std::vector<analysis::TimelineEntry>& t, const std::string& provision) {
  std::vector<analysis::TimelineEntry> out;
  for (const auto& e : t)
    if (e.provision == provision) out.push_back(e);
  return out;
}

std::vector<corpus::Event> status_events(const corpus::Store& store, const std::string& key) {
  std::vector<corpus::Event> out;
  for (const auto& e : store.events("status", 0, 100000))
    if (e.key == key) out.push_back(e);
  return out;
}

}  // namespace

TEST_CASE("timeline: coverage starts with the first version held; a change names its version and section",
          "[analysis]") {
  auto c = czech();
  const auto t = test::reading_engine(*c)->timeline("CZ");
  REQUIRE(t.ok());
  const auto& provisions = analysis::Convention::builtin().provisions();
  for (const auto& p : provisions) {
    INFO(p.id);
    const auto entries = of(t.value(), p.id);
    REQUIRE_FALSE(entries.empty());
    CHECK(entries.front().from == "1999-01-01");
    CHECK(entries.front().coverage_start);
    CHECK(entries.front().caused_by.empty());
    CHECK(entries.front().changed_by == std::vector<std::string>{"Zákon 167/1998 Sb. @ 1999-01-01 (cs)"});
  }

  // The amendment in force from 1 July 2017 qualifies possession in § 39.
  const auto possession = of(t.value(), "possession");
  REQUIRE(possession.size() == 2);
  const auto& change = possession.back();
  CHECK(change.from == "2017-07-01");
  CHECK(change.status == AnswerStatus::restricted);
  CHECK_FALSE(change.coverage_start);
  REQUIRE(change.caused_by.size() == 1);
  CHECK(change.caused_by.front().section == "Zákon 167/1998 Sb.#39");
  CHECK(change.caused_by.front().version == "Zákon 167/1998 Sb. @ 2017-07-01 (cs)");
  CHECK(change.caused_by.front().change == "changed");
  CHECK(analysis::to_string(change.caused_by.front()) ==
        "Zákon 167/1998 Sb.#39 changed in Zákon 167/1998 Sb. @ 2017-07-01 (cs)");

  // What the first version held of another act brings is where its coverage starts: the
  // corpus cannot tell a new law from one newly held.
  const auto treatment = of(t.value(), "voluntary-treatment");
  REQUIRE(treatment.size() == 2);
  CHECK(treatment.back().from == "2017-05-31");
  CHECK(treatment.back().coverage_start);
  REQUIRE_FALSE(treatment.back().caused_by.empty());
  for (const auto& cause : treatment.back().caused_by) {
    CHECK(cause.change == "first held");
    CHECK(cause.version == "Zákon 65/2017 Sb. @ 2017-05-31 (cs)");
  }
}

TEST_CASE("status changes are feed events from the first run, once, and the start of coverage is none",
          "[analysis]") {
  auto c = czech();
  auto& store = *c->store;
  analysis::EngineConfig config;
  config.data_dir = c->dir.path();
  // As `hrtrack analyze` runs on a fresh data folder: answers, then the timeline.
  {
    auto engine = analysis::Engine::open(store, config).value();
    REQUIRE(engine->analyze("CZ").ok());
    REQUIRE(engine->timeline("CZ").ok());
  }
  const auto events = status_events(store, "CZ/possession");
  REQUIRE(events.size() == 1);
  const auto j = nlohmann::json::parse(events.front().json);
  CHECK(j["date"] == "2017-07-01");
  CHECK(j["from"] == "silent");
  CHECK(j["to"] == "restricted");
  CHECK(j["by"] == "machine");
  CHECK(j["caused_by"][0]["section"] == "Zákon 167/1998 Sb.#39");
  CHECK(j["note"].get<std::string>().find("Zákon 167/1998 Sb.#39 changed in") != std::string::npos);
  CHECK(status_events(store, "CZ/voluntary-treatment").empty());
  CHECK(status_events(store, "CZ/needle-exchange").empty());

  // Coded again (the stored timeline made stale), nothing is recorded twice.
  REQUIRE(store.put_record("timeline", "CZ", "{}").ok());
  {
    auto engine = analysis::Engine::open(store, config).value();
    REQUIRE(engine->analyze("CZ").ok());
    REQUIRE(engine->timeline("CZ").ok());
  }
  CHECK(status_events(store, "CZ/possession").size() == 1);

  // A reading engine (the web's) records nothing.
  REQUIRE(store.put_record("timeline", "CZ", "{}").ok());
  const auto before = store.events("status", 0, 100000).size();
  REQUIRE(test::reading_engine(*c)->timeline("CZ").ok());
  CHECK(store.events("status", 0, 100000).size() == before);
}
