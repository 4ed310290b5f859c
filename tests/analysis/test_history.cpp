// Answers over time, human review and its audit trail, and the needs-review flag when the
// text an answer rests on changes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "analysis_fixture.hpp"
#include "hrtrack/analysis/json.hpp"

using namespace hrtrack;
using analysis::AnswerStatus;

namespace {

const analysis::Answer& possession_of(const std::vector<analysis::Answer>& answers) {
  const auto it = std::find_if(answers.begin(), answers.end(), [](const auto& a) { return a.provision == "possession"; });
  REQUIRE(it != answers.end());
  return *it;
}

}  // namespace

TEST_CASE("timeline: possession under the CDSA turns restricted when the diversion sections arrive in November 2022",
          "[analysis]") {
  // The English CDSA as first held (in force 2019-09-19), before (2022-08-31) and after the
  // amendments of November 2022.
  auto c = test::import_corpus({"history/CA/eng_acts_C-38.8@2021-02-26.xml", "history/CA/eng_acts_C-38.8@2022-09-15.xml",
                                "history/CA/eng_acts_C-38.8@2022-12-09.xml"});
  auto engine = test::reading_engine(*c);
  const auto timeline = engine->timeline("CA");
  REQUIRE(timeline.ok());
  std::vector<analysis::TimelineEntry> possession;
  for (const auto& e : timeline.value())
    if (e.provision == "possession") possession.push_back(e);
  REQUIRE(possession.size() == 2);
  // Coverage starts contrary: the first version held is no change of the law.
  CHECK(possession.front().status == AnswerStatus::contrary);
  CHECK(possession.front().coverage_start);
  const auto& turn = possession.back();
  CHECK(turn.status == AnswerStatus::restricted);
  CHECK_FALSE(turn.coverage_start);
  CHECK(turn.from == "2022-11-17");
  CHECK(turn.changed_by == std::vector<std::string>{"C-38.8 @ 2022-11-17 (en)"});
  CHECK(std::find(turn.evidence.begin(), turn.evidence.end(), "C-38.8#4") != turn.evidence.end());
  // The diversion sections the amendment added decide it.
  REQUIRE_FALSE(turn.caused_by.empty());
  for (const auto& cause : turn.caused_by) {
    INFO(analysis::to_string(cause));
    CHECK(cause.version == "C-38.8 @ 2022-11-17 (en)");
    CHECK(std::find(turn.evidence.begin(), turn.evidence.end(), cause.section) != turn.evidence.end());
  }
  CHECK(std::any_of(turn.caused_by.begin(), turn.caused_by.end(),
                    [](const auto& cause) { return cause.change == "added" && cause.section.rfind("C-38.8#10.", 0) == 0; }));

  const auto before = engine->analyze("CA", "2022-11-01");
  REQUIRE(before.ok());
  CHECK(possession_of(before.value()).status == AnswerStatus::contrary);
}

TEST_CASE("review: an analyst's override wins, is audited, and is flagged when its evidence changes",
          "[analysis]") {
  auto c = test::import_corpus({"history/CA/eng_acts_C-38.8@2022-12-09.xml"});
  auto& store = *c->store;
  auto engine = analysis::Engine::open(store).value();
  const auto first = engine->analyze("CA");
  REQUIRE(first.ok());
  CHECK(possession_of(first.value()).status == AnswerStatus::restricted);
  CHECK_FALSE(possession_of(first.value()).needs_review);

  // The section the analyst relies on: one that the next version changes.
  const auto later = test::legislation("history/CA/eng_acts_C-38.8@2026-05-29.xml");
  const auto cdsa = store.find_instrument("C-38.8");
  REQUIRE(cdsa);
  const auto old_version = store.version_as_of(cdsa->id, "en", "");
  REQUIRE(old_version);

  SECTION("bad reviews are refused") {
    CHECK_FALSE(engine->review("CA", "possession", {AnswerStatus::contrary, {"C-38.8#4"}, "", "ana", ""}).ok());
    CHECK_FALSE(engine->review("CA", "possession", {AnswerStatus::contrary, {"C-38.8#999"}, "why", "ana", ""}).ok());
    CHECK_FALSE(engine->review("CA", "no-such", {AnswerStatus::contrary, {"C-38.8#4"}, "why", "ana", ""}).ok());
  }

  SECTION("override, audit trail, needs review after the cited text changes") {
    const auto reviewed = engine->review(
        "CA", "possession", {AnswerStatus::contrary, {"C-38.8#4"}, "diversion is discretionary", "analyst", ""});
    REQUIRE(reviewed.ok());
    CHECK(reviewed->status == AnswerStatus::contrary);
    CHECK(reviewed->machine_status == AnswerStatus::restricted);
    REQUIRE(reviewed->review);
    CHECK(reviewed->review->by == "analyst");
    CHECK(reviewed->evidence.front().section_id == "C-38.8#4");
    CHECK_FALSE(reviewed->needs_review);

    const auto trail = engine->history("CA", "possession");
    REQUIRE(trail.size() >= 2);
    CHECK(std::any_of(trail.begin(), trail.end(), [](const auto& e) { return e.kind == "review"; }));
    CHECK(std::any_of(trail.begin(), trail.end(), [](const auto& e) {
      return e.kind == "status" && e.json.find("\"to\":\"contrary\"") != std::string::npos;
    }));
    // The same events as the readers (the web's changes feed) get them, typed.
    const auto events = analysis::status_events(store);
    CHECK(std::any_of(events.begin(), events.end(), [](const analysis::StatusEvent& e) {
      return e.kind == "review" && e.jurisdiction == "CA" && e.provision == "possession" && e.to == "contrary" &&
             e.by == "analyst" && e.note == "diversion is discretionary" && !e.recorded_at.empty();
    }));
    CHECK(std::any_of(events.begin(), events.end(), [](const analysis::StatusEvent& e) {
      return e.kind == "status" && e.provision == "possession" && e.from == "restricted" && e.to == "contrary" &&
             e.by == "analyst";
    }));

    // The machine keeps running; the review still wins.
    const auto again = engine->analyze("CA");
    REQUIRE(again.ok());
    CHECK(possession_of(again.value()).status == AnswerStatus::contrary);

    REQUIRE(corpus::Importer(store).import_bytes(test::read_file(later), later.string(), {}).ok());
    const auto new_version = store.version_as_of(cdsa->id, "en", "");
    REQUIRE(new_version->id != old_version->id);
    const auto changes = store.diff(old_version->id, new_version->id);
    const bool four_changed = std::any_of(changes.begin(), changes.end(), [](const auto& ch) { return ch.number == "4"; });
    const auto after = engine->analyze("CA");
    REQUIRE(after.ok());
    CHECK(possession_of(after.value()).status == AnswerStatus::contrary);
    CHECK(possession_of(after.value()).needs_review == four_changed);

    // A machine answer is flagged exactly when a section it quoted changed.
    for (std::size_t i = 0; i < after->size(); ++i) {
      const auto& before_answer = again.value()[i];
      if (before_answer.review) continue;
      const bool quoted_changed = std::any_of(before_answer.evidence.begin(), before_answer.evidence.end(), [&](const auto& e) {
        return std::any_of(changes.begin(), changes.end(),
                           [&](const auto& ch) { return "C-38.8#" + ch.number == e.section_id; });
      });
      INFO(before_answer.provision);
      CHECK(after.value()[i].needs_review == quoted_changed);
    }
  }
}

TEST_CASE("read paths get the stored answers and timeline while the law, reviews and rules are unchanged",
          "[analysis]") {
  auto c = test::import_corpus({"history/CA/eng_acts_C-38.8@2022-12-09.xml"});
  auto& store = *c->store;
  // As `hrtrack analyze` leaves it: answers and the timeline stored.
  const auto coded = analysis::Engine::open(store).value()->analyze("CA");
  REQUIRE(coded.ok());
  REQUIRE(analysis::Engine::open(store).value()->timeline("CA").ok());

  auto reader = test::reading_engine(*c);
  // What the reader returns comes from the records: mark one and it shows.
  auto record = store.record("answer", "CA/possession");
  REQUIRE(record);
  const std::string marked = "stored by analyze";
  auto answer = nlohmann::json::parse(record->json);
  answer["explanation"] = marked;
  REQUIRE(store.put_record("answer", "CA/possession", answer.dump()).ok());
  auto timeline_record = store.record("timeline", "CA");
  REQUIRE(timeline_record);
  auto timeline = nlohmann::json::parse(timeline_record->json);
  REQUIRE_FALSE(timeline["entries"].empty());
  timeline["entries"][0]["changed_by"] = {"marked"};
  REQUIRE(store.put_record("timeline", "CA", timeline.dump()).ok());

  auto current = reader->current("CA");
  REQUIRE(current.ok());
  REQUIRE(current->size() == coded->size());
  CHECK(possession_of(current.value()).explanation == marked);
  CHECK(possession_of(current.value()).status == possession_of(coded.value()).status);
  CHECK(possession_of(current.value()).evidence.size() == possession_of(coded.value()).evidence.size());
  CHECK(reader->timeline("CA")->front().changed_by == std::vector<std::string>{"marked"});

  SECTION("a review, stored at once, is what the reader sees") {
    REQUIRE(reader->review("CA", "possession", {AnswerStatus::contrary, {"C-38.8#4"}, "read it all", "ana", ""}).ok());
    const auto after = reader->current("CA");
    REQUIRE(after.ok());
    CHECK(possession_of(after.value()).status == AnswerStatus::contrary);
    REQUIRE(possession_of(after.value()).review);
    CHECK(possession_of(after.value()).review->by == "ana");
    CHECK(possession_of(after.value()).review->note == "read it all");
    // Reviews do not change the machine's reading of past dates.
    CHECK(reader->timeline("CA")->front().changed_by == std::vector<std::string>{"marked"});
  }

  SECTION("a note that is not UTF-8 is stored with U+FFFD, not refused") {
    REQUIRE(reader->review("CA", "possession", {AnswerStatus::contrary, {"C-38.8#4"}, "bad \xff byte", "ana", ""}).ok());
    const auto after = reader->current("CA");
    REQUIRE(after.ok());
    REQUIRE(possession_of(after.value()).review);
    CHECK(possession_of(after.value()).review->note == "bad \xEF\xBF\xBD byte");
  }

  SECTION("a new version of the law makes both stale: coded again") {
    const auto later = test::legislation("history/CA/eng_acts_C-38.8@2026-05-29.xml");
    REQUIRE(corpus::Importer(store).import_bytes(test::read_file(later), later.string(), {}).ok());
    const auto after = reader->current("CA");
    REQUIRE(after.ok());
    CHECK(possession_of(after.value()).explanation != marked);
    const auto t = reader->timeline("CA");
    REQUIRE(t.ok());
    CHECK(t->front().changed_by != std::vector<std::string>{"marked"});
  }
}
