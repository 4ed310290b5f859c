// libFuzzer: the search path of the index (Searcher::search, which `hrtrack search` and
// /api/v1/search call): the query parser with our prefixes, concept: and ~synonym
// expansion, as-of dates, filters and paging, on a small real index built at start-up.
//
// Input, as bench/index/queries.tsv writes a query: the query, then optional TAB-separated
// fields: as-of, jurisdiction, language, offset, limit, flags (1: every version, 2: no
// snippets, 4: no facets). Numbers that do not fit an int are clamped, so the limits are
// tried at their edges too.
#include <algorithm>
#include <charconv>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include "fuzz_data.hpp"
#include "hrtrack/index/index.hpp"
#include "shared.hpp"

using namespace hrtrack;

namespace {

// English and French (Canada, with two dated versions of the Controlled Drugs and
// Substances Act for as-of), German, Dutch and Spanish: a stemmer and a concept language each.
const std::vector<std::string> kDocuments = {
    "CA/eng_regulations_SOR-97-229.xml", "CA/fra_reglements_DORS-97-229.xml",
    "history/CA/eng_acts_C-38.8@2021-02-26.xml", "history/CA/eng_acts_C-38.8@2022-04-19.xml",
    "DE/btmg_1981.gii.xml", "NL/BWBR0002458_2015-01-01_0.xml", "UY/akn_uy_bill_2010-09-27.akn.xml"};

index::Searcher& searcher() {
  static test::TempDir dir;
  static const std::unique_ptr<index::Searcher> s = [] {
    fuzz::import_and_index(dir.path(), kDocuments);
    auto opened = index::Searcher::open(dir.path(), index::Thesaurus::builtin());
    if (!opened) fuzz::fail("set-up: " + opened.error().message);
    if ((*opened)->size() == 0) fuzz::fail("set-up: the index is empty");
    return std::move(opened).value();
  }();
  return *s;
}

int clamped_int(std::string_view s, int fallback) {
  long long v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range) return s.starts_with('-') ? INT_MIN : INT_MAX;
  if (ec != std::errc() || end != s.data() + s.size()) return fallback;
  return static_cast<int>(std::clamp<long long>(v, INT_MIN, INT_MAX));
}

std::string ascii_case(std::string s, bool to_upper) {
  for (auto& c : s) {
    if (to_upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!to_upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos; }

// One to three words of a-z: nothing the parser may reject.
bool plain_words(std::string_view q) {
  int words = 0;
  bool in_word = false;
  for (char c : q) {
    if (c >= 'a' && c <= 'z') {
      if (!in_word) ++words;
      in_word = true;
    } else if (c == ' ' && in_word) {
      in_word = false;
    } else {
      return false;
    }
  }
  return in_word && words <= 3;
}

// A snippet's marks are in order, do not overlap, lie inside it, and start and end on a
// character's boundary, each holding a word's letters.
bool well_marked(const index::Hit& h) {
  auto boundary = [&](std::size_t at) {
    return at == h.snippet.size() || (static_cast<unsigned char>(h.snippet[at]) & 0xC0) != 0x80;
  };
  std::size_t at = 0;
  for (const auto& m : h.marks) {
    if (m.offset < at || m.length == 0 || m.offset + m.length > h.snippet.size()) return false;
    if (!boundary(m.offset) || !boundary(m.offset + m.length)) return false;
    if (h.snippet.substr(m.offset, m.length).find(' ') != std::string::npos) return false;
    at = m.offset + m.length;
  }
  return true;
}

void check(const index::SearchRequest& q, const Result<index::SearchResult>& r, std::string_view input) {
  const bool bad_date = !q.as_of.empty() && !fuzz::is_calendar_date(q.as_of);
  const bool must_fail = blank(q.query) || std::count(q.query.begin(), q.query.end(), '"') % 2 == 1 || bad_date ||
                         q.offset < 0 || q.limit < 0;
  const bool must_pass = plain_words(q.query) && !bad_date && q.offset >= 0 && q.offset <= 10000 && q.limit >= 0 &&
                         q.limit <= 100;
  if (!r) {
    if (r.error().message.empty()) fuzz::fail("an error without a message", input);
    if (must_pass) fuzz::fail("a query of plain words was refused: " + r.error().message, input);
    return;
  }
  if (must_fail) fuzz::fail("a malformed request (empty query, odd quotes, bad date or negative offset/limit) was accepted", input);
  const auto& res = r.value();
  if (static_cast<long long>(res.hits.size()) > q.limit) fuzz::fail("more hits than the limit", input);
  if (!(res.total_lower <= res.total && res.total <= res.total_upper)) fuzz::fail("total outside its bounds", input);
  if (!res.hits.empty() && static_cast<long long>(q.offset) + static_cast<long long>(res.hits.size()) > res.total_upper)
    fuzz::fail("hits beyond the upper bound of the matches", input);
  if (q.all_versions != res.as_of.empty()) fuzz::fail("as_of reported although every version was searched, or missing", input);
  if (!q.all_versions && !q.as_of.empty() && res.as_of != q.as_of) fuzz::fail("a different as-of date searched", input);
  if (q.facet_sample == 0 && (!res.jurisdictions.empty() || !res.instruments.empty() || !res.languages.empty()))
    fuzz::fail("facets counted although none were asked for", input);
  for (const auto* facet : {&res.jurisdictions, &res.instruments, &res.languages})
    for (const auto& f : *facet)
      if (f.count <= 0) fuzz::fail("a facet value with no matches", input);
  const std::string jurisdiction = ascii_case(q.jurisdiction, true), language = ascii_case(q.language, false);
  for (const auto& f : res.jurisdictions)
    if (!q.jurisdiction.empty() && f.value != jurisdiction) fuzz::fail("a facet outside the jurisdiction filter", input);
  for (std::size_t i = 0; i < res.hits.size(); ++i) {
    const auto& h = res.hits[i];
    if (h.rank != q.offset + static_cast<int>(i) + 1) fuzz::fail("a hit ranked out of order or not counting the offset", input);
    if (h.id.empty() || h.percent < 0 || h.percent > 100) fuzz::fail("a hit without an id or with a percent outside 0..100", input);
    if (!q.jurisdiction.empty() && h.jurisdiction != jurisdiction) fuzz::fail("a hit outside the jurisdiction filter", input);
    if (!q.language.empty() && h.language != language) fuzz::fail("a hit outside the language filter", input);
    if (!q.all_versions && (h.version_date > res.as_of || (!h.in_force_to.empty() && h.in_force_to <= res.as_of)))
      fuzz::fail("a hit not in force on " + res.as_of + " (" + h.version_date + " to " + h.in_force_to + ")", input);
    if (!q.snippets && !h.snippet.empty()) fuzz::fail("a snippet although none was asked for", input);
    if (!q.snippets && !h.marks.empty()) fuzz::fail("marks although no snippet was asked for", input);
    if (!well_marked(h)) fuzz::fail("a mark outside its snippet, overlapping another or cutting a character: " + h.snippet, input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)searcher();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> f(7);
  std::size_t from = 0;
  for (std::size_t i = 0; i < f.size() && from <= input.size(); ++i) {
    const auto tab = i + 1 < f.size() ? input.find('\t', from) : std::string_view::npos;
    f[i] = input.substr(from, tab == std::string_view::npos ? std::string_view::npos : tab - from);
    from = tab == std::string_view::npos ? input.size() + 1 : tab + 1;
  }
  index::SearchRequest q;
  q.query = f[0];
  q.as_of = f[1];
  q.jurisdiction = f[2];
  q.language = f[3];
  q.offset = clamped_int(f[4], 0);
  q.limit = clamped_int(f[5], 10);
  const int flags = clamped_int(f[6], 0);
  q.all_versions = flags & 1;
  q.snippets = !(flags & 2);
  q.facet_sample = flags & 4 ? 0 : 20000;
  try {
    const auto r = searcher().search(q);
    check(q, r, input);
  } catch (const std::exception& e) {
    fuzz::fail(std::string("an exception escaped Searcher::search: ") + typeid(e).name() + ": " + e.what(), input);
  } catch (...) {
    // A Xapian::Error is not a std::exception: the index promises none crosses its API.
    fuzz::fail("a non-std exception (Xapian's?) escaped Searcher::search", input);
  }
  return 0;
}
