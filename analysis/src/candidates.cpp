#include "candidates.hpp"

#include <set>

#include "hrtrack/corpus/clock.hpp"
#include "hrtrack/index/index.hpp"

namespace hrtrack::analysis {
namespace {

// Enough for a concept's hits in one jurisdiction's law in one request; more are paged.
constexpr int kPage = 1000;

// The words of the thesaurus's terms in one language: the vocabulary a suffix or infix
// pattern ("*spritzen") can be expanded against, since the index has no such wildcards.
std::set<std::string> vocabulary(const std::string& language) {
  std::set<std::string> out;
  for (const auto& c : index::Thesaurus::builtin().concepts()) {
    const auto it = c.terms.find(language);
    if (it == c.terms.end()) continue;
    for (const auto& term : it->second)
      for (auto& w : text::words(term)) out.insert(std::move(w));
  }
  return out;
}

// A suffix or infix alternative as the words of `vocabulary` it matches, ORed, and the
// bare word itself.
std::string affix_query(const std::string& alt, const std::set<std::string>& vocabulary) {
  const bool infix = alt.size() > 1 && alt.back() == '*';
  const auto words = text::words(alt);
  if (words.size() != 1) return {};
  const std::string& part = words.front();
  std::string out = part;
  for (const auto& w : vocabulary) {
    const bool hit = infix ? w.find(part) != std::string::npos
                           : w.size() > part.size() && w.compare(w.size() - part.size(), part.size(), part) == 0;
    if (hit && w != part) out += " OR " + w;
  }
  return out;
}

// One token of a pattern ("shall|may", "prosecut*") as an index query: its alternatives
// ORed, each alternative's words ANDed. Empty when an alternative has no indexable word:
// the token then constrains nothing.
std::string token_query(const std::string& token, const std::set<std::string>& vocabulary) {
  std::string out;
  std::size_t from = 0;
  for (std::size_t bar = 0; bar != std::string::npos; from = bar + 1) {
    bar = token.find('|', from);
    const std::string alt = token.substr(from, bar == std::string::npos ? std::string::npos : bar - from);
    if (alt.empty()) return {};
    // The index has no wildcards: a prefix is searched as its stem.
    std::string words = alt.front() == '*' ? affix_query(alt, vocabulary) : std::string{};
    if (alt.front() != '*')
      for (const auto& w : text::words(alt)) words += (words.empty() ? "" : " AND ") + w;
    if (words.empty()) return {};
    out += (out.empty() ? "(" : " OR (") + words + ")";
  }
  return out;
}

// A pattern as an index query: its words in any order and distance (the reading checks
// order and adjacency), so the index finds a superset of the sections the pattern matches.
std::string pattern_query(const text::Pattern& pattern, const std::set<std::string>& vocabulary) {
  std::string out;
  std::size_t from = 0;
  for (std::size_t space = 0; space != std::string::npos; from = space + 1) {
    space = pattern.source().find(' ', from);
    const auto token = pattern.source().substr(from, space == std::string::npos ? std::string::npos : space - from);
    if (token.empty() || token == "...") continue;
    const auto q = token_query(token, vocabulary);
    if (!q.empty()) out += (out.empty() ? "(" : " AND (") + q + ")";
  }
  return out;
}

// The provision's topic patterns, every language, as one query: statutes name a practice
// in words the concept's terms do not always cover.
std::string topic_query(const ProvisionRules& p) {
  std::string out;
  for (const auto& [language, patterns] : p.topic) {
    const auto words = vocabulary(language);
    for (const auto& pattern : patterns) {
      const auto q = pattern_query(pattern, words);
      if (!q.empty()) out += (out.empty() ? "(" : " OR (") + q + ")";
    }
  }
  return out;
}

class StoreCandidates : public CandidateSource {
 public:
  explicit StoreCandidates(std::string note) : note_(std::move(note)) {}
  std::string_view name() const override { return "store"; }
  const std::string& note() const override { return note_; }
  Result<Candidates> find(std::string_view, std::string_view, const ProvisionRules&, const CitationGraph&) override {
    return Candidates{true, {}};
  }

 private:
  std::string note_;
};

class IndexCandidates : public CandidateSource {
 public:
  explicit IndexCandidates(std::unique_ptr<index::Searcher> searcher) : searcher_(std::move(searcher)) {}
  std::string_view name() const override { return "index"; }
  const std::string& note() const override { return note_; }

  Result<Candidates> find(std::string_view jurisdiction, std::string_view law_date, const ProvisionRules& p,
                          const CitationGraph& graph) override {
    // Every version's hits, kept: the dates of a timeline then cost a filter each, not a
    // search. One jurisdiction's search walks the whole index's postings of the query's
    // terms, so from the second jurisdiction asked on, one search finds every jurisdiction's.
    auto& found = hits_[p.provision.id];
    const std::string code(jurisdiction);
    if (!found.everywhere && !found.by_jurisdiction.count(code)) {
      // One search: a section both queries find is fetched (and its snippet made) once.
      const auto topic = topic_query(p);
      const auto query = "concept:" + p.concept_id + (topic.empty() ? "" : " OR " + topic);
      const bool everywhere = !found.by_jurisdiction.empty();
      auto hits = all_hits(query, everywhere ? std::string_view{} : jurisdiction);
      if (!hits) return hits.error();
      if (everywhere) {
        found.by_jurisdiction.clear();
        found.everywhere = true;
      }
      found.by_jurisdiction[code];  // known, if without hits
      for (auto& [j, h] : hits.value()) found.by_jurisdiction[j].push_back(std::move(h));
    }
    // In force as the index decides it for a search as of a date (an empty date: today).
    const std::string day = law_date.empty() ? corpus::today_utc() : std::string(law_date);
    Candidates c;
    if (const auto it = found.by_jurisdiction.find(code); it != found.by_jurisdiction.end())
      for (const auto& h : it->second)
        if (h.from <= day && (h.to.empty() || day < h.to)) c.via.emplace(h.id, "index");
    add_ring(c, graph);
    return c;
  }

 private:
  struct IndexHit {
    std::string id, from, to;  // section address; the version's in-force dates, to empty: open
  };
  struct ProvisionHits {
    bool everywhere = false;  // searched in every jurisdiction: one missing has none
    std::map<std::string, std::vector<IndexHit>> by_jurisdiction;
  };

  // (jurisdiction, hit) for every indexed version's sections the query finds, in one
  // jurisdiction or (empty) all.
  Result<std::vector<std::pair<std::string, IndexHit>>> all_hits(const std::string& query, std::string_view jurisdiction) {
    index::SearchRequest r;
    r.query = query;
    r.jurisdiction = std::string(jurisdiction);
    r.all_versions = true;
    r.limit = kPage;
    r.facet_sample = 0;
    r.snippets = false;  // which sections match is all the candidate stage needs
    r.spelling = false;
    std::vector<std::pair<std::string, IndexHit>> out;
    for (;; r.offset += kPage) {
      auto found = searcher_->search(r);
      if (!found) return Error{"index candidates for " + query + ": " + found.error().message};
      for (auto& h : found->hits)
        out.emplace_back(std::move(h.jurisdiction), IndexHit{std::move(h.id), std::move(h.version_date), std::move(h.in_force_to)});
      if (static_cast<int>(found->hits.size()) < kPage) return out;
    }
  }

  // A section that qualifies an offence (diversion, non-prosecution, an exemption power)
  // often does not use the concept's words: it is reached through its citation instead.
  static void add_ring(Candidates& c, const CitationGraph& graph) {
    std::vector<std::string> hits;
    for (const auto& [address, via] : c.via) hits.push_back(address);
    for (const auto& hit : hits)
      for (const auto& [cites, other] : graph.neighbours(hit))
        c.via.emplace(other, (cites ? "cited by " : "cites ") + hit);
  }

  std::unique_ptr<index::Searcher> searcher_;
  std::string note_;
  std::map<std::string, ProvisionHits> hits_;  // by provision
};

}  // namespace

Result<std::unique_ptr<CandidateSource>> open_candidate_source(const EngineConfig& config) {
  const auto store = [](std::string note) -> std::unique_ptr<CandidateSource> {
    return std::make_unique<StoreCandidates>(std::move(note));
  };
  if (!config.use_index) return store("");
  if (config.data_dir.empty()) return store("no data folder given: every section of the law in force was read");
  std::error_code ec;
  if (!std::filesystem::exists(index::index_dir(config.data_dir), ec))
    return store("no search index in " + config.data_dir.string() +
                 ": every section of the law in force was read (run `hrtrack index`)");
  auto searcher = index::Searcher::open(config.data_dir, index::Thesaurus::builtin());
  if (!searcher) return Error{"search index: " + searcher.error().message};
  return std::unique_ptr<CandidateSource>(std::make_unique<IndexCandidates>(std::move(searcher.value())));
}

}  // namespace hrtrack::analysis
