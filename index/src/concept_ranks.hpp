#pragma once
// Each concept's ranking, worked out by the indexer and read back by searches.
//
// `concept:possession` matches the 8,983 sections with the concept's XK term and ranks them
// by the concept's words (AND_MAYBE over ~45 words in eight languages, see concept_match()):
// Xapian then walks the posting lists of all those words, common ones included ("person":
// 59,738 sections), 2.3-2.9 ms a search at 274,783 sections. The ranking is the same for every
// search of one index revision, so the indexer works it out once at the end of a run and
// stores it (docid and weight of each section, schema::kRankKey + concept id); a search
// reads it as a posting source: the same sections, the same weights, 0.1-0.2 ms. The first
// document a run changes marks the ranks outdated, in the same commit, so an index the ranks
// do not describe (a run interrupted, an intermediate commit, an index written before them)
// ranks with the words as before. Provision tags (boolean terms, no weight) leave them current.
#include <xapian.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hrtrack/index/thesaurus.hpp"

namespace hrtrack::index {

class ConceptRanks {
 public:
  struct Entry {
    Xapian::docid id;
    double weight;
  };

  // Works out every concept's ranking in `db` (as searches would with concept_match()),
  // stores it and marks it current.
  static void store(Xapian::WritableDatabase& db, const Thesaurus& thesaurus);
  // True when `db` has the ranks store() writes and no document changed since.
  static bool current(const Xapian::Database& db);
  // Call before changing a document.
  static void outdate(Xapian::WritableDatabase& db);

  // The ranks of `db`'s revision, shared while anyone holds them.
  static std::shared_ptr<const ConceptRanks> of(const Xapian::Database& db);
  explicit ConceptRanks(const Xapian::Database& db);

  // `concept:<id>` ranked as stored; nothing when the ranks are not of this revision.
  std::optional<Xapian::Query> query(const std::string& id) const;

 private:
  std::map<std::string, std::shared_ptr<const std::vector<Entry>>> ranks_;  // by docid
};

}  // namespace hrtrack::index
