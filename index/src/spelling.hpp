#pragma once
// "Did you mean": the closest word of the corpus's vocabulary to a word it does not have.
//
// Xapian's Database::get_spelling_suggestion merges the spelling table's list of every
// trigram of the word: 5-11 ms a word at 274,783 sections, for long German words most of
// all (`Urinkontrolle`). This one holds the vocabulary in memory (the words the corpus uses
// at least kMinFrequency times: a word used once is as often a typo of its own), shared by
// the Searchers of a process for one index revision, and looks a word up by edit distance
// among the words of nearly its length, with letter and letter-pair filters first. The
// indexer stores the words by length, and a length is read the first time a word needs it.
#include <xapian.h>

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace hrtrack::index {

class Vocabulary {
 public:
  static constexpr Xapian::doccount kMinFrequency = 2;
  // Words are kept by length in letters (code points); longer words are not kept.
  static constexpr std::size_t kMaxLetters = 40;

  // The vocabulary of `db`'s revision, shared while anyone holds it.
  static std::shared_ptr<const Vocabulary> of(const Xapian::Database& db);

  // Reads nothing when the indexer stored the lists (see store()); else the whole
  // spelling table, once.
  explicit Vocabulary(const Xapian::Database& db);

  // Stores the vocabulary of `db` in its metadata (schema::kVocabularyKey + length): for
  // each length, one word a line, a TAB and its frequency.
  static void store(Xapian::WritableDatabase& db);
  // True when `db` holds the lists store() writes.
  static bool stored(const Xapian::Database& db);

  // The word (lower case, as the spelling table has it) closest to `word` (lower case):
  // at most one edit away for words of up to four letters, two for longer ones; among
  // equally close words the most frequent. Empty when there is none, or when `word`
  // itself is in the vocabulary. `db`: the caller's handle on the same index, read for
  // the lengths not loaded yet. Thread-safe.
  std::string suggest(const Xapian::Database& db, std::string_view word) const;

 private:
  struct Entry {
    std::uint32_t offset;  // into Length::letters
    std::uint32_t frequency;
    std::uint64_t letters;  // the set of its letters, hashed to 64 bits
    std::uint64_t pairs;    // the set of its pairs of adjacent letters, hashed to 64 bits
  };
  struct Length {
    bool loaded = false;
    std::vector<Entry> entries;
    std::vector<char32_t> letters;
  };
  void load(const Xapian::Database& db, std::size_t length) const;  // with mutex_ held
  static void add(Length& l, std::string_view word, std::uint32_t frequency);

  mutable std::mutex mutex_;
  mutable std::array<Length, kMaxLetters + 1> lengths_;
};

}  // namespace hrtrack::index
