#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "hrtrack/corpus/citations.hpp"
#include "shared.hpp"

using namespace hrtrack::corpus;

namespace {

// "instrument#section" for each citation, in order: short to compare, clear when it fails.
std::vector<std::string> targets(std::string_view text, std::string_view language) {
  std::vector<std::string> out;
  for (const auto& c : extract_citations(text, language)) out.push_back(c.target_instrument + "#" + c.target_section);
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("English section references", "[citations]") {
  CHECK(targets("as set out in section 56.1,", "en") == V{"#56.1"});
  CHECK(targets("an offence under subsection 4(1)", "en") == V{"#4"});
  CHECK(targets("referred to in paragraph 4(1)(a) or", "en") == V{"#4"});
  CHECK(targets("see s. 4 and", "en") == V{"#4"});
  CHECK(targets("Article 40 applies", "en") == V{"#40"});
  CHECK(targets("under Art. 19b", "en") == V{"#19b"});
  CHECK(targets("(Sections 2 and 60)", "en") == V{"#2", "#60"});
}

TEST_CASE("each citation keeps its words and is a text citation", "[citations]") {
  const auto c = extract_citations("has the same meaning as in section 2 of the Criminal Code;", "en");
  REQUIRE(c.size() == 1);
  CHECK(c[0].raw == "section 2 of the Criminal Code");
  CHECK(c[0].target_instrument == "Criminal Code");
  CHECK(c[0].target_section == "2");
  CHECK(c[0].kind == "text");
}

TEST_CASE("lists and ranges expand to each number", "[citations]") {
  CHECK(targets("ss. 10.1 to 10.7", "en") ==
        V{"#10.1", "#10.2", "#10.3", "#10.4", "#10.5", "#10.6", "#10.7"});
  CHECK(targets("sections 4 and 5", "en") == V{"#4", "#5"});
  CHECK(targets("nach den §§ 29 bis 30", "de") == V{"#29", "#30"});
  CHECK(targets("§§ 29 bis 32", "de") == V{"#29", "#30", "#31", "#32"});
  CHECK(targets("§§ 29, 29a und 30", "de") == V{"#29", "#29a", "#30"});
  CHECK(targets("§§ 29 bis 30a", "de") == V{"#29", "#30", "#30a"});
  CHECK(targets("§§ 56a bis 56d", "de") == V{"#56a", "#56b", "#56c", "#56d"});
  CHECK(targets("articles 10.1 à 10.3", "fr") == V{"#10.1", "#10.2", "#10.3"});
  CHECK(targets("artikelen 20 en 21", "nl") == V{"#20", "#21"});
  // The bounds are known, what lies between is not.
  CHECK(targets("§§ 29a bis 30", "de") == V{"#29a", "#30"});
  CHECK(targets("ss. 4.1 to 5.2", "en") == V{"#4.1", "#5.2"});
}

TEST_CASE("a long range yields its bounds only", "[citations]") {
  CHECK(extract_citations("§§ 1 bis 50", "de").size() == 50);
  CHECK(targets("§§ 1 bis 999999", "de") == V{"#1", "#999999"});
}

TEST_CASE("German references", "[citations]") {
  CHECK(targets("nach § 31a", "de") == V{"#31a"});
  CHECK(targets("§ 29 Abs. 1 Satz 1 Nr. 1", "de") == V{"#29"});
  CHECK(targets("Art. 19a Abs. 1", "de") == V{"#19a"});
  CHECK(targets("Artikel 3 gilt", "de") == V{"#3"});
  CHECK(targets("§ 29 BtMG", "de") == V{"BtMG#29"});
  CHECK(targets("Art. 19a Abs. 1 StGB", "de") == V{"StGB#19a"});
  CHECK(targets("§ 29 des Betäubungsmittelgesetzes", "de") == V{"Betäubungsmittelgesetzes#29"});
  CHECK(targets("§ 5 dieses Gesetzes", "de") == V{"#5"});
  // A noun of the sentence is no law.
  CHECK(targets("wenn nach § 31a der Täter", "de") == V{"#31a"});
  // Roman numerals after a section are its Absatz, not a law's abbreviation.
  CHECK(targets("§ 29 I Nr. 1 BtMG", "de") == V{"BtMG#29"});
}

TEST_CASE("French references", "[citations]") {
  CHECK(targets("article 56.1", "fr") == V{"#56.1"});
  CHECK(targets("en application de l'article 4", "fr") == V{"#4"});
  CHECK(targets("en application de l’article 44", "fr") == V{"#44"});
  CHECK(targets("paragraphe 4(1)", "fr") == V{"#4"});
  CHECK(targets("visée à l’alinéa 4(1)a)", "fr") == V{"#4"});
  CHECK(targets("l’article 5 de la présente loi", "fr") == V{"#5"});
  CHECK(targets("l’article 1er", "fr") == V{"#1"});
  CHECK(targets("l’article 4 bis", "fr") == V{"#4bis"});
}

TEST_CASE("Dutch, Italian, Spanish, Portuguese, Norwegian, Swahili references", "[citations]") {
  CHECK(targets("artikel 20", "nl") == V{"#20"});
  CHECK(targets("artikel 3 van deze wet", "nl") == V{"#3"});
  CHECK(targets("articolo 73", "it") == V{"#73"});
  CHECK(targets("ai sensi dell'art. 75", "it") == V{"#75"});
  CHECK(targets("articolo 14- bis è abrogato", "it") == V{"#14bis"});
  CHECK(targets("articolo 73 della legge 22 dicembre 1975, n. 685;", "it") ==
        V{"legge 22 dicembre 1975, n. 685#73"});
  CHECK(targets("artículo 368", "es") == V{"#368"});
  CHECK(targets("el artículo 165 del Código Penal, es decir", "es") == V{"Código Penal#165"});
  CHECK(targets("los artículos 1º , 3º y 4º de la Ley Nº 15.848", "es") ==
        V{"Ley Nº 15.848#1", "Ley Nº 15.848#3", "Ley Nº 15.848#4"});
  CHECK(targets("artigo 28", "pt") == V{"#28"});
  CHECK(targets("§ 24 første ledd", "no") == V{"#24"});
  CHECK(targets("§ 24 i straffeloven", "no") == V{"straffeloven#24"});
  CHECK(targets("kifungu cha 5", "sw") == V{"#5"});
}

TEST_CASE("a back reference points to the instrument named last", "[citations]") {
  CHECK(targets("l’article 2 du Code criminel et l’article 5 de la même loi", "fr") ==
        V{"Code criminel#2", "Code criminel#5"});
  CHECK(targets("section 2 of the Customs Act and section 5 of that Act", "en") ==
        V{"Customs Act#2", "Customs Act#5"});
  // Named in an earlier section: not known here.
  CHECK(targets("Le passage de l’article 45.1 de la même loi précédant l’alinéa a) est remplacé "
                "par ce qui suit :",
                "fr") == V{"#45.1"});
  CHECK(targets("artikel 3 van de onderhavige wet", "nl") == V{"#3"});
}

TEST_CASE("capitals after a number are no law's abbreviation", "[citations]") {
  CHECK(targets("2018, c. 16, s. 205 SCHEDULE VIII", "en") == V{"#205"});
  CHECK(targets("SOR/2019-121, s. 2 SOR/2023-103, s. 1", "en") == V{"#2", "#1"});
  CHECK(targets("Article 101 TFEU", "en") == V{"TFEU#101"});
}

TEST_CASE("an unknown language tries every language", "[citations]") {
  CHECK(targets("§ 29 BtMG, article 4 et articolo 73", "") == V{"BtMG#29", "#4", "#73"});
  CHECK(targets("artikelen 20 en 21", "xx") == V{"#20", "#21"});
}

TEST_CASE("things that are not section citations", "[citations]") {
  CHECK(targets("a substance included in Schedule I", "en").empty());
  CHECK(targets("in Part 2 of Schedule V", "en").empty());
  CHECK(targets("ab dem 1. Januar 2024", "de").empty());
  CHECK(targets("a fine of not more than $1,000", "en").empty());
  CHECK(targets("any item 17 of Schedule I", "en").empty());
  CHECK(targets("subitem 1(18)", "en").empty());
  CHECK(targets("section 1,000", "en").empty());
  CHECK(targets("the 4th section and section 4th", "en").empty());
  // A paragraph without a section number is a paragraph of the current article.
  CHECK(targets("referred to in paragraph (a)", "en").empty());
  CHECK(targets("paragraph 2 of this Article", "en").empty());
  // A section of a schedule is not a section of the law.
  CHECK(targets("section 5 of Schedule 2", "en").empty());
  // Inside words and abbreviations.
  CHECK(targets("the U.S. 4 times; classes 4 and 5", "en").empty());
}

TEST_CASE("references in the Controlled Drugs and Substances Act", "[citations]") {
  // CA/eng_acts_C-38.8.xml, s. 2(1) "designated substance offence" (a).
  CHECK(targets("an offence under Part I, except subsection 4(1), or", "en") == V{"#4"});
  // s. 2(1) "customs office" and "judge".
  CHECK(targets("customs office\u2002has the same meaning as in subsection 2(1) of the Customs Act;"
                "\u2002(bureau de douane)",
                "en") == V{"Customs Act#2"});
  // s. 10.3
  CHECK(targets("A prosecution may be commenced or continued against an individual alleged to have "
                "committed an offence under subsection 4(1) only if, having regard to the principles "
                "set out in section 10.1, the prosecutor is of the opinion that the use of a warning "
                "or referral under section 10.2, or of alternative measures as defined in section 716 "
                "of the Criminal Code, is not appropriate, and a prosecution is appropriate in the "
                "circumstances.",
                "en") == V{"#4", "#10.1", "#10.2", "Criminal Code#716"});
  // s. 10.5
  CHECK(targets("Evidence that an individual has received a warning or referral mentioned in "
                "subsection 10.2(1), evidence that a peace officer has taken no further action in "
                "respect of an offence under subsection 4(1) and evidence of the offence are "
                "inadmissible for the purpose of proving prior offending behaviour in any proceedings "
                "before a court in respect of the individual.",
                "en") == V{"#10.2", "#4"});
  CHECK(targets("was previously convicted of a designated substance offence, as defined in subsection "
                "2(1) of this Act, or a designated offence, as defined in subsection 2(1) of the "
                "Cannabis Act;",
                "en") == V{"#2", "Cannabis Act#2"});
}

TEST_CASE("references in the French Loi réglementant certaines drogues", "[citations]") {
  // CA/fra_lois_C-38.8.xml
  CHECK(targets("a déjà été reconnue coupable d’une infraction désignée au sens du paragraphe 2(1) de "
                "la présente loi ou d’une infraction désignée au sens du paragraphe 2(1) de la Loi sur "
                "le cannabis;",
                "fr") == V{"#2", "Loi sur le cannabis#2"});
  CHECK(targets("une ordonnance est rendue à l’égard du bien conformément aux paragraphes 19(3) ou "
                "19.1(3) de la présente loi ou aux paragraphes 490(9) ou (11) du Code criminel;",
                "fr") == V{"#19", "#19.1", "Code criminel#490"});
  CHECK(targets("Les articles 489.1 et 490 du Code criminel s’appliquent sous réserve des articles 16 "
                "à 22 et des paragraphes 31(6) à (9) de la présente loi",
                "fr") == V{"Code criminel#489.1", "Code criminel#490", "#16", "#17", "#18", "#19",
                           "#20", "#21", "#22", "#31"});
  CHECK(targets("l’article 7 du Code criminel visant la restitution d’un bien", "fr") ==
        V{"Code criminel#7"});
  CHECK(targets("Juge au sens de l’article 552 du Code criminel ou tout juge d’une cour supérieure de "
                "compétence criminelle.",
                "fr") == V{"Code criminel#552"});
}

TEST_CASE("references in the German BtMG", "[citations]") {
  // DE/btmg_1981.gii.xml, § 31a (1)
  const std::string s31a =
      "(1) Hat das Verfahren ein Vergehen nach § 29 Abs. 1, 2 oder 4 zum Gegenstand, so kann die "
      "Staatsanwaltschaft von der Verfolgung absehen, wenn die Schuld des Täters als gering anzusehen "
      "wäre, kein öffentliches Interesse an der Strafverfolgung besteht und der Täter die "
      "Betäubungsmittel lediglich zum Eigenverbrauch in geringer Menge anbaut, herstellt, einführt, "
      "ausführt, durchführt, erwirbt, sich in sonstiger Weise verschafft oder besitzt. Von der "
      "Verfolgung soll abgesehen werden, wenn der Täter in einem Drogenkonsumraum Betäubungsmittel "
      "lediglich zum Eigenverbrauch, der nach § 10a geduldet werden kann, in geringer Menge besitzt";
  CHECK(targets(s31a, "de") == V{"#29", "#10a"});
  // § 34
  CHECK(targets("In den Fällen des § 29 Abs. 3, der §§ 29a, 30 und 30a kann das Gericht "
                "Führungsaufsicht anordnen (§ 68 Abs. 1 des Strafgesetzbuches).",
                "de") == V{"#29", "#29a", "#30", "#30a", "Strafgesetzbuches#68"});
  // § 36 (4)
  CHECK(targets("(4) Die §§ 56a bis 56g und 57 Abs. 5 Satz 2 des Strafgesetzbuches gelten entsprechend.",
                "de") == V{"Strafgesetzbuches#56a", "Strafgesetzbuches#56b", "Strafgesetzbuches#56c",
                           "Strafgesetzbuches#56d", "Strafgesetzbuches#56e", "Strafgesetzbuches#56f",
                           "Strafgesetzbuches#56g", "Strafgesetzbuches#57"});
  // § 35 (2)
  const auto egg = extract_citations(
      "Der Verurteilte kann die Verweigerung dieser Zustimmung nur zusammen mit der Ablehnung der "
      "Zurückstellung durch die Vollstreckungsbehörde nach den §§ 23 bis 30 des Einführungsgesetzes "
      "zum Gerichtsverfassungsgesetz anfechten.",
      "de");
  REQUIRE(egg.size() == 8);
  CHECK(egg.front().raw == "§§ 23 bis 30 des Einführungsgesetzes zum Gerichtsverfassungsgesetz");
  CHECK(egg.back().target_instrument == "Einführungsgesetzes zum Gerichtsverfassungsgesetz");
  CHECK(egg.back().target_section == "30");
}

TEST_CASE("references in the Dutch Drank- en Horecawet and an Italian bill", "[citations]") {
  // NL/BWBR0002458_2015-01-01_0.xml
  CHECK(targets("Met toepassing van artikel 28, eerste lid, laatste zinsnede, van de Dienstenwet is "
                "paragraaf 4.1.3.3. van de Algemene wet bestuursrecht niet van toepassing op de "
                "aanvraag van een vergunning als bedoeld in het eerste lid.",
                "nl") == V{"Dienstenwet#28"});
  CHECK(targets("Deze wet is, met uitzondering van de artikelen 20, 21 en 24, derde lid, niet van "
                "toepassing op:",
                "nl") == V{"#20", "#21", "#24"});
  // IT/akn_it_senato_ddl_2013.akn.xml
  CHECK(targets("articolo 77, comma 1, numeri 2) e 4)»;", "it") == V{"#77"});
}

TEST_CASE("every citation in the CDSA text is a plausible section number", "[citations]") {
  const std::string xml = hrtrack::test::read_file(hrtrack::test::legislation("CA/eng_acts_C-38.8.xml"));
  const auto all = extract_citations(xml, "en");
  CHECK(all.size() > 100);
  for (const auto& c : all) {
    INFO(c.raw);
    REQUIRE_FALSE(c.target_section.empty());
    CHECK((c.target_section[0] >= '0' && c.target_section[0] <= '9'));
    CHECK(c.target_section.size() <= 12);
  }
}

TEST_CASE("hostile input stays linear and bounded", "[citations]") {
  std::string text;
  const std::string unit = "§§ 1 bis 999999 ";
  while (text.size() < (1u << 20)) text += unit;
  const auto start = std::chrono::steady_clock::now();
  const auto c = extract_citations(text, "de");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(c.size() == 2 * (text.size() / unit.size()));
  CHECK(std::chrono::duration<double>(elapsed).count() < hrtrack::test::time_bound(5.0));

  std::string list = "§§ 1";
  while (list.size() < (1u << 20)) list += ", 1 bis 50";
  CHECK(extract_citations(list, "").size() == 50);

  std::string numbers = "§§ 1";
  for (int n = 2; numbers.size() < (1u << 20); ++n) numbers += ", " + std::to_string(n);
  const auto many = extract_citations(numbers, "de");
  CHECK(many.size() > 100000);
  CHECK(many.back().raw.size() <= max_raw_size + 3);

  const std::string words(1u << 20, 'a');
  CHECK(extract_citations("§ 1 des " + words + " § 2 of the " + words, "").size() == 2);
}
