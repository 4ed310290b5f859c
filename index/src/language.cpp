#include "language.hpp"

#include "hrtrack/index/index.hpp"

#include <array>
#include <utility>

namespace hrtrack::index {

std::string stemmer_name(std::string_view lang) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 27> kStemmers{{
      {"ar", "arabic"},     {"ca", "catalan"},    {"da", "danish"},     {"de", "german"},
      {"en", "english"},    {"es", "spanish"},    {"eu", "basque"},     {"fi", "finnish"},
      {"fr", "french"},     {"ga", "irish"},      {"hu", "hungarian"},  {"hy", "armenian"},
      {"id", "indonesian"}, {"it", "italian"},    {"lt", "lithuanian"}, {"nb", "norwegian"},
      {"ne", "nepali"},     {"nl", "dutch"},      {"nn", "norwegian"},  {"no", "norwegian"},
      {"pt", "portuguese"}, {"ro", "romanian"},   {"ru", "russian"},    {"sv", "swedish"},
      {"ta", "tamil"},      {"tr", "turkish"},    {"el", "greek"},
  }};
  // Ask Xapian too, so a stemmer missing from this build (Greek in 1.4) means "none".
  static const std::string available = " " + Xapian::Stem::get_available_languages() + " ";
  for (const auto& [code, name] : kStemmers)
    if (code == lang)
      return available.find(" " + std::string(name) + " ") == std::string::npos ? "none"
                                                                              : std::string(name);
  return "none";
}

Xapian::Stem stemmer_for(std::string_view lang) { return Xapian::Stem(stemmer_name(lang)); }

bool stems(std::string_view lang) { return stemmer_name(lang) != "none"; }

bool compounds(std::string_view lang) {
  for (std::string_view c : {"de", "nl", "no", "nb", "nn", "sv", "da", "fi"})
    if (c == lang) return true;
  return false;
}

}  // namespace hrtrack::index
