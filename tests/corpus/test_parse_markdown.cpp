// Markdown renderings of the BtMG and BtMVV (bundestag/gesetze), checked against the files
// by eye, and the history of the BtMG rendering: formatting must not count as a change.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>

#include "hrtrack/corpus/parse.hpp"
#include "golden.hpp"
#include "shared.hpp"

using namespace hrtrack::corpus;
using namespace hrtrack::test;


TEST_CASE("markdown: the BtMG rendering", "[markdown]") {
  const ParsedDocument d = parse_shared("DE/btmg_1981.bundestag.md", Format::markdown);
  CHECK(d.identifier == "BtMG");  // jurabk "BtMG 1981" without the year, as the law is cited
  // Every other name it goes by is an alias: the juristic abbreviation as published, the
  // publisher's slug, the title, the file name.
  for (const char* alias : {"BtMG 1981", "btmg_1981", "Gesetz über den Verkehr mit Betäubungsmitteln",
                            "btmg_1981.bundestag"})
    CHECK(std::find(d.aliases.begin(), d.aliases.end(), alias) != d.aliases.end());
  CHECK(d.date.empty());  // the rendering carries no date of its text
  CHECK(d.date_source.empty());
  CHECK(d.title == "Gesetz über den Verkehr mit Betäubungsmitteln");
  CHECK(d.language == "de");
  CHECK(d.jurisdiction == "DE");
  CHECK(d.type == InstrumentType::act);
  // § 1 to § 41 with 10a, 24a, 29a, 30a, 30b, 31a, 39a, "§§ 40 und 40a", and Anlagen I-III.
  REQUIRE(d.sections.size() == 51);
  CHECK(d.sections.front().label == "§ 1");
  CHECK(d.sections.back().label == "Anlage III");

  const ParsedSection& s29 = section_of(d, "29");
  CHECK(s29.label == "§ 29");
  CHECK(s29.heading == "Straftaten");
  CHECK(s29.path == std::vector<std::string>{"Sechster Abschnitt - Straftaten und Ordnungswidrigkeiten"});
  CHECK(s29.text.rfind("(1) Mit Freiheitsstrafe bis zu fünf Jahren oder mit Geldstrafe wird bestraft, wer\n"
                       "1. Betäubungsmittel unerlaubt anbaut, herstellt, mit ihnen Handel treibt,", 0) == 0);
  CHECK(s29.text.find("Die Abgabe von sterilen Einmalspritzen an Betäubungsmittelabhängige und die "
                      "öffentliche Information darüber sind kein Verschaffen") != std::string::npos);

  const ParsedSection& s31a = section_of(d, "31a");
  CHECK(s31a.heading == "Absehen von der Verfolgung");
  CHECK(s31a.text.rfind("(1) Hat das Verfahren ein Vergehen nach § 29 Abs. 1, 2 oder 4 zum Gegenstand, so "
                        "kann die Staatsanwaltschaft von der Verfolgung absehen,", 0) == 0);
  CHECK(s31a.text.find("\n(2) Ist die Klage bereits erhoben") != std::string::npos);

  CHECK(section_of(d, "25").heading == "(weggefallen)");
  CHECK(section_of(d, "25").in_force == InForce::repealed);
  const ParsedSection& anlage1 = section_of(d, "anlage-i");
  CHECK(anlage1.heading == "(zu § 1 Abs. 1) (nicht verkehrsfähige Betäubungsmittel)");
  CHECK(anlage1.path.empty());  // the Anlagen stand outside the Achter Abschnitt
  CHECK(section_of(d, "41").text == "(weggefallen)");  // "(zu § 1 Abs. 1)" went to Anlage I

  // No markdown survives: list bullets, emphasis, escapes.
  for (const auto& s : d.sections) {
    INFO(s.label);
    CHECK(s.text.find("**") == std::string::npos);
    CHECK(s.text.find("\\") == std::string::npos);
    CHECK(s.text.find("\n* ") == std::string::npos);
  }
  CHECK(section_of(d, "anlage-i").text.find("Spalte 1\nenthält die International Nonproprietary Names") !=
        std::string::npos);
}

TEST_CASE("markdown: the BtMVV rendering, a Verordnung with a folded YAML title", "[markdown]") {
  const ParsedDocument d = parse_shared("DE/btmvv_1998.bundestag.md", Format::markdown);
  CHECK(d.identifier == "BtMVV");
  CHECK(d.title == "Verordnung über das Verschreiben, die Abgabe und den Nachweis des Verbleibs von "
                   "Betäubungsmitteln");
  CHECK(d.type == InstrumentType::regulation);
  REQUIRE(d.sections.size() == 22);
  CHECK(d.sections.front().number == "1");
  CHECK(d.sections.back().number == "18");
  const ParsedSection& s5a = section_of(d, "5a");
  CHECK(s5a.heading == "Verschreiben von Substitutionsmitteln mit dem Stoff Diamorphin");
  CHECK(s5a.text.rfind("(1) Zur Behandlung einer schweren Opioidabhängigkeit können zur Substitution "
                       "zugelassene Arzneimittel mit dem Stoff Diamorphin verschrieben werden.", 0) == 0);
}

TEST_CASE("markdown: renderings that differ only in formatting have the same normalised text",
          "[markdown]") {
  const std::array<std::string, 9> dates = {"2012-08-02", "2012-08-03", "2012-08-06",
                                            "2012-09-11", "2012-10-18", "2012-12-02",
                                            "2013-01-11", "2018-11-08", "2022-02-13"};
  // Whether each rendering states the same law as the one before it, from reading the diffs:
  const std::array<bool, 8> same = {
      true,   // 08-02 -> 08-03: front matter only (jurabk, origslug added)
      false,  // 08-03 -> 08-06: new substances in Anlagen I-III (4-Fluoramfetamin, JWH-..., ...)
      true,   // 08-06 -> 09-11: only the header's "Zuletzt geändert"/"Änderung durch" notes
      true,   // 09-11 -> 10-18: "(zu § 1 Abs. 1)" moved from above each Anlage heading into it
      false,  // 10-18 -> 12-02: § 4, § 13 (Abs. 1a, palliative care) and more amended
      false,  // 12-02 -> 2013-01-11: the Tilidin exemption in Anlage III rewritten
      false,  // 2013-01-11 -> 2018-11-08: § 25 and § 30c repealed, many amendments
      false,  // 2018-11-08 -> 2022-02-13: "Tierarzneimittel" amendments of 2021
  };
  std::vector<std::string> texts;
  for (const auto& date : dates) {
    const ParsedDocument d = parse_shared("history/DE/btmg_1981.bundestag@" + date + ".md", Format::markdown);
    CHECK(d.identifier == "BtMG");  // 08-02 has no jurabk: taken from the title "(BtMG 1981)"
    CHECK(d.date == date);  // from the file name: the rendering itself carries none
    CHECK(d.date_source == "file name");
    texts.push_back(normalized_text(d));
  }
  for (std::size_t i = 0; i < same.size(); ++i) {
    INFO(dates[i] << " -> " << dates[i + 1]);
    CHECK((texts[i] == texts[i + 1]) == same[i]);
  }
  // The newest history rendering is the file in DE/.
  CHECK(texts.back() == normalized_text(parse_shared("DE/btmg_1981.bundestag.md", Format::markdown)));
}

TEST_CASE("markdown: wrapping, bullets and emphasis do not reach the text", "[markdown]") {
  const ParsedDocument a = parse_bytes(
      "---\nTitle: Testgesetz\njurabk: TG\nslug: tg\n---\n\n# Testgesetz (TG)\n\n## Erster Abschnitt\n\n"
      "### § 1 Zweck\n\n(1) Dieses *Gesetz* regelt\nden **Umgang**.\n\n1.  erstens,\n\n"
      "-   [Stoff](https://example.org/x) und [1-(4-Methoxyphenyl)propan-2-yl](methyl)azan\n\n"
      "31\\. Juli[^1]\n\n[^1]: Eine Fußnote.\n", "inline.md");
  const ParsedDocument b = parse_bytes(
      "---\ntitle: Testgesetz\njurabk: TG\n---\n# Testgesetz (TG)\n## Erster Abschnitt\n"
      "### § 1 Zweck\n(1) Dieses Gesetz regelt den Umgang.\n\n1. erstens,\n\n"
      "* Stoff und [1-(4-Methoxyphenyl)propan-2-yl](methyl)azan\n\n31\\. Juli\n", "inline.md");
  REQUIRE(a.sections.size() == 1);
  const ParsedSection& s = a.sections[0];
  CHECK(a.identifier == "TG");
  CHECK(s.path == std::vector<std::string>{"Erster Abschnitt"});
  CHECK(s.text == "(1) Dieses Gesetz regelt den Umgang.\n1. erstens,\n"
                  "Stoff und [1-(4-Methoxyphenyl)propan-2-yl](methyl)azan\n31. Juli");
  CHECK(s.notes == std::vector<std::string>{"Eine Fußnote."});
  CHECK(normalized_text(a) == normalized_text(b));
}

TEST_CASE("markdown: invalid UTF-8 and documents without sections are rejected", "[markdown]") {
  ParseContext ctx;
  ctx.source = "bad.md";
  auto bad = parse_document("---\ntitle: x\n---\n### \xC2\xA7 1 Stra\xFF" "fe\n", ctx);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "bad.md: not valid UTF-8 text (wrong encoding?)");
  auto empty = parse_document("---\ntitle: x\n---\n# Only a title\n\nSome text.\n", ctx);
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().message.rfind("bad.md: ", 0) == 0);
}
