// BWB toestanden of the Drank- en Horecawet, checked against the XML by eye.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "hrtrack/corpus/parse.hpp"
#include "golden.hpp"
#include "shared.hpp"

using namespace hrtrack::corpus;
using namespace hrtrack::test;


TEST_CASE("BWB: the 2015 Drank- en Horecawet", "[bwb]") {
  const ParsedDocument d = parse_shared("NL/" "BWBR0002458_2015-01-01_0.xml", Format::bwb);
  CHECK(d.identifier == "BWBR0002458");
  CHECK(d.aliases == std::vector<std::string>{"Drank- en Horecawet"});
  CHECK(d.title == "Drank- en Horecawet");
  CHECK(d.language == "nl");
  CHECK(d.jurisdiction == "NL");
  CHECK(d.type == InstrumentType::act);
  CHECK(d.date == "2015-01-01");
  REQUIRE(d.sections.size() == 74);
  CHECK(d.sections.front().label == "Artikel 1");
  CHECK(d.sections.back().label == "Artikel 49");

  const ParsedSection& a20 = section_of(d, "20");
  CHECK(a20.label == "Artikel 20");
  CHECK(a20.path == std::vector<std::string>{"§ 3 Bijzondere bepalingen"});
  CHECK(a20.in_force == InForce::yes);
  CHECK(a20.in_force_date == "2014-01-01");
  CHECK(a20.text.rfind("1 Het is verboden bedrijfsmatig of anders dan om niet alcoholhoudende drank te "
                       "verstrekken aan een persoon van wie niet is vastgesteld dat deze de leeftijd van "
                       "18 jaar heeft bereikt.", 0) == 0);
  CHECK(a20.text.find("\n3 De vaststelling, bedoeld in het eerste en tweede lid:\na. geschiedt aan de hand "
                      "van een document") != std::string::npos);
  REQUIRE(a20.citations.size() == 2);
  CHECK(a20.citations[0].target_instrument == "BWBR0006297");  // Wet op de identificatieplicht
  CHECK(a20.citations[0].target_section == "1");
  CHECK(a20.citations[1].target_instrument.empty());  // artikel 18 of this law
  CHECK(a20.citations[1].target_section == "18");

  const ParsedSection& a3a = section_of(d, "3a");
  CHECK(a3a.label == "Artikel 3a");
  CHECK(a3a.in_force == InForce::repealed);
  CHECK(a3a.text == "Vervallen");
  CHECK(section_of(d, "43a").in_force_date == "2014-01-01");  // new since the 2013 version
}

TEST_CASE("BWB: the 2013 version still had the age limit of 16 for weak drinks", "[bwb]") {
  const ParsedDocument d = parse_shared("NL/" "BWBR0002458_2013-01-01_0.xml", Format::bwb);
  CHECK(d.identifier == "BWBR0002458");
  CHECK(d.date == "2013-01-01");
  REQUIRE(d.sections.size() == 72);
  CHECK(d.sections.front().number == "1");
  CHECK(d.sections.back().number == "49");
  const ParsedSection& a20 = section_of(d, "20");
  CHECK(a20.text.find("de leeftijd van 16 jaar heeft bereikt") != std::string::npos);
  CHECK(a20.text.find("\n2 Het is verboden bedrijfsmatig of anders dan om niet sterke drank") != std::string::npos);
  CHECK(normalized_text(d) != normalized_text(parse_shared("NL/" "BWBR0002458_2015-01-01_0.xml", Format::bwb)));
}

TEST_CASE("BWB: the manifest is no law, and broken XML is an error", "[bwb]") {
  const auto manifest = hrtrack::test::legislation("NL/BWBR0002458_manifest.xml");
  CHECK_FALSE(detect_format(hrtrack::test::read_file(manifest), manifest.string()));
  const std::string bytes = hrtrack::test::read_file(hrtrack::test::legislation("NL/BWBR0002458_2013-01-01_0.xml"));
  ParseContext ctx;
  ctx.source = "NL/cut.xml";
  auto cut = parse_document(bytes.substr(0, 5000), ctx);
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.error().message.rfind("NL/cut.xml: ", 0) == 0);
  auto no_id = parse_document("<toestand><wetgeving/></toestand>", ctx);
  REQUIRE_FALSE(no_id.ok());
  CHECK(no_id.error().message.find("bwb-id") != std::string::npos);
}
