// Step 1 of the engine: candidates from the search index (concept hits and the citation
// ring around them), and every section from the Store when there is no index.
#include <catch2/catch.hpp>

#include <algorithm>

#include "analysis_fixture.hpp"

using namespace hrtrack;
using analysis::AnswerStatus;

namespace {

const analysis::Explanation::Candidate* candidate(const analysis::Explanation& x, const std::string& section) {
  const auto it = std::find_if(x.candidates.begin(), x.candidates.end(),
                               [&](const auto& c) { return c.section_id == section; });
  return it == x.candidates.end() ? nullptr : &*it;
}

analysis::Explanation explain_with(analysis::EngineConfig config) {
  auto& c = test::dev_corpus();
  config.persist = false;
  auto engine = analysis::Engine::open(*c.store, config);
  REQUIRE(engine.ok());
  auto x = (*engine)->explain("CA", "possession", "2026-06-05");
  REQUIRE(x.ok());
  return x.value();
}

}  // namespace

TEST_CASE("candidates come from the index when the data folder has one", "[analysis]") {
  auto& c = test::dev_corpus();
  analysis::EngineConfig config;
  config.data_dir = c.dir.path();
  const auto x = explain_with(config);
  CHECK(x.candidate_source == "index");
  CHECK(x.candidate_note.empty());
  const auto* offence = candidate(x, "C-38.8#4");
  REQUIRE(offence);
  CHECK(offence->via == "index");
  // The diversion section ("Warnings and referrals") does not use the concept's words: it
  // is a candidate because it cites a concept hit, and it still decides the answer.
  const auto* diversion = candidate(x, "C-38.8#10.2");
  REQUIRE(diversion);
  CHECK(diversion->via.rfind("cites ", 0) == 0);
  CHECK_FALSE(diversion->rules.empty());
  CHECK(x.answer.status == AnswerStatus::restricted);
}

TEST_CASE("without an index every section of the law in force is a candidate, with a note", "[analysis]") {
  test::TempDir empty;
  analysis::EngineConfig config;
  config.data_dir = empty.path();
  const auto x = explain_with(config);
  CHECK(x.candidate_source == "store");
  CHECK(x.candidate_note.find("no search index") != std::string::npos);
  CHECK(x.answer.status == AnswerStatus::restricted);
  REQUIRE(candidate(x, "C-38.8#10.2"));
  CHECK(candidate(x, "C-38.8#10.2")->via == "store");
}

TEST_CASE("use_index off reads the Store even when an index exists", "[analysis]") {
  auto& c = test::dev_corpus();
  analysis::EngineConfig config;
  config.data_dir = c.dir.path();
  config.use_index = false;
  const auto x = explain_with(config);
  CHECK(x.candidate_source == "store");
  CHECK(x.candidate_note.empty());
}

// DE's paraphernalia answer rests on a compound ("Einmalspritzen") that the topic pattern
// matches as a suffix ("*spritzen"): the index finds it through the thesaurus's words.
TEST_CASE("index and Store candidates code the development jurisdictions alike", "[analysis]") {
  auto& c = test::dev_corpus();
  auto indexed = test::reading_engine(c);
  analysis::EngineConfig config;
  config.use_index = false;
  config.persist = false;
  auto scanned = analysis::Engine::open(*c.store, config).value();
  for (const char* j : {"CA", "DE", "US"}) {
    const auto a = indexed->analyze(j);
    const auto b = scanned->analyze(j);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    for (std::size_t i = 0; i < a->size(); ++i) {
      INFO(j << " " << a.value()[i].provision);
      CHECK(a.value()[i].status == b.value()[i].status);
    }
  }
}
