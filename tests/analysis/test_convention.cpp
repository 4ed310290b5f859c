// The Convention as data: it loads, covers every provision and language, and names no
// jurisdiction, instrument or section.
#include <catch2/catch.hpp>

#include "hrtrack/analysis/analysis.hpp"

using namespace hrtrack::analysis;

TEST_CASE("the built-in Convention has the ten provisions with questions and weights", "[analysis]") {
  const auto& c = Convention::builtin();
  REQUIRE(c.provisions().size() == 10);
  for (const char* id : {"possession", "needle-exchange", "substitution", "drug-checking", "consumption-rooms",
                         "experimental-distribution", "paraphernalia", "voluntary-treatment", "urine-testing",
                         "life-saving-care"}) {
    const auto* p = c.find(id);
    REQUIRE(p);
    CHECK_FALSE(p->question.empty());
    CHECK(p->weight > 0);
  }
  for (const char* lang : {"en", "fr", "de", "nl", "no", "es", "pt", "it"}) {
    const auto langs = c.languages();
    CHECK(std::find(langs.begin(), langs.end(), lang) != langs.end());
  }
  CHECK(c.scores().of(AnswerStatus::restricted) == Approx(0.5));
}
