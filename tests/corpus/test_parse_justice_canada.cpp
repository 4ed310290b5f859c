// Golden tests for Justice Canada XML, on the real files in shared/legislation/CA.
#include <catch2/catch.hpp>

#include "hrtrack/corpus/parse.hpp"
#include "golden.hpp"
#include "shared.hpp"

using namespace hrtrack::corpus;
using namespace hrtrack::test;


TEST_CASE("CDSA (English): identifier, date and the possession offence", "[justice]") {
  const auto d = parse_shared("CA/eng_acts_C-38.8.xml", Format::justice_canada);
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

  const auto& s4 = section_of(d, "4");
  CHECK(s4.heading == "Possession of substance");
  CHECK(starts_with(s4.text, "(1) Except as authorized under the regulations, no person shall "
                             "possess a substance included in Schedule I, II or III.\n"));
  CHECK(s4.path == std::vector<std::string>{"PART I Offences and Punishment", "Particular Offences"});
  CHECK(s4.in_force == InForce::yes);
  // A subsection's marginal note stands on its own line, before the labelled text.
  CHECK(s4.text.find("\nObtaining substance\n(2) No person shall seek or obtain\n") != std::string::npos);
}

TEST_CASE("CDSA: diversion sections 10.1 to 10.7 and the supervised consumption exemption", "[justice]") {
  const auto d = parse_shared("CA/eng_acts_C-38.8.xml", Format::justice_canada);
  for (const char* n : {"10.1", "10.2", "10.3", "10.4", "10.5", "10.6", "10.7"}) CHECK(section_of(d, n).in_force == InForce::yes);
  CHECK(section_of(d, "10.2").heading == "Warnings and referrals");
  const auto& s561 = section_of(d, "56.1");
  CHECK(s561.heading == "Exemption for medical purpose — supervised consumption site");
  CHECK(starts_with(s561.text, "(1) For the purpose of allowing certain activities to take place at a "
                               "supervised consumption site, the Minister may"));
  // Repealed sections are marked.
  CHECK(section_of(d, "8").in_force == InForce::repealed);
  CHECK(section_of(d, "8").text == "[Repealed, 2022, c. 15, s. 18]");
  // Markup references are kept as citations.
  const auto& s1 = section_of(d, "1");
  REQUIRE_FALSE(s1.citations.empty());
  CHECK(s1.citations.front().target_instrument == "C-38.8");
}

TEST_CASE("CDSA (French) is a language version of the same instrument", "[justice]") {
  const auto d = parse_shared("CA/fra_lois_C-38.8.xml", Format::justice_canada);
  CHECK(d.identifier == "C-38.8");
  CHECK(d.language == "fr");
  CHECK(d.title == "Loi réglementant certaines drogues et autres substances");
  CHECK(starts_with(section_of(d, "4").text, "(1) Sauf dans les cas autorisés aux termes des règlements, "
                                          "la possession de toute substance inscrite aux annexes I, II ou III est interdite."));
  CHECK(section_of(d, "56.1").in_force == InForce::yes);
}

TEST_CASE("Regulations: French numbers map to the English identifier", "[justice]") {
  const auto en = parse_shared("CA/eng_regulations_SOR-2025-242.xml", Format::justice_canada);
  const auto fr = parse_shared("CA/fra_reglements_DORS-2025-242.xml", Format::justice_canada);
  CHECK(en.identifier == "SOR/2025-242");
  CHECK(fr.identifier == "SOR/2025-242");
  CHECK(std::find(fr.aliases.begin(), fr.aliases.end(), "DORS/2025-242") != fr.aliases.end());
  CHECK(en.type == InstrumentType::regulation);
  CHECK(en.date == "2026-04-17");
  CHECK(parse_shared("CA/fra_reglements_C.R.C._ch._1041.xml", Format::justice_canada).identifier == "C.R.C., c. 1041");
  const auto ncr = parse_shared("CA/eng_regulations_C.R.C._c._1041.xml", Format::justice_canada);
  CHECK(ncr.identifier == "C.R.C., c. 1041");
  CHECK(section_of(ncr, "1").in_force == InForce::repealed);
  CHECK(starts_with(section_of(ncr, "53").text, "(1) No practitioner shall administer a narcotic"));
}

TEST_CASE("Sections marked not in force carry that status", "[justice]") {
  const auto d = parse_shared("CA/eng_regulations_SOR-2025-242.xml", Format::justice_canada);
  int not_in_force = 0;
  for (const auto& s : d.sections) not_in_force += s.in_force == InForce::not_yet;
  CHECK(not_in_force > 0);
}

TEST_CASE("Annual statutes (<Bill>) are acts cited by year and chapter", "[justice]") {
  const auto gs = parse_shared("CA/annual_2017-c4_E.xml", Format::justice_canada);
  CHECK(gs.identifier == "2017, c. 4");
  CHECK(gs.title == "Good Samaritan Drug Overdose Act");
  CHECK(gs.type == InstrumentType::act);
  CHECK(gs.date == "2017-05-04");
  const auto c15 = parse_shared("CA/annual_2022-c15_E.xml", Format::justice_canada);
  CHECK(c15.identifier == "2022, c. 15");
  CHECK(c15.date == "2022-11-17");
  // The diversion sections it enacts are quoted inside its own sections, not sections of their own.
  for (const auto& s : c15.sections) CHECK(s.number != "10.2");
  CHECK(parse_shared("CA/annual_2022-c15_F.xml", Format::justice_canada).identifier == "2022, c. 15");
}

TEST_CASE("Every Canadian file parses", "[justice]") {
  for (const char* f : {"CA/eng_acts_C-24.5.xml", "CA/fra_lois_C-24.5.xml", "CA/eng_regulations_SOR-2018-144.xml",
                        "CA/eng_regulations_SOR-97-229.xml", "CA/eng_regulations_SOR-97-234.xml",
                        "CA/eng_regulations_SOR-2000-217.xml", "CA/eng_regulations_SOR-2002-359.xml",
                        "CA/eng_regulations_SOR-2012-230.xml", "CA/annual_2017-c7_E.xml"}) {
    const auto d = parse_shared(f, Format::justice_canada);
    CHECK(d.sections.size() > 3);
    CHECK_FALSE(d.date.empty());
  }
  CHECK(section_of(parse_shared("CA/eng_acts_C-24.5.xml", Format::justice_canada), "8").heading == "Possession");
}
