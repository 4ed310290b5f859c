#pragma once
// From the words a user types to a Xapian query over every language of the index.
#include <xapian.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hrtrack/corpus/result.hpp"
#include "hrtrack/index/thesaurus.hpp"

namespace hrtrack::index {

class Columns;
class Vocabulary;

// What Xapian's parser would silently reinterpret or reject, said plainly: an empty
// query, unbalanced quotes or parentheses, an AND/OR/NOT with a side missing, an unknown
// `prefix:` or concept.
Status check_query(std::string_view query, const Thesaurus& thesaurus);

// What `concept:<id>` matches in an index with the concept terms (XK) of `c`'s thesaurus:
// the sections with its term, ranked by the concept's words.
Xapian::Query concept_match(const Xapian::Database& db, const Concept& c);

// One query parser per language, all sharing the boolean prefixes and the concepts.
// Built for one database handle; rebuild it when the handle is replaced.
class QueryBuilder {
 public:
  // `columns`: of `db`'s revision, for the language filters.
  QueryBuilder(const Xapian::Database& db, const Thesaurus& thesaurus, std::shared_ptr<const Columns> columns);
  // The parsers' concept processors point into the builder.
  QueryBuilder(const QueryBuilder&) = delete;
  QueryBuilder& operator=(const QueryBuilder&) = delete;

  // The OR, over `languages` (every indexed language when empty), of the query parsed
  // with that language's stemmer and restricted to documents in it; languages that parse
  // it the same (concepts, prefixes, words stemmed alike) share one branch, restricted to
  // documents in one of them, and a query every indexed language parses alike has no
  // language filter. Throws
  // Xapian::QueryParserError on what check_query() lets through. `corrected` gets a
  // "did you mean" only when a word typed is not in the corpus. `words` (when not null)
  // gets a query whose terms are the words that matched: the query's, and the words of
  // each concept it names (matched as one XK term when the index has them).
  // `day` (YYYYMMDD as a number), when set, keeps the documents in force on it, in the
  // same filter as the languages'.
  // `also`: queries every match must also match (typed filters), inside each language's
  // branch; with an empty `query`, the matches are theirs.
  Xapian::Query build(const std::string& query, const std::vector<std::string>& languages,
                      std::optional<std::uint32_t> day, std::string* corrected, Xapian::Query* words = nullptr,
                      const std::vector<Xapian::Query>& also = {});
  // What `concept:<id>` matches, and its words for snippets (added to the next build's
  // `words`); nullopt for an id the thesaurus does not have.
  std::optional<Xapian::Query> concept_filter(const std::string& id);

  const std::vector<std::string>& languages() const { return languages_; }
  // Every document of the index has this build's layout (schema::kLayoutKey): its
  // normalised wdfs and its pairs of common words.
  bool current_layout() const { return current_layout_; }

 private:
  Xapian::Query build_match(const std::string& query, const std::vector<std::string>& languages,
                            std::optional<std::uint32_t> day, std::string* corrected,
                            const std::vector<Xapian::Query>& also);
  Xapian::QueryParser& parser(const std::string& lang);
  // The words typed in `q` (as `qp` parsed it) that are not in the spelling table.
  std::vector<std::string> unknown_words(const Xapian::QueryParser& qp, const Xapian::Query& q) const;
  std::string correction(const std::string& query, const std::vector<std::string>& unknown);

  Xapian::Database db_;
  std::shared_ptr<const Columns> columns_;
  std::string concept_ids_;
  std::string unknown_concept_;  // set by the concept: field processor during a parse
  std::map<std::string, Xapian::Query> concepts_;        // what `concept:<id>` matches
  std::map<std::string, Xapian::Query> concept_words_;   // the phrases of its terms
  std::vector<std::string> typed_concepts_;  // asked for by concept_filter() since the last build
  std::vector<std::string> used_concepts_;               // set by the concept: field processor
  std::vector<std::string> languages_;  // as indexed: the L terms
  bool every_document_has_language_ = false;  // each has one L term
  bool current_layout_ = false;
  std::map<std::string, Xapian::QueryParser> parsers_;
  std::shared_ptr<const Vocabulary> vocabulary_;  // loaded at the first correction
};

}  // namespace hrtrack::index
