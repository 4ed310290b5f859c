// The Convention as data: it loads, covers every provision and language, and names no
// jurisdiction, instrument or section.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "hrtrack/analysis/analysis.hpp"
#include "hrtrack/corpus/languages.hpp"
#include "hrtrack/index/index.hpp"
#include "shared.hpp"
#include "text.hpp"

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

TEST_CASE("a broken rules file is an error naming the file and what is wrong", "[analysis]") {
  const auto bad = Convention::parse("[[signal]]\nid = \"x\"\n[signal.patterns]\nen = [\"\"]\n", "bad.toml");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("bad.toml") != std::string::npos);
  CHECK_FALSE(Convention::parse("not = [toml", "broken.toml").ok());
  CHECK_FALSE(Convention::load("/nonexistent/provisions.toml").ok());
}

// The rules must generalise to jurisdictions they were not written for: they may name legal
// ideas in a language, never a country, a law or a section.
TEST_CASE("no rule or engine source names a jurisdiction, an instrument or a section", "[analysis]") {
  const std::vector<std::string> forbidden = {
      "C-38.8", "C-24.5", "CDSA", "SOR/", "C.R.C.", "BtMG", "BtMVV", "KCanG", "MedCanG", "StGB",
      "H.R. ", "U.S.C.", "Canada", "Germany", "United States", "Deutschland", "§ 29", "31a", "10.2"};
  // This file is tests/analysis/test_convention.cpp in the source tree.
  const auto root = std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
  std::vector<std::filesystem::path> files = {root / "convention" / "provisions.toml"};
  for (const auto& entry : std::filesystem::directory_iterator(root / "analysis" / "src")) files.push_back(entry.path());
  for (const auto& f : files) {
    const auto text = hrtrack::test::read_file(f);
    for (const auto& word : forbidden) {
      INFO(f.string() << " mentions " << word);
      CHECK(text.find(word) == std::string::npos);
    }
  }
}

TEST_CASE("words fold Czech, Estonian and Greek capitals, and such a capital starts a sentence",
          "[analysis]") {
  using text::Pattern;
  using text::words;
  CHECK(words("ŠKODA Čin ŽÁDOST Řízení") == std::vector<std::string>{"škoda", "čin", "žádost", "řízení"});
  CHECK(words("ÕIGUS Äär") == std::vector<std::string>{"õigus", "äär"});
  CHECK(words("ΑΠΑΓΟΡΕΎΕΤΑΙ Η Χορήγηση") == std::vector<std::string>{"απαγορεύεται", "η", "χορήγηση"});
  // A prefix pattern on an inflected word, whatever its case.
  CHECK(Pattern::compile("přechováv*").matches(words("Kdo PŘECHOVÁVÁ omamnou látku")));
  CHECK(Pattern::compile("απεξάρτησ*").matches(words("ΠΡΟΓΡΆΜΜΑΤΟΣ απεξάρτησης")));
  const auto spans = text::sentences("Τιμωρείται με φυλάκιση. Η διαπίστωση γίνεται.");
  CHECK(spans.size() == 2);
}

namespace {

// A rules file with `signals` signals and `provisions` provisions, each with one pattern.
std::string rules_with(int signals, int provisions) {
  std::string toml;
  for (int i = 0; i < signals; ++i)
    toml += "[[signal]]\nid = \"s" + std::to_string(i) + "\"\n[signal.patterns]\nen = [\"word" + std::to_string(i) + "\"]\n";
  for (int k = 0; k < provisions; ++k)
    toml += "[[provision]]\nid = \"p" + std::to_string(k) + "\"\nquestion = \"q?\"\n[provision.topic]\nen = [\"topic\"]\n"
            "[[provision.effect]]\nsignal = \"s0\"\neffect = \"permission\"\n";
  return toml;
}

}  // namespace

TEST_CASE("the loader refuses more signals or provisions than a reading's masks hold", "[analysis]") {
  CHECK(Convention::parse(rules_with(64, 64), "full.toml").ok());
  const auto signals = Convention::parse(rules_with(65, 1), "signals.toml");
  REQUIRE_FALSE(signals.ok());
  CHECK(signals.error().message.find("signals.toml") != std::string::npos);
  CHECK(signals.error().message.find("at most 64") != std::string::npos);
  const auto provisions = Convention::parse(rules_with(1, 65), "provisions.toml");
  REQUIRE_FALSE(provisions.ok());
  CHECK(provisions.error().message.find("at most 64") != std::string::npos);
}

TEST_CASE("an enumeration's items are read with their lead-in, and quoted alone", "[analysis]") {
  const std::string text =
      "Seront punis d'un emprisonnement de un à cinq ans:\n"
      "ceux qui auront vendu des substances;\n"
      "ceux qui auront facilité à autrui l'usage, à l'exception des moyens agréés;\n"
      "ceux qui auront fait une publicité.\n"
      "Le minimum est de deux ans; il est doublé en cas de récidive.";
  const auto spans = text::sentences(text);
  std::vector<std::string> items, leads;
  for (const auto& s : spans) {
    items.push_back(text.substr(s.begin, s.end - s.begin));
    leads.push_back(s.has_lead() ? text.substr(s.lead_begin, s.lead_end - s.lead_begin) : "");
  }
  // The whole sentence, then each item with the lead-in; a semicolon without a lead-in
  // ending in a colon splits nothing.
  REQUIRE(items.size() == 5);
  CHECK(items[0].rfind("Seront punis", 0) == 0);
  CHECK(items[0].find("publicité.") != std::string::npos);
  CHECK(items[2] == "ceux qui auront facilité à autrui l'usage, à l'exception des moyens agréés;");
  CHECK(leads[2] == "Seront punis d'un emprisonnement de un à cinq ans:");
  CHECK(items[3] == "ceux qui auront fait une publicité.");
  CHECK(leads[1] == leads[3]);
  CHECK(items[4] == "Le minimum est de deux ans; il est doublé en cas de récidive.");
  CHECK(leads[4].empty());
}

TEST_CASE("patterns are for languages of the languages table, which the index reads too", "[analysis]") {
  const auto bad = Convention::parse(
      "[[signal]]\nid = \"s\"\n[signal.patterns]\nxx = [\"word\"]\n"
      "[[provision]]\nid = \"p\"\nquestion = \"q?\"\n[provision.topic]\nen = [\"topic\"]\n"
      "[[provision.effect]]\nsignal = \"s\"\neffect = \"permission\"\n",
      "langs.toml");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("languages/xx.toml") != std::string::npos);
  // Every language the rules cover has a table, and the table says whether it is stemmed.
  for (const auto& l : Convention::builtin().languages()) {
    INFO(l);
    const auto* table = hrtrack::corpus::languages::find(l);
    REQUIRE(table);
    if (table->stemmer == "none") CHECK_FALSE(hrtrack::index::stems(l));
  }
  CHECK(hrtrack::index::stems("en"));
  CHECK_FALSE(hrtrack::index::stems("cs"));
}
