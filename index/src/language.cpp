#include "language.hpp"

#include "hrtrack/corpus/languages.hpp"
#include "hrtrack/index/index.hpp"

namespace hrtrack::index {

std::string stemmer_name(std::string_view lang) {
  // The languages table says which stemmer a language uses; ask Xapian too, so a stemmer
  // missing from this build (Greek in 1.4) means "none". A language with no table has none.
  static const std::string available = " " + Xapian::Stem::get_available_languages() + " ";
  const auto* l = corpus::languages::find(lang);
  if (!l || l->stemmer == "none" || available.find(" " + l->stemmer + " ") == std::string::npos) return "none";
  return l->stemmer;
}

Xapian::Stem stemmer_for(std::string_view lang) { return Xapian::Stem(stemmer_name(lang)); }

bool stems(std::string_view lang) { return stemmer_name(lang) != "none"; }

bool compounds(std::string_view lang) {
  const auto* l = corpus::languages::find(lang);
  return l && l->compounds;
}

}  // namespace hrtrack::index
