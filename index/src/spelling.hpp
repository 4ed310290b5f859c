#pragma once
// "Did you mean": the closest word of the corpus's vocabulary to a word it does not have.
//
// Xapian's Database::get_spelling_suggestion merges the spelling table's list of every
// trigram of the word: 5-11 ms a word at 274,783 sections, for long German words most of
// all (`Urinkontrolle`). This one holds the vocabulary in memory (the words the corpus uses
// at least kMinFrequency times: a word used once is as often a typo of its own), loaded
// once per index revision (from the list the indexer stores) and shared by the Searchers
// of a process, and looks a word up
// by edit distance among the words of nearly its length, with a letter-set filter first.
#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hrtrack::index {

class Vocabulary {
 public:
  static constexpr Xapian::doccount kMinFrequency = 2;

  // The vocabulary of `db`'s revision, loaded on first use and shared while anyone holds it.
  static std::shared_ptr<const Vocabulary> of(const Xapian::Database& db);

  explicit Vocabulary(const Xapian::Database& db);

  // The vocabulary of `db` as the indexer stores it (schema::kVocabularyKey): one word a
  // line, a TAB and its frequency. Reading it back is ~10x faster than walking the
  // spelling table (half a million words at 274,783 sections).
  static std::string listing(const Xapian::Database& db);

  // The word (lower case, as the spelling table has it) closest to `word` (lower case):
  // at most one edit away for words of up to four letters, two for longer ones; among
  // equally close words the most frequent. Empty when there is none, or when `word`
  // itself is in the vocabulary.
  std::string suggest(std::string_view word) const;

  std::size_t size() const { return count_; }

 private:
  struct Entry {
    std::uint32_t offset;  // into letters_
    std::uint32_t frequency;
    std::uint64_t letters;  // the set of its letters, hashed to 64 bits
    std::uint64_t pairs;    // the set of its pairs of adjacent letters, hashed to 64 bits
  };
  // By length in letters (code points); words longer than kMaxLetters are not kept.
  static constexpr std::size_t kMaxLetters = 40;
  std::vector<std::vector<Entry>> by_length_;
  std::vector<char32_t> letters_;
  std::size_t count_ = 0;
};

}  // namespace hrtrack::index
