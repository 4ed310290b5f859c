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
  // Bracketed list items ("*   (+)-Norpseudoephedrin ...") are the law's text, not editorial notes.
  CHECK(section_of(d, "anlage-iii").text.find("\n(+)-Norpseudoephedrin (D-Norpseudoephedrin)") != std::string::npos);
  for (const auto& s : d.sections) {
    INFO(s.label);
    CHECK(s.notes.empty());
  }
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

// legalize.dev renderings (FR, AR, EE, CZ, GR, LU): sections found from their labels,
// whatever the markup, numbered as a lawyer cites them.
namespace {
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
bool has_number(const ParsedDocument& d, const std::string& number) {
  return std::any_of(d.sections.begin(), d.sections.end(), [&](const auto& s) { return s.number == number; });
}
int count_number(const ParsedDocument& d, const std::string& number) {
  return static_cast<int>(std::count_if(d.sections.begin(), d.sections.end(), [&](const auto& s) { return s.number == number; }));
}
}  // namespace

TEST_CASE("markdown: French codes, with article headings and as plain lines", "[markdown][labels]") {
  const ParsedDocument now = parse_shared("FR/code-penal.md", Format::markdown);
  const ParsedSection& a = section_of(now, "222-37");
  CHECK(a.label == "Article 222-37");
  CHECK(contains(a.text, "Le transport, la détention, l'offre, la cession, l'acquisition ou l'emploi illicites de stupéfiants"));
  CHECK(has_number(now, "222-37-1"));
  CHECK(count_number(now, "222-37") == 1);
  // "#### Section 4 : Du trafic de stupéfiants" is a division of the Chapitre, not a section.
  CHECK(std::any_of(a.path.begin(), a.path.end(), [](const auto& p) { return p.rfind("Section 4", 0) == 0; }));
  CHECK_FALSE(has_number(now, "4"));

  // The 1994 rendering has no heading markup: "Article 222-37" is a line of its own.
  const ParsedDocument old = parse_shared("history/FR/code-penal@1994-03-01.md", Format::markdown);
  const ParsedSection& b = section_of(old, "222-37");
  CHECK(b.label == "Article 222-37");
  CHECK(b.text.rfind("Le transport, la détention, l'offre, la cession, l'acquisition ou l'emploi illicites "
                     "de stupéfiants sont punis de dix ans d'emprisonnement et de 50 000 000 F d'amende.", 0) == 0);
  CHECK(section_of(old, "111-1").text ==
        "Les infractions pénales sont classées, suivant leur gravité, en crimes, délits et contraventions.");
  // Divisions as plain lines form the path.
  CHECK(section_of(old, "111-1").path ==
        std::vector<std::string>{"Partie législative", "Livre Ier : Dispositions générales",
                                 "Titre Ier : De la loi pénale", "Chapitre Ier : Des principes généraux"});

  const ParsedDocument csp = parse_shared("history/FR/code-sante-publique@2002-05-04.md", Format::markdown);
  CHECK(section_of(csp, "l3421-1").label == "Article L3421-1");
  CHECK(section_of(csp, "l3421-1").text.rfind("L'usage illicite de l'une des substances ou plantes classées comme "
                                              "stupéfiants est puni d'un an d'emprisonnement", 0) == 0);
  CHECK(section_of(csp, "r5143-5-2").text.rfind("I. - Le classement dans la catégorie des médicaments réservés", 0) == 0);
  CHECK(contains(section_of(csp, "r5171").text, "Sont interdits, à moins d'autorisation expresse, la production"));
}

TEST_CASE("markdown: Estonian § numbers with superscripts", "[markdown][labels]") {
  const ParsedDocument d = parse_shared("EE/npals.md", Format::markdown);
  const ParsedSection& s = section_of(d, "15¹");
  CHECK(s.label == "§ 15¹.");
  CHECK(s.heading == "Narkootilise või psühhotroopse aine ebaseaduslik käitlemine väikeses koguses");
  CHECK(contains(s.text, "Narkootilise või psühhotroopse aine arsti ettekirjutuseta tarvitamise või väikeses koguses "
                         "ebaseadusliku valmistamise, omandamise või valdamise eest"));
  CHECK(section_of(d, "15").heading == "Käesoleva seaduse §-s 14 nimetatud õiguserikkumise asja menetlus");
  CHECK(has_number(d, "11³"));
  CHECK(has_number(d, "3¹"));
  CHECK(count_number(d, "15") == 1);
  // Superscripts in the text are kept as printed too.
  CHECK(contains(section_of(d, "2").text, "käesoleva seaduse § 3¹ lõike 1 alusel"));
  CHECK(section_of(d, "15¹").path == std::vector<std::string>{"3. peatükk VASTUTUS"});

  const ParsedDocument kars = parse_shared("EE/kars.md", Format::markdown);
  CHECK(section_of(kars, "69²").heading == "Vangistuse asendamine raviga");
  CHECK(has_number(kars, "184"));
  // "§ 283. –": the dash Riigi Teataja prints for a repealed paragraph.
  CHECK(section_of(kars, "283").in_force == InForce::repealed);
  CHECK(section_of(kars, "184").in_force != InForce::repealed);
  // The address of a citation finds the section.
  CHECK(SectionAddress::parse("NPALS#15¹")->section == "15¹");
}

TEST_CASE("markdown: Argentine laws, bold and heading labels, quoted articles, notes",
          "[markdown][labels]") {
  const ParsedDocument d = parse_shared("AR/ley-23737.md", Format::markdown);
  // "**Art. 14** — Será reprimido con prisión": the rest after the dash is the text.
  const ParsedSection& s14 = section_of(d, "14");
  CHECK(s14.label == "Art. 14");
  CHECK(s14.heading.empty());
  CHECK(s14.text.rfind("Será reprimido con prisión", 0) == 0);
  CHECK(contains(s14.text, "La pena será de un mes a dos años de prisión cuando,"));
  for (const char* n : {"15", "17", "18", "20", "21", "26bis", "29bis", "44bis"}) {  // "Art. 20 — Para la ...": "Para" is no citation word here
    INFO(n);
    CHECK(has_number(d, n));
  }
  // "##### Artículo 204: ..." is the text the law gives the Código Penal, not a section of it.
  CHECK_FALSE(has_number(d, "204"));
  CHECK_FALSE(has_number(d, "204bis"));
  CHECK(contains(section_of(d, "1").text, "Artículo 204: Será reprimido con prisión de seis"));
  CHECK(contains(section_of(d, "37").text, "Artículo 26: Será reprimido con prisión de un mes a"));
  CHECK(section_of(d, "2").label == "Art. 2º");
  // Repealed, with the amendment history in the notes.
  const ParsedSection& s29ter = section_of(d, "29ter");
  CHECK(s29ter.in_force == InForce::repealed);
  CHECK(s29ter.text.empty());
  REQUIRE_FALSE(s29ter.notes.empty());
  // (The rendering glues the link text to the words around it: "de laLey N° 27.304B.O.".)
  CHECK(s29ter.notes[0].rfind("(Artículo derogado por art. 17 de la", 0) == 0);
  // A note glued to the next article's label in one line: both found.
  CHECK(section_of(d, "25").in_force == InForce::repealed);
  CHECK(contains(section_of(d, "24").notes.back(), "Artículo sustituido por art. 4° de la"));
  CHECK(section_of(d, "31ter").in_force == InForce::repealed);
  for (const auto& s : d.sections) {
    INFO(s.label);
    CHECK_FALSE(contains(s.text, "Antecedentes Normativos"));
    CHECK_FALSE(contains(s.text, "Artículo sustituido por"));
    CHECK_FALSE(contains(s.text, "Nota Infoleg"));
  }

  const ParsedDocument salud = parse_shared("AR/ley-26657.md", Format::markdown);
  const ParsedSection& a1 = section_of(salud, "1");
  CHECK(a1.label == "ARTICULO 1°");
  CHECK(a1.text.rfind("La presente ley tiene por objeto asegurar el derecho a la protección de la salud mental", 0) == 0);
  CHECK(section_of(salud, "10").label == "ARTICULO 10.");
  const ParsedDocument iacop = parse_shared("AR/ley-26934.md", Format::markdown);
  CHECK(section_of(iacop, "1").heading == "Creación.");
  CHECK(has_number(parse_shared("AR/ley-27350.md", Format::markdown), "8"));
}

TEST_CASE("markdown: Czech § with titles on the next heading, footnotes in notes", "[markdown][labels]") {
  const ParsedDocument tz = parse_shared("CZ/trestni-zakonik-40-2009.md", Format::markdown);
  const ParsedSection& s284 = section_of(tz, "284");
  CHECK(s284.label == "§ 284");
  CHECK(s284.heading == "Neoprávněné přechovávání omamné nebo psychotropní látky nebo jedu pro vlastní potřebu");
  CHECK(s284.text.rfind("(1) Kdo neoprávněně pro vlastní potřebu přechovává omamnou nebo psychotropní látku "
                        "nebo jed v množství větším než malém, bude potrestán odnětím svobody až na dvě léta", 0) == 0);
  CHECK(has_number(tz, "285"));

  const ParsedDocument nl = parse_shared("CZ/zakon-167-1998.md", Format::markdown);
  CHECK(section_of(nl, "1").heading == "Předmět úpravy");
  CHECK(section_of(nl, "33a").heading == "Nakládání s psychomodulačními látkami");
  CHECK(has_number(nl, "39"));
  CHECK(has_number(nl, "5"));
  // "^2g) Vyhláška č. 236/2015 Sb., ...": footnotes printed at the end are notes.
  for (const auto& s : nl.sections) {
    INFO(s.label);
    CHECK_FALSE(contains(s.text, "^2g)"));
    CHECK_FALSE(contains(s.text, "Vyhláška č. 236/2015 Sb., o stanovení podmínek"));
  }
  CHECK(has_number(parse_shared("history/CZ/zakon-167-1998@1999-01-01.md", Format::markdown), "39"));
}

TEST_CASE("markdown: Greek Άρθρο with its title on the next line", "[markdown][labels]") {
  const ParsedDocument d = parse_shared("GR/n4139-2013.md", Format::markdown);
  const ParsedSection& s29 = section_of(d, "29");
  CHECK(s29.label == "Άρθρο 29");
  CHECK(s29.heading == "Καλλιέργεια κάνναβης, χρήση ναρκωτικών ουσιών, πλαστογραφία ιατρικής συνταγής");
  CHECK(contains(s29.text, "2. Ο δράστης της πράξης της προηγούμενης παραγράφου μπορεί να κριθεί ατιμώρητος"));
  for (const char* n : {"30", "31", "32"}) CHECK(has_number(d, n));
  CHECK(section_of(d, "1").heading == "Ορισμός ναρκωτικών");
  CHECK(section_of(d, "1").path.back() == "ΚΕΦΑΛΑΙΟ Α΄");
  // "... ως εξής: «Άρθρο 108 ...": a quoted article of the Penal Code is no section.
  CHECK(count_number(d, "29") == 1);
}

TEST_CASE("markdown: Luxembourg Art. 1er, bold headings, quoted amending text", "[markdown][labels]") {
  const ParsedDocument base = parse_shared("LU/loi-1973-02-19.md", Format::markdown);
  CHECK(section_of(base, "1").label == "Art. 1er.");
  for (const char* n : {"7", "23", "33"}) CHECK(has_number(base, n));
  const ParsedDocument bold = parse_shared("LU/loi-2018-07-20-a638.md", Format::markdown);
  REQUIRE(bold.sections.size() == 3);
  CHECK(bold.sections[0].label == "Art. 1er.");
  CHECK(bold.sections[0].number == "1");

  const ParsedDocument amending = parse_shared("LU/loi-2023-07-10-a408.md", Format::markdown);
  // Art. 1 to 9 of the amending law; "Art. 7." after "... par le libellé suivant :" and
  // "Art. 7-1." to "Art. 7-3." after "... libellés comme suit :" are the text it inserts.
  std::vector<std::string> numbers;
  for (const auto& s : amending.sections) numbers.push_back(s.number);
  CHECK(std::vector<std::string>(numbers.begin(), numbers.begin() + 9) ==
        std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7", "8", "9"});
  CHECK_FALSE(has_number(amending, "7-1"));
  CHECK_FALSE(has_number(amending, "7-2"));
  const ParsedSection& a4 = section_of(amending, "4");
  CHECK(contains(a4.text, "L’article 7 de la même loi est remplacé par le libellé suivant :\nArt. 7."));
  CHECK(contains(a4.text, "Seront punis d’un emprisonnement de huit jours à six mois"));
  CHECK(contains(section_of(amending, "5").text, "Art. 7-3."));
  CHECK(section_of(amending, "6").text.rfind("L’article 8, alinéa 1er, point 1, de la même loi", 0) == 0);
}

TEST_CASE("markdown: a table of contents is not a second copy of the sections", "[markdown][labels]") {
  const ParsedDocument d = parse_bytes(
      "---\ntitle: Loi test\n---\n# Loi test\n\nTable des matières\n\nArticle 1 Objet\n\nArticle 2 Définitions\n\n"
      "Article 3 Sanctions\n\n## Chapitre Ier : Dispositions générales\n\n### Article 1 Objet\n\n"
      "La présente loi règle la vente des substances.\n\n### Article 2 Définitions\n\n"
      "Au sens de la présente loi, on entend par substance toute matière.\n\n### Article 3 Sanctions\n\n"
      "(abrogé)\n", "toc.md", Format::markdown, "fr");
  REQUIRE(d.sections.size() == 3);
  CHECK(d.sections[0].number == "1");
  CHECK(d.sections[0].text == "La présente loi règle la vente des substances.");
  CHECK(d.sections[0].path == std::vector<std::string>{"Chapitre Ier : Dispositions générales"});
  CHECK(d.sections[2].in_force == InForce::repealed);
  CHECK(d.sections[1].in_force != InForce::repealed);
}

TEST_CASE("plain text: Spanish ARTICULO lines with the text on the same line", "[text][labels]") {
  const ParsedDocument d = parse_bytes(
      "LEY DE ESTUPEFACIENTES\n\nCAPITULO I\n\nARTICULO 14.-  Será reprimido con prisión de uno a seis años el que\n"
      "tuviere en su poder estupefacientes.\nLa pena será de un mes a dos años cuando la tenencia es para uso personal.\n\n"
      "ARTICULO 15.- La tenencia y el consumo de hojas de coca en su estado natural no será considerada\n"
      "como tenencia de estupefacientes, según el artículo 14 de esta ley.\n\n"
      "Artículo 16 bis.- (derogado)\n", "ley.txt", Format::text, "es");
  REQUIRE(d.sections.size() == 3);
  CHECK(d.sections[0].label == "ARTICULO 14");
  CHECK(d.sections[0].number == "14");
  CHECK(d.sections[0].heading.empty());
  CHECK(d.sections[0].text.rfind("Será reprimido con prisión de uno a seis años el que tuviere en su poder", 0) == 0);
  CHECK(d.sections[0].path == std::vector<std::string>{"CAPITULO I"});
  CHECK(d.sections[1].number == "15");
  CHECK(d.sections[2].number == "16bis");
  CHECK(d.sections[2].in_force == InForce::repealed);
}

TEST_CASE("markdown: editorial notes go to the notes, not the text or heading", "[markdown][labels]") {
  const ParsedDocument ee = parse_bytes(
      "---\ntitle: Seadus\n---\n# Seadus\n\n### 1. peatükk ÜLDSÄTTED\n\n"
      "##### § 3. Ainete käitlemine [RT I, 2005, 12, 3 - jõust. 01.05.2005]\n\n"
      "(1) Narkootiliste ainete käitlemine on lubatud üksnes meditsiinilisel eesmärgil. "
      "[RT I 2008, 3, 21 - jõust. 01.02.2008]\n\n(2) Käesoleva seaduse sätteid kohaldatakse ka lähteainetele.\n\n"
      "##### § 4.\n\n[Kehtetu - RT I 2004, 7, 40 - jõust. 01.03.2004]\n", "ee.md", Format::markdown, "et");
  REQUIRE(ee.sections.size() == 2);
  const ParsedSection& s3 = ee.sections[0];
  CHECK(s3.heading == "Ainete käitlemine");
  CHECK(s3.text == "(1) Narkootiliste ainete käitlemine on lubatud üksnes meditsiinilisel eesmärgil.\n"
                   "(2) Käesoleva seaduse sätteid kohaldatakse ka lähteainetele.");
  CHECK(s3.notes == std::vector<std::string>{"[RT I, 2005, 12, 3 - jõust. 01.05.2005]",
                                             "[RT I 2008, 3, 21 - jõust. 01.02.2008]"});
  CHECK(ee.sections[1].in_force == InForce::repealed);  // "[Kehtetu - ...]"

  const ParsedDocument fr = parse_bytes(
      "---\ntitle: Code\n---\n# Code\n\nArticle L3421-1\n\nL'usage illicite de stupéfiants est puni d'un an "
      "d'emprisonnement. (Modifié par Loi n°2007-297 du 5 mars 2007)\n\nNOTA : Ces dispositions entrent en vigueur "
      "le 1er janvier 2008.\n\nArticle L3421-2\n\n(abrogé)\n", "csp.md", Format::markdown, "fr");
  REQUIRE(fr.sections.size() == 2);
  CHECK(fr.sections[0].text == "L'usage illicite de stupéfiants est puni d'un an d'emprisonnement.");
  CHECK(fr.sections[0].notes == std::vector<std::string>{
                                    "(Modifié par Loi n°2007-297 du 5 mars 2007)",
                                    "NOTA : Ces dispositions entrent en vigueur le 1er janvier 2008."});
  CHECK(fr.sections[1].in_force == InForce::repealed);

  const ParsedDocument cz = parse_bytes(
      "---\ntitle: Zákon\n---\n# Zákon\n\n##### § 5\n\n#### Zacházení bez povolení\n\n(1) Bez povolení mohou "
      "s látkami zacházet lékárny.\n\nRedakční poznámka: ustanovení nabývá účinnosti dnem 1. 1. 2026.\n\n"
      "##### § 6\n\nzrušeno\n", "cz.md", Format::markdown, "cs");
  REQUIRE(cz.sections.size() == 2);
  CHECK(cz.sections[0].heading == "Zacházení bez povolení");
  CHECK(cz.sections[0].text == "(1) Bez povolení mohou s látkami zacházet lékárny.");
  CHECK(cz.sections[0].notes.size() == 1);
  CHECK(cz.sections[1].in_force == InForce::repealed);
}

TEST_CASE("plain text: Greek Άρθρο lines with the title on the next line", "[text][labels]") {
  const ParsedDocument d = parse_bytes(
      "ΝΟΜΟΣ ΥΠ’ ΑΡΙΘ. 4139\n\nΚΕΦΑΛΑΙΟ Δ΄\n\nΆρθρο 29\nΚαλλιέργεια κάνναβης, χρήση ναρκωτικών ουσιών\n"
      "1. Όποιος, για δική του αποκλειστικά χρήση, κατέχει ναρκωτικά, τιμωρείται με φυλάκιση έως πέντε μηνών.\n\n"
      "Άρθρο 30\nΕξαρτημένοι χρήστες\n1. Ο εξαρτημένος χρήστης δεν τιμωρείται.\n", "n.txt", Format::text);
  REQUIRE(d.sections.size() == 2);
  CHECK(d.sections[0].label == "Άρθρο 29");
  CHECK(d.sections[0].heading == "Καλλιέργεια κάνναβης, χρήση ναρκωτικών ουσιών");
  CHECK(d.sections[0].path == std::vector<std::string>{"ΚΕΦΑΛΑΙΟ Δ΄"});
  CHECK(d.sections[0].text.rfind("1. Όποιος, για δική του αποκλειστικά χρήση", 0) == 0);
  CHECK(d.sections[1].heading == "Εξαρτημένοι χρήστες");
}
