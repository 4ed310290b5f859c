// Golden tests of the Akoma Ntoso parser on every AKN flavour in shared/legislation.
// Expected values were read off the source XML, not copied from the parser's output.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "hrtrack/corpus/parse.hpp"
#include "parsers.hpp"
#include "golden.hpp"
#include "shared.hpp"

using namespace hrtrack::corpus;
using namespace hrtrack::test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {




bool has_heading(const ParsedDocument& doc, const std::string& heading) {
  return std::any_of(doc.sections.begin(), doc.sections.end(),
                     [&](const ParsedSection& s) { return s.heading == heading; });
}

bool has_note_starting(const ParsedSection& s, const std::string& prefix) {
  return std::any_of(s.notes.begin(), s.notes.end(),
                     [&](const std::string& n) { return n.rfind(prefix, 0) == 0; });
}

const Citation* citation_to(const ParsedSection& s, const std::string& raw) {
  auto it = std::find_if(s.citations.begin(), s.citations.end(),
                         [&](const Citation& c) { return c.raw == raw; });
  return it == s.citations.end() ? nullptr : &*it;
}

// A minimal act around `body`, for the cases no shared file shows.
std::string act_with(const std::string& body) {
  return R"(<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><act name="act">
<meta><identification source="#x"><FRBRWork><FRBRthis value="/akn/xx/act/2020/7/!main"/>
<FRBRuri value="/akn/xx/act/2020/7"/><FRBRcountry value="xx"/></FRBRWork>
<FRBRExpression><FRBRdate date="2020-05-01" name="x"/><FRBRlanguage language="fra"/></FRBRExpression>
</identification></meta><body>)" +
         body + "</body></act></akomaNtoso>";
}

}  // namespace

TEST_CASE("akn: legislation.gov.uk Scottish Act (asp 2017/1)", "[akn]") {
  const auto doc = parse_shared("GB/akn_asp-2017-1-enacted-data.akn.xml", Format::akn);
  CHECK(doc.identifier == "asp/2017/1");
  CHECK(std::find(doc.aliases.begin(), doc.aliases.end(), "2017 asp 1") != doc.aliases.end());
  CHECK(doc.title == "Budget (Scotland) Act 2017");
  CHECK(doc.jurisdiction == "GB-SCT");
  CHECK(doc.language == "en");
  CHECK(doc.type == InstrumentType::act);
  CHECK(doc.date == "2017-03-31");
  REQUIRE(doc.sections.size() == 11);
  CHECK(doc.sections.front().number == "1");
  CHECK(doc.sections.back().number == "11");
  CHECK(doc.sections.back().heading == "Short title");

  const auto& s1 = section_of(doc, "1");
  CHECK(s1.heading == "The Scottish Administration");
  CHECK_THAT(s1.text,
             StartsWith("(1) The Scottish Administration may use resources in financial "
                        "year 2017/18 for the purposes specified in column 1 of schedule 1—\n"
                        "(a) in the case of resources other than accruing resources,"));
  const auto& s3 = section_of(doc, "3");
  CHECK(s3.heading == "Borrowing by statutory bodies");
  CHECK_THAT(s3.text, StartsWith("In schedule 3, the amounts set out in column 2 are the amounts"));
  CHECK(section_of(doc, "4").path == std::vector<std::string>{"PART 1 Financial year 2017/18",
                                                           "The Scottish Consolidated Fund"});
}

TEST_CASE("akn: legislation.gov.uk enacted Act with amending quotations (ukpga 2014/27)", "[akn]") {
  const auto doc = parse_shared("GB/akn_ukpga-2014-27-enacted-data.akn.xml", Format::akn);
  CHECK(doc.identifier == "ukpga/2014/27");
  CHECK(doc.title == "Data Retention and Investigatory Powers Act 2014");
  CHECK(doc.jurisdiction == "GB");
  REQUIRE(doc.sections.size() == 8);
  CHECK(doc.sections.front().number == "1");
  CHECK(doc.sections.back().number == "8");

  const auto& s4 = section_of(doc, "4");
  CHECK(s4.heading == "Extra-territoriality in Part 1 of RIPA");
  CHECK(s4.path == std::vector<std::string>{"Investigatory powers"});
  CHECK_THAT(s4.text, StartsWith("(1) Part 1 of the Regulation of Investigatory Powers Act 2000 "
                                 "(communications) is amended as follows.\n(2) In section 11"));
  // The inserted subsections 2A-2C stay inside s. 4, within their quotation marks.
  CHECK_THAT(s4.text, Contains("\n“(2A) A copy of a warrant may be served under subsection (2)"));
  for (const auto& s : doc.sections) CHECK(s.number != "2a");
  const Citation* c = citation_to(s4, "/akn/uk/act/2000-07-28/chapter23/main#sec_11__subsec_2");
  REQUIRE(c);
  CHECK(c->target_instrument == "/akn/uk/act/2000-07-28/chapter23");
  CHECK(c->target_section == "11");
  CHECK(c->kind == "markup");
}

TEST_CASE(
    "akn: legislation.gov.uk revised Act with change markup and footnotes in num (ukpga 1998/29)",
    "[akn]") {
  const auto doc = parse_shared("GB/akn_ukpga-1998-29.akn.xml", Format::akn);
  CHECK(doc.identifier == "ukpga/1998/29");
  CHECK(std::find(doc.aliases.begin(), doc.aliases.end(), "1998 c. 29") != doc.aliases.end());
  CHECK(doc.title == "Data Protection Act 1998");
  CHECK(doc.date == "2017-10-31");
  // 97 section elements, two of them quoted in Sch. 15 amendments.
  REQUIRE(doc.sections.size() == 95);
  CHECK(doc.sections.front().number == "1");
  CHECK(doc.sections.back().number == "75");
  CHECK_FALSE(has_heading(doc, "Health professionals."));

  // <num><noteRef marker="I14"/>38</num>: the commentary leaves the number, goes to notes.
  const auto& s38 = section_of(doc, "38");
  CHECK(s38.label == "38");
  CHECK(s38.heading == "Powers to make further exemptions by order.");
  CHECK_THAT(s38.text, StartsWith("(1) The Secretary of State may by order exempt from the subject "
                                  "information provisions personal data"));
  CHECK(has_note_starting(s38, "[I14] S. 38 wholly in force at 1.3.2000;"));
  CHECK(has_note_starting(s38, "[F59] Words in s. 38 substituted"));
  CHECK(s38.notes.size() == 2);  // F59 is referenced twice, kept once

  // Inserted text (ins) is law; the noteRef marker inside it is not text.
  const auto& s1 = section_of(doc, "1");
  CHECK_THAT(s1.text, Contains("(e) is recorded information held by a public authority"));
  CHECK_THAT(s1.text, !Contains("F2"));
  CHECK(section_of(doc, "40").path == std::vector<std::string>{"Part V Enforcement"});
}

TEST_CASE("akn: EU proposal in a documentCollection, footnotes in points (COM(2013) 619)",
          "[akn]") {
  const auto doc = parse_shared("EU/akn_eu_COM-2013-0619_EN.akn.xml", Format::akn);
  CHECK(doc.identifier == "COM(2013) 619");
  CHECK(std::find(doc.aliases.begin(), doc.aliases.end(), "52013PC0619") != doc.aliases.end());
  CHECK(doc.type == InstrumentType::bill);
  CHECK(doc.jurisdiction == "EU");
  CHECK(doc.language == "en");
  CHECK(doc.date == "2013-09-17");
  REQUIRE(doc.sections.size() == 24);
  CHECK(doc.sections.front().label == "Article 1");
  CHECK(doc.sections.front().number == "1");
  CHECK(doc.sections.back().number == "24");

  const auto& a2 = section_of(doc, "2");
  CHECK(a2.heading == "Definitions");
  CHECK(a2.path == std::vector<std::string>{"CHAPTER I Subject matter - Scope - Definitions"});
  CHECK_THAT(a2.text, StartsWith("For the purpose of this Regulation, the following definitions "
                                 "apply:\n(a) ‘new psychoactive substance’ means"));
  CHECK(has_note_starting(a2, "[24] OJ L 194, 18.7.2001, p. 26."));
  CHECK_THAT(a2.text, !Contains("OJ L 194"));
  // "/eu/act/directive/2001/83~art_1__point_2": the older AKN form with "~" for "#".
  const Citation* c = citation_to(a2, "/eu/act/directive/2001/83~art_1__point_2");
  REQUIRE(c);
  CHECK(c->target_instrument == "/eu/act/directive/2001/83");
  CHECK(c->target_section == "1");
}

TEST_CASE("akn: an:-prefixed Italian Senate bill, numbers split in inline tags", "[akn]") {
  const auto doc = parse_shared("IT/akn_it_senato_ddl_2013.akn.xml", Format::akn);
  // Its title is too long to cite: its cover's kind and number name it; the URI is an alias.
  CHECK(doc.identifier == "Disegno di legge N. 356");
  CHECK(std::count(doc.aliases.begin(), doc.aliases.end(), "/akn/it/bill/Ddl/2013-03-29/356") == 1);
  CHECK(doc.type == InstrumentType::bill);
  CHECK(doc.jurisdiction == "IT");
  CHECK(doc.language == "it");
  CHECK_THAT(doc.title, StartsWith("Modifiche al testo unico di cui al decreto del Presidente"));
  // Eight article elements, two of them quoted replacements of the DPR 361/1957.
  REQUIRE(doc.sections.size() == 6);
  CHECK(doc.sections.front().label == "Art. 1.");
  CHECK(doc.sections.front().number == "1");
  CHECK(doc.sections.back().number == "6");

  const auto& a1 = section_of(doc, "1");
  CHECK(a1.heading == "(Modifiche al sistema elettorale della Camera dei deputati)");
  CHECK_THAT(a1.text,
             StartsWith("1. Al testo unico delle leggi recanti norme per la elezione della "
                        "Camera dei deputati"));
  CHECK_THAT(a1.text, Contains("\na) l'articolo 1 è sostituito dal seguente:\n«Art. 1. -- 1. La "
                               "Camera dei deputati è eletta a suffragio universale"));
  const auto& a6 = section_of(doc, "6");
  CHECK(a6.heading == "(Entrata in vigore)");
  CHECK_THAT(a6.text, StartsWith("1. La presente legge entra in vigore il giorno successivo"));
}

TEST_CASE("akn: South African judgment numbers its paragraphs as list items", "[akn]") {
  const auto doc = parse_shared("ZA/akn_za_Judgement_2008-11-26.akn.xml", Format::akn);
  CHECK(doc.identifier == "[2008] ZASCA 134");
  CHECK(doc.type == InstrumentType::judgment);
  CHECK(doc.title == "Fourway Haulage v SA National Roads Agency (653/07)");
  CHECK(doc.jurisdiction == "ZA");
  CHECK(doc.date == "2008-11-26");
  // [1]-[15] and [36]: the sample left out [16]-[35].
  REQUIRE(doc.sections.size() == 16);
  CHECK(doc.sections.front().label == "[1]");
  CHECK(doc.sections.front().number == "1");
  CHECK(doc.sections.back().number == "36");
  CHECK(
      section_of(doc, "36").text ==
      "For these reasons the appeal is dismissed with costs, including the costs of two counsel.");
  CHECK_THAT(section_of(doc, "5").text, Contains("\n(b) Whether the collision occurred"));
  const Citation* c =
      citation_to(section_of(doc, "11"), "/akn/za/act/1998-03-31/7/eng@/!main.xml#sec27");
  REQUIRE(c);
  CHECK(c->target_instrument == "/akn/za/act/1998-03-31/7");
  CHECK(c->target_section == "27");
}

TEST_CASE("akn: Laws.Africa Swahili act (Tanzanian constitution)", "[akn]") {
  const auto doc = parse_shared("TZ/akn_tz_act_1977_1_swa@2002-07-31.akn.xml", Format::akn);
  // Named by its own title; the work URI, how AKN hrefs name it, is an alias.
  CHECK(doc.identifier == "Katiba ya Jamhuri ya Muungano wa Tanzania, ya Mwaka");
  CHECK(std::find(doc.aliases.begin(), doc.aliases.end(), "/akn/tz/act/1977/1") != doc.aliases.end());
  CHECK(doc.title == "Katiba ya Jamhuri ya Muungano wa Tanzania, ya Mwaka");
  CHECK(doc.language == "sw");
  CHECK(doc.jurisdiction == "TZ");
  CHECK(doc.date == "2002-07-31");
  REQUIRE(doc.sections.size() == 155);
  CHECK(doc.sections.front().label == "1.");
  CHECK(doc.sections.front().number == "1");
  CHECK(doc.sections.back().number == "152");

  const auto& s1 = section_of(doc, "1");
  CHECK(s1.heading == "Kutangaza jamhuri ya muungano");
  CHECK(s1.text == "Tanzania ni nchi moja na ni Jamhuri ya Muungano.");
  CHECK(s1.path == std::vector<std::string>{"Kwanza (ib 1-32)",
                                            "Kwanza Jamhuri ya muungano na watu (ib 1-5)"});
  const auto& s152 = section_of(doc, "152");
  CHECK_THAT(s152.text, StartsWith("(1) Jina kamili la Katiba hii ni Katiba ya Jamhuri ya Muungano "
                                   "wa Tanzania, ya mwaka 1977.\n(2) [Imefutwa na Sura ya 4.]"));
}

TEST_CASE("akn: Uruguayan bill in a documentCollection", "[akn]") {
  const auto doc = parse_shared("UY/akn_uy_bill_2010-09-27.akn.xml", Format::akn);
  CHECK(doc.identifier ==
        "ARTÍCULOS 1º, 3º Y 4º DE LA LEY Nº 15.848, DE CADUCIDAD DE LA PRETENSIÓN PUNITIVA DEL ESTADO");
  CHECK(std::find(doc.aliases.begin(), doc.aliases.end(),
                  "/akn/uy/collection/camera/2010-09-27/repartido379-2010") != doc.aliases.end());
  CHECK(doc.type == InstrumentType::bill);
  CHECK(doc.language == "es");  // published as "esp"
  CHECK(doc.jurisdiction == "UY");
  REQUIRE(doc.sections.size() == 3);
  CHECK(doc.sections.front().label == "Artículo 1º");
  CHECK(doc.sections.front().number == "1");
  CHECK(doc.sections.back().number == "3");

  const auto& a2 = section_of(doc, "2");
  CHECK(a2.label == "Artículo 2º.");
  CHECK(a2.heading.empty());
  CHECK_THAT(a2.text, StartsWith("- Declárase como interpretación obligatoria (Código Civil, "
                                 "artículo 12) que los artículos 1º, 3º y 4º de la Ley Nº 15.848"));
  const Citation* c =
      citation_to(section_of(doc, "1"), "/akn/uy/act/1967/Constitucion/!main#art__85__item_20");
  REQUIRE(c);
  CHECK(c->target_instrument == "/akn/uy/act/1967/Constitucion");
  CHECK(c->target_section == "85");
}

TEST_CASE("akn: US Code portion (title 9 chapter 3)", "[akn]") {
  const auto doc = parse_shared("US/akn_us_Title9-Chap3-eng.akn.xml", Format::akn);
  CHECK(doc.identifier == "/akn/us/usc/title_9");
  CHECK(doc.jurisdiction == "US");
  CHECK(doc.date == "2013-07-26");
  REQUIRE(doc.sections.size() == 7);
  CHECK(doc.sections.front().label == "§ 301.");
  CHECK(doc.sections.front().number == "301");
  CHECK(doc.sections.back().number == "307");

  const auto& s302 = section_of(doc, "302");
  CHECK(s302.heading == "Incorporation by reference");
  CHECK(s302.path ==
        std::vector<std::string>{
            "CHAPTER 3— INTER-AMERICAN CONVENTION ON INTERNATIONAL COMMERCIAL ARBITRATION"});
  CHECK_THAT(s302.text,
             StartsWith("Sections 202, 203, 204, 205, and 207 of this title shall apply to "
                        "this chapter as if specifically set forth herein"));
  // The portion is included in /akn/us/act/title_9, so these refs cite this very title.
  const Citation* c = citation_to(s302, "/akn/us/act/title_9#sec_202");
  REQUIRE(c);
  CHECK(c->target_instrument.empty());
  CHECK(c->target_section == "202");
}

TEST_CASE("akn: LegalDocML.de promulgated law (LobbyRG)", "[akn]") {
  const auto doc =
      parse_shared("DE/ldml_bgbl-1_2021_s818_LobbyRG_zielgesetz.regelungstext-verkuendung-1.xml", Format::akn);
  CHECK(doc.identifier == "LobbyRG");
  CHECK(std::find(doc.aliases.begin(), doc.aliases.end(), "eli/bund/bgbl-1/2021/s818") !=
        doc.aliases.end());
  CHECK_THAT(doc.title, StartsWith("Gesetz zur Einführung eines Lobbyregisters"));
  CHECK(doc.language == "de");
  CHECK(doc.jurisdiction == "DE");
  CHECK(doc.date == "2021-04-16");
  REQUIRE(doc.sections.size() == 10);
  CHECK(doc.sections.front().label == "§ 1");
  CHECK(doc.sections.back().number == "10");
  CHECK(doc.sections.back().heading == "Inkrafttreten");

  const auto& p1 = section_of(doc, "1");
  CHECK(p1.heading == "Anwendungsbereich");
  CHECK_THAT(p1.text,
             StartsWith("(1) Dieses Gesetz gilt für die Interessenvertretung gegenüber den "
                        "Organen, Mitgliedern, Fraktionen oder Gruppen des Deutschen Bundestages"));
}

TEST_CASE("akn: LegalDocML.de amending act keeps its quoted provisions inside the articles",
          "[akn]") {
  const auto doc =
      parse_shared("DE/ldml_bgbl-1_2024_10_LobbyRG-Aenderung.regelungstext-verkuendung-1.xml", Format::akn);
  // No abbreviation in shortTitle: named by its title; the ELI is an alias.
  CHECK(doc.identifier == "Gesetz zur Änderung des Lobbyregistergesetzes");
  CHECK(std::find(doc.aliases.begin(), doc.aliases.end(), "eli/bund/bgbl-1/2024/10") != doc.aliases.end());
  CHECK(doc.title == "Gesetz zur Änderung des Lobbyregistergesetzes");
  REQUIRE(doc.sections.size() == 3);
  CHECK(doc.sections.front().label == "Artikel 1");
  CHECK(doc.sections.back().number == "3");

  const auto& a1 = section_of(doc, "1");
  CHECK(a1.heading == "Änderung des Lobbyregistergesetzes");
  CHECK_THAT(a1.text,
             StartsWith("Das Lobbyregistergesetz vom 16. April 2021 (BGBl. I S. 818) wird "
                        "wie folgt geändert:\n1. § 1 wird wie folgt geändert:\na) In Absatz 1 "
                        "wird nach den Wörtern „gegenüber den Organen“ das Wort „, Gremien“ "
                        "eingefügt."));
  CHECK_THAT(a1.text, Contains("\n„(2) Die Regelungen für die Interessenvertretung"));
  const Citation* c =
      citation_to(a1,
                  "eli/bund/bgbl-1/2021/s818/2021-04-16/1/deu/regelungstext-verkuendung-1/"
                  "hauptteil-1_art-1_abs-2.xml");
  REQUIRE(c);
  CHECK(c->target_instrument == "eli/bund/bgbl-1/2021/s818");
  CHECK(c->target_section == "1");
}

TEST_CASE("akn: LegalDocML.de law with list points (StiftPKG)", "[akn]") {
  const auto doc = parse_shared("DE/ldml_bgbl-1_2025_101_SPKG.regelungstext-verkuendung-1.xml", Format::akn);
  CHECK(doc.identifier == "StiftPKG");
  CHECK(doc.title == "Gesetz über die Stiftung Preußischer Kulturbesitz");
  REQUIRE(doc.sections.size() == 20);
  CHECK(doc.sections.front().number == "1");
  CHECK(doc.sections.back().number == "20");
  const auto& p5 = section_of(doc, "5");
  CHECK(p5.heading == "Organe der Stiftung");
  CHECK(p5.text ==
        "Organe der Stiftung sind\n1. der Stiftungsrat,\n2. der Vorstand,\n3. der Präsident oder "
        "die Präsidentin.");
}

TEST_CASE("akn: the LegalDocML.de wrapper document has no sections and is refused", "[akn]") {
  const std::string rel = "DE/ldml_bgbl-1_2024_10_LobbyRG-Aenderung.rechtsetzungsdokument-1.xml";
  auto r = parse_document(hrtrack::test::read_file(hrtrack::test::legislation(rel)),
                          ParseContext{rel, "", "", "", ""});
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, StartsWith(rel + ": "));
}

TEST_CASE("akn: a truncated file is an error that names the source", "[akn]") {
  const std::string rel = "GB/akn_asp-2017-1-enacted-data.akn.xml";
  const std::string bytes = hrtrack::test::read_file(hrtrack::test::legislation(rel));
  auto r = parse_document(bytes.substr(0, bytes.size() / 2), ParseContext{rel, "", "", "", ""});
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, StartsWith(rel + ": "));
  CHECK_THAT(r.error().message, Contains("malformed XML"));
}

TEST_CASE("akn: other XML is refused by the parser", "[akn]") {
  auto r = xml::read("<dokumente/>", ParseContext{"x.xml", "", "", "", ""}, parsers::akn);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "x.xml: not an Akoma Ntoso document (root <dokumente>)");
}

TEST_CASE("akn: numbers split across inline tags, footnotes in num, heading and p", "[akn]") {
  const auto doc = parse_bytes(act_with(R"(
<article eId="art_19b"><num><b>Art. 19</b><i>b</i><authorialNote marker="1"><p>Inserted 2019.</p>
</authorialNote></num><heading>Penalties<authorialNote marker="2"><p>See Art. 40.</p></authorialNote>
</heading><paragraph><num>1.</num><content><p>Whoever sells<authorialNote marker="3"><p>OJ L 1.</p>
</authorialNote> a substance is liable.</p></content></paragraph></article>)"), "inline.akn.xml", Format::akn);
  REQUIRE(doc.sections.size() == 1);
  const auto& s = doc.sections[0];
  CHECK(s.label == "Art. 19b");
  CHECK(s.number == "19b");
  CHECK(s.heading == "Penalties");
  CHECK(s.text == "1. Whoever sells a substance is liable.");
  CHECK(s.notes ==
        std::vector<std::string>{"[1] Inserted 2019.", "[2] See Art. 40.", "[3] OJ L 1."});
  CHECK(doc.language == "fr");
  CHECK(doc.jurisdiction == "XX");  // FRBRcountry "xx", upper-cased
}

TEST_CASE("akn: repealed units, quoted units and unnumbered wrappers", "[akn]") {
  const auto doc = parse_bytes(act_with(R"(
<section status="repealed"><num>1</num><heading>Gone</heading><content><p>Text.</p></content></section>
<section><num>2</num><content><p>[Repealed]</p></content></section>
<section><num>3</num><content><p>Omitted</p></content></section>
<section><num>4</num><content><p>In force <embeddedStructure><section><num>9</num>
<content><p>Quoted.</p></content></section></embeddedStructure></p></content></section>
<article><heading>Wrapper</heading><section><num>5</num><content><p>Inside.</p></content></section>
</article>)"), "inline.akn.xml", Format::akn);
  REQUIRE(doc.sections.size() == 5);
  CHECK(doc.sections[0].in_force == InForce::repealed);
  CHECK(doc.sections[1].in_force == InForce::repealed);
  CHECK(doc.sections[2].in_force == InForce::repealed);
  CHECK(doc.sections[3].in_force == InForce::unknown);
  CHECK(doc.sections[3].text == "In force\n(9) Quoted.");
  CHECK(doc.sections[4].number == "5");
  CHECK(doc.sections[4].path == std::vector<std::string>{"Wrapper"});
}

TEST_CASE("akn: ref hrefs become citations", "[akn]") {
  const auto doc = parse_bytes(act_with(R"(
<section><num>1</num><content><p>
<ref href="#sec_4">s. 4</ref> <ref href="/ukpga/1971/38/section/5">MDA s. 5</ref>
<ref href="/akn/it/act/2000/1/!main#art_19">art. 19</ref>
<ref href="/akn/xx/act/2020/7/eng@2020-05-01/!main#sec_2__subsec_1">s. 2(1)</ref>
<ref href="http://www.legislation.gov.uk/id/uksi/2001/3998/regulation/4">reg. 4</ref>
</p></content></section>)"), "inline.akn.xml", Format::akn);
  REQUIRE(doc.sections.size() == 1);
  const auto& cs = doc.sections[0].citations;
  REQUIRE(cs.size() == 5);
  CHECK((cs[0].target_instrument.empty() && cs[0].target_section == "4"));
  CHECK((cs[1].target_instrument == "ukpga/1971/38" && cs[1].target_section == "5"));
  CHECK((cs[2].target_instrument == "/akn/it/act/2000/1" && cs[2].target_section == "19"));
  CHECK((cs[3].target_instrument.empty() && cs[3].target_section == "2"));  // this act
  CHECK((cs[4].target_instrument == "uksi/2001/3998" && cs[4].target_section == "4"));
  for (const auto& c : cs) CHECK(c.kind == "markup");
}

TEST_CASE("AKN: a collection that only refers to its documents holds no legal text", "[akn]") {
  const std::string file = "DE/ldml_bgbl-1_2024_10_LobbyRG-Aenderung.rechtsetzungsdokument-1.xml";
  ParseContext ctx;
  ctx.source = file;
  const auto r = parse_document(read_file(legislation(file)), ctx);
  REQUIRE_FALSE(r.ok());
  CHECK(holds_no_legal_text(r.error()));
  CHECK_THAT(r.error().message, Catch::Contains(file));
  CHECK_THAT(r.error().message, Catch::Contains("refers to 1 document (regelungstext-verkuendung-1.xml)"));
}
