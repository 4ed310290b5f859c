#pragma once
// One section version -> one Xapian document.
#include <xapian.h>

#include <map>
#include <string>
#include <unordered_map>
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
  // Spelling data goes to `db` (the database the documents are written to), at
  // flush_spelling().
  DocumentBuilder(const Thesaurus& thesaurus, Xapian::WritableDatabase& db);
  Xapian::Document build(const SectionEntry& e);
  // Adds the words of the documents built since the last call to the spelling table;
  // call it before each commit.
  void flush_spelling();

 private:
  Xapian::TermGenerator& generator(const std::string& lang);
  void add_compound_parts(Xapian::Document& doc, const std::string& lang) const;
  void count_spelling(const SectionEntry& e);

  Xapian::WritableDatabase& db_;
  std::map<std::string, Xapian::TermGenerator> generators_;
  // Per language, the stems ("Zspritz") of the thesaurus's one-word terms, looked for
  // inside compounds.
  std::map<std::string, std::vector<std::string>> concept_stems_;
  // Xapian's own FLAG_SPELLING looks every word occurrence up in an ordered map of the
  // whole batch's vocabulary (with its string compares, the largest item in perf, ~20 %
  // of the CPU); counting each document's words and adding each word once per batch
  // costs a fraction of it.
  Xapian::TermGenerator words_;
  std::unordered_map<std::string, Xapian::termcount> spelling_;
};

// Stored in the document's data (JSON), so a hit list needs no catalogue lookup.
// The text is kept for the snippets: the catalogue can only load a whole version (the
// Bank Act's 1,384 sections for one hit); tried, reading the text from there made SQLite
// most of a query's time (p99 ~40 ms at 10 % of the bulk collections). Compressed, the
// text is an eighth of the index.
struct StoredSection {
  std::string id, jurisdiction, instrument, title, type, section, label, heading, language,
      date, to, text;
  long long version_id = 0;
};
std::string encode(const StoredSection& s);
StoredSection decode(const std::string& data);  // fields missing from `data` stay empty

}  // namespace hrtrack::index
