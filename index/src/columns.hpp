#pragma once
// Values of every document held in memory: the facets (jurisdiction, instrument, language)
// and the in-force interval.
//
// Counting the facets of the best 1,000 matches read each one's three values from the value
// streams: 3,000 B-tree lookups, a fifth of a search's time at 274,783 sections; filtering
// by date with Xapian's value ranges read two values of every candidate, a third of a broad
// search's time. Read once per index revision (one pass over each value stream, shared by
// the Searchers of a process, see per_revision()), each is an array lookup.
#include <xapian.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hrtrack/index/index.hpp"

namespace hrtrack::index {

class Columns {
 public:
  enum Facet { kJurisdiction, kInstrument, kLanguage, kFacets };

  static std::shared_ptr<const Columns> of(const Xapian::Database& db);
  explicit Columns(const Xapian::Database& db);

  // `facet` counted over `docids`, most frequent first (ties by value), at most `most`.
  std::vector<FacetCount> count(Facet facet, const std::vector<Xapian::docid>& docids, std::size_t most) const;

  // The values a facet takes, and the code (1-based; 0: none) of one of them.
  std::size_t values(Facet facet) const { return columns_[facet].value.size(); }
  std::uint32_t code(Facet facet, const std::string& value) const;
  std::uint32_t code_at(Facet facet, Xapian::docid id) const {
    const auto& c = columns_[facet].code;
    return id < c.size() ? c[id] : kNone;
  }

  // In force on `day` (YYYYMMDD as a number): from <= day < to.
  bool in_force(Xapian::docid id, std::uint32_t day) const {
    return id < from_.size() && from_[id] <= day && day < to_[id];
  }
  Xapian::docid last_docid() const { return static_cast<Xapian::docid>(from_.size() - 1); }
  Xapian::doccount documents() const { return documents_; }
  // How many documents are in force on `day`: a pass over the arrays (0.2-0.3 ms at 274,783
  // sections) the first time a day is asked for, remembered (up to 4,096 days) for the next searches.
  Xapian::doccount in_force_count(std::uint32_t day) const;

 private:
  static constexpr std::uint32_t kNone = 0;  // code of "no value"; values are 1-based
  struct Column {
    std::vector<std::uint32_t> code;  // by docid
    std::vector<std::string> value;   // by code - 1
  };
  std::array<Column, kFacets> columns_;
  // By docid; a docid without a document is in force on no day (from = UINT32_MAX).
  std::vector<std::uint32_t> from_, to_;
  Xapian::doccount documents_ = 0;
  mutable std::mutex counted_mutex_;
  mutable std::map<std::uint32_t, Xapian::doccount> counted_;
};

// A Xapian filter from the columns: the documents in one of `languages` (ISO 639-1; any
// when empty), `language_count` of them, and, when `day` is set (YYYYMMDD as a number), in
// force on it. Cheaper than value ranges and than the L terms' long posting lists: a lookup
// per candidate; one filter for both, so a candidate is looked up once.
Xapian::Query sections_query(std::shared_ptr<const Columns> columns, const std::vector<std::string>& languages,
                             Xapian::doccount language_count, std::optional<std::uint32_t> day);

}  // namespace hrtrack::index
