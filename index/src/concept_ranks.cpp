#include "concept_ranks.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <type_traits>

#include "query.hpp"
#include "revision_cache.hpp"
#include "schema.hpp"
#include "weight.hpp"

namespace hrtrack::index {
namespace {

// rank:<id> -> per section its docid (4 bytes) and weight (8, the bits of a double),
// little-endian, by docid. rank: -> kCurrent while they are the documents' ranks.
constexpr std::size_t kEntry = 12;
constexpr std::string_view kCurrent = "1";

template <class T>
void put(std::string& out, T v) {
  static_assert(std::is_unsigned_v<T>);
  for (std::size_t i = 0; i < sizeof(T); ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

template <class T>
T get(const std::string& in, std::size_t at) {
  T v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(static_cast<unsigned char>(in[at + i])) << (8 * i);
  return v;
}

std::string key(const std::string& id) { return std::string(schema::kRankKey) + id; }

// The sections of a concept in docid order, each with its stored weight.
class RankedSections : public Xapian::PostingSource {
 public:
  explicit RankedSections(std::shared_ptr<const std::vector<ConceptRanks::Entry>> entries)
      : entries_(std::move(entries)) {
    for (const auto& e : *entries_) most_ = std::max(most_, e.weight);
  }
  Xapian::doccount get_termfreq_min() const override { return size(); }
  Xapian::doccount get_termfreq_est() const override { return size(); }
  Xapian::doccount get_termfreq_max() const override { return size(); }
  void init(const Xapian::Database&) override {
    at_ = 0;
    started_ = false;
    set_maxweight(most_);
  }
  void next(double) override {
    if (started_) ++at_;
    started_ = true;
  }
  void skip_to(Xapian::docid id, double) override {
    started_ = true;
    const auto& e = *entries_;
    if (at_ < e.size() && e[at_].id >= id) return;
    at_ = static_cast<std::size_t>(
        std::lower_bound(e.begin() + static_cast<std::ptrdiff_t>(at_), e.end(), id,
                         [](const ConceptRanks::Entry& x, Xapian::docid d) { return x.id < d; }) -
        e.begin());
  }
  bool at_end() const override { return started_ && at_ >= entries_->size(); }
  Xapian::docid get_docid() const override { return (*entries_)[at_].id; }
  double get_weight() const override { return (*entries_)[at_].weight; }
  RankedSections* clone() const override { return new RankedSections(entries_); }
  std::string get_description() const override { return "ConceptRank(" + std::to_string(size()) + ")"; }

 private:
  Xapian::doccount size() const { return static_cast<Xapian::doccount>(entries_->size()); }
  std::shared_ptr<const std::vector<ConceptRanks::Entry>> entries_;
  double most_ = 0;
  std::size_t at_ = 0;
  bool started_ = false;
};

}  // namespace

void ConceptRanks::store(Xapian::WritableDatabase& db, const Thesaurus& thesaurus) {
  const std::string prefix(schema::kRankKey);
  std::vector<std::string> gone;
  for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k)
    if (*k != prefix && !thesaurus.find((*k).substr(prefix.size()))) gone.push_back(*k);
  for (const auto& k : gone) db.set_metadata(k, "");
  for (const auto& c : thesaurus.concepts()) {
    Xapian::Enquire enquire(db);
    enquire.set_query(concept_match(db, c));
    enquire.set_weighting_scheme(NormalisedBM25());
    const auto mset = enquire.get_mset(0, db.get_doccount());
    std::vector<Entry> entries;
    entries.reserve(mset.size());
    for (auto m = mset.begin(); m != mset.end(); ++m) entries.push_back({*m, m.get_weight()});
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.id < b.id; });
    std::string value;
    value.reserve(kEntry * entries.size());
    for (const auto& e : entries) {
      put<std::uint32_t>(value, e.id);
      put<std::uint64_t>(value, std::bit_cast<std::uint64_t>(e.weight));
    }
    db.set_metadata(key(c.id), value);
  }
  db.set_metadata(prefix, std::string(kCurrent));
}

bool ConceptRanks::current(const Xapian::Database& db) {
  return db.get_metadata(std::string(schema::kRankKey)) == kCurrent;
}

void ConceptRanks::outdate(Xapian::WritableDatabase& db) { db.set_metadata(std::string(schema::kRankKey), ""); }

std::shared_ptr<const ConceptRanks> ConceptRanks::of(const Xapian::Database& db) {
  return per_revision<ConceptRanks>(db);
}

ConceptRanks::ConceptRanks(const Xapian::Database& db) {
  if (!current(db)) return;
  const std::string prefix(schema::kRankKey);
  for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k) {
    if (*k == prefix) continue;
    const std::string value = db.get_metadata(*k);
    // Cut short or out of order: not used (the words rank instead).
    if (value.size() % kEntry != 0) continue;
    auto entries = std::make_shared<std::vector<Entry>>();
    entries->reserve(value.size() / kEntry);
    bool ordered = true;
    for (std::size_t at = 0; at < value.size(); at += kEntry) {
      const Entry e{get<std::uint32_t>(value, at), std::bit_cast<double>(get<std::uint64_t>(value, at + 4))};
      ordered = ordered && (entries->empty() || entries->back().id < e.id) && e.weight >= 0;
      entries->push_back(e);
    }
    if (ordered) ranks_.emplace((*k).substr(prefix.size()), std::move(entries));
  }
}

std::optional<Xapian::Query> ConceptRanks::query(const std::string& id) const {
  const auto it = ranks_.find(id);
  if (it == ranks_.end()) return std::nullopt;
  return Xapian::Query((new RankedSections(it->second))->release());
}

}  // namespace hrtrack::index
