// Identity and dates from the document itself: the name a lawyer cites, the other names
// as aliases, one instrument per law whatever the rendering, and a version date from the
// document (never the day of the import).
#include <catch2/catch.hpp>

#include <filesystem>

#include "document_identity.hpp"
#include "golden.hpp"
#include "hrtrack/corpus/import.hpp"
#include "hrtrack/corpus/inspect.hpp"
#include "hrtrack/corpus/store.hpp"
#include "shared.hpp"

using namespace hrtrack::corpus;
using hrtrack::test::legislation;
using hrtrack::test::parse_bytes;
using hrtrack::test::parse_shared;
using hrtrack::test::TempDir;

namespace {

bool has_alias(const ParsedDocument& d, const std::string& a) {
  return std::find(d.aliases.begin(), d.aliases.end(), a) != d.aliases.end();
}

std::unique_ptr<Store> open(const std::filesystem::path& dir) {
  auto s = Store::open(dir);
  REQUIRE(s.ok());
  return std::move(s).value();
}

}  // namespace

TEST_CASE("identity: a kind and a number, without the number sign", "[identity]") {
  CHECK(identity::kind_and_number("Ley N° 23.737") == "Ley 23.737");
  CHECK(identity::kind_and_number("**LEY Nº 26.934**") == "Ley 26.934");
  CHECK(identity::kind_and_number("Zákon č. 167/1998 Sb.") == "Zákon 167/1998 Sb.");
  CHECK(identity::kind_and_number("ΝΟΜΟΣ ΥΠ’ ΑΡΙΘ. 4139") == "Νόμος 4139");
  // A sentence that starts with a law's name is not the law's name.
  CHECK(identity::kind_and_number("Ley N° 10.903. Remplázanse los artículos 25 y 26 de la") == "");
  CHECK(identity::kind_and_number("Loi du 19 février 1973") == "");
}

TEST_CASE("identity: a kind and a date", "[identity]") {
  CHECK(identity::kind_and_date("Loi du 19 février 1973 concernant la vente de substances") ==
        "Loi du 19 février 1973");
  CHECK(identity::kind_and_date("Loi n° 70-1320 du 31 décembre 1970 relative aux mesures") ==
        "Loi n° 70-1320 du 31 décembre 1970");
  CHECK(identity::kind_and_date("Code pénal") == "");
  CHECK(identity::kind_and_date("Loi 1973") == "");  // no date joined to the kind
}

TEST_CASE("identity: front matter of published renderings", "[identity]") {
  SECTION("an abbreviation the publisher gives is the identifier; its ids are aliases") {
    const auto d = parse_shared("EE/npals.md");
    CHECK(d.identifier == "NPALS");
    CHECK(d.jurisdiction == "EE");
    CHECK(has_alias(d, "73726"));                            // the database id
    CHECK(has_alias(d, "https://www.riigiteataja.ee/akt/117032026007"));  // the source URL
    CHECK(has_alias(d, "npals"));                            // the file name
    CHECK(d.date == "2026-04-01");
    CHECK(d.date_source == "front matter: effective_from");
  }
  SECTION("an official citation gives the kind and number") {
    const auto d = parse_shared("CZ/zakon-167-1998.md");
    CHECK(d.identifier == "Zákon 167/1998 Sb.");
    CHECK(has_alias(d, "167/1998 Sb."));
    CHECK(has_alias(d, "167/1998"));
    CHECK(has_alias(d, "SB-1998-167"));
    CHECK(has_alias(d, "/eli/cz/sb/1998/167/2026-01-01"));
    CHECK(d.date == "2026-01-01");
  }
  SECTION("a title that says nothing: the preamble names the law") {
    const auto d = parse_shared("AR/ley-23737.md");
    CHECK(d.identifier == "Ley 23.737");
    CHECK(has_alias(d, "LEY-23737"));
    CHECK(d.date == "2016-11-08");
  }
  SECTION("a law's number; the number with its year is an alias") {
    const auto d = parse_shared("GR/n4139-2013.md");
    CHECK(d.identifier == "Νόμος 4139");
    CHECK(has_alias(d, "4139/2013"));
    CHECK(has_alias(d, "Νόμος 4139/2013"));
    CHECK(has_alias(d, "FEK-A-74-2013"));
  }
  SECTION("a law named by its date; as published, it is dated by its entry into force") {
    const auto d = parse_shared("LU/loi-1973-02-19.md");
    CHECK(d.identifier == "Loi du 19 février 1973");
    CHECK(has_alias(d, "http://data.legilux.public.lu/eli/etat/leg/loi/1973/02/19/n1"));
    CHECK(has_alias(d, "/eli/etat/leg/loi/1973/02/19/n1/jo"));
    CHECK(d.date == "1973-03-06");
    CHECK(d.date_source == "front matter: entry_in_force");
  }
  SECTION("a code is named by its title") {
    const auto d = parse_shared("FR/code-penal.md");
    CHECK(d.identifier == "Code pénal");
    CHECK(has_alias(d, "LEGITEXT000006070719"));
    CHECK(d.date == "2026-04-02");
  }
}

TEST_CASE("dates: a placeholder is no date; a later entry into force wins", "[identity]") {
  CHECK(identity::version_date({{"publication_date", "1900-01-01"}}).date.empty());
  CHECK(identity::version_date({{"last_updated", "2005-05-20"}, {"publication_date", "1900-01-01"}}).date ==
        "2005-05-20");
  const auto d = identity::version_date({{"last_updated", "2018-07-20"}, {"entry_in_force", "2018-08-05"}});
  CHECK(d.date == "2018-08-05");
  CHECK(d.source == "front matter: entry_in_force");
  // A consolidated text applies from its own date, after the law's entry into force.
  CHECK(identity::version_date({{"last_updated", "2026-01-01"}, {"entry_in_force", "1999-01-01"}}).date ==
        "2026-01-01");
}

TEST_CASE("dates: a document without one is undated, or takes --as-of", "[identity][store]") {
  const std::string md = "---\ntitle: Gesetz zur Probe (ProbG)\n---\n# Gesetz zur Probe (ProbG)\n\n## § 1 Zweck\n\nText.\n";
  const auto undated = parse_bytes(md, "probe.md");
  CHECK(undated.date.empty());
  CHECK(undated.date_source.empty());
  ImportOptions given;
  given.as_of = "2020-05-01";
  auto ctx = import_context("probe.md", given);
  auto dated = parse_document(md, ctx);
  REQUIRE(dated.ok());
  CHECK(dated->date == "2020-05-01");
  CHECK(dated->date_source == "--as-of");
  // The file name's date is a fallback too, behind the document's own.
  ctx = import_context("x/probe@2019-02-03.md", given);
  dated = parse_document(md, ctx);
  REQUIRE(dated.ok());
  CHECK(dated->date == "2019-02-03");
  CHECK(dated->date_source == "file name");
}

TEST_CASE("an undated rendering never becomes the latest over a dated text", "[identity][store]") {
  // The markdown rendering carries no date; the gii text is dated. In either order, the
  // latest version of BtMG is the gii text, and § 10b (drug checking, 2023) is in it.
  for (const auto& order : {std::vector<std::string>{"DE/btmg_1981.bundestag.md", "DE/btmg_1981.gii.xml"},
                            std::vector<std::string>{"DE/btmg_1981.gii.xml", "DE/btmg_1981.bundestag.md"}}) {
    TempDir d;
    auto s = open(d.path());
    Importer imp(*s);
    std::vector<std::filesystem::path> paths;
    for (const auto& f : order) paths.push_back(legislation(f));
    const auto r = imp.import_paths(paths, {});
    REQUIRE(r.failures.empty());
    const auto in = s->find_instrument("BtMG");
    REQUIRE(in);
    CHECK(s->versions(in->id).size() == 2);  // one instrument, two renderings
    const auto latest = s->version_as_of(in->id, "de", "");
    REQUIRE(latest);
    CHECK(latest->format == "gii");
    CHECK(latest->date_source == "dokumente builddate");
    CHECK(s->section(latest->id, "10b"));
    // The undated one is kept, and is what is in force for a date before any dated text.
    const auto versions = s->versions(in->id);
    CHECK(versions.front().date.empty());
  }
}

TEST_CASE("renderings and languages that share a name are one instrument", "[identity][store]") {
  TempDir dir;
  auto store = open(dir.path());
  Importer importer(*store);
  const auto r = importer.import_paths({legislation("FR/code-penal.md"), legislation("history/FR")}, {});
  for (const auto& f : r.failures) FAIL_CHECK(f.reason);
  const auto fr = store->instruments("FR");
  REQUIRE(fr.size() == 2);  // the Code pénal and the Code de la santé publique
  const auto cp = store->find_instrument("LEGITEXT000006070719");
  REQUIRE(cp);
  CHECK(cp->identifier == "Code pénal");
  CHECK(store->versions(cp->id).size() == 6);
  // Every name resolves: the file name of a dated rendering, the database id, the title.
  CHECK(store->find_instrument("code-penal@1994-03-01"));
  CHECK(store->find_instrument("code-penal")->id == cp->id);
}

TEST_CASE("inspect: warnings a person can act on", "[identity][inspect]") {
  ParsedDocument d;
  d.identifier = "probe";
  for (const char* n : {"1", "2", "12", "3"}) {
    ParsedSection s;
    s.number = n;
    s.text = "x";
    d.sections.push_back(s);
  }
  d.sections[1].text.assign(40'000, 'y');
  d.sections.push_back(d.sections[0]);
  const auto x = inspect(d, "probe");
  auto has = [&](const std::string& part) {
    return std::any_of(x.warnings.begin(), x.warnings.end(),
                       [&](const std::string& w) { return w.find(part) != std::string::npos; });
  };
  CHECK(has("numbering jumps from 2 to 12"));
  CHECK(has("numbering goes back from 12 to 3"));
  CHECK(has("section 2 is 40000 characters"));
  CHECK(has("section 1 appears 2 times"));
  CHECK(has("no date found"));
  CHECK(has("identified by its file name"));
}

TEST_CASE("a source may name the instrument when the document cannot", "[identity][store]") {
  TempDir dir;
  auto store = open(dir.path());
  Importer importer(*store);
  ImportOptions options;
  options.identifier = "ProbeG";
  options.jurisdiction = "DE";
  const std::string md = "---\ntitle: Gesetz zur Probe\n---\n# Gesetz zur Probe\n\n## § 1 Zweck\n\nText.\n";
  const auto r = importer.import_bytes(md, "probe.md", options);
  REQUIRE(r.ok());
  const auto in = store->find_instrument("ProbeG");
  REQUIRE(in);
  CHECK(in->identifier == "ProbeG");
  CHECK(store->find_instrument("Gesetz zur Probe")->id == in->id);  // its own name, an alias
}
