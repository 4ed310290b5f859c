#pragma once
// One section version -> one Xapian document.
#include <xapian.h>

#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
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
  void add_concepts(Xapian::Document& doc, const std::string& lang) const;

  // A thesaurus term as the generator of its language indexes it: its terms ("Z" + stem)
  // and their positions relative to the first word.
  struct ConceptTerm {
    std::string term;  // "XK<concept id>"
    std::vector<std::pair<std::string, Xapian::termpos>> words;
  };

  Xapian::WritableDatabase& db_;
  std::map<std::string, Xapian::TermGenerator> generators_;
  // Per language, the stems ("Zspritz") of the thesaurus's one-word terms, looked for
  // inside compounds.
  std::map<std::string, std::vector<std::string>> concept_stems_;
  // Per language, every term of every concept, matched in each document of the language.
  std::map<std::string, std::vector<ConceptTerm>> concept_terms_;
  std::map<std::string, std::unordered_set<std::string>> concept_words_;  // their words
  // Xapian's own FLAG_SPELLING looks every word occurrence up in an ordered map of the
  // whole batch's vocabulary (with its string compares, the largest item in perf, ~20 %
  // of the CPU); counting each document's words and adding each word once per batch
  // costs a fraction of it.
  Xapian::TermGenerator words_;
  std::unordered_map<std::string, Xapian::termcount> spelling_;
};

// Stored with the document, so a hit list needs no catalogue lookup: the text in the
// document's data, the rest as JSON in the value schema::kHitSlot (a hit list without
// snippets reads no text). Indexes of layout 1 hold all of it, text included, as JSON in
// the data; decode() reads both.
// The text is kept for the snippets: the catalogue can only load a whole version (the
// Bank Act's 1,384 sections for one hit); tried, reading the text from there made SQLite
// most of a query's time (p99 ~40 ms at 10 % of the bulk collections). Compressed, the
// text is an eighth of the index.
struct StoredSection {
  std::string id, jurisdiction, instrument, title, type, section, label, heading, language,
      date, to, text;
  long long version_id = 0;
};
std::string encode(const StoredSection& s);      // JSON; without "text" when s.text is empty
StoredSection decode(const std::string& json);  // fields missing from `json` stay empty

}  // namespace hrtrack::index
