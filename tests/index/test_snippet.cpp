// Snippets made directly (index/src/snippet.hpp): what a reader sees of a hit's text for the
// words of a query, as the searcher asks for it (the query's "Z" + stem terms).
#include <catch2/catch.hpp>

#include <xapian.h>

#include <string>
#include <vector>

#include "language.hpp"
#include "snippet.hpp"

using hrtrack::index::SnippetMaker;

namespace {

constexpr std::size_t kLength = 300;  // the searcher's

// The terms the query parser makes of `words` with the stemmer of `language` (ISO 639-1).
Xapian::Query words_query(const std::vector<std::string>& words, const std::string& language) {
  const Xapian::Stem stem = hrtrack::index::stemmer_for(language);
  std::vector<Xapian::Query> terms;
  for (const auto& w : words) terms.emplace_back("Z" + stem(Xapian::Unicode::tolower(w)));
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// A snippet as text with its marks as <mark>...</mark> (the text itself is plain).
std::string marked(const SnippetMaker::Snippet& s) {
  std::string out;
  std::size_t at = 0;
  for (const auto& m : s.marks) {
    REQUIRE(m.offset >= at);
    REQUIRE(m.offset + m.length <= s.text.size());
    out += s.text.substr(at, m.offset - at) + "<mark>" + s.text.substr(m.offset, m.length) + "</mark>";
    at = m.offset + m.length;
  }
  return out + s.text.substr(at);
}

// The snippet of `text`, in `text_language`, for `words` as a search in `language` has them,
// marks shown as <mark>...</mark>.
std::string snippet(const std::string& text, const std::vector<std::string>& words, const std::string& language,
                    const std::string& text_language = {}) {
  SnippetMaker maker(words_query(words, language));
  return marked(maker.make(text, text_language.empty() ? language : text_language, kLength));
}

// Filler words that match nothing: "w0 w1 w2 ..." up to exactly `bytes` bytes.
std::string filler(std::size_t bytes) {
  std::string s;
  for (int i = 0; s.size() < bytes; ++i) s += "w" + std::to_string(i % 10) + " ";
  s.resize(bytes);
  if (!s.empty()) s.back() = ' ';
  return s;
}

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("a snippet of a long text is the part around its match, far from the start", "[index][snippet]") {
  const std::string text = "Opening words of the section. " + filler(20000) +
                           "A pharmacist may supply naloxone to a person at risk. " + filler(5000) + "Closing words.";
  const auto s = snippet(text, {"naloxone"}, "en");
  INFO(s);
  CHECK(s.find("supply <mark>naloxone</mark> to a person at risk.") != std::string::npos);
  CHECK(count(s, "<mark>") == 1);
  // Cut on both sides, at spaces, and about the length asked for.
  CHECK(s.rfind("…", 0) == 0);
  CHECK(s.size() > 3);
  CHECK(s.substr(s.size() - 3) == "…");
  CHECK(s.find("Opening") == std::string::npos);
  CHECK(s.find("Closing") == std::string::npos);
  CHECK(s.size() <= kLength + std::string("<mark></mark>……").size());
}

TEST_CASE("a word at the very end of the part searched is marked; one past it is not", "[index][snippet]") {
  const std::string word = "naloxone";
  SECTION("ending on the last byte searched") {
    const std::string text = filler(SnippetMaker::kScanBytes - word.size()) + word + " and more words after it.";
    REQUIRE(text.find(word) + word.size() == SnippetMaker::kScanBytes);
    const auto s = snippet(text, {word}, "en");
    INFO(s);
    CHECK(s.find("<mark>naloxone</mark> and more words after it.") != std::string::npos);
    CHECK(s.rfind("…", 0) == 0);
  }
  SECTION("starting after it: the snippet is the start of the text") {
    const std::string text = filler(SnippetMaker::kScanBytes) + word + " and more words after it.";
    const auto s = snippet(text, {word}, "en");
    INFO(s);
    CHECK(s.find("<mark>") == std::string::npos);
    CHECK(s.rfind("w0 w1 w2", 0) == 0);
    CHECK(s.substr(s.size() - 3) == "…");
  }
  SECTION("a text that ends with the word") {
    const auto s = snippet("Supply of naloxone", {word}, "en");
    CHECK(s == "Supply of <mark>naloxone</mark>");
  }
}

TEST_CASE("words with accents, umlauts and ß around a match are kept whole", "[index][snippet]") {
  // German; the match itself with an umlaut; French, matches starting and ending with accents.
  CHECK(snippet("Die Straße für Spritzen über die Größe.", {"Spritzen"}, "de") ==
        "Die Straße für <mark>Spritzen</mark> über die Größe.");
  CHECK(snippet("Ausgabe steriler Kanülen an Süchtige", {"Kanülen"}, "de") ==
        "Ausgabe steriler <mark>Kanülen</mark> an Süchtige");
  CHECK(snippet("Le programme d'échange de seringues stériles a été créé.", {"échange", "seringues", "créé"}, "fr") ==
        "Le programme d'<mark>échange</mark> de <mark>seringues</mark> stériles a été <mark>créé</mark>.");
  // Cyrillic; a sign that is not a letter (×, U+00D7) between a number and the word.
  CHECK(snippet("Выдача стерильных шприцев и игл", {"шприцев"}, "ru") == "Выдача стерильных <mark>шприцев</mark> и игл");
  CHECK(snippet("Kits of 3×naloxone×2", {"naloxone"}, "en") == "Kits of 3×<mark>naloxone</mark>×2");
  SECTION("far into a long text with accents everywhere") {
    std::string text;
    while (text.size() < 10000) text += "Prévention générale à l'école, où l'élève apprend. ";
    text += "Un site de consommation supervisée réduit les surdoses. ";
    text += text;
    const auto s = snippet(text, {"supervisée", "surdoses"}, "fr");
    INFO(s);
    CHECK(s.find("consommation <mark>supervisée</mark> réduit les <mark>surdoses</mark>.") != std::string::npos);
    CHECK(s.rfind("…", 0) == 0);
  }
}

TEST_CASE("a query word inside a compound is marked, with its inflection", "[index][snippet]") {
  // Followed by an inflection only: to the word's end; by another word: the part alone.
  CHECK(snippet("Die Abgabe von Einmalspritzen ist erlaubt.", {"Spritzen"}, "de") ==
        "Die Abgabe von Einmal<mark>spritzen</mark> ist erlaubt.");
  CHECK(snippet("Die Einspritzpumpe und die Einspritzung.", {"Spritzen"}, "de") ==
        "Die Ein<mark>spritz</mark>pumpe und die Ein<mark>spritzung</mark>.");
  // The part written with an umlaut or ß in the text.
  CHECK(snippet("Ausgabe von Einwegkanülen.", {"Kanülen"}, "de") == "Ausgabe von Einweg<mark>kanülen</mark>.");
  CHECK(snippet("Der Hauptstraßenbau beginnt.", {"Straße"}, "de") == "Der Haupt<mark>straß</mark>enbau beginnt.");
  // The longest part found wins.
  CHECK(snippet("Der Spritzentauschautomat steht hier.", {"Spritzen", "Spritzentausch"}, "de") ==
        "Der <mark>Spritzentausch</mark>automat steht hier.");
  // Not in a language that writes compounds apart.
  CHECK(snippet("Die Abgabe von Einmalspritzen.", {"Spritzen"}, "de", "en") == "Die Abgabe von Einmalspritzen.");
  SECTION("a compound far into a long text") {
    const std::string text = filler(25000) + "Abgabe von Einmalspritzen an Abhängige. " + filler(3000);
    const auto s = snippet(text, {"Spritzen"}, "de");
    INFO(s);
    CHECK(s.find("Abgabe von Einmal<mark>spritzen</mark> an Abhängige.") != std::string::npos);
  }
}

TEST_CASE("a snippet is the text as it stands, each presenter escapes it; marks are byte spans of it", "[index][snippet]") {
  SnippetMaker maker(words_query({"naloxone"}, "en"));
  const auto s = maker.make("<script>alert(\"x & y\")</script>  the\n'naloxone' kit <b>", "en", kLength);
  CHECK(s.text == "<script>alert(\"x & y\")</script> the 'naloxone' kit <b>");
  REQUIRE(s.marks.size() == 1);
  CHECK(s.text.substr(s.marks[0].offset, s.marks[0].length) == "naloxone");
}

TEST_CASE("one maker serves the hits of a search in several languages alike", "[index][snippet]") {
  // The searcher makes the snippets of a page's hits with one maker: what one hit's text
  // taught it must not change another's snippet.
  Xapian::Query q(Xapian::Query::OP_OR, words_query({"Spritzen"}, "de"), words_query({"syringes"}, "en"));
  SnippetMaker maker(q);
  const std::string de = "Die Abgabe von Einmalspritzen und Spritzen.";
  const std::string en = "Sterile syringes and Einmalspritzen.";
  for (int round = 0; round < 2; ++round) {
    CHECK(marked(maker.make(de, "de", kLength)) == "Die Abgabe von Einmal<mark>spritzen</mark> und <mark>Spritzen</mark>.");
    CHECK(marked(maker.make(en, "en", kLength)) == "Sterile <mark>syringes</mark> and Einmalspritzen.");
  }
}
