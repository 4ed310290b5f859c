#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>

#include "document.hpp"
#include "hrtrack/base/ascii.hpp"
#include "hrtrack/base/date.hpp"
#include "columns.hpp"
#include "hrtrack/index/index.hpp"
#include "language.hpp"
#include "query.hpp"
#include "schema.hpp"
#include "snippet.hpp"
#include "weight.hpp"

namespace hrtrack::index {
namespace {

namespace fs = std::filesystem;
namespace chr = std::chrono;

constexpr int kMaxLimit = 1000;
constexpr int kMaxOffset = 1'000'000'000;
constexpr std::size_t kSnippetLength = 300;
constexpr std::size_t kFacetValues = 50;

std::string compact(const chr::year_month_day& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}

std::string today() {
  const chr::year_month_day d{chr::floor<chr::days>(chr::system_clock::now())};
  return schema::iso_date(compact(d));
}

// In force on `day`: from <= day < to. On 9999-12-31 only the open end (to = kOpenEnd) is
// still in force: counted as the day before.
std::uint32_t day_number(const chr::year_month_day& day) {
  const auto n = static_cast<std::uint32_t>(std::stoul(compact(day)));
  const auto open_end = static_cast<std::uint32_t>(std::stoul(std::string(schema::kOpenEnd)));
  return std::min(n, open_end - 1);
}

Hit hit_of(const Xapian::MSetIterator& m, SnippetMaker* snippets) {
  const Xapian::Document doc = m.get_document();
  // Layout 2 keeps the text apart from the rest (schema::kHitSlot); layout 1 all in the data.
  const std::string fields = doc.get_value(schema::kHitSlot);
  StoredSection s = decode(fields.empty() ? doc.get_data() : fields);
  if (snippets && !fields.empty()) s.text = doc.get_data();
  Hit h;
  h.rank = static_cast<int>(m.get_rank()) + 1;
  h.percent = m.get_percent();
  h.weight = m.get_weight();
  h.id = std::move(s.id);
  h.jurisdiction = std::move(s.jurisdiction);
  h.instrument = std::move(s.instrument);
  h.title = std::move(s.title);
  h.type = std::move(s.type);
  h.section = std::move(s.section);
  h.label = std::move(s.label);
  h.heading = std::move(s.heading);
  h.language = std::move(s.language);
  h.version_date = std::move(s.date);
  h.in_force_to = std::move(s.to);
  h.version_id = s.version_id;
  if (snippets) {
    auto made = snippets->make(s.text, h.language, kSnippetLength);
    h.snippet = std::move(made.text);
    h.marks = std::move(made.marks);
  }
  return h;
}

ino_t inode_of(const fs::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 ? st.st_ino : 0;
}

Status check_request(const SearchRequest& r, const Thesaurus& th) {
  // A concept alone is a search: its sections.
  const bool words = r.query.find_first_not_of(" \t\n\r\f\v") != std::string::npos;
  if (words || r.concept_id.empty())
    if (auto s = check_query(r.query, th); !s) return s;
  if (!r.concept_id.empty() && !th.find(r.concept_id))
    return Error{"unknown concept '" + r.concept_id + "' (known concepts: " + th.ids() + ")"};
  if (!r.as_of.empty() && !base::parse_date(r.as_of))
    return Error{"as-of: expected a date as YYYY-MM-DD, got '" + r.as_of + "'"};
  // offset + limit is computed in an int.
  if (r.offset < 0 || r.offset > kMaxOffset) return Error{"offset must be between 0 and " + std::to_string(kMaxOffset)};
  if (r.limit < 0 || r.limit > kMaxLimit) return Error{"limit must be between 0 and " + std::to_string(kMaxLimit)};
  return {};
}

}  // namespace

struct Searcher::Impl {
  fs::path dir;
  Thesaurus thesaurus;
  Xapian::Database db;
  ino_t inode = 0;  // a rebuild swaps in another folder: reopen from scratch then
  std::unique_ptr<QueryBuilder> builder;
  // Of this handle's revision; read at open and reopen, not by the first search to need them.
  std::shared_ptr<const Columns> columns;

  void open() {
    db = Xapian::Database(dir.string());
    inode = inode_of(dir);
    prepare();
  }

  void prepare() {
    // Xapian opens the spelling, synonym, position and document data tables when first
    // read: 0.45 ms of the first search at 274,783 sections. Opened with the handle.
    db.spellings_begin();
    db.synonym_keys_begin();
    (void)db.has_positions();
    if (const auto first = db.postlist_begin(""); first != db.postlist_end("")) (void)db.get_document(*first).get_data();
    columns = Columns::of(db);
    builder = std::make_unique<QueryBuilder>(db, thesaurus, columns);
  }

  // Sees the latest commit, and the new folder after a rebuild.
  void freshen() {
    if (inode_of(dir) != inode) open();
    else if (db.reopen()) prepare();
  }

  SearchResult run(const SearchRequest& r);
};

SearchResult Searcher::Impl::run(const SearchRequest& r) {
  SearchResult out;
  std::vector<std::string> langs;
  if (!r.language.empty()) langs.push_back(schema::lower(r.language));
  Xapian::Query words;
  std::optional<std::uint32_t> day;
  if (!r.all_versions) {
    out.as_of = r.as_of.empty() ? today() : r.as_of;
    day = day_number(*base::parse_date(out.as_of));
  }
  // The typed filters: the instrument's sections (weighing nothing), the concept's.
  std::vector<Xapian::Query> also;
  if (!r.instrument.empty())
    also.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(schema::term(schema::kInstrument, schema::lower(r.instrument))), 0.0);
  if (!r.concept_id.empty()) also.push_back(*builder->concept_filter(r.concept_id));  // known: check_request
  Xapian::Query q = builder->build(r.query, langs, day, r.spelling ? &out.corrected_query : nullptr,
                                   r.snippets ? &words : nullptr, also);
  if (!r.jurisdiction.empty())
    q = Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(schema::term(schema::kJurisdiction, base::ascii_upper(r.jurisdiction))));
  Xapian::Enquire enquire(db);
  enquire.set_query(q);
  // An index whose documents are not all of this layout has raw counts for wdfs.
  if (builder->current_layout()) enquire.set_weighting_scheme(NormalisedBM25());
  // Ranked by BM25 (no sort by value); ties stay in docid order, so every
  // page of a query, whatever its size, is cut from the same ranking.
  // Facets count the best `facet_sample` matches, from one MSet holding them and the page.
  const bool facets = r.facet_sample > 0;
  const auto page_end = static_cast<Xapian::doccount>(r.offset + r.limit);
  const auto size = facets ? std::max(static_cast<Xapian::doccount>(r.facet_sample), page_end) : page_end;
  const auto first = facets ? 0 : static_cast<Xapian::doccount>(r.offset);
  const auto mset = enquire.get_mset(first, size - first);
  out.total = mset.get_matches_estimated();
  out.total_lower = mset.get_matches_lower_bound();
  out.total_upper = mset.get_matches_upper_bound();
  out.facets_exact = out.total_lower == out.total_upper && out.total_upper <= static_cast<long long>(first + mset.size());
  std::optional<SnippetMaker> snippets;
  if (r.snippets) snippets.emplace(words);
  for (auto i = static_cast<Xapian::doccount>(r.offset) - first; i < mset.size() && i + first < page_end; ++i)
    out.hits.push_back(hit_of(mset[i], snippets ? &*snippets : nullptr));
  if (facets) {
    const std::vector<Xapian::docid> best(mset.begin(), mset.end());
    out.jurisdictions = columns->count(Columns::kJurisdiction, best, kFacetValues);
    out.instruments = columns->count(Columns::kInstrument, best, kFacetValues);
    out.languages = columns->count(Columns::kLanguage, best, kFacetValues);
  }
  return out;
}

Searcher::Searcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Searcher::~Searcher() = default;

Result<std::unique_ptr<Searcher>> Searcher::open(const fs::path& data_dir, const Thesaurus& thesaurus) {
  auto impl = std::make_unique<Impl>();
  impl->dir = index_dir(data_dir);
  impl->thesaurus = thesaurus;
  if (!fs::exists(impl->dir)) return Error{Code::kNotFound, "no index in " + data_dir.string() + ": run 'hrtrack index' first"};
  try {
    impl->open();
  } catch (const Xapian::Error& e) {
    return Error{Code::kIOError, "cannot open the index " + impl->dir.string() + ": " + e.get_description()};
  }
  return std::unique_ptr<Searcher>(new Searcher(std::move(impl)));
}

Result<SearchResult> Searcher::search(const SearchRequest& request) {
  if (auto s = check_request(request, impl_->thesaurus); !s) return s.error();
  // A writer may commit (or a rebuild swap the folder) while we read: start again once
  // from the new revision, as Xapian recommends.
  for (int attempt = 0;; ++attempt) {
    try {
      impl_->freshen();
      return impl_->run(request);
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt > 0) return Error{Code::kBusy, "the index changed during the search twice; try again"};
    } catch (const Xapian::QueryParserError& e) {
      return Error{"malformed query: " + e.get_msg()};
    } catch (const Xapian::DatabaseOpeningError& e) {
      if (attempt > 0) return Error{Code::kIOError, "cannot open the index " + impl_->dir.string() + ": " + e.get_msg()};
      impl_->inode = 0;  // forces a fresh open
    } catch (const Xapian::Error& e) {
      return Error{"search failed: " + e.get_description()};
    }
  }
}

long long Searcher::size() const {
  try {
    return impl_->db.get_doccount();
  } catch (const Xapian::Error&) {
    return 0;
  }
}

}  // namespace hrtrack::index
