#pragma once
// "Did you mean": the closest word of the corpus's vocabulary to a word it does not have.
//
// Xapian's Database::get_spelling_suggestion merges the spelling table's list of every
// trigram of the word: 5-11 ms a word at 274,783 sections, for long German words most of
// all (`Urinkontrolle`). This one holds the vocabulary in memory (the words the corpus uses
// at least kMinFrequency times: a word used once is as often a typo of its own), shared by
// the Searchers of a process for one index revision, and looks a word up by edit distance
// among the words of nearly its length, nearest lengths first, with a letter filter first.
// The indexer stores the words of each length as one block read in place (see store()),
// and a length is read the first time a word needs it.
#include <xapian.h>

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hrtrack::index {

class Vocabulary {
 public:
  static constexpr Xapian::doccount kMinFrequency = 2;
  // Words are kept by length in letters (code points); longer words are not kept.
  static constexpr std::size_t kMaxLetters = 40;

  // The vocabulary of `db`'s revision, shared while anyone holds it.
  static std::shared_ptr<const Vocabulary> of(const Xapian::Database& db);

  // Reads nothing when the indexer stored the blocks (see store()); else the whole
  // spelling table, once.
  explicit Vocabulary(const Xapian::Database& db);

  // Stores the vocabulary of `db` in its metadata: for each length, one block under
  // schema::kVocabularyKey + length (the layout is in spelling.cpp), and the format's
  // version under schema::kVocabularyKey + "lengths".
  static void store(Xapian::WritableDatabase& db);
  // True when `db` holds the blocks of the format this build reads (an index whose
  // vocabulary is missing or in an older format is rewritten by the next indexing run).
  static bool stored(const Xapian::Database& db);

  // The word (lower case, as the spelling table has it) closest to `word` (lower case):
  // at most one edit away for words of up to four letters, two for longer ones; among
  // equally close words the most frequent, then the shortest, then the first in byte
  // order. Empty when there is none, or when `word` itself is in the vocabulary. `db`:
  // the caller's handle on the same index, read for the lengths not loaded yet; a block
  // that is absent or malformed is rebuilt from the spelling table. Thread-safe.
  std::string suggest(const Xapian::Database& db, std::string_view word) const;

 private:
  // The words of one length whose letters' codes fit in `bits` bits, in the block.
  struct Section {
    unsigned bits = 0;
    std::uint32_t count = 0;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> runs;  // (frequency, words), most frequent first
    std::size_t letter_sets = 0;                                 // offsets into the block
    std::size_t codes = 0;
  };
  // One length's block, read in place; its alphabet and runs are decoded on loading.
  struct Length {
    bool loaded = false;
    std::string block;
    std::vector<char32_t> alphabet;                         // a letter's code is its index
    std::vector<std::pair<char32_t, std::uint32_t>> codes;  // (letter, code), by letter
    std::vector<Section> sections;
  };
  void load(const Xapian::Database& db, std::size_t length) const;  // with mutex_ held
  // False when `l.block` is not a well-formed block of words of `length` letters.
  static bool parse(Length& l, std::size_t length);

  mutable std::mutex mutex_;
  mutable std::array<Length, kMaxLetters + 1> lengths_;
};

}  // namespace hrtrack::index
