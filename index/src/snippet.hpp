#pragma once
// Snippets: the part of a hit's stored text around the words that matched, with those words
// marked. Xapian's MSet::snippet marks a word only when its stem is a query term, so
// "Einmalspritzen" stays unmarked in a search for "Spritzen" although the index found the
// section through it (see DocumentBuilder::add_compound_parts); it also re-reads term
// statistics for every hit. This one marks compound parts in the languages that write
// compounds as one word, and its work per hit is bounded.
#include <xapian.h>

#include "hrtrack/index/index.hpp"

#include <bitset>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace hrtrack::index {

// One per search, used by one thread at a time: it keeps what it learnt of the words of the
// texts it read for the next hits.
class SnippetMaker {
 public:
  // The words to mark are the query's free-text terms ("Z" + stem), in any language.
  explicit SnippetMaker(const Xapian::Query& query);

  struct Snippet {
    std::string text;         // plain text, each run of white space as one space
    std::vector<Mark> marks;  // each matched word (or compound part) in `text`, in order
  };
  // At most about `length` bytes of `text` (cut at spaces, "…" where cut): the window
  // holding the most different query words, found in the first `kScanBytes` of the text;
  // the start of the text when none is there. `language` (ISO 639-1) picks the stemmer.
  Snippet make(const std::string& text, const std::string& language, std::size_t length);

  // The part of a long section searched for matches: the work per hit is bounded.
  static constexpr std::size_t kScanBytes = 32 * 1024;

 private:
  // Where a query word lies in one word of the text, in bytes from the word's start.
  struct WordMatch {
    int term = -1;  // index into stems_; -1: no match
    std::size_t begin = 0, end = 0;
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Language {
    std::string iso;  // ISO 639-1
    Xapian::Stem stemmer;
    bool compounds = false;
    // The words that start like a query word, stemmed: a text repeats its words, and the
    // hits of one search share theirs. The others are never stemmed, so never kept.
    std::unordered_map<std::string, WordMatch, Hash, std::equal_to<>> seen;
  };

  Language& language(const std::string& lang);
  // Whether a word starting so (see start_of() in snippet.cpp) may stem to a query word.
  bool may_stem_to_query_word(std::uint64_t start) const;
  // Whether a compound part may start with these two (folded) bytes; only with parts_.
  bool may_start_part(unsigned char a, unsigned char b) const;
  // Whether an ASCII word holds, where a part would fit, two letters a part starts with.
  bool may_hold_part(std::string_view ascii_word) const;
  // The query word `word` stems to, else the longest query word inside it (compounds only);
  // `ascii`: every byte of `word` is ASCII (it is then not decoded).
  WordMatch match(const Language& lang, std::string_view word, bool ascii);
  WordMatch compound_part(const Language& lang, std::string_view word, bool ascii);

  std::vector<std::string> stems_;  // without the "Z"
  std::unordered_map<std::string, int> stem_index_;
  // Their first two letters (see start_of()): a bit per pair of ASCII letters, the others
  // in a set.
  std::bitset<128 * 128> ascii_starts_;
  std::unordered_set<std::uint64_t> starts_;
  // The stems long enough to look for in compounds, longest first (the first found wins),
  // and a bit for each one's first two bytes: most words hold none of these pairs.
  std::vector<int> parts_;
  std::vector<std::uint64_t> part_starts_;  // 2^16 bits when there are parts
  // (first two bytes, index into parts_) of each part, in that order.
  std::vector<std::pair<std::size_t, std::size_t>> parts_by_start_;
  std::map<std::string, Language> languages_;
  // compound_part()'s word, lower-cased and folded, and where each of its bytes came from:
  // kept, so that a word costs no allocation.
  std::string fold_;
  std::vector<std::size_t> from_;
};

}  // namespace hrtrack::index
