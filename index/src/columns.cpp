#include "columns.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <unordered_map>

#include "revision_cache.hpp"
#include "schema.hpp"

namespace hrtrack::index {
namespace {

std::uint32_t day_number(const std::string& compact) {
  std::uint32_t n = 0;
  std::from_chars(compact.data(), compact.data() + compact.size(), n);
  return n;
}

// The docids where `Matches` holds, in ascending order: next() and skip_to() walk the
// arrays, check() is one lookup (Xapian calls it for a filter beside a rarer term).
template <class Matches>
class ColumnFilter : public Xapian::PostingSource {
 public:
  // How many documents match, for the matcher's estimates: bounds and an estimate.
  struct Count {
    Xapian::doccount min, est, max;
  };
  ColumnFilter(std::shared_ptr<const Columns> columns, Matches matches, Count count, std::string name)
      : columns_(std::move(columns)), matches_(std::move(matches)), last_(columns_->last_docid()), count_(count),
        name_(std::move(name)) {}
  Xapian::doccount get_termfreq_min() const override { return count_.min; }
  Xapian::doccount get_termfreq_est() const override { return count_.est; }
  Xapian::doccount get_termfreq_max() const override { return count_.max; }
  void init(const Xapian::Database&) override {
    id_ = 0;
    settled_ = true;
  }
  void next(double) override { advance(id_ + 1); }
  void skip_to(Xapian::docid id, double) override {
    if (id > id_) advance(id);
    else if (!settled_) advance(id_ + 1);
  }
  bool check(Xapian::docid id, double) override {
    id_ = id;
    settled_ = matches_(*columns_, id);
    return settled_;
  }
  bool at_end() const override { return id_ > last_; }
  Xapian::docid get_docid() const override { return id_; }
  std::string get_description() const override { return name_; }

 private:
  void advance(Xapian::docid from) {
    id_ = from;
    while (id_ <= last_ && !matches_(*columns_, id_)) ++id_;
    settled_ = true;
  }
  std::shared_ptr<const Columns> columns_;
  Matches matches_;
  Xapian::docid last_;
  Count count_;
  std::string name_;
  Xapian::docid id_ = 0;
  bool settled_ = true;  // false after check() returned false: id_ is then not a match
};

template <class Matches>
Xapian::Query column_query(std::shared_ptr<const Columns> columns, Matches matches,
                           typename ColumnFilter<Matches>::Count count, std::string name) {
  return Xapian::Query(
      (new ColumnFilter<Matches>(std::move(columns), std::move(matches), count, std::move(name)))->release());
}

}  // namespace

std::shared_ptr<const Columns> Columns::of(const Xapian::Database& db) { return per_revision<Columns>(db); }

Columns::Columns(const Xapian::Database& db) {
  const auto size = static_cast<std::size_t>(db.get_lastdocid()) + 1;
  constexpr std::array<Xapian::valueno, kFacets> kSlots{schema::kJurisdictionSlot, schema::kInstrumentSlot,
                                                        schema::kLanguageSlot};
  for (std::size_t f = 0; f < kFacets; ++f) {
    auto& c = columns_[f];
    c.code.assign(size, kNone);
    std::unordered_map<std::string, std::uint32_t> codes;
    // A version's sections are consecutive documents with the same values: most values are
    // the previous one's.
    std::string previous;
    std::uint32_t previous_code = kNone;
    for (auto v = db.valuestream_begin(kSlots[f]); v != db.valuestream_end(kSlots[f]); ++v) {
      std::string value = *v;
      if (previous_code == kNone || value != previous) {
        auto [it, added] = codes.emplace(value, static_cast<std::uint32_t>(c.value.size() + 1));
        if (added) c.value.push_back(it->first);
        previous = std::move(value);
        previous_code = it->second;
      }
      if (v.get_docid() < size) c.code[v.get_docid()] = previous_code;
    }
  }
  from_.assign(size, std::numeric_limits<std::uint32_t>::max());
  to_.assign(size, 0);
  for (auto v = db.valuestream_begin(schema::kFromSlot); v != db.valuestream_end(schema::kFromSlot); ++v)
    if (v.get_docid() < size) {
      from_[v.get_docid()] = day_number(*v);
      ++documents_;
    }
  for (auto v = db.valuestream_begin(schema::kToSlot); v != db.valuestream_end(schema::kToSlot); ++v)
    if (v.get_docid() < size) to_[v.get_docid()] = day_number(*v);
}

std::uint32_t Columns::code(Facet facet, const std::string& value) const {
  const auto& v = columns_[facet].value;
  const auto it = std::find(v.begin(), v.end(), value);
  return it == v.end() ? kNone : static_cast<std::uint32_t>(it - v.begin() + 1);
}

std::vector<FacetCount> Columns::count(Facet facet, const std::vector<Xapian::docid>& docids, std::size_t most) const {
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

Xapian::doccount Columns::in_force_count(std::uint32_t day) const {
  std::lock_guard lock(counted_mutex_);
  // Any day can be asked for (a server's visitors choose it): remember a bounded number.
  constexpr std::size_t kMostDays = 4096;
  if (counted_.size() >= kMostDays && !counted_.count(day)) counted_.clear();
  auto [it, added] = counted_.emplace(day, 0);
  if (added) {
    // Branch-free, in blocks of 8 the compiler counts at once: the first search on a date
    // pays this pass.
    const std::uint32_t* from = from_.data();
    const std::uint32_t* to = to_.data();
    const std::size_t size = from_.size();
    Xapian::doccount n = 0;
    std::size_t id = 1;
    for (; id + 8 <= size; id += 8) {
      std::uint32_t block = 0;
      for (std::size_t k = 0; k < 8; ++k) block += static_cast<std::uint32_t>((from[id + k] <= day) & (day < to[id + k]));
      n += block;
    }
    for (; id < size; ++id) n += static_cast<Xapian::doccount>((from[id] <= day) & (day < to[id]));
    it->second = n;
  }
  return it->second;
}

Xapian::Query sections_query(std::shared_ptr<const Columns> columns, const std::vector<std::string>& languages,
                             Xapian::doccount language_count, std::optional<std::uint32_t> day) {
  // No language named: every code is wanted, "none" included.
  std::vector<bool> wanted(columns->values(Columns::kLanguage) + 1, languages.empty());
  std::string name = "Sections(";
  for (const auto& l : languages) {
    if (const auto code = columns->code(Columns::kLanguage, l)) wanted[code] = true;
    name += l + " ";
  }
  const Xapian::doccount all = columns->documents();
  const Xapian::doccount in_language = languages.empty() ? all : language_count;
  std::array<Xapian::doccount, 3> count{in_language, in_language, in_language};  // min, estimate, max
  if (day) {
    const Xapian::doccount in_force = columns->in_force_count(*day);
    // Exact for every language; else the documents of those languages taken to be in force
    // as often as all are (the matcher needs an estimate, not a count).
    if (languages.empty())
      count = {in_force, in_force, in_force};
    else
      count = {in_language + in_force > all ? in_language + in_force - all : 0,
               all == 0 ? 0 : static_cast<Xapian::doccount>(static_cast<double>(in_language) * in_force / all),
               std::min(in_language, in_force)};
    name += "in force " + std::to_string(*day);
  }
  const std::uint32_t on = day.value_or(0);
  const bool dated = day.has_value();
  return column_query(
      std::move(columns),
      [wanted = std::move(wanted), on, dated](const Columns& c, Xapian::docid id) {
        return wanted[c.code_at(Columns::kLanguage, id)] && (!dated || c.in_force(id, on));
      },
      {count[0], count[1], count[2]}, name + ")");
}

}  // namespace hrtrack::index
