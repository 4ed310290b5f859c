// The text a document keeps for its snippets (index/src/stored_text.hpp), read in part: the
// snippet made from as much of it as it needs is the one the whole text gives.
#include <catch2/catch.hpp>

#include <xapian.h>

#include <random>
#include <string>
#include <vector>

#include "language.hpp"
#include "snippet.hpp"
#include "stored_text.hpp"

using namespace hrtrack::index;

namespace {

constexpr std::size_t kLength = 300;  // the searcher's

Xapian::Query words_query(const std::vector<std::string>& words, const std::string& language) {
  const Xapian::Stem stem = stemmer_for(language);
  std::vector<Xapian::Query> terms;
  for (const auto& w : words) terms.emplace_back("Z" + stem(Xapian::Unicode::tolower(w)));
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// Counts how much of the text the maker asked for.
class Counted : public SnippetMaker::Text {
 public:
  explicit Counted(StoredText& text) : text_(text) {}
  std::size_t size() const override { return text_.size(); }
  std::string_view prefix(std::size_t n) override {
    const auto p = text_.prefix(n);
    most = std::max(most, p.size());
    return p;
  }
  std::size_t most = 0;

 private:
  StoredText& text_;
};

}  // namespace

TEST_CASE("stored text: packed and read back in part, or plain as older indexes keep it", "[index]") {
  std::string text;
  for (int i = 0; text.size() < 40000; ++i) text += "Abschnitt " + std::to_string(i) + " über Betäubungsmittel; ";
  const std::string packed = pack_text(text);
  CHECK(packed.size() < text.size() / 4);  // Xapian finds nothing left to compress
  StoredText stored(packed);
  CHECK(stored.size() == text.size());
  CHECK(stored.prefix(10) == std::string_view(text).substr(0, 10));
  CHECK(stored.prefix(5000) == std::string_view(text).substr(0, 5000));
  CHECK(stored.prefix(100) == std::string_view(text).substr(0, 100));  // already read
  CHECK(stored.prefix(1000000) == text);
  CHECK(StoredText(pack_text("")).prefix(10).empty());

  StoredText plain(text);
  CHECK(plain.size() == text.size());
  CHECK(plain.prefix(7) == "Abschni");

  // Damaged: cut short, or bytes changed. The text is what could be read; never a crash.
  StoredText cut(packed.substr(0, packed.size() / 2));
  const auto cut_text = std::string(cut.prefix(1000000));
  CHECK(cut.size() == cut_text.size());
  CHECK(cut_text.size() < text.size());
  CHECK(text.compare(0, cut_text.size(), cut_text) == 0);
  std::string flipped = packed;
  for (std::size_t i = 12; i < flipped.size(); i += 97) flipped[i] = static_cast<char>(flipped[i] ^ 0x5A);
  StoredText bad(flipped);
  const auto bad_text = bad.prefix(1000000);
  CHECK(bad_text.size() == bad.size());
  CHECK(bad.size() <= text.size());
}

TEST_CASE("snippets from a stored text read only what they need, and are the whole text's", "[index]") {
  std::mt19937 random(221126);
  const std::vector<std::string> vocabulary{"die", "Erlaubnis", "nach", "Straße", "für", "Spritzen", "Menge", "des",
                                            "Abgabe", "Einmalspritzen", "zum", "Verbrauch", "ärztlich", "§", "29",
                                            "Betäubungsmittelabhängige", "und", "Ärztinnen", "größer", "—"};
  const std::vector<std::vector<std::string>> queries{
      {"Spritzen"}, {"Erlaubnis", "Abgabe"}, {"Verbrauch", "Menge", "ärztlich", "Straße", "nach"}, {"fehlt"}, {}};
  int early = 0, cases = 0;
  for (std::size_t size : {0u, 10u, 299u, 301u, 4090u, 4100u, 9000u, 16380u, 16390u, 32760u, 32800u, 40000u}) {
    for (int variant = 0; variant < 6; ++variant) {
      std::string text;
      while (text.size() < size) {
        text += vocabulary[random() % vocabulary.size()];
        text += random() % 9 == 0 ? "\n" : " ";
      }
      text.resize(size);  // may cut a character in two: the reader must not mind
      for (const auto& words : queries) {
        SnippetMaker whole(words_query(words, "de")), part(words_query(words, "de"));
        StoredText stored(pack_text(text));
        Counted counted(stored);
        const std::string expected = whole.make(text, "de", kLength);
        INFO("size " << size << ", variant " << variant << ", " << words.size() << " words");
        CHECK(part.make(counted, "de", kLength) == expected);
        ++cases;
        if (counted.most < text.size()) ++early;
      }
    }
  }
  // Long texts with a match early are read in part.
  CHECK(early > cases / 4);
}

TEST_CASE("snippets from a stored text: a match far in, at the edges of what is read first", "[index]") {
  std::string lead;
  for (int i = 0; lead.size() < 4096 - 9; ++i) lead += "Wort" + std::to_string(i % 7) + " ";
  for (std::size_t pad = 0; pad < 12; ++pad) {
    const std::string text = lead + std::string(pad, 'x') + " Spritzen über ß " + lead + " Spritzen Ende";
    SnippetMaker whole(words_query({"Spritzen", "Ende"}, "de")), part(words_query({"Spritzen", "Ende"}, "de"));
    StoredText stored(pack_text(text));
    INFO("pad " << pad);
    CHECK(part.make(stored, "de", kLength) == whole.make(text, "de", kLength));
  }
}
