#pragma once
// The Convention's concept thesaurus (convention/concepts.toml): each concept with its
// terms in every language, for cross-lingual search (`concept:needle-exchange`, `~syringe`).
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hrtrack/corpus/result.hpp"

namespace hrtrack::index {

struct Concept {
  std::string id;     // "needle-exchange": lower case letters, digits and '-'
  std::string label;  // "Needle and syringe programmes"
  // ISO 639-1 language -> terms as the law writes them; a term of several words is a phrase.
  std::map<std::string, std::vector<std::string>> terms;
};

class Thesaurus {
 public:
  Thesaurus() = default;

  // Parses TOML text: [[concept]] tables with id, label and a [concept.terms] table of
  // language = [terms]. Errors name `source`, the concept and what is wrong (duplicate or
  // malformed id, a concept without terms, a language code that is not two letters).
  static Result<Thesaurus> parse(std::string_view toml, std::string_view source);
  static Result<Thesaurus> load(const std::filesystem::path& file);
  // convention/concepts.toml as it was when hrtrack was built.
  static const Thesaurus& builtin();

  const std::vector<Concept>& concepts() const { return concepts_; }
  const Concept* find(std::string_view id) const;  // nullptr when unknown
  // "possession, needle-exchange, ...", for error messages.
  std::string ids() const;
  // Changes whenever any term changes: the index re-indexes everything when it does.
  std::string fingerprint() const;

 private:
  std::vector<Concept> concepts_;
};

}  // namespace hrtrack::index
