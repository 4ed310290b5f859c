// Golden tests for Justice Canada XML, on the real files in shared/legislation/CA.
#include <catch2/catch.hpp>

#include "hrtrack/corpus/parse.hpp"
#include "shared.hpp"

using namespace hrtrack::corpus;
using hrtrack::test::legislation;
using hrtrack::test::read_file;

namespace {

ParsedDocument parse(const std::string& relative) {
  const std::string bytes = read_file(legislation(relative));
  ParseContext ctx;
  ctx.source = relative;
  auto r = parse_document(bytes, ctx);
  INFO(relative << ": " << (r ? "" : r.error().message));
  REQUIRE(r.ok());
  REQUIRE(r->format == Format::justice_canada);
  return std::move(r).value();
}

const ParsedSection& section(const ParsedDocument& d, const std::string& number) {
  for (const auto& s : d.sections)
    if (s.number == number) return s;
  FAIL("no section " << number << " in " << d.identifier);
  throw;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

TEST_CASE("CDSA (English): identifier, date and the possession offence", "[justice]") {
  const auto d = parse("CA/eng_acts_C-38.8.xml");
  CHECK(d.identifier == "C-38.8");
  CHECK(d.title == "Controlled Drugs and Substances Act");
  CHECK(d.language == "en");
  CHECK(d.jurisdiction == "CA");
  CHECK(d.type == InstrumentType::act);
  CHECK(d.date == "2026-06-05");
  CHECK(std::find(d.aliases.begin(), d.aliases.end(), "1996, c. 19") != d.aliases.end());
  CHECK(d.sections.size() == 102);
  CHECK(d.sections.front().number == "1");
  CHECK(d.sections.back().number == "schedule-ix");

  const auto& s4 = section(d, "4");
  CHECK(s4.heading == "Possession of substance");
  CHECK(starts_with(s4.text, "(1) Except as authorized under the regulations, no person shall "
                             "possess a substance included in Schedule I, II or III.\n"));
  CHECK(s4.path == std::vector<std::string>{"PART I Offences and Punishment", "Particular Offences"});
  CHECK(s4.in_force == InForce::yes);
  // A subsection's marginal note stands on its own line, before the labelled text.
  CHECK(s4.text.find("\nObtaining substance\n(2) No person shall seek or obtain\n") != std::string::npos);
}

TEST_CASE("CDSA: diversion sections 10.1 to 10.7 and the supervised consumption exemption", "[justice]") {
  const auto d = parse("CA/eng_acts_C-38.8.xml");
  for (const char* n : {"10.1", "10.2", "10.3", "10.4", "10.5", "10.6", "10.7"}) CHECK(section(d, n).in_force == InForce::yes);
  CHECK(section(d, "10.2").heading == "Warnings and referrals");
  const auto& s561 = section(d, "56.1");
  CHECK(s561.heading == "Exemption for medical purpose — supervised consumption site");
  CHECK(starts_with(s561.text, "(1) For the purpose of allowing certain activities to take place at a "
                               "supervised consumption site, the Minister may"));
  // Repealed sections are marked.
  CHECK(section(d, "8").in_force == InForce::repealed);
  CHECK(section(d, "8").text == "[Repealed, 2022, c. 15, s. 18]");
  // Markup references are kept as citations.
  const auto& s1 = section(d, "1");
  REQUIRE_FALSE(s1.citations.empty());
  CHECK(s1.citations.front().target_instrument == "C-38.8");
}

TEST_CASE("CDSA (French) is a language version of the same instrument", "[justice]") {
  const auto d = parse("CA/fra_lois_C-38.8.xml");
  CHECK(d.identifier == "C-38.8");
  CHECK(d.language == "fr");
  CHECK(d.title == "Loi réglementant certaines drogues et autres substances");
  CHECK(starts_with(section(d, "4").text, "(1) Sauf dans les cas autorisés aux termes des règlements, "
                                          "la possession de toute substance inscrite aux annexes I, II ou III est interdite."));
  CHECK(section(d, "56.1").in_force == InForce::yes);
}

TEST_CASE("Regulations: French numbers map to the English identifier", "[justice]") {
  const auto en = parse("CA/eng_regulations_SOR-2025-242.xml");
  const auto fr = parse("CA/fra_reglements_DORS-2025-242.xml");
  CHECK(en.identifier == "SOR/2025-242");
  CHECK(fr.identifier == "SOR/2025-242");
  CHECK(std::find(fr.aliases.begin(), fr.aliases.end(), "DORS/2025-242") != fr.aliases.end());
  CHECK(en.type == InstrumentType::regulation);
  CHECK(en.date == "2026-04-17");
  CHECK(parse("CA/fra_reglements_C.R.C._ch._1041.xml").identifier == "C.R.C., c. 1041");
  const auto ncr = parse("CA/eng_regulations_C.R.C._c._1041.xml");
  CHECK(ncr.identifier == "C.R.C., c. 1041");
  CHECK(section(ncr, "1").in_force == InForce::repealed);
  CHECK(starts_with(section(ncr, "53").text, "(1) No practitioner shall administer a narcotic"));
}

TEST_CASE("Sections marked not in force carry that status", "[justice]") {
  const auto d = parse("CA/eng_regulations_SOR-2025-242.xml");
  int not_in_force = 0;
  for (const auto& s : d.sections) not_in_force += s.in_force == InForce::not_yet;
  CHECK(not_in_force > 0);
}

TEST_CASE("Annual statutes (<Bill>) are acts cited by year and chapter", "[justice]") {
  const auto gs = parse("CA/annual_2017-c4_E.xml");
  CHECK(gs.identifier == "2017, c. 4");
  CHECK(gs.title == "Good Samaritan Drug Overdose Act");
  CHECK(gs.type == InstrumentType::act);
  CHECK(gs.date == "2017-05-04");
  const auto c15 = parse("CA/annual_2022-c15_E.xml");
  CHECK(c15.identifier == "2022, c. 15");
  CHECK(c15.date == "2022-11-17");
  // The diversion sections it enacts are quoted inside its own sections, not sections of their own.
  for (const auto& s : c15.sections) CHECK(s.number != "10.2");
  CHECK(parse("CA/annual_2022-c15_F.xml").identifier == "2022, c. 15");
}

TEST_CASE("Every Canadian file parses", "[justice]") {
  for (const char* f : {"CA/eng_acts_C-24.5.xml", "CA/fra_lois_C-24.5.xml", "CA/eng_regulations_SOR-2018-144.xml",
                        "CA/eng_regulations_SOR-97-229.xml", "CA/eng_regulations_SOR-97-234.xml",
                        "CA/eng_regulations_SOR-2000-217.xml", "CA/eng_regulations_SOR-2002-359.xml",
                        "CA/eng_regulations_SOR-2012-230.xml", "CA/annual_2017-c7_E.xml"}) {
    const auto d = parse(f);
    CHECK(d.sections.size() > 3);
    CHECK_FALSE(d.date.empty());
  }
  CHECK(section(parse("CA/eng_acts_C-24.5.xml"), "8").heading == "Possession");
}
