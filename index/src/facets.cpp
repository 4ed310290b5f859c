#include "facets.hpp"

#include <algorithm>
#include <unordered_map>

#include "revision_cache.hpp"
#include "schema.hpp"

namespace hrtrack::index {

std::shared_ptr<const FacetColumns> FacetColumns::of(const Xapian::Database& db) { return per_revision<FacetColumns>(db); }

FacetColumns::FacetColumns(const Xapian::Database& db) {
  constexpr std::array<Xapian::valueno, kFacets> kSlots{schema::kJurisdictionSlot, schema::kInstrumentSlot,
                                                        schema::kLanguageSlot};
  for (std::size_t f = 0; f < kFacets; ++f) {
    auto& c = columns_[f];
    c.code.assign(static_cast<std::size_t>(db.get_lastdocid()) + 1, kNone);
    std::unordered_map<std::string, std::uint32_t> codes;
    for (auto v = db.valuestream_begin(kSlots[f]); v != db.valuestream_end(kSlots[f]); ++v) {
      auto [it, added] = codes.emplace(*v, static_cast<std::uint32_t>(c.value.size() + 1));
      if (added) c.value.push_back(it->first);
      if (v.get_docid() < c.code.size()) c.code[v.get_docid()] = it->second;
    }
  }
}

std::vector<FacetCount> FacetColumns::count(Facet facet, const std::vector<Xapian::docid>& docids,
                                            std::size_t most) const {
  const auto& c = columns_[facet];
  std::vector<long long> n(c.value.size() + 1);
  for (auto id : docids)
    if (id < c.code.size()) ++n[c.code[id]];
  std::vector<FacetCount> out;
  for (std::size_t v = 1; v < n.size(); ++v)
    if (n[v] > 0) out.push_back({c.value[v - 1], n[v]});
  std::sort(out.begin(), out.end(), [](const FacetCount& a, const FacetCount& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  if (out.size() > most) out.resize(most);
  return out;
}

}  // namespace hrtrack::index
