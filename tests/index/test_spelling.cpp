// "Did you mean": the vocabulary the indexer stores gives the suggestions the contract of
// Vocabulary::suggest() defines, checked against a brute-force search of the spelling table;
// indexes with an older format, or a damaged block, still get them; the nearest-lengths-first
// pruning never changes one. On real German, English and French legislation.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include <xapian.h>

#include "index_fixture.hpp"
#include "schema.hpp"
#include "spelling.hpp"

using hrtrack::index::Vocabulary;
using hrtrack::test::Corpus;
using hrtrack::test::index_once;
using hrtrack::test::TempDir;
namespace fs = std::filesystem;

namespace {

const Corpus& corpus() {
  static const Corpus c({"DE/btmg_1981.gii.xml", "CA/eng_acts_C-38.8.xml", "CA/fra_lois_C-38.8.xml"});
  return c;
}

const std::string kMarker = std::string(hrtrack::index::schema::kVocabularyKey) + "lengths";
std::string block_key(std::size_t length) { return std::string(hrtrack::index::schema::kVocabularyKey) + std::to_string(length); }

std::u32string letters(const std::string& word) {
  std::u32string out;
  for (Xapian::Utf8Iterator u(word), end; u != end; ++u) out.push_back(static_cast<char32_t>(*u));
  return out;
}

std::string utf8(const std::u32string& w) {
  std::string out;
  for (const char32_t c : w) Xapian::Unicode::append_utf8(out, c);
  return out;
}

std::size_t levenshtein(const std::u32string& a, const std::u32string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

struct Known {
  std::string word;
  std::u32string letters;
  Xapian::doccount frequency;
};

// The spelling table's words a suggestion may be (see Vocabulary), in byte order.
std::vector<Known> vocabulary(const Xapian::Database& db) {
  std::vector<Known> out;
  for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w) {
    const auto l = letters(*w);
    if (w.get_termfreq() >= Vocabulary::kMinFrequency && !l.empty() && l.size() <= Vocabulary::kMaxLetters)
      out.push_back({*w, l, w.get_termfreq()});
  }
  return out;
}

// What Vocabulary::suggest() promises, by looking at every word: the closest within one
// edit (up to four letters) or two, then the most frequent, the shortest, the first in byte
// order; nothing for a word the vocabulary has.
std::string expected(const std::vector<Known>& known, const std::string& word) {
  const auto w = letters(word);
  const std::size_t bound = w.size() <= 4 ? 1 : 2;
  std::tuple<std::size_t, std::int64_t, std::size_t> best{bound + 1, 0, 0};
  const Known* found = nullptr;
  for (const auto& k : known) {
    // A word more letters longer or shorter than that is further away.
    if (k.letters.size() + bound < w.size() || k.letters.size() > w.size() + bound) continue;
    const std::size_t d = levenshtein(w, k.letters);
    if (d == 0) return {};
    const std::tuple<std::size_t, std::int64_t, std::size_t> score{d, -static_cast<std::int64_t>(k.frequency), k.letters.size()};
    if (d <= bound && score < best) {  // `known` is in byte order: the first of equals stays
      best = score;
      found = &k;
    }
  }
  return found ? found->word : std::string();
}

// Misspellings of every seventh word of the vocabulary (a letter dropped, two swapped, one
// replaced, one added), and some of the words themselves.
std::vector<std::string> misspellings(const std::vector<Known>& known) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < known.size(); i += 7) {
    const auto& w = known[i].letters;
    if (i % 5 == 0) out.push_back(known[i].word);
    if (w.size() < 3) continue;
    const std::size_t at = (i / 7) % (w.size() - 1);
    std::u32string dropped = w, swapped = w, replaced = w, added = w;
    dropped.erase(at, 1);
    std::swap(swapped[at], swapped[at + 1]);
    replaced[at] = replaced[at] == U'e' ? U'a' : U'e';
    added.insert(at, 1, U'r');
    for (const auto& m : {dropped, swapped, replaced, added}) out.push_back(utf8(m));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// A copy of the fixture's data folder, to damage or downgrade.
struct Copy {
  TempDir tmp;
  Copy() { fs::copy(corpus().dir(), tmp.path(), fs::copy_options::recursive); }
  std::string index() const { return (tmp.path() / "index").string(); }
};

void set_metadata(const std::string& index, const std::vector<std::pair<std::string, std::string>>& entries) {
  Xapian::WritableDatabase db(index, Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
  for (const auto& [key, value] : entries) db.set_metadata(key, value);
  db.commit();
}

}  // namespace

TEST_CASE("spelling: the stored vocabulary suggests what the whole spelling table does", "[index][spelling]") {
  const Xapian::Database db((corpus().dir() / "index").string());
  REQUIRE(Vocabulary::stored(db));
  const auto known = vocabulary(db);
  REQUIRE(known.size() > 1000);
  const auto words = misspellings(known);
  REQUIRE(words.size() > 500);

  // The indexer's blocks against the same vocabulary made from the spelling table, as an
  // index without them gets it.
  Copy old;
  set_metadata(old.index(), {{kMarker, ""}});
  const Xapian::Database old_db(old.index());
  REQUIRE_FALSE(Vocabulary::stored(old_db));
  const Vocabulary stored(db), walked(old_db);
  std::size_t suggested = 0;
  for (const auto& w : words) {
    INFO(w);
    const std::string s = stored.suggest(db, w);
    CHECK(s == expected(known, w));
    CHECK(walked.suggest(old_db, w) == s);
    suggested += !s.empty();
  }
  CHECK(suggested > words.size() / 2);
  // A real misspelling of each language.
  CHECK(stored.suggest(db, "betäubungsmitel") == "betäubungsmittel");
  CHECK(stored.suggest(db, "substnace") == "substance");
  CHECK(stored.suggest(db, "stupéfiamts") == "stupéfiants");
  CHECK(stored.suggest(db, "betäubungsmittel").empty());

  // The longest words kept, one letter short; longer words are not looked up.
  const auto longest = std::max_element(known.begin(), known.end(), [](const Known& a, const Known& b) {
    return a.letters.size() < b.letters.size();
  });
  REQUIRE(longest->letters.size() >= 25);
  const std::string shorter = utf8(longest->letters.substr(1));
  CHECK(stored.suggest(db, shorter) == expected(known, shorter));
  CHECK_FALSE(stored.suggest(db, shorter).empty());
  CHECK(stored.suggest(db, std::string(Vocabulary::kMaxLetters + 1, 'e')).empty());
}

TEST_CASE("spelling: the blocks are far smaller than the words as text", "[index][spelling]") {
  const Xapian::Database db((corpus().dir() / "index").string());
  std::size_t text = 0, blocks = 0;
  for (const auto& k : vocabulary(db)) text += k.word.size() + 1 + std::to_string(k.frequency).size() + 1;
  for (std::size_t length = 1; length <= Vocabulary::kMaxLetters; ++length) blocks += db.get_metadata(block_key(length)).size();
  INFO(text << " bytes as text, " << blocks << " as blocks");
  CHECK(blocks * 4 < text * 3);
}

TEST_CASE("spelling: an index with the old text lists is read from the spelling table and rewritten by the next run",
          "[index][spelling]") {
  Copy old;
  std::vector<std::pair<std::string, std::string>> lists{{kMarker, "1"}};
  {
    const Xapian::Database db(old.index());
    const auto known = vocabulary(db);
    for (std::size_t length = 1; length <= Vocabulary::kMaxLetters; ++length) {
      std::string list;
      for (const auto& k : known)
        if (k.letters.size() == length) list += k.word + "\t" + std::to_string(k.frequency) + "\n";
      lists.emplace_back(block_key(length), list);
    }
  }
  set_metadata(old.index(), lists);
  {
    const Xapian::Database db(old.index());
    CHECK_FALSE(Vocabulary::stored(db));
    CHECK(Vocabulary(db).suggest(db, "betäubungsmitel") == "betäubungsmittel");
  }
  // A run with nothing to index still rewrites the vocabulary in the current format.
  const auto report = index_once(old.tmp.path());
  CHECK(report.added + report.updated + report.deleted == 0);
  const Xapian::Database db(old.index());
  CHECK(Vocabulary::stored(db));
  CHECK(db.get_metadata(block_key(16)) != lists[16].second);
  CHECK(db.get_metadata(block_key(16)) == Xapian::Database((corpus().dir() / "index").string()).get_metadata(block_key(16)));
  CHECK(Vocabulary(db).suggest(db, "betäubungsmitel") == "betäubungsmittel");
}

TEST_CASE("spelling: a truncated, damaged or missing block is rebuilt from the spelling table", "[index][spelling]") {
  const Xapian::Database original((corpus().dir() / "index").string());
  const auto known = vocabulary(original);
  // Words of 15 to 17 letters and their misspellings all read the 16-letter block.
  std::vector<std::string> words{"betäubungsmittel", "betäubungsmitel", "betäubungsmittell", "betaubungsmittel"};
  for (const auto& w : misspellings(known))
    if (letters(w).size() >= 15 && letters(w).size() <= 17) words.push_back(w);
  REQUIRE(words.size() > 20);
  std::vector<std::string> want;
  for (const auto& w : words) want.push_back(expected(known, w));
  CHECK(want[1] == "betäubungsmittel");

  const std::string block = original.get_metadata(block_key(16));
  REQUIRE(block.size() > 100);
  Copy damaged;
  // Every cut of the block's head (where its counts are), then cuts further in.
  std::vector<std::size_t> cuts;
  for (std::size_t cut = 0; cut < 32; ++cut) cuts.push_back(cut);
  for (std::size_t cut = 32; cut < block.size(); cut += block.size() / 16) cuts.push_back(cut);
  cuts.push_back(block.size() - 1);
  for (const std::size_t cut : cuts) {
    INFO("cut at " << cut << " of " << block.size());
    // A cut to nothing is a missing block: Xapian removes a key set to "".
    set_metadata(damaged.index(), {{block_key(16), block.substr(0, cut)}});
    const Xapian::Database db(damaged.index());
    REQUIRE(Vocabulary::stored(db));
    const Vocabulary v(db);
    for (std::size_t i = 0; i < words.size(); ++i) CHECK(v.suggest(db, words[i]) == want[i]);
  }
  // A block with bytes past its end, or a header whose counts are off.
  std::string longer = block + "x", recounted = block;
  recounted[0] = static_cast<char>(recounted[0] + 1);
  for (const auto& bad : {longer, recounted}) {
    set_metadata(damaged.index(), {{block_key(16), bad}});
    const Xapian::Database db(damaged.index());
    const Vocabulary v(db);
    for (std::size_t i = 0; i < words.size(); ++i) CHECK(v.suggest(db, words[i]) == want[i]);
  }
  // Letters damaged in place keep the sizes right: what is suggested may be wrong, but
  // nothing is read out of bounds (CI runs this under AddressSanitizer).
  for (std::size_t at = block.size() / 2; at < block.size(); at += block.size() / 40 + 1) {
    std::string flipped = block;
    flipped[at] = static_cast<char>(~flipped[at]);
    set_metadata(damaged.index(), {{block_key(16), flipped}});
    const Xapian::Database db(damaged.index());
    const Vocabulary v(db);
    for (const auto& w : words) (void)v.suggest(db, w);
  }
}

TEST_CASE("spelling: visiting the nearest lengths first never skips a better word two letters longer",
          "[index][spelling]") {
  const Xapian::Database db((corpus().dir() / "index").string());
  const auto known = vocabulary(db);
  const Vocabulary v(db);
  // Two letters dropped from a word: the word itself is two edits away, and so may be words
  // of the misspelling's own length or one letter longer, less frequent. Pruning lengths as
  // soon as a word two edits away is found would suggest one of those.
  std::size_t tested = 0;
  for (std::size_t i = 0; i < known.size() && tested < 40; ++i) {
    const auto& w = known[i].letters;
    if (w.size() < 7 || known[i].frequency < 5) continue;
    std::u32string q = w;
    q.erase(w.size() / 2, 1);
    q.erase(1, 1);
    const std::string query = utf8(q);
    if (expected(known, query) != known[i].word) continue;
    // Only where a nearer, less frequent word is as close.
    const bool rival = std::any_of(known.begin(), known.end(), [&](const Known& k) {
      return k.letters.size() + 1 >= q.size() && k.letters.size() <= q.size() + 1 && levenshtein(q, k.letters) == 2;
    });
    if (!rival) continue;
    INFO(query << " -> " << known[i].word);
    CHECK(v.suggest(db, query) == known[i].word);
    ++tested;
  }
  CHECK(tested >= 5);
}
