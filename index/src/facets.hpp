#pragma once
// The facet values (jurisdiction, instrument, language) of every document, in memory.
//
// Counting the facets of the best 1,000 matches read each one's three values from the value
// streams: 3,000 B-tree lookups, a fifth of a search's time at 274,783 sections. Read once
// per index revision (~one value stream pass per facet, shared by the Searchers of a process,
// see per_revision()), a count is an array lookup per match.
#include <xapian.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hrtrack/index/index.hpp"

namespace hrtrack::index {

class FacetColumns {
 public:
  enum Facet { kJurisdiction, kInstrument, kLanguage, kFacets };

  static std::shared_ptr<const FacetColumns> of(const Xapian::Database& db);
  explicit FacetColumns(const Xapian::Database& db);

  // `facet` counted over `docids`, most frequent first (ties by value), at most `most`.
  std::vector<FacetCount> count(Facet facet, const std::vector<Xapian::docid>& docids, std::size_t most) const;

 private:
  static constexpr std::uint32_t kNone = 0;  // code of "no value"; values are 1-based
  struct Column {
    std::vector<std::uint32_t> code;  // by docid
    std::vector<std::string> value;   // by code - 1
  };
  std::array<Column, kFacets> columns_;
};

}  // namespace hrtrack::index
