#pragma once
// Snippets: the part of a hit's stored text around the words that matched, with those words
// marked. Xapian's MSet::snippet marks a word only when its stem is a query term, so
// "Einmalspritzen" stays unmarked in a search for "Spritzen" although the index found the
// section through it (see DocumentBuilder::add_compound_parts); it also re-reads term
// statistics for every hit. This one marks compound parts in the languages that write
// compounds as one word, and its work per hit is bounded.
#include <xapian.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace hrtrack::index {

class SnippetMaker {
 public:
  // The words to mark are the query's free-text terms ("Z" + stem), in any language.
  explicit SnippetMaker(const Xapian::Query& query);

  // At most about `length` bytes of `text` (cut at spaces, "…" where cut), HTML-escaped,
  // each matched word (or compound part) in <mark>...</mark>: the window holding the most
  // different query words, found in the first `kScanBytes` of the text; the start of the
  // text when none is there. `language` (ISO 639-1) picks the stemmer.
  std::string make(const std::string& text, const std::string& language, std::size_t length);

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
    // A text repeats its words, and the hits of one search share theirs.
    std::unordered_map<std::string, WordMatch, Hash, std::equal_to<>> seen;
  };

  Language& language(const std::string& lang);
  WordMatch match(const Language& lang, std::string_view word) const;

  std::vector<std::string> stems_;  // without the "Z"
  std::unordered_map<std::string, int> stem_index_;
  std::unordered_set<std::uint64_t> starts_;  // their first two letters (see start_of())
  std::vector<int> parts_;                    // the stems long enough to look for in compounds
  std::map<std::string, Language> languages_;
};

}  // namespace hrtrack::index
