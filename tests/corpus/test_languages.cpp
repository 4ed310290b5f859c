// The language tables (languages/*.toml): every built-in file loads, a malformed one is
// refused with its name, and detection tells Czech, Estonian and Greek legislation apart.
#include <catch2/catch.hpp>

#include <algorithm>

#include "golden.hpp"
#include "hrtrack/corpus/parse.hpp"
#include "languages.hpp"
#include "numbered_text.hpp"

using namespace hrtrack::corpus;
using namespace hrtrack::test;

namespace {
bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}
}  // namespace

TEST_CASE("languages: the built-in tables load, one per ISO 639-1 code", "[languages]") {
  const auto& all = languages::builtin();
  std::vector<std::string> codes;
  for (const auto& l : all) codes.push_back(l.code);
  for (const char* code : {"cs", "de", "el", "en", "es", "et", "fr", "it", "nl", "no", "pt", "sw"}) {
    INFO(code);
    CHECK(has(codes, code));
  }
  const languages::Language* fr = languages::find("fr");
  REQUIRE(fr != nullptr);
  CHECK(fr->name == "French");
  CHECK(has(fr->section_labels, "Article"));
  CHECK(has(fr->repealed_markers, "(abrogé)"));
  const auto chapitre = std::find_if(fr->structure_words.begin(), fr->structure_words.end(),
                                     [](const auto& w) { return w.first == "Chapitre"; });
  REQUIRE(chapitre != fr->structure_words.end());
  const auto livre = std::find_if(fr->structure_words.begin(), fr->structure_words.end(),
                                  [](const auto& w) { return w.first == "Livre"; });
  REQUIRE(livre != fr->structure_words.end());
  CHECK(livre->second < chapitre->second);  // a Livre holds Chapitres
  for (const auto& l : all) {
    INFO(l.code);
    CHECK_FALSE(l.section_labels.empty());
    CHECK(l.function_words.size() >= 10);
  }
  CHECK(languages::find("xx") == nullptr);
}

TEST_CASE("languages: a malformed table is refused with the file's name", "[languages]") {
  auto bad_toml = languages::parse("name = \"Klingon\"\nsection_labels = [\"x\"", "languages/tl.toml");
  REQUIRE_FALSE(bad_toml.ok());
  CHECK(bad_toml.error().message.rfind("languages/tl.toml:", 0) == 0);

  auto missing = languages::parse("name = \"Klingon\"\n", "languages/tl.toml");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "languages/tl.toml: missing \"section_labels\"");

  auto bad_rank = languages::parse(
      "name = \"K\"\nsection_labels = [\"Art.\"]\nappendix_labels = []\nfunction_words = []\n"
      "[structure_words]\nPart = \"one\"\n", "languages/tl.toml");
  REQUIRE_FALSE(bad_rank.ok());
  CHECK(bad_rank.error().message.find("\"Part\"") != std::string::npos);

  auto bad_name = languages::parse("name = \"K\"\n", "languages/klingon.toml");
  REQUIRE_FALSE(bad_name.ok());
  CHECK(bad_name.error().message.rfind("languages/klingon.toml: ", 0) == 0);

  auto good = languages::parse(
      "name = \"K\"\nsection_labels = [\"Art.\"]\nappendix_labels = []\nfunction_words = [\"qa\"]\n"
      "[structure_words]\nPart = 1\n", "languages/tl.toml");
  REQUIRE(good.ok());
  CHECK(good->code == "tl");
  CHECK(good->structure_words == std::vector<std::pair<std::string, int>>{{"Part", 1}});
}

TEST_CASE("languages: case folding keeps byte offsets for Latin and Greek", "[languages]") {
  CHECK(languages::fold_case("ARTÍCULO") == "artículo");
  CHECK(languages::fold_case("ČÁST PRVNÍ") == "část první");
  CHECK(languages::fold_case("ΚΕΦΑΛΑΙΟ Άρθρο") == "κεφαλαιο άρθρο");
  CHECK(languages::fold_case("ŽALOBA Ĺ") == "žaloba ĺ");
  CHECK(languages::fold_case("§ 15¹") == "§ 15¹");
}

TEST_CASE("languages: Czech, Estonian and Greek legislation is detected", "[languages]") {
  CHECK(parse_shared("CZ/zakon-167-1998.md").language == "cs");
  CHECK(parse_shared("EE/npals.md").language == "et");
  CHECK(parse_shared("GR/n4139-2013.md").language == "el");
  CHECK(parse_shared("AR/ley-23737.md").language == "es");
  CHECK(parse_shared("LU/loi-1973-02-19.md").language == "fr");
  CHECK(parse_shared("DE/btmg_1981.bundestag.md").language == "de");
}

TEST_CASE("languages: a word is a label in one language and a division in another",
          "[languages]") {
  // French "Section 1 : ..." divides a Chapitre; English "Section 5" is a section.
  CHECK_FALSE(numbered::match("Section 1 : Des atteintes volontaires à la vie", numbered::Grammar::of("fr")));
  CHECK(numbered::structure_rank("Section 1 : Des atteintes volontaires à la vie", numbered::Grammar::of("fr")) > 0);
  const auto en = numbered::match("Section 5. Definitions", numbered::Grammar::of("en"));
  REQUIRE(en);
  CHECK(en->number == "5");
  // Unknown language: every label of every language.
  const auto any = numbered::match("Άρθρο 29");
  REQUIRE(any);
  CHECK(any->number == "29");
}
