// Coded answers on the real legislation: named answers, exact quotes, agreement with the
// reference labels, and the speed of a whole analysis.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "analysis_fixture.hpp"

using namespace hrtrack;
using analysis::Answer;
using analysis::AnswerStatus;

namespace {

const Answer& answer_for(const std::vector<Answer>& answers, const std::string& provision) {
  const auto it = std::find_if(answers.begin(), answers.end(), [&](const Answer& a) { return a.provision == provision; });
  REQUIRE(it != answers.end());
  return *it;
}

bool cites(const Answer& a, const std::string& section) {
  return std::any_of(a.evidence.begin(), a.evidence.end(), [&](const auto& e) { return e.section_id == section; });
}

std::vector<Answer> analyze(const std::string& jurisdiction, const std::string& as_of) {
  auto& c = test::dev_corpus();
  auto engine = test::reading_engine(c);
  auto answers = engine->analyze(jurisdiction, as_of);
  REQUIRE(answers.ok());
  return answers.value();
}

}  // namespace

TEST_CASE("Canadian possession is restricted: an offence with statutory diversion", "[analysis]") {
  const auto answers = analyze("CA", "2026-06-05");
  const auto& a = answer_for(answers, "possession");
  CHECK(a.status == AnswerStatus::restricted);
  CHECK(a.score == Approx(0.5));
  CHECK(cites(a, "C-38.8#4"));
  CHECK((cites(a, "C-38.8#10.2") || cites(a, "C-38.8#10.3")));
  CHECK(answer_for(answers, "consumption-rooms").status == AnswerStatus::restricted);
  CHECK(cites(answer_for(answers, "consumption-rooms"), "C-38.8#56.1"));
  CHECK(answer_for(answers, "life-saving-care").status == AnswerStatus::provided);
  CHECK(answer_for(answers, "needle-exchange").status == AnswerStatus::silent);
}

TEST_CASE("German possession is restricted by prosecutorial discretion; consumption rooms need a licence",
          "[analysis]") {
  const auto answers = analyze("DE", "2024-08-02");
  const auto& possession = answer_for(answers, "possession");
  CHECK(possession.status == AnswerStatus::restricted);
  CHECK((cites(possession, "BtMG#29") || cites(possession, "BtMG#31a")));
  const auto& rooms = answer_for(answers, "consumption-rooms");
  CHECK(rooms.status == AnswerStatus::restricted);
  CHECK(cites(rooms, "BtMG#10a"));
  const auto& needles = answer_for(answers, "needle-exchange");
  CHECK(needles.status == AnswerStatus::provided);
  CHECK(cites(needles, "BtMG#29"));
  CHECK(answer_for(answers, "voluntary-treatment").status == AnswerStatus::contrary);
}

TEST_CASE("every non-silent answer quotes a sentence that is in the cited section's stored text", "[analysis]") {
  auto& store = *test::dev_corpus().store;
  for (const auto& [jurisdiction, as_of] : std::vector<std::pair<std::string, std::string>>{
           {"CA", "2026-06-05"}, {"DE", "2024-08-02"}, {"US", "2019-05-15"}}) {
    for (const auto& a : analyze(jurisdiction, as_of)) {
      INFO(jurisdiction << " " << a.provision);
      CHECK((a.status == AnswerStatus::silent) == a.evidence.empty());
      for (const auto& e : a.evidence) {
        INFO(e.section_id);
        const auto address = corpus::SectionAddress::parse(e.section_id);
        REQUIRE(address);
        const auto in = store.find_instrument(address->instrument);
        REQUIRE(in);
        const auto v = store.version_as_of(in->id, e.language, as_of);
        REQUIRE(v);
        const auto s = store.section(v->id, address->section);
        REQUIRE(s);
        CHECK_FALSE(e.quote.empty());
        CHECK(s->body.text.find(e.quote) != std::string::npos);
        CHECK_FALSE(e.rule.empty());
      }
    }
  }
}

TEST_CASE("evaluate on the development labels holds CA, DE and US at their agreement", "[analysis]") {
  auto& c = test::crawled_corpus();
  auto engine = test::reading_engine(c);
  const auto e = engine->evaluate(test::shared_dir() / "eval" / "labels-dev.json");
  REQUIRE(e.ok());
  // The floor: what main (64860ce) reached when the labels grew to ten jurisdictions, on
  // this store: every status and every evidence test passed, every deciding section and
  // quote found. The other jurisdictions are reported, not held, while their parsers land.
  const std::set<std::string> held{"CA", "DE", "US"};
  std::set<std::string> seen;
  int answers = 0;
  for (const auto& t : e->jurisdictions) {
    answers += t.answers;
    if (!held.count(t.key)) {
      WARN(t.key << ": status " << t.status_agree << "/" << t.answers << ", evidence " << t.evidence_agree << "/"
                 << t.evidence_total << ", precision " << t.cited_deciding << "/" << t.cited << ", deciding sections "
                 << t.deciding_found << "/" << t.deciding_total << ", quotes " << t.quotes_found << "/"
                 << t.quotes_total);
      continue;
    }
    INFO(t.key);
    seen.insert(t.key);
    CHECK(t.answers == 10);
    CHECK(t.status_agree == t.answers);
    CHECK(t.evidence_agree == t.evidence_total);
    CHECK(t.deciding_found == t.deciding_total);
    CHECK(t.quotes_found == t.quotes_total);
  }
  CHECK(seen == held);
  for (const auto& d : e->disagreements)
    if (held.count(d.jurisdiction))
      WARN(d.jurisdiction << "/" << d.provision << ": reference " << analysis::to_string(d.reference) << ", ours "
                          << analysis::to_string(d.ours));
  CHECK(answers == e->answers);
  int total = 0;
  for (const auto& [ref, row] : e->confusion)
    for (const auto& [ours, n] : row) total += n;
  CHECK(total == e->answers);
}

TEST_CASE("a labels file that is not one is an error value", "[analysis]") {
  auto& c = test::dev_corpus();
  auto engine = test::reading_engine(c);
  CHECK_FALSE(engine->evaluate(test::legislation("README.md")).ok());
  CHECK_FALSE(engine->evaluate("/nonexistent/labels.json").ok());
  CHECK_FALSE(engine->analyze("XX").ok());
  CHECK_FALSE(engine->explain("CA", "no-such-provision").ok());
}

TEST_CASE("scores: weighted mean, coverage and rank ranges under weight perturbation", "[analysis]") {
  auto& c = test::dev_corpus();
  auto engine = test::reading_engine(c);
  const auto scores = engine->scores({"CA", "DE", "US"});
  REQUIRE(scores.ok());
  REQUIRE(scores->size() == 3);
  for (const auto& s : scores.value()) {
    CHECK(s.score >= 0);
    CHECK(s.score <= 1);
    CHECK(s.coverage > 0);
    CHECK(s.rank_min <= s.rank);
    CHECK(s.rank <= s.rank_max);
  }
  CHECK(scores->front().rank == 1);
  const auto again = engine->scores({"CA", "DE", "US"});
  REQUIRE(again.ok());
  for (std::size_t i = 0; i < 3; ++i) CHECK(again.value()[i].rank_max == scores.value()[i].rank_max);
}

TEST_CASE("explain shows candidates, the rules that fired and the graph edges followed", "[analysis]") {
  auto& c = test::dev_corpus();
  auto engine = test::reading_engine(c);
  const auto x = engine->explain("CA", "possession", "2026-06-05");
  REQUIRE(x.ok());
  CHECK_FALSE(x->candidates.empty());
  const auto diversion = std::find_if(x->edges_followed.begin(), x->edges_followed.end(),
                                      [](const auto& e) { return e.to == "C-38.8#4" && e.kind == "diversion"; });
  CHECK(diversion != x->edges_followed.end());
}
