#pragma once
// The languages table: how legislation is written in each language, as data
// (languages/<iso639-1>.toml at the repository root, embedded at build time), read by the
// corpus (section labels, detection), the index (stemmer, compounds) and the analysis (the
// languages its patterns may be written in). Loaded once; read-only afterwards, so safe to
// share between threads.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hrtrack/corpus/result.hpp"

namespace hrtrack::corpus::languages {

struct Language {
  std::string code;  // ISO 639-1, from the file name
  std::string name;
  std::vector<std::string> section_labels;   // "Article", "Art.", "§"
  std::vector<std::string> appendix_labels;  // "Annexe", "Anlage"
  std::vector<std::pair<std::string, int>> structure_words;  // ("Chapitre", 4), 1 outermost
  std::vector<std::string> ordinal_suffixes;  // "er", "°": printed after a number, not part of it
  std::vector<std::string> number_suffixes;   // "bis", "ter": part of the number
  std::vector<std::string> citation_words;    // "Abs", "odst": a citation goes on
  std::vector<std::string> repealed_markers;  // "(abrogé)", "kehtetu"
  std::vector<std::string> note_markers;      // "(Modifié par", "Redakční poznámka"
  std::vector<std::string> function_words;    // for detect_language
  std::string stemmer = "none";  // the Xapian stemmer ("english"), or "none"
  bool compounds = false;        // writes compounds as one word ("Einmalspritzen")
};

// Parses one language file; `source` names it in the error ("languages/fr.toml: ...").
// Every key of the table above is required except the suffix, citation, marker lists,
// `stemmer` ("none") and `compounds` (false).
Result<Language> parse(std::string_view toml, std::string_view source);

// The built-in languages in file-name order. A malformed built-in file is a build defect:
// the first call prints the error naming the file and aborts (the tests load it).
const std::vector<Language>& builtin();

// The built-in language of an ISO 639-1 code, or nullptr.
const Language* find(std::string_view code);

// Lower case for ASCII, Latin-1, Latin Extended-A and Greek letters; every other byte as
// it is. The result has the same length in bytes, so offsets carry over.
std::string fold_case(std::string_view s);

}  // namespace hrtrack::corpus::languages
