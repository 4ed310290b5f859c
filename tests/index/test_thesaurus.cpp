// The Convention's concept thesaurus (convention/concepts.toml).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "hrtrack/index/thesaurus.hpp"

using hrtrack::index::Thesaurus;

TEST_CASE("the built-in thesaurus covers every Convention concept in eight languages", "[index]") {
  const auto& th = Thesaurus::builtin();
  for (const char* id : {"possession", "needle-exchange", "substitution", "drug-checking", "consumption-rooms",
                         "experimental-distribution", "paraphernalia", "voluntary-treatment", "urine-testing",
                         "life-saving-care"}) {
    const auto* c = th.find(id);
    INFO(id);
    REQUIRE(c);
    CHECK_FALSE(c->label.empty());
    for (const char* lang : {"en", "fr", "de", "nl", "no", "es", "pt", "it"}) {
      INFO(lang);
      CHECK(c->terms.count(lang) == 1);
    }
  }
  // The statutes' own words.
  const auto& de = th.find("consumption-rooms")->terms.at("de");
  CHECK(std::find(de.begin(), de.end(), "Drogenkonsumraum") != de.end());
}

TEST_CASE("the thesaurus file in the source tree is the one built in", "[index]") {
  const auto file = std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "convention" / "concepts.toml";
  auto loaded = Thesaurus::load(file);
  REQUIRE(loaded.ok());
  CHECK(loaded->fingerprint() == Thesaurus::builtin().fingerprint());
}

TEST_CASE("a malformed thesaurus is an error naming the file and the concept", "[index]") {
  auto bad_toml = Thesaurus::parse("[[concept]\nid = 1", "t.toml");
  REQUIRE_FALSE(bad_toml.ok());
  CHECK_THAT(bad_toml.error().message, Catch::StartsWith("t.toml: line 1"));

  auto bad_id = Thesaurus::parse("[[concept]]\nid = \"Needle Exchange\"\n[concept.terms]\nen = [\"x\"]\n", "t.toml");
  REQUIRE_FALSE(bad_id.ok());
  CHECK_THAT(bad_id.error().message, Catch::Contains("id 'Needle Exchange'"));

  auto no_terms = Thesaurus::parse("[[concept]]\nid = \"a\"\n", "t.toml");
  REQUIRE_FALSE(no_terms.ok());
  CHECK_THAT(no_terms.error().message, Catch::Contains("(a): no [concept.terms]"));

  auto bad_lang = Thesaurus::parse("[[concept]]\nid = \"a\"\n[concept.terms]\neng = [\"x\"]\n", "t.toml");
  REQUIRE_FALSE(bad_lang.ok());
  CHECK_THAT(bad_lang.error().message, Catch::Contains("'eng' is not an ISO 639-1"));

  auto twice = Thesaurus::parse(
      "[[concept]]\nid = \"a\"\n[concept.terms]\nen = [\"x\"]\n[[concept]]\nid = \"a\"\n[concept.terms]\nen = [\"y\"]\n",
      "t.toml");
  REQUIRE_FALSE(twice.ok());
  CHECK_THAT(twice.error().message, Catch::Contains("'a' appears twice"));
}
