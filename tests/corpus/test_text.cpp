#include <catch2/catch.hpp>

#include "hrtrack/corpus/model.hpp"
#include "hrtrack/corpus/parse.hpp"
#include "text.hpp"

using namespace hrtrack::corpus;

TEST_CASE("section numbers are normalised the way lawyers cite them", "[model]") {
  CHECK(normalize_section_number("§ 29") == "29");
  CHECK(normalize_section_number("§ 31a") == "31a");
  CHECK(normalize_section_number("Art. 19b") == "19b");
  CHECK(normalize_section_number("Article 40") == "40");
  CHECK(normalize_section_number("Section 5") == "5");
  CHECK(normalize_section_number("s. 56.1") == "56.1");
  CHECK(normalize_section_number("10.1") == "10.1");
  CHECK(normalize_section_number("4 bis") == "4bis");
  CHECK(normalize_section_number("SEC. 807.") == "807");
  CHECK(normalize_section_number("[12]") == "12");
  // The ordinal mark is how the number is printed: "Artículo 1º" is cited as article 1.
  CHECK(normalize_section_number("Artículo 1º") == "1");
  CHECK(normalize_section_number("§\u00a031a") == "31a");
}

TEST_CASE("section addresses split on the last #", "[model]") {
  auto a = SectionAddress::parse("C.R.C., c. 1041#53");
  REQUIRE(a);
  CHECK(a->instrument == "C.R.C., c. 1041");
  CHECK(a->section == "53");
  CHECK_FALSE(SectionAddress::parse("C-38.8"));
  CHECK_FALSE(SectionAddress::parse("#4"));
}

TEST_CASE("white space folds, Unicode spaces included", "[text]") {
  CHECK(collapse_space("  a\u00a0\n b\t\tc  ") == "a b c");
  CHECK(trim("\u2009 x \u00a0") == "x");
  CHECK(collapse_lines(" a  b \n\n  c ") == "a b\nc");
}

TEST_CASE("dates in the formats publishers use", "[text]") {
  CHECK(to_iso_date("2022-11-17") == "2022-11-17");
  CHECK(to_iso_date("20221117") == "2022-11-17");
  CHECK(to_iso_date("1.2.2022") == "2022-02-01");
  CHECK(to_iso_date("yesterday").empty());
}

TEST_CASE("UTF-8 validation rejects truncated and overlong sequences", "[text]") {
  CHECK(valid_utf8("Betäubungsmittel"));
  CHECK_FALSE(valid_utf8("\xC3"));
  CHECK_FALSE(valid_utf8("\xC0\xAF"));
  CHECK_FALSE(valid_utf8("abc\xFF"));
}

TEST_CASE("named units keep their word", "[model]") {
  CHECK(normalize_section_number("Anlage I (zu § 1 Abs. 1)") == "anlage-i");
  CHECK(normalize_section_number("SCHEDULE I") == "schedule-i");
}

TEST_CASE("the language of an undeclared statute is told by its function words", "[text]") {
  CHECK(detect_language("Except as authorized under the regulations, no person shall possess a substance "
                        "included in Schedule I, II or III, and any person who contravenes this section is "
                        "guilty of an offence under the Act.") == "en");
  CHECK(detect_language("Mit Freiheitsstrafe bis zu fünf Jahren oder mit Geldstrafe wird bestraft, wer "
                        "Betäubungsmittel unerlaubt anbaut, herstellt, mit ihnen Handel treibt, und die "
                        "Erlaubnis nicht hat, der nach § 3 des Gesetzes erforderlich ist.") == "de");
  CHECK(detect_language("Sauf dans les cas autorisés aux termes des règlements, la possession de toute "
                        "substance inscrite aux annexes I, II ou III est interdite pour une personne qui est "
                        "dans la situation prévue par la loi et sur le territoire.") == "fr");
  CHECK(detect_language("§ 29").empty());
}
