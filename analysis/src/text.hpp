#pragma once
// Text handling for the rules: sentences as byte ranges of the stored text (so a quote is
// always a literal substring), words folded to lower case, and the small pattern language
// of convention/provisions.toml.
//
// Pattern language (one pattern = one string): words separated by spaces, matched against
// the words of one sentence, in order and adjacent, case-insensitively.
//   word      the word itself            "possess"
//   word*     a word starting with it    "prosecut*"
//   *word     a word ending with it      "*spritzen"
//   *word*    a word containing it       "*konsumraum*"
//   a|b       either alternative         "shall|may"
//   ...       a gap of up to 12 words    "kann ... von der verfolgung absehen"
// Hyphens and apostrophes split words, in the text as in the patterns.
#include <bitset>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hrtrack::analysis::text {

// A sentence: bytes [begin, end) of the section text, leading labels ("(1)", "a)") skipped.
// An item of an enumeration is read with its lead-in, bytes [lead_begin, lead_end) (empty
// when it has none): "Seront punis ...: ... ceux qui auront facilité ...;" says what the
// lead-in says of that item alone.
struct Span {
  std::size_t begin = 0, end = 0;
  std::size_t lead_begin = 0, lead_end = 0;
  bool has_lead() const { return lead_end > lead_begin; }
};

// Legal sentences: a line ending without a full stop (a list lead-in "..., wer", "to:")
// runs on into the lines that follow, until one ends with one. A sentence whose lead-in
// ends with a colon at a line end and whose items end with semicolons is also read item by
// item: the whole sentence, then each item with the lead-in as its lead.
std::vector<Span> sentences(std::string_view text);

// Words of `s`, folded to lower case (ASCII and Latin-1 letters; soft hyphens dropped).
std::vector<std::string> words(std::string_view s);

class Pattern {
 public:
  // Empty when the pattern has no words (a data error the loader reports).
  static Pattern compile(std::string_view source);
  bool empty() const { return tokens_.empty(); }
  const std::string& source() const { return source_; }
  // True when the pattern occurs in `words`.
  bool matches(const std::vector<std::string>& words) const;

 private:
  struct Alternative {
    enum class Kind { exact, prefix, suffix, infix } kind = Kind::exact;
    std::string text;
  };
  struct Token {
    bool gap = false;
    std::vector<Alternative> alternatives;
  };
  bool match_from(const std::vector<std::string>& words, std::size_t w, std::size_t t) const;
  static bool token_matches(const Token& token, const std::string& word);

  std::string source_;
  std::vector<Token> tokens_;
  // The first bytes a word can start with to match the first token, when all its
  // alternatives are whole words or prefixes: most words are then passed over at one look.
  std::bitset<256> first_bytes_;
  bool any_first_byte_ = true;
};

// True when any of `patterns` matches.
bool any_matches(const std::vector<Pattern>& patterns, const std::vector<std::string>& words);

// The form in which a reference's quote is looked for in a stored text (find one form in
// the other): typographic quotes and apostrophes made straight, hyphens and dashes left out
// (a hyphen that ends a line takes the line break with it, so a word hyphenated at a line
// end reads whole), soft hyphens and zero-width characters dropped, every run of white
// space (no-break spaces too) one space, none at either end. Invalid UTF-8 is kept as is.
std::string quote_form(std::string_view s);

// A stable 64-bit fingerprint (FNV-1a, hex) of a section text, to notice that it changed.
std::string fingerprint(std::string_view bytes);

}  // namespace hrtrack::analysis::text
