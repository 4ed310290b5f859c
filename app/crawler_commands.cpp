// crawl: fetch the sources (or read them from a mirror) and import what changed.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "hrtrack/crawler/crawler.hpp"

namespace hrtrack::app {
namespace {

using nlohmann::json;

struct CrawlArgs {
  std::string sources;
  std::string only;
  std::string mirror;
  bool replay_history = false;
  std::vector<std::string> host_overrides;
  crawler::Config config;
  long long delay_ms = -1;
  bool no_robots = false;
};

std::vector<std::string> split_codes(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string code; std::getline(in, code, ',');)
    if (!code.empty()) out.push_back(jurisdiction_of(code, "--only"));
  return out;
}

crawler::Registry load_registry(const CrawlArgs& a) {
  const auto dir = a.sources.empty() ? crawler::default_sources_dir() : std::filesystem::path(a.sources);
  auto all = crawler::load_sources(dir);
  if (!all) {
    // Every problem on its own line, FILE:LINE first, so an editor can jump to each.
    const std::string& msg = all.error().message;
    std::cerr << msg << '\n';
    const auto problems = 1 + std::count(msg.begin(), msg.end(), '\n');
    throw UserError("sources in " + dir.string() + ": " + std::to_string(problems) + " problem(s), listed above");
  }
  auto chosen = crawler::select_jurisdictions(*all, split_codes(a.only));
  if (!chosen) throw UserError("--only: " + chosen.error().message);
  return std::move(*chosen);
}

crawler::Config make_config(const CrawlArgs& a) {
  crawler::Config c = a.config;
  if (a.delay_ms >= 0) c.min_delay = std::chrono::milliseconds(a.delay_ms);
  if (a.no_robots) c.obey_robots = false;
  if (c.connections_per_host < 1) throw UserError("--connections: at least 1");
  if (!a.mirror.empty()) {
    if (!std::filesystem::is_directory(a.mirror)) throw UserError("--mirror: " + a.mirror + " is not a folder");
    c.mirror = a.mirror;
  }
  c.replay_history = a.replay_history;
  for (const auto& o : a.host_overrides) {
    const auto eq = o.find('=');
    if (eq == std::string::npos || eq == 0) throw UserError("--host-override: expected HOST=BASE_URL, got '" + o + "'");
    c.host_override[o.substr(0, eq)] = o.substr(eq + 1);
  }
  return c;
}

// One line, redrawn in place, at most ten times a second.
class ProgressLine {
 public:
  explicit ProgressLine(bool on) : on_(on) {}
  ~ProgressLine() { clear(); }
  // Erases the line, so the summary starts on a clean one.
  void clear() {
    if (drawn_) std::fprintf(stderr, "\r\033[K");
    drawn_ = false;
    on_ = false;
  }
  void operator()(const crawler::Progress& p) {
    const auto now = std::chrono::steady_clock::now();
    if (!on_ || (drawn_ && now - last_ < std::chrono::milliseconds(100) && p.done != p.total)) return;
    last_ = now;
    drawn_ = true;
    std::fprintf(stderr, "\r\033[Kcrawling %d/%d  %.1f MB  %d failed", p.done, p.total,
                 static_cast<double>(p.bytes) / 1e6, p.failed);
    std::fflush(stderr);
  }

 private:
  bool on_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

json report_json(const crawler::CrawlReport& r) {
  json results = json::array();
  for (const auto& x : r.results) {
    json j{{"source", x.source_id}, {"url", x.url}, {"outcome", crawler::to_string(x.outcome)},
           {"status", x.http_status}, {"bytes", x.bytes}, {"attempts", x.attempts}};
    if (!x.error.empty()) j["error"] = x.error;
    results.push_back(std::move(j));
  }
  return {{"sources", r.results.size()}, {"fetched", r.fetched}, {"not_modified", r.not_modified},
          {"changed", r.changed}, {"versions_new", r.versions_new}, {"no_legal_text", r.no_legal_text},
          {"failed", r.failed},
          {"bytes", r.bytes}, {"seconds", r.seconds},
          {"failed_bodies_removed", r.swept.removed}, {"results", results}};
}

void print_summary(const crawler::CrawlReport& r) {
  std::printf("Crawled %zu sources in %.1f s: %d fetched (%.1f MB), %d not modified, %d changed "
              "(%d new versions), %d with no legal text, %d failed.\n",
              r.results.size(), r.seconds, r.fetched, static_cast<double>(r.bytes) / 1e6, r.not_modified,
              r.changed, r.versions_new, r.no_legal_text, r.failed);
  for (const auto& x : r.results)
    if (x.outcome == crawler::SourceResult::Outcome::new_version)
      std::printf("  new version: %s  (%s)\n", x.source_id.c_str(), x.url.c_str());
  for (const auto& x : r.results)
    if (x.outcome == crawler::SourceResult::Outcome::failed)
      std::fprintf(stderr, "failed: %s: %s\n", x.source_id.c_str(), x.error.c_str());
  if (r.changed) std::printf("See 'hrtrack history INSTRUMENT' and 'hrtrack diff' for what changed.\n");
}

}  // namespace

void add_crawler_commands(CLI::App& app, Options& o) {
  auto* cmd = app.add_subcommand("crawl", "Fetch the sources (or read a mirror) and import what changed");
  auto a = std::make_shared<CrawlArgs>();
  cmd->add_option("--sources", a->sources, "Folder of *.toml sources (default: the repository's sources/, or $HRTRACK_SOURCES)");
  cmd->add_option("--only", a->only, "Only these jurisdictions, comma-separated (CA,DE)");
  cmd->add_option("--mirror", a->mirror, "Read each source's mirror file under DIR instead of the network");
  cmd->add_flag("--replay-history", a->replay_history, "With --mirror: first replay DIR/history/*@DATE.* in date order; git sources: import their whole history");
  cmd->add_option("--contact", a->config.contact_url, "Contact URL named in the User-Agent");
  cmd->add_option("--connections", a->config.connections_per_host, "Connections per host (default 1)");
  cmd->add_option("--delay-ms", a->delay_ms, "Minimum delay between requests to a host (default 1000)");
  cmd->add_flag("--no-robots", a->no_robots, "Do not fetch or obey robots.txt (local benchmarks only)");
  cmd->add_option("--retries", a->config.retries, "Retries on timeouts, 408, 429, 5xx (default 3)");
  cmd->add_option("--host-override", a->host_overrides, "HOST=BASE_URL: fetch HOST's URLs from BASE_URL (tests, benchmarks)");
  cmd->add_flag("--json", o.json, "JSON output");
  cmd->callback([a, &o] {
    const auto registry = load_registry(*a);
    // Git sources replay their own history; HTTP sources replay a mirror's dated copies.
    if (a->replay_history && a->mirror.empty() && registry.git.empty())
      throw UserError("--replay-history needs --mirror DIR (or git sources)");
    const auto config = make_config(*a);
    auto store = open_store(o);
    crawler::Crawler crawler(*store, config);
    ProgressLine line(stderr_is_terminal() && !o.json);
    const auto report = crawler.crawl(registry, [&line](const crawler::Progress& p) { line(p); });
    line.clear();
    if (o.json) print_json(report_json(report));
    else print_summary(report);
    if (report.failed) o.exit = kSomeFailed;
  });
}

}  // namespace hrtrack::app
