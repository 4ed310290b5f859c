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

namespace {

// Leaves a word as it is. Xapian's own "none" stemmer makes a TermGenerator in STEM_ALL_Z
// mode index no word at all, so a language without a stemmer (Czech, Estonian) would hold
// no searchable text; with this one its words are indexed and parsed as "Z" + the word.
class Unstemmed : public Xapian::StemImplementation {
 public:
  std::string operator()(const std::string& word) override { return word; }
  std::string get_description() const override { return "unstemmed"; }
};

}  // namespace

Xapian::Stem stemmer_for(std::string_view lang) {
  const std::string name = stemmer_name(lang);
  if (name == "none") return Xapian::Stem(new Unstemmed);
  return Xapian::Stem(name);
}

bool stems(std::string_view lang) { return stemmer_name(lang) != "none"; }

bool compounds(std::string_view lang) {
  const auto* l = corpus::languages::find(lang);
  return l && l->compounds;
}

}  // namespace hrtrack::index
