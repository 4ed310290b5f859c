// USLM bills from GPO, checked against the XML by eye.
#include <catch2/catch.hpp>

#include <algorithm>

#include "hrtrack/corpus/parse.hpp"
#include "golden.hpp"
#include "shared.hpp"

using namespace hrtrack::corpus;
using namespace hrtrack::test;

namespace {


std::vector<const ParsedSection*> numbered(const ParsedDocument& d, const std::string& number) {
  std::vector<const ParsedSection*> out;
  for (const auto& s : d.sections)
    if (s.number == number) out.push_back(&s);
  return out;
}

}  // namespace

TEST_CASE("USLM: H.R. 264 carries the DC riders on syringes and Schedule I", "[uslm]") {
  const ParsedDocument d = parse_shared("US/" "uslm_116-HR-264-PCS.xml", Format::uslm);
  CHECK(d.identifier == "H.R. 264 (116th)");
  CHECK(d.title == "Financial Services and General Government Appropriations Act, 2019");
  CHECK(d.jurisdiction == "US");
  CHECK(d.language == "en");
  CHECK(d.type == InstrumentType::bill);
  CHECK(d.date == "2019-01-10");  // placed on the Senate calendar
  CHECK(std::find(d.aliases.begin(), d.aliases.end(), "116 H. R. 264 PCS") != d.aliases.end());
  // 155 `section` elements, one without a number (the enacting words).
  REQUIRE(d.sections.size() == 154);
  CHECK(d.sections.front().label == "Sec. 101.");
  CHECK(d.sections.back().number == "817");

  const auto s807 = numbered(d, "807");
  REQUIRE(s807.size() == 1);
  CHECK(s807[0]->label == "Sec. 807.");
  CHECK(s807[0]->heading.empty());
  CHECK(s807[0]->path == std::vector<std::string>{"TITLE VIII GENERAL PROVISIONS—DISTRICT OF COLUMBIA"});
  CHECK(s807[0]->text.rfind("None of the Federal funds contained in this Act may be used to distribute "
                            "any needle or syringe for the purpose of preventing the spread of blood "
                            "borne pathogens", 0) == 0);

  const auto s809 = numbered(d, "809");
  REQUIRE(s809.size() == 1);
  CHECK(s809[0]->text.rfind("(a) None of the Federal funds contained in this Act may be used to enact or "
                            "carry out any law, rule, or regulation to legalize or otherwise reduce "
                            "penalties associated with the possession", 0) == 0);
  CHECK(s809[0]->text.find("\n(b) No funds available for obligation or expenditure by the District of "
                           "Columbia government") != std::string::npos);
  REQUIRE(s809[0]->citations.size() == 2);
  CHECK(s809[0]->citations[0].raw == "/us/usc/t21/s801/etseq");
  CHECK(s809[0]->citations[0].target_instrument == "21 U.S.C.");
  CHECK(s809[0]->citations[0].target_section == "801");
  CHECK(s809[0]->citations[0].kind == "markup");
}

TEST_CASE("USLM: sections keep document order; numbers restart per bill, not per title", "[uslm]") {
  const ParsedDocument d = parse_shared("US/" "uslm_116-HR-2740-RH.xml", Format::uslm);
  CHECK(d.identifier == "H.R. 2740 (116th)");
  CHECK(d.date == "2019-05-15");
  REQUIRE(d.sections.size() == 96);
  CHECK(d.sections.front().number == "101");
  CHECK(d.sections.back().number == "527");
  CHECK(d.sections.front().path == std::vector<std::string>{"TITLE I DEPARTMENT OF LABOR"});
  const auto s509 = numbered(d, "509");
  REQUIRE(s509.size() == 1);
  CHECK(s509[0]->text.rfind("(a) None of the funds made available in this Act may be used for any "
                            "activity that promotes the legalization of any drug", 0) == 0);
  std::vector<int> seen;
  for (const auto& s : d.sections) seen.push_back(std::stoi(s.number));
  CHECK(std::is_sorted(seen.begin(), seen.end()));  // document order
}

TEST_CASE("USLM: numbers repeated across divisions of an omnibus bill are all kept", "[uslm]") {
  const std::string bill = R"(<bill xmlns="http://schemas.gpo.gov/xml/uslm" xmlns:dc="http://purl.org/dc/elements/1.1/">
<meta><dc:type>House Bill</dc:type><docNumber>1865</docNumber><congress>116</congress></meta>
<main><division><num value="A">DIVISION A</num><heading>DEFENSE</heading>
<section><num value="101">Sec. 101. </num><content>First.</content></section></division>
<division><num value="B">DIVISION B</num><heading>LABOR</heading>
<section><num value="101">Sec. 101. </num><content>Second.</content></section></division></main></bill>)";
  ParseContext ctx;
  ctx.source = "omnibus.xml";
  auto r = parse_document(bill, ctx);
  REQUIRE(r.ok());
  CHECK(r->identifier == "H.R. 1865 (116th)");
  REQUIRE(r->sections.size() == 2);
  CHECK(r->sections[0].text == "First.");
  CHECK(r->sections[0].path == std::vector<std::string>{"DIVISION A DEFENSE"});
  CHECK(r->sections[1].number == "101");
  CHECK(r->sections[1].text == "Second.");
  CHECK(r->sections[1].path == std::vector<std::string>{"DIVISION B LABOR"});
}

TEST_CASE("USLM: quoted amendments stay in the quoting section", "[uslm]") {
  const ParsedDocument d = parse_shared("US/" "uslm_BILLS-114s32cds.xml", Format::uslm);
  CHECK(d.identifier == "S. 32 (114th)");
  CHECK(d.title == "Transnational Drug Trafficking Act of 2015");
  CHECK(d.date == "2015-01-13");
  // The quoted subsection "(b)" and paragraphs "(4)", "(6)" are not sections.
  REQUIRE(d.sections.size() == 3);
  CHECK(d.sections[0].label == "Section 1.");
  CHECK(d.sections[0].heading == "SHORT TITLE.");
  const ParsedSection& s2 = d.sections[1];
  CHECK(s2.label == "Sec. 2.");
  CHECK(s2.number == "2");
  CHECK(s2.heading == "POSSESSION, MANUFACTURE OR DISTRIBUTION FOR PURPOSES OF UNLAWFUL IMPORTATIONS.");
  CHECK(s2.text.rfind("Section 1009 of the Controlled Substances Import and Export Act (21 U.S.C. 959) "
                      "is amended—\n(1) by redesignating", 0) == 0);
  CHECK(s2.text.find("\n“(b) It shall be unlawful for any person to manufacture or distribute a listed "
                     "chemical—\n“(1) intending or knowing") != std::string::npos);
  CHECK(s2.text.ends_with("will be unlawfully imported into the United States.”."));
  // GPO nests the canonical ref in an older one; the citation is counted once.
  REQUIRE(s2.citations.size() == 1);
  CHECK(s2.citations[0].target_instrument == "21 U.S.C.");
  CHECK(s2.citations[0].target_section == "959");
  CHECK(d.sections[2].text.find("“(6) the term ‘drug’ means a drug") != std::string::npos);
}

TEST_CASE("USLM: truncated and foreign XML are errors naming the file", "[uslm]") {
  const auto path = hrtrack::test::legislation("US/uslm_BILLS-114s32cds.xml");
  const std::string bytes = hrtrack::test::read_file(path);
  ParseContext ctx;
  ctx.source = "US/cut.xml";
  auto cut = parse_document(bytes.substr(0, bytes.size() / 2), ctx);
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.error().message.rfind("US/cut.xml: line ", 0) == 0);
  auto other = parse_document("<bill xmlns=\"http://schemas.gpo.gov/xml/uslm\"><main/></bill>", ctx);
  REQUIRE_FALSE(other.ok());  // no identifier, no sections
  auto wrong = parse_document("<act xmlns=\"http://schemas.gpo.gov/xml/uslm\"/>", ctx, Format::uslm);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message.find("root <act>") != std::string::npos);
}
