#pragma once
// The search index: one Xapian document per section of every version, in <data>/index/.
//
// One writer at a time: an Indexer holds the Xapian write lock for its lifetime; a second
// Indexer on the same folder (in this or another process) gets an "index busy" error at
// open. Readers are never blocked: each Searcher has its own database handle and sees the
// last commit. Xapian exceptions never cross this API: failures are Error values.
//
// Thread safety: an Indexer or a Searcher is used by one thread at a time; give each
// thread its own Searcher.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hrtrack/corpus/result.hpp"
#include "hrtrack/corpus/store.hpp"
#include "hrtrack/index/thesaurus.hpp"

namespace hrtrack::index {

// <data>/index
std::filesystem::path index_dir(const std::filesystem::path& data_dir);

// What one indexing run did, in documents (one per section version).
struct IndexReport {
  long long added = 0;      // sections of versions not indexed before
  long long updated = 0;    // re-indexed: their version's in-force interval or metadata changed
  long long deleted = 0;    // sections of versions no longer in the catalogue
  long long unchanged = 0;  // left as they were
  long long versions_indexed = 0;  // versions whose documents were (re)written
  bool rebuilt = false;
  double seconds = 0;
};

// Called after each instrument: (instruments done, instruments total).
using IndexProgress = std::function<void(int, int)>;

class Indexer {
 public:
  // Opens (creating if needed) <data>/index for writing and takes the write lock.
  // Error "index busy: another hrtrack is writing the index" when someone holds it.
  static Result<std::unique_ptr<Indexer>> open(const std::filesystem::path& data_dir,
                                               const Thesaurus& thesaurus);
  ~Indexer();
  Indexer(const Indexer&) = delete;
  Indexer& operator=(const Indexer&) = delete;

  // Brings the index up to date with the catalogue: indexes new versions, re-indexes
  // versions whose in-force interval (a version slotted in after them) or instrument
  // metadata changed, deletes versions gone from the catalogue, leaves the rest alone.
  // Commits at the end (and every few thousand documents, always at a version boundary,
  // so an interrupted run leaves a consistent index that the next run completes).
  // A run that wrote a quarter of the documents or more (a first run) then compacts the
  // index into <data>/index.compact and swaps it in, as rebuild() does: half the size.
  Result<IndexReport> update(const corpus::Store& store, const IndexProgress& progress = {});

  // Builds a fresh index in <data>/index.new, then swaps it in atomically and compacts it;
  // the live index stays searchable meanwhile. Provision tags are carried over.
  Result<IndexReport> rebuild(const corpus::Store& store, const IndexProgress& progress = {});

  // Adds (on = true) or removes the boolean term `provision:<provision>` on every document
  // of the section at `address` ("C-38.8#56.1"), in every version and language, now and in
  // versions indexed later. Returns the number of documents changed. Committed at once.
  Result<long long> tag(std::string_view address, std::string_view provision, bool on = true);

 private:
  struct Impl;
  explicit Indexer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct SearchRequest {
  // Xapian query syntax: words, "phrases", AND/OR/NOT, NEAR, +/-, ~synonyms, and the
  // prefixes of known_prefixes(). Words are matched in every language, each stemmed with
  // its language's stemmer; all words must match (AND) unless OR is written.
  std::string query;
  std::string jurisdiction;  // "CA", "DE"; empty: all
  std::string language;      // ISO 639-1; empty: all
  // Only the sections of this instrument (its identifier or an alias, any case), as
  // `instrument:` in a query; empty: all.
  std::string instrument;
  // Only the sections that use this thesaurus concept, in any language, as `concept:` in a
  // query (its words are marked in snippets); with no query words, every such section,
  // ranked by the concept's phrases. Unknown: an invalid-argument error. Empty: none.
  std::string concept_id;
  // The law in force on this date (YYYY-MM-DD); empty: today. Ignored when all_versions.
  std::string as_of;
  bool all_versions = false;  // every version ever indexed, not only those in force
  int offset = 0;
  int limit = 10;
  // Facets count the best this many matches (by rank; at least offset + limit), exact when
  // there are no more (see SearchResult::facets_exact); more costs time on broad queries.
  // 0: no facets.
  int facet_sample = 1000;
  // false: hits without snippets (callers that only need which sections match).
  bool snippets = true;
  // false: no "did you mean" (callers running queries of their own, such as the analysis,
  // whose words the corpus may not have: looking for a correction is most of their cost).
  bool spelling = true;
};

// A matched word (or compound part) in a hit's snippet: its bytes [offset, offset + length).
struct Mark {
  std::size_t offset = 0, length = 0;
  bool operator==(const Mark&) const = default;
};

struct Hit {
  int rank = 0;  // 1-based, counting from the first result, not from `offset`
  int percent = 0;
  double weight = 0;
  std::string id;  // "C-38.8#56.1"
  std::string jurisdiction, instrument, title, type;
  std::string section, label, heading;
  std::string language;
  std::string version_date;  // YYYY-MM-DD, the version's in-force date
  std::string in_force_to;   // YYYY-MM-DD the next version replaced it; empty: still in force
  std::int64_t version_id = 0;
  // The text around the matches (~300 bytes, from the first 32 KB of the section), each run
  // of white space as one space, "…" where it was cut; plain text, for each presenter to
  // escape as it needs. Empty without snippets.
  std::string snippet;
  // The words of `snippet` that matched, in order, none overlapping; in German, Dutch and
  // Norwegian also a query word inside a compound ("spritzen" of "Einmalspritzen" for
  // "Spritzen").
  std::vector<Mark> marks;
};

struct FacetCount {
  std::string value;
  long long count = 0;
};

struct SearchResult {
  long long total = 0;  // estimated number of matches
  long long total_lower = 0, total_upper = 0;
  std::vector<Hit> hits;
  // Most frequent first (at most 50 of each), counted over the best facet_sample matches.
  std::vector<FacetCount> jurisdictions, instruments, languages;
  // false when the matches outnumber facet_sample: the counts are then those of the best
  // matches, not of every match (say so to the user).
  bool facets_exact = true;
  std::string corrected_query;   // "did you mean", empty when nothing to correct
  std::string as_of;             // the date searched (YYYY-MM-DD), empty with all_versions
};

class Searcher {
 public:
  // Opens <data>/index for reading. Error when there is no index yet.
  static Result<std::unique_ptr<Searcher>> open(const std::filesystem::path& data_dir,
                                                const Thesaurus& thesaurus);
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  // Errors, with a message a user can act on: an empty or malformed query (unbalanced
  // quotes or parentheses, a dangling AND/OR/NOT, an unknown `prefix:` or concept), a bad
  // date. Sees the latest commit (reopens when a writer has committed since).
  Result<SearchResult> search(const SearchRequest& request);

  // Number of documents in the index.
  long long size() const;

 private:
  struct Impl;
  explicit Searcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The query prefixes, with a line on each: {"jurisdiction", "ISO code: jurisdiction:DE"}, ...
std::vector<std::pair<std::string, std::string>> known_prefixes();

// True when the index stems words of this language (ISO 639-1): without a stemmer a search
// finds only the exact inflected form it is given.
bool stems(std::string_view language);

}  // namespace hrtrack::index
