// The evidence base of an evaluation: each deciding section looked up in the store as of the
// label's date under the label's names for its instrument, and the quote looked for in its
// text; on real files, and the quote comparison on its own.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "analysis_fixture.hpp"
#include "text.hpp"

using namespace hrtrack;
using nlohmann::json;

namespace {

// The CDSA before (pit 2019-09-19) and after the diversion sections 10.1-10.7 arrived, and
// the Luxembourg law of 1973 with the 2023 law amending it, each dated as MANIFEST.tsv says.
struct EvidenceCorpus {
  test::TempDir dir;
  std::unique_ptr<corpus::Store> store;
  std::unique_ptr<analysis::Engine> engine;
};

EvidenceCorpus& evidence_corpus() {
  static auto c = [] {
    auto c = std::make_unique<EvidenceCorpus>();
    c->store = std::move(corpus::Store::open(c->dir.path()).value());
    corpus::Importer importer(*c->store);
    importer.import_paths({test::legislation("history/CA/eng_acts_C-38.8@2021-02-26.xml"),
                           test::legislation("CA/eng_acts_C-38.8.xml")},
                          {});
    for (const auto& [file, date] : std::vector<std::pair<std::string, std::string>>{
             {"LU/loi-1973-02-19.md", "1973-02-19"}, {"LU/loi-2023-07-10-a408.md", "2023-07-10"}}) {
      corpus::ImportOptions options;
      options.as_of = date;
      options.jurisdiction = "LU";
      options.language = "fr";
      importer.import_paths({test::legislation(file)}, options);
    }
    analysis::EngineConfig config;
    config.data_dir = c->dir.path();
    config.persist = false;
    config.use_index = false;
    c->engine = std::move(analysis::Engine::open(*c->store, config).value());
    return c;
  }();
  return *c;
}

// The Luxembourg instruments and aliases as the development labels name them.
json luxembourg_names() {
  const json dev = json::parse(test::read_file(test::shared_dir() / "eval" / "labels-dev.json"));
  for (const auto& j : dev["jurisdictions"])
    if (j["jurisdiction"] == "LU") return {{"instruments", j["instruments"]}, {"aliases", j["aliases"]}};
  FAIL("labels-dev.json has no LU");
  return {};
}

analysis::Evaluation evaluate(const json& labels) {
  test::TempDir dir;
  const auto file = dir.path() / "labels.json";
  std::ofstream(file) << labels.dump();
  auto e = evidence_corpus().engine->evaluate(file);
  INFO((e ? "" : e.error().message));
  REQUIRE(e.ok());
  return std::move(e.value());
}

json answer(const std::string& provision, const std::string& status, const std::vector<std::string>& deciding,
            const std::string& quote) {
  return {{"provision", provision}, {"status", status}, {"deciding", deciding}, {"quote", quote}};
}

const analysis::EvidenceBase& base_of(const analysis::Evaluation& e, const std::string& jurisdiction,
                                      const std::string& provision) {
  const auto it = std::find_if(e.evidence_base.begin(), e.evidence_base.end(), [&](const auto& b) {
    return b.jurisdiction == jurisdiction && b.provision == provision;
  });
  REQUIRE(it != e.evidence_base.end());
  return *it;
}

const char* const kPossession =
    "Except as authorized under the regulations, no person shall possess a substance included in Schedule I, II or "
    "III.";

}  // namespace

TEST_CASE("a deciding section is looked up as of the label's date: one that came later is missing",
          "[analysis][evidence]") {
  for (const auto& [as_of, diversion_found] :
       std::vector<std::pair<std::string, bool>>{{"2021-01-01", false}, {"2026-06-05", true}}) {
    INFO(as_of);
    const auto e = evaluate({{"jurisdictions",
                              {{{"jurisdiction", "CA"},
                                {"as_of", as_of},
                                {"instruments", {{"C-38.8", "Controlled Drugs and Substances Act"}}},
                                {"aliases", {{"C-38.8", {"CDSA"}}}},
                                {"answers", {answer("possession", "restricted", {"C-38.8#4", "C-38.8#10.2", "CDSA#4"},
                                                    kPossession)}}}}}});
    const auto& b = base_of(e, "CA", "possession");
    REQUIRE(b.deciding.size() == 3);
    CHECK(b.as_of == as_of);
    CHECK(b.deciding[0].found);
    CHECK(b.deciding[0].quote_here);
    CHECK(b.deciding[1].reference == "C-38.8#10.2");
    CHECK(b.deciding[1].found == diversion_found);
    CHECK_FALSE(b.deciding[1].quote_here);
    // A label alias resolves to the store's identifier.
    CHECK(b.deciding[2].found);
    CHECK(b.deciding[2].section_id == "C-38.8#4");
    CHECK(b.quote_found);
    REQUIRE(e.jurisdictions.size() == 1);
    CHECK(e.jurisdictions[0].deciding_total == 3);
    CHECK(e.jurisdictions[0].deciding_found == (diversion_found ? 3 : 2));
    CHECK(e.jurisdictions[0].quotes_found == 1);
    CHECK(e.not_in_store.empty());
  }
}

TEST_CASE("quotes match across typographic apostrophes and dashes; missing sections and quotes are reported",
          "[analysis][evidence]") {
  json lu = luxembourg_names();
  lu["jurisdiction"] = "LU";
  // Before the 2001 amendments: art. 7 in its 1973 wording (later versions are consolidated
  // from the amending laws).
  lu["as_of"] = "2000-01-01";
  lu["answers"] = {
      // The 1973 text has straight apostrophes and hyphens; the label typographic ones, a
      // no-break space and en dashes.
      answer("possession", "restricted", {"Loi du 19 février 1973#7", "Loi du 19 février 1973#99"},
             "Seront punis d\u2019un emprisonnement de trois mois \u00e0 trois ans et d\u2019une amende de "
             "1.000,\u2013 \u00e0\u00a0100.000,\u2013 Fr. ou de l\u2019une de ces peines seulement"),
      answer("urine-testing", "contrary", {"Loi du 19 février 1973#4"}, "This sentence is in no law of Luxembourg."),
      answer("drug-checking", "silent", {}, "")};
  const json xx = {{"jurisdiction", "XX"},
                   {"as_of", "2020-01-01"},
                   {"answers", {answer("possession", "contrary", {"Law#1"}, "Possession is an offence.")}}};
  const auto e = evaluate({{"jurisdictions", {lu, xx}}});

  const auto& possession = base_of(e, "LU", "possession");
  REQUIRE(possession.deciding.size() == 2);
  CHECK(possession.deciding[0].found);
  CHECK(possession.deciding[0].quote_here);
  CHECK(possession.quote_found);
  // Named by the label, stored under the store's identifier for the 1973 law.
  const auto address = corpus::SectionAddress::parse(possession.deciding[0].section_id);
  REQUIRE(address);
  CHECK(address->section == "7");
  const auto law = evidence_corpus().store->find_instrument(address->instrument);
  REQUIRE(law);
  CHECK(law->jurisdiction == "LU");
  CHECK_FALSE(possession.deciding[1].found);
  CHECK(possession.deciding[1].section_id == "Loi du 19 février 1973#99");

  const auto& urine = base_of(e, "LU", "urine-testing");
  REQUIRE(urine.deciding.size() == 1);
  CHECK(urine.deciding[0].found);
  CHECK_FALSE(urine.deciding[0].empty);
  CHECK_FALSE(urine.quote_found);

  // A silent reference has no evidence base; a jurisdiction the store lacks is all missing.
  CHECK(std::none_of(e.evidence_base.begin(), e.evidence_base.end(),
                     [](const auto& b) { return b.provision == "drug-checking"; }));
  CHECK(e.not_in_store == std::vector<std::string>{"XX"});
  CHECK_FALSE(base_of(e, "XX", "possession").deciding.at(0).found);

  REQUIRE(e.jurisdictions.size() == 2);
  const auto& t = e.jurisdictions[0];
  CHECK(t.key == "LU");
  CHECK(t.answers == 3);
  CHECK(t.evidence_total == 2);
  CHECK(t.deciding_total == 3);
  CHECK(t.deciding_found == 2);
  CHECK(t.quotes_total == 2);
  CHECK(t.quotes_found == 1);
  CHECK(e.jurisdictions[1].deciding_found == 0);
  CHECK(e.jurisdictions[1].answers == 1);
  CHECK(e.all.deciding_total == 4);
  CHECK(e.answers == 4);
}

TEST_CASE("the quote comparison normalises what typesetting changes, and nothing else", "[analysis][evidence]") {
  using analysis::text::quote_form;
  CHECK(quote_form("d\u2019un  emprisonnement\u00a0de\n trois") == "d'un emprisonnement de trois");
  CHECK(quote_form("\u201cquoted\u201d \u00abcit\u00e9\u00bb") == "\"quoted\" \"cit\u00e9\"");
  CHECK(quote_form("1.000,\u2013 Fr. \u2014 or") == quote_form("1.000,- Fr. - or"));
  CHECK(quote_form("Be\u00adt\u00e4ubungs\u00admittel") == "Bet\u00e4ubungsmittel");
  // A word hyphenated at a line end reads whole; a compound broken after its hyphen too.
  CHECK(quote_form("\u03b5\u03be\u03b1\u03c1\u03c4\u03b7-\n\u03c3\u03b9\u03bf\u03b3\u03cc\u03bd\u03c9\u03bd") ==
        quote_form("\u03b5\u03be\u03b1\u03c1\u03c4\u03b7\u03c3\u03b9\u03bf\u03b3\u03cc\u03bd\u03c9\u03bd"));
  CHECK(quote_form("drug-\n  free zone") == quote_form("drug-free zone"));
  // A dash between words on two lines is punctuation, not hyphenation.
  CHECK(quote_form("penalty \u2013\nfine") == "penalty fine");
  CHECK(quote_form(" \n\u00a0").empty());
  CHECK(quote_form("Shall") != quote_form("shall"));
  CHECK(quote_form("possess") != quote_form("pos sess"));
  // Invalid UTF-8 is kept, not dropped.
  CHECK(quote_form("a\xff" "b") == "a\xff" "b");
}

TEST_CASE("the labels' quotes of markdown laws are in their files' text, compared as evaluate does",
          "[analysis][evidence]") {
  // Independent of the parsers: the raw files of the jurisdictions whose laws are markdown
  // (one article a paragraph or more, typographic apostrophes in some, none in others).
  const json dev = json::parse(test::read_file(test::shared_dir() / "eval" / "labels-dev.json"));
  int checked = 0;
  for (const auto& j : dev["jurisdictions"]) {
    const std::string code = j["jurisdiction"];
    std::string all;
    bool markdown_only = true;
    for (const auto& folder : {test::legislation(code), test::legislation("history/" + code)}) {
      std::error_code ec;
      for (const auto& f : std::filesystem::directory_iterator(folder, ec)) {
        if (f.path().extension() == ".md") all += test::read_file(f.path()) + "\n";
        else markdown_only = false;
      }
    }
    if (all.empty() || !markdown_only) continue;
    const std::string text = analysis::text::quote_form(all);
    for (const auto& a : j["answers"]) {
      const std::string quote = a.value("quote", "");
      if (quote.empty()) continue;
      INFO(code << " " << a.value("provision", ""));
      CHECK(text.find(analysis::text::quote_form(quote)) != std::string::npos);
      ++checked;
    }
  }
  CHECK(checked >= 20);
}
