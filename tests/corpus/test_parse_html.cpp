// HTML, XHTML and plain-text laws. No real HTML law is in shared/, so the documents are
// written here, in the shapes publishers use; one is hostile.
#include <catch2/catch.hpp>

#include "hrtrack/corpus/parse.hpp"
#include "golden.hpp"
#include "numbered_text.hpp"

using namespace hrtrack::corpus;

namespace {
// The HTML and text tests are German documents.
ParsedDocument parse_html(const std::string& bytes, const std::string& source,
                          std::optional<Format> format = std::nullopt) {
  return hrtrack::test::parse_bytes(bytes, source, format, "de");
}
}  // namespace


TEST_CASE("HTML: sections from numbered h-headings and bold paragraph openings", "[html]") {
  const ParsedDocument d = parse_html(R"(<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Konsumcannabisgesetz (KCanG)</title>
<meta name="dc.date" content="2024-04-01">
<script>var fake = "<h3>§ 99 Fake</h3>";</script></head>
<body><nav><a href="/">§ 98 Startseite</a></nav>
<h1>Gesetz zum Umgang mit Konsumcannabis</h1>
<p>Eingangsformel, kein Paragraph.</p>
<h2>Abschnitt 1 Allgemeine Bestimmungen</h2>
<h3>§ 1 Begriffsbestimmungen</h3>
<p>Im Sinne dieses Gesetzes ist</p>
<ol><li>1. Cannabis: Pflanzen &amp; Pflanzenteile,</li><li>2. Marihuana: getrocknete Blüten.</li></ol>
<h3>§ 2 Umgang mit Cannabis</h3>
<p>(1) Es ist verboten,<br>1. Cannabis zu besitzen,</p>
<h2>Abschnitt 2 Besitz</h2>
<p><b>§ 3 Erlaubter Besitz</b> (1) Personen, die das 18. Lebensjahr vollendet haben, ist der Besitz erlaubt.</p>
<p>(2) Zu Hause bis zu 50 Gramm.</p>
</body></html>)",
                                    "laws/kcang.html");
  CHECK(d.format == Format::html);
  CHECK(d.identifier == "KCanG");  // the abbreviation in <title>
  CHECK(d.title == "Konsumcannabisgesetz (KCanG)");
  CHECK(d.language == "de");
  CHECK(d.date == "2024-04-01");
  REQUIRE(d.sections.size() == 3);
  CHECK(d.sections[0].label == "§ 1");
  CHECK(d.sections[0].heading == "Begriffsbestimmungen");
  CHECK(d.sections[0].path == std::vector<std::string>{"Abschnitt 1 Allgemeine Bestimmungen"});
  CHECK(d.sections[0].text ==
        "Im Sinne dieses Gesetzes ist\n1. Cannabis: Pflanzen & Pflanzenteile,\n2. Marihuana: getrocknete Blüten.");
  CHECK(d.sections[1].text == "(1) Es ist verboten,\n1. Cannabis zu besitzen,");
  CHECK(d.sections[2].number == "3");
  CHECK(d.sections[2].heading == "Erlaubter Besitz");
  CHECK(d.sections[2].path == std::vector<std::string>{"Abschnitt 2 Besitz"});
  CHECK(d.sections[2].text ==
        "(1) Personen, die das 18. Lebensjahr vollendet haben, ist der Besitz erlaubt.\n(2) Zu Hause bis zu 50 Gramm.");
}

TEST_CASE("HTML: XHTML with Art., Article and Section headings; identifier from meta", "[html]") {
  const ParsedDocument d = parse_html(R"(<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr" lang="fr"><head><title>Loi</title>
<meta name="dc.identifier" content="RS 812.121"/></head><body>
<h6><b>Art. 19b</b> Ausnahmen</h6><p>Wer Betäubungsmittel des Wirkungstyps Cannabis besitzt.</p>
<h4>Article 40</h4><p>Member States shall comply.</p>
<p><strong>Section 5.</strong> Definitions apply.</p>
</body></html>)",
                                    "x.xhtml");
  CHECK(d.identifier == "RS 812.121");
  CHECK(d.language == "fr");
  REQUIRE(d.sections.size() == 3);
  CHECK(d.sections[0].label == "Art. 19b");
  CHECK(d.sections[0].number == "19b");
  CHECK(d.sections[0].heading == "Ausnahmen");
  CHECK(d.sections[1].number == "40");
  CHECK(d.sections[1].text == "Member States shall comply.");
  CHECK(d.sections[2].label == "Section 5.");
  CHECK(d.sections[2].text == "Definitions apply.");
}

TEST_CASE("HTML: a hostile page does not crash and leaks no script", "[html]") {
  const std::string hostile =
      "<html><head><title>x</title><script>document.write('<h2>\xC2\xA7 1 Evil</h2>')</script>"
      "<style>h2{}</style></head><body><h2>Art. 7 Bad &nbsp;&amp;&lt;&#x41;&#0;&bogus; <i>it"
      "<h2>\xC2\xA7 2 Next<p>unclosed <b>bold <p>Text &#xD800; end"
      "<!-- <h2>\xC2\xA7 3 hidden</h2> --><table><tr><td>a<td>b</table><div><div><div>deep";
  const ParsedDocument d = parse_html(hostile, "hostile.html");
  CHECK(d.identifier == "hostile");
  REQUIRE(d.sections.size() == 2);
  CHECK(d.sections[0].number == "7");
  CHECK(d.sections[1].label == "§ 2");
  CHECK(d.sections[1].text.find("Evil") == std::string::npos);
  CHECK(d.sections[1].text.find("hidden") == std::string::npos);
  CHECK(d.sections[1].text.find("deep") != std::string::npos);

  // Nesting far beyond any real page: flattened, not followed down the stack.
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<div>";
  const ParsedDocument flat = parse_html("<html><body><h2>\xC2\xA7 5 Tief</h2>" + deep + "Text</body></html>",
                                       "deep.html");
  REQUIRE(flat.sections.size() == 1);
  CHECK(flat.sections[0].heading == "Tief");

  ParseContext ctx;
  ctx.source = "none.html";
  auto nothing = parse_document("<html><body><p>No numbered heading.</p></body></html>", ctx);
  REQUIRE_FALSE(nothing.ok());
  CHECK(nothing.error().message == "none.html: no numbered sections found");
}

TEST_CASE("text: section markers at line starts; wrapped references are no sections", "[text]") {
  const ParsedDocument d = parse_html(
      "Neue-psychoaktive-Stoffe-Gesetz (NpSG)\n\nAbschnitt 1\n\n"
      "§ 1 Anwendungsbereich\n(1) Dieses Gesetz ist anzuwenden auf Stoffe im Sinne\n"
      "des § 2 Nummer 1.\n(2) Die Vorschriften des\n§ 29 Abs. 1 des Betäubungsmittelgesetzes\n"
      "bleiben unberührt.\n\n§ 2 Begriffsbestimmungen\nIm Sinne dieses Gesetzes ist\n"
      "1. neuer psychoaktiver Stoff: ein Stoff,\n2. Zubereitung: ein Gemisch.\n"
      "§ 3 Verbote\nEs ist verboten, Handel zu treiben.\n",
      "/data/npsg.txt");
  CHECK(d.format == Format::text);
  CHECK(d.identifier == "npsg");  // the file stem
  CHECK(d.language == "de");      // from the context
  CHECK(d.title == "Neue-psychoaktive-Stoffe-Gesetz (NpSG)");
  REQUIRE(d.sections.size() == 3);
  CHECK(d.sections[0].path == std::vector<std::string>{"Abschnitt 1"});
  CHECK(d.sections[0].text ==
        "(1) Dieses Gesetz ist anzuwenden auf Stoffe im Sinne des § 2 Nummer 1.\n"
        "(2) Die Vorschriften des § 29 Abs. 1 des Betäubungsmittelgesetzes bleiben unberührt.");
  CHECK(d.sections[1].text ==
        "Im Sinne dieses Gesetzes ist\n1. neuer psychoaktiver Stoff: ein Stoff,\n2. Zubereitung: ein Gemisch.");
  CHECK(d.sections[2].heading == "Verbote");
}

TEST_CASE("text: bare numbered headings where no other marker is used", "[text]") {
  const ParsedDocument d = parse_html(
      "MISUSE OF DRUGS ACT\n\nPART I\n\n1. Short title\nThis Act may be cited as the Misuse of Drugs Act.\n\n"
      "2. Interpretation\nIn this Act—\n1. \"drug\" means a substance in the Schedule;\n\n"
      "PART II\n\nSection 3. Possession\nA person who possesses a drug commits an offence.\n",
      "act.txt");
  // "Section 3." is a marker, so bare "1." and "2." are list items, not sections.
  REQUIRE(d.sections.size() == 1);
  CHECK(d.sections[0].label == "Section 3.");

  const ParsedDocument bare = parse_html(
      "MISUSE OF DRUGS ACT\n\nPART I\n\n1. Short title\nThis Act may be cited as the Misuse of Drugs Act.\n\n"
      "2. Interpretation\nIn this Act—\n1. \"drug\" means a substance in the Schedule;\n\n"
      "PART II\n\n3. Possession\nA person who possesses a drug commits an offence.\n",
      "act.txt");
  REQUIRE(bare.sections.size() == 3);
  CHECK(bare.sections[1].heading == "Interpretation");
  CHECK(bare.sections[1].text == "In this Act—\n1. \"drug\" means a substance in the Schedule;");
  CHECK(bare.sections[2].path == std::vector<std::string>{"PART II"});
}

TEST_CASE("numbered headings are recognised the way publishers print them", "[html][text]") {
  using numbered::match;
  CHECK(match("§ 29 Straftaten")->label == "§ 29");
  CHECK(match("§ 29 Straftaten")->rest == "Straftaten");
  CHECK(match("§29a")->label == "§29a");
  CHECK(match("Art. 19b Ausnahmen")->label == "Art. 19b");
  CHECK(match("Artikel 3 - Inhalt")->rest == "Inhalt");
  CHECK(match("SEC. 807. ")->label == "SEC. 807.");
  CHECK(match("Anlage III verkehrsfähige")->label == "Anlage III");
  CHECK(match("(XXXX) §§ 40 und 40a (gegenstandslos)")->label == "§§ 40 und 40a");
  CHECK_FALSE(match("Artikelgesetz 5"));
  CHECK_FALSE(match("Section Chief"));
  CHECK_FALSE(numbered::match_heading_line("§ 29 Abs. 1 ist anzuwenden"));
  CHECK_FALSE(numbered::match_heading_line("section 5 of the Act"));
  CHECK(numbered::file_stem("https://example.org/laws/BtMG.html?v=2") == "BtMG");
}

TEST_CASE("text: invalid UTF-8 is rejected", "[text]") {
  ParseContext ctx;
  ctx.source = "latin1.txt";
  auto r = parse_document("\xA7 1 Zweck\nStra\xDF" "e\n", ctx);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "latin1.txt: not valid UTF-8 text (wrong encoding?)");
}
