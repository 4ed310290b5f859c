// DC Council XML: D.C. Code sections (one per file), a title index and session laws,
// checked against the XML by eye.
#include <catch2/catch.hpp>

#include <algorithm>

#include "hrtrack/corpus/parse.hpp"
#include "golden.hpp"
#include "shared.hpp"
#include "text.hpp"

using namespace hrtrack::corpus;
using namespace hrtrack::test;

namespace {

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool cites(const ParsedSection& s, const std::string& instrument, const std::string& section) {
  return std::any_of(s.citations.begin(), s.citations.end(), [&](const Citation& c) {
    return c.target_instrument == instrument && c.target_section == section && c.kind == "markup";
  });
}

}  // namespace

TEST_CASE("DC Council: a code section file is one section of the D.C. Code", "[dccouncil]") {
  const ParsedDocument d = parse_shared("US-DC/dccode-48-1103.01.xml", Format::dccouncil);
  CHECK(d.identifier == "D.C. Code");
  CHECK(d.part);
  CHECK(has(d.aliases, "dccode-48-1103.01"));
  CHECK(has(d.aliases, "D.C. Official Code"));
  CHECK(d.jurisdiction == "US-DC");
  CHECK(d.language == "en");
  // No codified date in the name: the latest amendment (D.C. Law 23-182) dates it.
  CHECK(d.date == "2021-03-16");
  REQUIRE(d.sections.size() == 1);
  const ParsedSection& s = d.sections[0];
  CHECK(s.number == "48-1103.01");
  CHECK(s.label == "\xC2\xA7 48-1103.01");
  CHECK(s.heading == "Needle Exchange Program.");
  CHECK(s.in_force_date == "2021-03-16");
  CHECK(starts_with(s.text, "(a) The Mayor is authorized to establish within the Department of Human Services "
                            "a Needle Exchange Program"));
  // Paras in order, each on its own line, nested ones indented.
  const auto at = [&](const std::string& line) { return s.text.find("\n" + line); };
  const auto e = at("(e) The District of Columbia"), e1 = at("(e-1) A community based"),
             g = at("(g) The Mayor shall issue an annual evaluation report"),
             g5 = at("  (5) Impact of Program on incidence of HIV"),
             g5a = at("    (A) Annual HIV infection rates"), g5d = at("    (D) Annual estimates"),
             g6 = at("  (6) Costs of the Program"), i = at("(i) The Mayor shall explore");
  for (auto pos : {e, e1, g, g5, g5a, g5d, g6, i}) CHECK(pos != std::string::npos);
  CHECK(e < e1);
  CHECK(e1 < g);
  CHECK(g < g5);
  CHECK(g5 < g5a);
  CHECK(g5a < g5d);
  CHECK(g5d < g6);
  CHECK(g6 < i);
  // The cross-reference in (d) is a citation of the same instrument.
  CHECK(cites(s, "", "48-1103"));
  // Annotations are notes, not text.
  CHECK(s.text.find("D.C. Law 4-149") == std::string::npos);
  CHECK(s.text.find("1981 Ed.") == std::string::npos);
  CHECK(has(s.notes, "History: Sept. 17, 1982, D.C. Law 4-149, \xC2\xA7 4a"));
  CHECK(has(s.notes, "Prior Codifications: 1981 Ed., \xC2\xA7 33-603.1."));
  CHECK(has(s.notes, "History: D.C. Law 23-182, \xC2\xA7 5(c), effective 2021-03-16"));
}

TEST_CASE("DC Council: a para without text opens its first child's line", "[dccouncil]") {
  const ParsedDocument d = parse_shared("US-DC/dccode-48-904.01.xml", Format::dccouncil);
  const ParsedSection& s = section_of(d, "48-904.01");
  CHECK(s.heading == "Prohibited acts A; penalties.");
  CHECK(starts_with(s.text, "(a)(1) Except as authorized by this chapter or Chapter 16B of Title 7 "
                            "[\xC2\xA7 7-1671.01 et seq.], it is unlawful"));
  CHECK(s.text.find("\n    (A) Possess, use, purchase, or transport marijuana") != std::string::npos);
  CHECK(s.text.find("\n  (1A)(A) The terms \xE2\x80\x9C" "controlled substance") != std::string::npos);
  CHECK(s.text.find("\n(c) Repealed.") != std::string::npos);
  CHECK(cites(s, "", "22-3571.01"));
  CHECK(cites(s, "", "7-1671.01"));
  CHECK(cites(s, "", "48-1201"));
  // "Chapter 16B of Title 7" names no section: no citation for it.
  CHECK(std::none_of(s.citations.begin(), s.citations.end(), [](const Citation& c) { return c.raw == "7|16B"; }));
}

TEST_CASE("DC Council: text after a list, and undesignated paras", "[dccouncil]") {
  const ParsedDocument d = parse_shared("US-DC/dccode-48-1101.xml", Format::dccouncil);
  const ParsedSection& s = section_of(d, "48-1101");
  const auto xv = s.text.find("(xv) Cigarette rolling paper");
  const auto after = s.text.find("The term \xE2\x80\x9C" "drug paraphernalia\xE2\x80\x9D shall not include any article "
                                 "that is 50 years of age or older.");
  REQUIRE(xv != std::string::npos);
  REQUIRE(after != std::string::npos);
  CHECK(xv < after);
  CHECK(s.text.find("\n(4) \"Personal use\" means") != std::string::npos);

  // "(a)" marked undesignated is not printed: the definitions stand at the first level.
  const ParsedDocument defs = parse_shared("US-DC/dccode-48-901.02.xml", Format::dccouncil);
  const ParsedSection& d2 = section_of(defs, "48-901.02");
  CHECK(starts_with(d2.text, "As used in this chapter, the term:\n(1) \xE2\x80\x9C" "Administer\xE2\x80\x9D means"));
  CHECK(d2.text.find("(a)") > d2.text.find("(1)"));
}

TEST_CASE("DC Council: a section file that names no containing document is of the library's code",
          "[dccouncil]") {
  const ParsedDocument d = parse_shared("US-DC/dccode-7-3201.xml", Format::dccouncil);
  CHECK(d.identifier == "D.C. Code");
  CHECK(d.part);
  CHECK(has(d.aliases, "dccode-7-3201"));
  CHECK(section_of(d, "7-3201").heading == "Definitions.");
}

TEST_CASE("DC Council: a history file is dated by the codified date in its name", "[dccouncil]") {
  const ParsedDocument d = parse_shared("history/US-DC/dccode-48-1103.01@2019-01-04.xml", Format::dccouncil);
  CHECK(d.identifier == "D.C. Code");
  CHECK(has(d.aliases, "dccode-48-1103.01"));
  CHECK(d.date == "2019-01-04");
  REQUIRE(d.sections.size() == 1);
  // The section itself is dated by its latest amendment, older than the edition.
  CHECK(d.sections[0].in_force_date <= "2019-01-04");
  CHECK_FALSE(d.sections[0].in_force_date.empty());
}

TEST_CASE("DC Council: a section amended only before effective dates were marked is dated by its notes",
          "[dccouncil]") {
  const ParsedDocument d = parse_shared("US-DC/dccode-48-1102.xml", Format::dccouncil);
  CHECK(is_calendar_date(d.date));
  CHECK(d.sections[0].in_force_date == d.date);
}

TEST_CASE("DC Council: the title index holds no legal text", "[dccouncil]") {
  ParseContext ctx;
  ctx.source = "US-DC/dccode-title48-index.xml";
  const auto r = parse_document(read_file(legislation("US-DC/dccode-title48-index.xml")), ctx);
  REQUIRE_FALSE(r.ok());
  CHECK(holds_no_legal_text(r.error()));
  CHECK_THAT(r.error().message, Catch::Contains("US-DC/dccode-title48-index.xml"));
  CHECK_THAT(r.error().message, Catch::Contains("table of contents of Title 48"));
  CHECK_THAT(r.error().message, Catch::Contains("246 references to section files"));
}

TEST_CASE("DC Council: a session law, its amending instructions and quoted text", "[dccouncil]") {
  const ParsedDocument d = parse_shared("US-DC/dclaw-23-182.xml", Format::dccouncil);
  CHECK(d.identifier == "D.C. Law 23-182");
  CHECK_FALSE(d.part);
  CHECK(d.title == "Opioid Overdose Treatment and Prevention Omnibus Amendment Act of 2020");
  CHECK(d.date == "2021-03-16");
  CHECK(d.jurisdiction == "US-DC");
  for (const char* a : {"D.C. Act 23-536", "68 DCR 00008", "Bill 23-54", "B23-0054",
                        "Opioid Overdose Treatment and Prevention Omnibus Amendment Act of 2020"})
    CHECK(has(d.aliases, a));
  CHECK(d.amends == std::vector<std::string>{"D.C. Code"});
  REQUIRE(d.sections.size() == 7);
  CHECK(d.sections.front().number == "2");
  CHECK(d.sections.front().label == "Sec. 2");
  CHECK(d.sections.back().number == "8");
  CHECK(d.sections.back().heading == "Effective date.");

  const ParsedSection& s2 = section_of(d, "2");
  CHECK(starts_with(s2.text, "Section 3 of An Act To relieve physicians of liability"));
  CHECK(s2.text.find("\n(a) Subsection (a)(1) is amended as follows:\n  (1) Subparagraph (A) is amended by "
                     "striking the phrase \"for himself or herself\"") != std::string::npos);
  // The quoted new text, in quotes, and the find-replace instruction not repeated.
  CHECK(s2.text.find("\n  (4) A new subparagraph (D) is added to read as follows:\n    \xE2\x80\x9C(D) Is a "
                     "bystander to a situation described in subparagraph (A), (B), or (C) of this paragraph; "
                     "and\xE2\x80\x9D.") != std::string::npos);
  CHECK(s2.text.find("for or administers an opioid antagonist to himself or herself\n") == std::string::npos);

  // A new section quoted whole stays in the amending section's text.
  const ParsedSection& s3 = section_of(d, "3");
  CHECK(s3.text.find("\xE2\x80\x9CSec. 104a. District government use of opioid antagonists.") != std::string::npos);
  CHECK(cites(s3, "D.C. Code", "7-403"));

  const ParsedSection& s5 = section_of(d, "5");
  // The instructions' own references (inside codify:find-replace) are not the law's text.
  CHECK(s5.citations.empty());
  CHECK(s5.text.find("\n(d) Section 5(b) (D.C. Official Code \xC2\xA7 48-1104(b)) is repealed.") != std::string::npos);
}

TEST_CASE("DC Council: a session law's titles make its sections' path", "[dccouncil]") {
  const ParsedDocument d = parse_shared("US-DC/dclaw-22-288.xml", Format::dccouncil);
  CHECK(d.identifier == "D.C. Law 22-288");
  CHECK(d.date == "2019-04-11");
  const ParsedSection& s101 = section_of(d, "101");
  CHECK(s101.heading == "Definitions.");
  CHECK(s101.path == std::vector<std::string>{"TITLE I OPIOID USE DISORDER TREATMENT"});
  CHECK(s101.text.find("\n(1) \"DBH\" means the Department of Behavioral Health.") != std::string::npos);
}
