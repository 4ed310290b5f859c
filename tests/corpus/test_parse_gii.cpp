// Golden tests for gesetze-im-internet gii-norm XML, on the real files in shared/legislation/DE.
#include <catch2/catch.hpp>

#include "hrtrack/corpus/parse.hpp"
#include "golden.hpp"
#include "shared.hpp"

using namespace hrtrack::corpus;
using namespace hrtrack::test;


TEST_CASE("BtMG: identifier, aliases and § 29", "[gii]") {
  const auto d = parse_shared("DE/btmg_1981.gii.xml", Format::gii);
  CHECK(d.identifier == "BtMG");
  CHECK(d.title == "Gesetz über den Verkehr mit Betäubungsmitteln");
  CHECK(d.language == "de");
  CHECK(d.jurisdiction == "DE");
  CHECK(d.date == "2024-05-23");
  for (const char* alias : {"BtMG 1981", "btmg_1981", "BJNR106810981"})
    CHECK(std::find(d.aliases.begin(), d.aliases.end(), alias) != d.aliases.end());
  CHECK(d.sections.size() == 50);
  CHECK(d.sections.front().label == "§ 1");

  const auto& s29 = section_of(d, "29");
  CHECK(s29.label == "§ 29");
  CHECK(s29.heading == "Straftaten");
  CHECK(s29.path == std::vector<std::string>{"Sechster Abschnitt Straftaten und Ordnungswidrigkeiten"});
  CHECK(starts_with(s29.text, "(1) Mit Freiheitsstrafe bis zu fünf Jahren oder mit Geldstrafe wird bestraft, wer\n"
                              "1. Betäubungsmittel unerlaubt anbaut, herstellt,"));
  CHECK(s29.text.find("\n3. Betäubungsmittel besitzt, ohne zugleich im Besitz einer schriftlichen Erlaubnis "
                      "für den Erwerb zu sein,\n") != std::string::npos);
  CHECK(s29.text.find("\n4. (weggefallen)\n") != std::string::npos);
}

TEST_CASE("BtMG § 31a: discretion not to prosecute", "[gii]") {
  const auto d = parse_shared("DE/btmg_1981.gii.xml", Format::gii);
  const auto& s = section_of(d, "31a");
  CHECK(s.heading == "Absehen von der Verfolgung");
  CHECK(starts_with(s.text, "(1) Hat das Verfahren ein Vergehen nach § 29 Abs. 1, 2 oder 4 zum Gegenstand, "
                            "so kann die Staatsanwaltschaft von der Verfolgung absehen,"));
  CHECK(section_of(d, "10a").heading == "Erlaubnis für den Betrieb von Drogenkonsumräumen");
  // Schedules (Anlagen) are kept as units of their own.
  CHECK(section_of(d, "anlage-i").label == "Anlage I");
}

TEST_CASE("KCanG § 3: lawful possession of cannabis", "[gii]") {
  const auto d = parse_shared("DE/kcang.gii.xml", Format::gii);
  CHECK(d.identifier == "KCanG");
  const auto& s3 = section_of(d, "3");
  CHECK(s3.heading == "Erlaubter Besitz von Cannabis");
  CHECK(starts_with(s3.text, "(1) Personen, die das 18. Lebensjahr vollendet haben, ist der Besitz von bis zu 25 "
                             "Gramm Cannabis"));
}

TEST_CASE("Every German gii file parses, regulations typed as such", "[gii]") {
  CHECK(parse_shared("DE/btmvv_1998.gii.xml", Format::gii).type == InstrumentType::regulation);
  CHECK(parse_shared("DE/btmvv_1998.gii.xml", Format::gii).identifier == "BtMVV");
  const auto stgb = parse_shared("DE/stgb.gii.xml", Format::gii);
  CHECK(stgb.identifier == "StGB");
  CHECK(section_of(stgb, "64").heading == "Unterbringung in einer Entziehungsanstalt");
  for (const char* f : {"DE/medcang.gii.xml", "DE/npsg.gii.xml", "DE/btmahv.gii.xml", "DE/btmbinhv.gii.xml"})
    CHECK(parse_shared(f, Format::gii).sections.size() > 5);
}
