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

TEST_CASE("labels: numbers as a lawyer cites them", "[languages][labels]") {
  const struct {
    const char* line;
    const char* language;
    const char* number;
    const char* rest;
  } cases[] = {
      {"Article L3421-1", "fr", "l3421-1", ""},
      {"Article R5143-5-2", "fr", "r5143-5-2", ""},
      {"Article 222-37", "fr", "222-37", ""},
      {"Art. 1er.", "fr", "1", ""},
      {"Art. 7-1.", "fr", "7-1", ""},
      {"ARTÍCULO 1° — La presente ley", "es", "1", "La presente ley"},
      {"ARTICULO 14.- Será reprimido", "es", "14", "Será reprimido"},
      {"Art. 26 Bis — La prueba", "es", "26bis", "La prueba"},
      {"Artículo 204 quáter: Será", "es", "204quáter", "Será"},
      {"§ 15¹. Narkootilise aine käitlemine", "et", "15¹", "Narkootilise aine käitlemine"},
      {"§ 33a", "cs", "33a", ""},
      {"Článek 5", "cs", "5", ""},
      {"ΑΡΘΡΟ 29", "el", "29", ""},
      {"§ 10.1 Begriffe", "de", "10.1", "Begriffe"},
  };
  for (const auto& c : cases) {
    INFO(c.line);
    const auto m = numbered::match(c.line, numbered::Grammar::of(c.language));
    REQUIRE(m);
    CHECK(m->number == c.number);
    CHECK(m->rest == c.rest);
  }
  // Running text is no label: a citation goes on, or the sentence continues in lower case.
  CHECK_FALSE(numbered::match_heading_line("§ 36 odst. 1 písm. l) a q)", numbered::Grammar::of("cs")));
  CHECK_FALSE(numbered::match_heading_line("Artículo 33, Párrafo incorporado por art. 11", numbered::Grammar::of("es")));
  CHECK_FALSE(numbered::match_heading_line("artículo 30 sustituido por art. 1°", numbered::Grammar::of("es")));
  CHECK_FALSE(numbered::match_heading_line("Section 5 of the Act applies", numbered::Grammar::of("en")));
  // Citations of such sections find them.
  CHECK(normalize_section_number("1°") == "1");
  CHECK(normalize_section_number("Art. 1er") == "1");
  CHECK(normalize_section_number("14 bis") == "14bis");
  CHECK(normalize_section_number("R5143-5-2") == "r5143-5-2");
}
