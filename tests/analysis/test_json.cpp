// The one JSON form of an answer: what the store keeps, the API serves and `--json` prints.
#include <catch2/catch.hpp>

#include "hrtrack/analysis/json.hpp"

using namespace hrtrack::analysis;

namespace {

Answer reviewed_answer() {
  Answer a;
  a.jurisdiction = "CA";
  a.provision = "possession";
  a.status = AnswerStatus::restricted;
  a.machine_status = AnswerStatus::contrary;
  a.score = 0.5;
  a.confidence = 1.0;
  a.evidence = {{"C-38.8#4", "Except as authorized ...", "possession/offence", "offence", "en", "2024-06-01", "ab12"}};
  a.review = Review{AnswerStatus::restricted, {"C-38.8#4", "C-38.8#10.2"}, "diversion applies", "ana", "2026-01-02T03:04:05Z"};
  a.needs_review = true;
  a.explanation = "reviewed by ana: diversion applies";
  return a;
}

}  // namespace

TEST_CASE("an answer's JSON holds every field and reads back as the same answer", "[analysis][json]") {
  const auto a = reviewed_answer();
  const auto j = to_json(a);
  CHECK(j["status"] == "restricted");
  CHECK(j["machine_status"] == "contrary");
  CHECK(j["assessed"] == true);
  CHECK(j["score"] == 0.5);
  CHECK(j["evidence"][0]["section"] == "C-38.8#4");
  CHECK(j["evidence"][0]["text_hash"] == "ab12");
  CHECK(j["review"]["by"] == "ana");
  CHECK_FALSE(j.contains("not_assessed"));

  const auto back = answer_from(j);
  REQUIRE(back);
  CHECK(to_json(*back) == j);
  CHECK(back->status == AnswerStatus::restricted);
  CHECK(back->review->evidence.size() == 2);
  CHECK(back->evidence[0].version_date == "2024-06-01");
}

TEST_CASE("a not-assessed answer shows as such, with no score, and reads back not assessed", "[analysis][json]") {
  Answer a;
  a.jurisdiction = "XX";
  a.provision = "drug-checking";
  a.not_assessed = "the corpus holds no drug law for XX";
  a.read = {"Act 1 (en, 2020-01-01)"};
  const auto j = to_json(a);
  CHECK(j["status"] == "not-assessed");
  CHECK(j["score"].is_null());
  CHECK(j["assessed"] == false);
  CHECK(j["read"].size() == 1);
  const auto back = answer_from(j);
  REQUIRE(back);
  CHECK(back->not_assessed == a.not_assessed);
  CHECK(back->score == 0);
  CHECK(shown_status(*back) == "not-assessed");
}

TEST_CASE("an answer stored by an earlier layout still reads", "[analysis][json]") {
  // Before one schema: the raw status and a number for the score, whatever the assessment.
  const auto j = nlohmann::json::parse(R"({"jurisdiction":"DE","provision":"possession","status":"restricted",
      "machine_status":"restricted","score":0.5,"confidence":0.84,"evidence":[{"section":"BtMG#31a","quote":"q",
      "rule":"discretion","role":"discretion","language":"de","version_date":"2024-05-23"}],"needs_review":false,
      "explanation":"e"})");
  const auto a = answer_from(j);
  REQUIRE(a);
  CHECK(a->status == AnswerStatus::restricted);
  CHECK(a->score == 0.5);
  CHECK(a->evidence[0].text_hash.empty());
  CHECK_FALSE(answer_from(nlohmann::json::array()));
}
