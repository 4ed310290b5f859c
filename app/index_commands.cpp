// index, search: the search index as a user sees it.
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "hrtrack/index/index.hpp"
#include "hrtrack/index/json.hpp"

namespace hrtrack::app {
namespace {

using nlohmann::json;

const index::Thesaurus& thesaurus() { return index::Thesaurus::builtin(); }

void index_command(CLI::App& app, Options& o) {
  auto* cmd = app.add_subcommand("index", "Bring the search index up to date with the catalogue");
  auto rebuild = std::make_shared<bool>(false);
  cmd->add_flag("--rebuild", *rebuild, "Build a fresh index beside the live one and swap it in");
  cmd->add_flag("--json", o.json, "JSON output");
  cmd->callback([rebuild, &o] {
    auto store = open_store(o);
    auto indexer = index::Indexer::open(o.data, thesaurus());
    if (!indexer) throw UserError(indexer.error().message);
    const bool bar = stderr_is_terminal() && !o.json;
    auto progress = [bar](int done, int total) {
      if (bar) std::fprintf(stderr, "\rindexing instrument %d/%d", done, total);
    };
    auto report = *rebuild ? (*indexer)->rebuild(*store, progress) : (*indexer)->update(*store, progress);
    if (bar) std::fprintf(stderr, "\r\033[K");
    if (!report) throw UserError(report.error().message);
    const auto& r = report.value();
    if (o.json) {
      print_json({{"added", r.added}, {"updated", r.updated}, {"deleted", r.deleted},
                  {"unchanged", r.unchanged}, {"versions_indexed", r.versions_indexed},
                  {"rebuilt", r.rebuilt}, {"seconds", r.seconds}});
      return;
    }
    std::printf("%s in %.1f s: %lld documents added, %lld updated, %lld deleted, %lld unchanged "
                "(%lld versions indexed).\n",
                r.rebuilt ? "Rebuilt the index" : "Updated the index", r.seconds, r.added, r.updated,
                r.deleted, r.unchanged, r.versions_indexed);
  });
}

// The snippet with its matches bold at a terminal, in **...** down a pipe.
std::string marked_snippet(const index::Hit& h) {
  const bool tty = ::isatty(STDOUT_FILENO) != 0;
  const char* open = tty ? "\033[1m" : "**";
  const char* close = tty ? "\033[0m" : "**";
  std::string out;
  std::size_t at = 0;
  for (const auto& m : h.marks) {
    if (m.offset < at || m.offset + m.length > h.snippet.size()) continue;
    out.append(h.snippet, at, m.offset - at).append(open).append(h.snippet, m.offset, m.length).append(close);
    at = m.offset + m.length;
  }
  return out.append(h.snippet, at);
}

json facet_json(const std::vector<index::FacetCount>& f) {
  json out = json::object();
  for (const auto& x : f) out[x.value.empty() ? "(none)" : x.value] = x.count;
  return out;
}

std::string facet_line(const std::vector<index::FacetCount>& f) {
  std::string out;
  for (const auto& x : f)
    out += (out.empty() ? "" : ", ") + (x.value.empty() ? "(none)" : x.value) + " " + std::to_string(x.count);
  return out;
}

void print_result(const index::SearchResult& r, const std::string& query) {
  if (!r.corrected_query.empty()) std::printf("Did you mean: %s\n", r.corrected_query.c_str());
  std::printf("%lld result%s for '%s'%s\n", r.total, r.total == 1 ? "" : "s", query.c_str(),
              r.as_of.empty() ? " in every version" : (" in the law in force on " + r.as_of).c_str());
  for (const auto& h : r.hits) {
    const std::string label = h.label.empty() ? "s. " + h.section : h.label;
    std::printf("\n%2d. %s %s %s  %s\n", h.rank, h.jurisdiction.c_str(), h.instrument.c_str(), label.c_str(),
                h.heading.c_str());
    std::printf("    %s, version of %s%s\n", h.language.c_str(), h.version_date.c_str(),
                h.in_force_to.empty() ? "" : (" (replaced " + h.in_force_to + ")").c_str());
    std::printf("    %s\n    %s\n", marked_snippet(h).c_str(), h.id.c_str());
  }
  if (r.total == 0) return;
  const char* approx = r.facets_exact ? "" : " (from the best matches)";
  std::printf("\nJurisdictions%s: %s\n", approx, facet_line(r.jurisdictions).c_str());
  std::printf("Instruments%s: %s\n", approx, facet_line(r.instruments).c_str());
  std::printf("Languages%s: %s\n", approx, facet_line(r.languages).c_str());
}

struct Timed {
  std::string query, as_of;
  double ms = 0, cpu_ms = 0;
  long long total = 0;
  std::string top, error;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// This thread's CPU time: on a shared machine, wall time also measures the neighbours.
double thread_cpu_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

void run_batch(const std::string& file, const index::SearchRequest& base, const Options& o) {
  std::ifstream in(file);
  if (!in) throw UserError("--batch: cannot read " + file);
  auto searcher = index::Searcher::open(o.data, thesaurus());
  if (!searcher) throw UserError(searcher.error().message);
  std::vector<Timed> runs;
  std::vector<double> ms, cpu;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    index::SearchRequest req = base;
    const auto tab = line.find('\t');
    req.query = line.substr(0, tab);
    if (tab != std::string::npos) req.as_of = line.substr(tab + 1);
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = thread_cpu_ms();
    auto r = (*searcher)->search(req);
    Timed t;
    t.cpu_ms = thread_cpu_ms() - cpu_start;
    t.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    t.query = req.query;
    t.as_of = req.as_of;
    if (r) {
      t.total = r->total;
      if (!r->hits.empty()) t.top = r->hits.front().id;
    } else {
      t.error = r.error().message;
    }
    ms.push_back(t.ms);
    cpu.push_back(t.cpu_ms);
    runs.push_back(std::move(t));
  }
  if (o.json) {
    json queries = json::array();
    for (const auto& t : runs)
      queries.push_back({{"query", t.query}, {"as_of", t.as_of}, {"ms", t.ms}, {"cpu_ms", t.cpu_ms}, {"total", t.total},
                         {"top", t.top}, {"error", t.error}});
    print_json({{"queries", queries}, {"p50_ms", percentile(ms, 0.5)}, {"p99_ms", percentile(ms, 0.99)},
                {"cpu_p50_ms", percentile(cpu, 0.5)}, {"cpu_p99_ms", percentile(cpu, 0.99)}});
    return;
  }
  for (const auto& t : runs)
    std::printf("%8.2f ms %8.2f ms CPU %7lld  %-16s %s%s\n", t.ms, t.cpu_ms, t.total, t.top.c_str(), t.query.c_str(),
                t.error.empty() ? "" : ("  ERROR: " + t.error).c_str());
  std::printf("%zu queries: p50 %.2f ms, p99 %.2f ms; CPU p50 %.2f ms, p99 %.2f ms\n", runs.size(),
              percentile(ms, 0.5), percentile(ms, 0.99), percentile(cpu, 0.5), percentile(cpu, 0.99));
}

void search_command(CLI::App& app, Options& o) {
  auto* cmd = app.add_subcommand("search", "Search the text of the law (run 'hrtrack index' first)");
  struct Args {
    std::vector<std::string> words;
    std::string batch;
    index::SearchRequest request;
  };
  auto a = std::make_shared<Args>();
  std::string prefixes;
  for (const auto& [name, help] : index::known_prefixes()) prefixes += "\n  " + name + ": " + help;
  cmd->add_option("query", a->words, "Words, \"phrases\", AND/OR/NOT, ~synonyms, prefixes:" + prefixes);
  cmd->add_option("--batch", a->batch,
                  "Run the queries of FILE (one per line, optionally TAB and an as-of date) with one "
                  "index handle, and report each one's time, as a server would see it");
  cmd->add_option("--jurisdiction", a->request.jurisdiction, "Only this jurisdiction (CA, DE)");
  cmd->add_option("--lang", a->request.language, "Only this language (en, fr, de)");
  cmd->add_option("--as-of", a->request.as_of, "The law in force on this date (YYYY-MM-DD; default today)");
  cmd->add_flag("--all-versions", a->request.all_versions, "Search every version, not only those in force");
  cmd->add_option("--limit", a->request.limit, "Hits to show (default 10)");
  cmd->add_option("--offset", a->request.offset, "Hits to skip (for the next page)");
  cmd->add_option("--facet-sample", a->request.facet_sample,
                  "Facets count the best N matches (default 1000; more is exact on more queries but slower)");
  cmd->add_flag("--json", o.json, "JSON output");
  cmd->callback([a, &o] {
    auto& req = a->request;
    need_data_folder(o);
    if (!a->batch.empty()) return run_batch(a->batch, req, o);
    if (a->words.empty()) throw UserError("search: give a QUERY (or --batch FILE)");
    req.query.clear();
    for (const auto& w : a->words) req.query += (req.query.empty() ? "" : " ") + w;
    auto searcher = index::Searcher::open(o.data, thesaurus());
    if (!searcher) throw UserError(searcher.error().message);
    // An index whose first run was interrupted before its first commit holds nothing: say so,
    // or "0 results" would read as "the law does not say this".
    if ((*searcher)->size() == 0)
      std::fprintf(stderr, "hrtrack: the index of %s is empty: run 'hrtrack index'\n", o.data.c_str());
    auto result = (*searcher)->search(req);
    if (!result) throw UserError(result.error().message);
    const auto& r = result.value();
    if (!o.json) return print_result(r, req.query);
    json hits = json::array();
    for (const auto& h : r.hits) hits.push_back(index::to_json(h));
    print_json({{"query", req.query}, {"as_of", r.as_of}, {"total", r.total},
                {"corrected_query", r.corrected_query}, {"hits", hits},
                {"facets", {{"jurisdiction", facet_json(r.jurisdictions)},
                            {"instrument", facet_json(r.instruments)},
                            {"language", facet_json(r.languages)},
                            {"exact", r.facets_exact}}}});
  });
}

}  // namespace

void add_index_commands(CLI::App& app, Options& o) {
  index_command(app, o);
  search_command(app, o);
}

}  // namespace hrtrack::app
