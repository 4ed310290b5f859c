// Not assessed is neither silent nor zero: a jurisdiction whose corpus holds no drug law, or
// whose language no rules cover, or of which nothing is in force, is not assessed, with the
// reason; it has no score and no rank. A silent answer names the documents it read.
#include <catch2/catch.hpp>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "analysis_fixture.hpp"

using namespace hrtrack;
using analysis::AnswerStatus;

namespace {

// A drug law (the CDSA, one English version), a proposal that is no drug law (EU) and a
// constitution in a language no rules cover (TZ, Swahili): small, imported once.
test::ImportedCorpus& held() {
  static auto c = test::import_corpus({"history/CA/eng_acts_C-38.8@2022-12-09.xml", "EU", "TZ"});
  return *c;
}

const analysis::JurisdictionScore& score_of(const std::vector<analysis::JurisdictionScore>& scores,
                                            const std::string& code) {
  const auto it = std::find_if(scores.begin(), scores.end(), [&](const auto& s) { return s.jurisdiction == code; });
  REQUIRE(it != scores.end());
  return *it;
}

std::size_t position(const std::vector<analysis::JurisdictionScore>& scores, const std::string& code) {
  return static_cast<std::size_t>(
      std::find_if(scores.begin(), scores.end(), [&](const auto& s) { return s.jurisdiction == code; }) - scores.begin());
}

}  // namespace

TEST_CASE("no drug law held, or no rules for its language: not assessed, unranked, after the ranked", "[analysis]") {
  auto engine = test::reading_engine(held());
  const auto scores = engine->scores();
  REQUIRE(scores.ok());

  const auto& ca = score_of(scores.value(), "CA");
  CHECK(ca.assessed);
  CHECK(ca.not_assessed.empty());
  CHECK(ca.rank == 1);
  CHECK(ca.rank_min == 1);
  CHECK(ca.rank_max == 1);  // alone among the assessed: the others take no place in the ranking
  CHECK(ca.score > 0);

  const auto& eu = score_of(scores.value(), "EU");
  CHECK_FALSE(eu.assessed);
  CHECK(eu.rank == 0);
  CHECK(eu.rank_max == 0);
  CHECK(eu.not_assessed.find("holds no drug law") != std::string::npos);

  const auto& tz = score_of(scores.value(), "TZ");
  CHECK_FALSE(tz.assessed);
  CHECK(tz.rank == 0);
  CHECK(tz.not_assessed.find("no rules for its language (sw)") != std::string::npos);

  // Ranked first, then the not assessed by code.
  CHECK(position(scores.value(), "CA") < position(scores.value(), "EU"));
  CHECK(position(scores.value(), "EU") < position(scores.value(), "TZ"));
}

TEST_CASE("a not-assessed jurisdiction's answers carry the reason and the documents held, and no score",
          "[analysis]") {
  auto engine = test::reading_engine(held());
  const auto answers = engine->analyze("EU");
  REQUIRE(answers.ok());
  REQUIRE(answers->size() == engine->convention().provisions().size());
  for (const auto& a : answers.value()) {
    INFO(a.provision);
    CHECK(a.not_assessed.find("holds no drug law") != std::string::npos);
    CHECK(analysis::shown_status(a) == "not-assessed");
    CHECK(a.evidence.empty());
    CHECK(a.score == 0);
    CHECK(a.confidence == 0);
    REQUIRE(a.read.size() == 1);
    CHECK(a.read.front().rfind("COM(2013) 619 (en", 0) == 0);
    CHECK(a.explanation.rfind("not assessed: ", 0) == 0);
  }
}

TEST_CASE("an assessed jurisdiction's silent answers name the documents read; the others cite", "[analysis]") {
  auto engine = test::reading_engine(held());
  const auto answers = engine->analyze("CA");
  REQUIRE(answers.ok());
  bool silent = false;
  for (const auto& a : answers.value()) {
    INFO(a.provision);
    CHECK(a.not_assessed.empty());
    CHECK(analysis::shown_status(a) == analysis::to_string(a.status));
    if (a.status == AnswerStatus::silent) {
      silent = true;
      REQUIRE(a.read.size() == 1);
      CHECK(a.read.front() == "C-38.8 (en; 2022-11-17)");
    } else {
      CHECK(a.read.empty());
      CHECK_FALSE(a.evidence.empty());
    }
  }
  CHECK(silent);
}

TEST_CASE("nothing held, or nothing in force on the date asked, is not assessed either", "[analysis]") {
  auto engine = test::reading_engine(held());
  const auto before = engine->analyze("CA", "1990-01-01");
  REQUIRE(before.ok());
  for (const auto& a : before.value()) CHECK(a.not_assessed == "the corpus holds no document of it in force on 1990-01-01");
  const auto scores = engine->scores({"CA"}, "1990-01-01");
  REQUIRE(scores.ok());
  CHECK_FALSE(score_of(scores.value(), "CA").assessed);

  test::TempDir dir;
  auto store = corpus::Store::open(dir.path());
  REQUIRE(store);
  REQUIRE(store.value()->put_jurisdiction({"XX", "Nowhere", {"en"}}).ok());
  auto empty = analysis::Engine::open(*store.value());
  REQUIRE(empty);
  const auto none = (*empty)->analyze("XX");
  REQUIRE(none.ok());
  for (const auto& a : none.value()) {
    CHECK(a.not_assessed == "the corpus holds no document of it");
    CHECK(a.read.empty());
  }
}

TEST_CASE("the reason is stored with the answers and read back by read paths", "[analysis]") {
  auto& c = held();
  analysis::EngineConfig config;
  config.data_dir = c.dir.path();
  auto writer = analysis::Engine::open(*c.store, config);
  REQUIRE(writer);
  REQUIRE((*writer)->analyze("TZ").ok());
  const auto record = c.store->record("answer", "TZ/possession");
  REQUIRE(record);
  const auto stored = nlohmann::json::parse(record->json);
  CHECK(stored.value("not_assessed", "").find("no rules for its language (sw)") != std::string::npos);
  CHECK(stored["read"].size() == 1);

  const auto current = test::reading_engine(c)->current("TZ");
  REQUIRE(current.ok());
  CHECK(current->front().not_assessed == stored["not_assessed"].get<std::string>());
  CHECK(current->front().read == stored["read"].get<std::vector<std::string>>());
}
