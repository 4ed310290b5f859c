#pragma once
// One section version -> one Xapian document.
#include <xapian.h>

#include <map>
#include <string>
#include <vector>

#include "hrtrack/corpus/model.hpp"
#include "hrtrack/index/thesaurus.hpp"

namespace hrtrack::index {

// Everything a document is made of.
struct SectionEntry {
  const corpus::Instrument& instrument;
  const corpus::Version& version;
  const std::string& language;  // the version's, else the jurisdiction's first language
  const std::string& to;        // YYYY-MM-DD the next version starts; empty while in force
  const corpus::Section& section;
  const std::vector<std::string>& tags;  // provision tags
};

// The address a section is cited by: "C-38.8#56.1".
std::string address_of(const corpus::Instrument& in, const corpus::Section& s);

class DocumentBuilder {
 public:
  // Spelling data goes to `db` (the database the documents are written to).
  DocumentBuilder(const Thesaurus& thesaurus, Xapian::WritableDatabase& db);
  Xapian::Document build(const SectionEntry& e);

 private:
  Xapian::TermGenerator& generator(const std::string& lang);
  void add_compound_parts(Xapian::Document& doc, const std::string& lang) const;

  Xapian::WritableDatabase& db_;
  std::map<std::string, Xapian::TermGenerator> generators_;
  // Per language, the stems ("Zspritz") of the thesaurus's one-word terms, looked for
  // inside compounds.
  std::map<std::string, std::vector<std::string>> concept_stems_;
};

// Stored in the document's data (JSON), so a hit list needs no catalogue lookup.
struct StoredSection {
  std::string id, jurisdiction, instrument, title, type, section, label, heading, language,
      date, to, text;
  long long version_id = 0;
};
std::string encode(const StoredSection& s);
StoredSection decode(const std::string& data);  // fields missing from `data` stay empty

}  // namespace hrtrack::index
