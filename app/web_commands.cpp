// serve, run, analyst: the web site, the main job (crawl, index, analyse, serve) and the
// analysts who may review answers.
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>

#include "cli.hpp"
#include "hrtrack/analysis/analysis.hpp"
#include "hrtrack/crawler/crawler.hpp"
#include "hrtrack/index/index.hpp"
#include "hrtrack/web/analysts.hpp"
#include "hrtrack/web/server.hpp"

namespace hrtrack::app {
namespace {

struct ServeArgs {
  web::Config config;
  bool online = false;
  std::string mirror;
};

void add_server_options(CLI::App* cmd, ServeArgs& a) {
  cmd->add_option("--port", a.config.port, "Port to listen on (default 8080; 0: any free port)");
  cmd->add_option("--bind", a.config.bind, "Address to listen on (default 127.0.0.1: this machine only)");
  cmd->add_option("--threads", a.config.threads, "Handler threads kept ready (default 64; more start for more open connections, up to 1024)");
  cmd->add_flag("--log", a.config.log_requests, "Log one line per request on stderr");
  cmd->add_option("--base-url", a.config.base_url,
                  "The site's public address, for the absolute links of feeds and reports (e.g. https://hrtrack.example.org; "
                  "default http://BIND:PORT)");
}

void serve(ServeArgs& a, const Options& o) {
  a.config.data_dir = o.data;
  if (a.config.port < 0 || a.config.port > 65535) throw UserError("--port: expected 0 to 65535");
  if (a.config.threads < 1 || a.config.threads > 256) throw UserError("--threads: expected 1 to 256");
  if (!a.config.base_url.empty()) {
    auto base = web::check_base_url(a.config.base_url);
    if (!base) throw UserError(base.error().message);
    a.config.base_url = base.value();
  }
  web::Server server(a.config);
  if (auto s = server.bind(); !s) throw UserError(s.error().message);
  // The URL on stdout, alone on its line, so scripts and tests can read it.
  std::printf("Serving %s on %s\n", o.data.c_str(), server.url().c_str());
  if (a.config.base_url.empty() && a.config.bind != "127.0.0.1" && a.config.bind != "::1")
    std::printf("Feeds and reports link to %s: give --base-url the address the public uses.\n",
                web::public_base(a.config).c_str());
  std::printf("Press Ctrl-C to stop.\n");
  std::fflush(stdout);
  web::run_until_signal(server);
  std::printf("Stopped.\n");
}

// The legislation mirror beside the repository: $HRTRACK_SHARED/legislation, else
// ../shared/legislation next to the source tree (found from the sources folder).
std::filesystem::path default_mirror() {
  if (const char* env = std::getenv("HRTRACK_SHARED"); env && *env) return std::filesystem::path(env) / "legislation";
  const auto beside_sources = crawler::default_sources_dir().parent_path().parent_path() / "shared" / "legislation";
  if (std::filesystem::is_directory(beside_sources)) return beside_sources;
  return "../shared/legislation";
}

void run_job(ServeArgs& a, Options& o) {
  auto store = open_store(o);
  const auto sources_dir = crawler::default_sources_dir();
  auto registry = crawler::load_sources(sources_dir);
  if (!registry) throw UserError("sources in " + sources_dir.string() + ": " + registry.error().message);
  crawler::Config cc;
  if (!a.online) {
    cc.mirror = a.mirror.empty() ? default_mirror() : std::filesystem::path(a.mirror);
    if (!std::filesystem::is_directory(cc.mirror))
      throw UserError("mirror " + cc.mirror.string() + " is not a folder (set HRTRACK_SHARED, --mirror, or use --online)");
    cc.replay_history = std::filesystem::is_directory(cc.mirror / "history");
    // Reading local files: no one to be polite to.
    cc.min_delay = std::chrono::milliseconds(0);
    cc.obey_robots = false;
    std::printf("1/4 Crawling the mirror %s%s...\n", cc.mirror.c_str(), cc.replay_history ? " (with its history)" : "");
  } else {
    std::printf("1/4 Crawling the official sources (politely: this takes a while)...\n");
  }
  std::fflush(stdout);
  crawler::Crawler crawler(*store, cc);
  const auto report = crawler.crawl(registry.value());
  std::printf("    %zu sources: %d new versions, %d failed.\n", report.results.size(), report.versions_new, report.failed);
  for (const auto& r : report.results)
    if (r.outcome == crawler::SourceResult::Outcome::failed)
      std::fprintf(stderr, "    failed: %s: %s\n", r.source_id.c_str(), r.error.c_str());

  std::printf("2/4 Indexing...\n");
  std::fflush(stdout);
  {
    auto indexer = index::Indexer::open(o.data, index::Thesaurus::builtin());
    if (!indexer) throw UserError(indexer.error().message);
    auto ir = (*indexer)->update(*store);
    if (!ir) throw UserError(ir.error().message);
    std::printf("    %lld documents added, %lld updated, %lld deleted.\n", ir->added, ir->updated, ir->deleted);
  }

  std::printf("3/4 Analysing...\n");
  std::fflush(stdout);
  {
    analysis::EngineConfig ec;
    ec.data_dir = o.data;
    auto engine = analysis::Engine::open(*store, ec);
    if (!engine) throw UserError(engine.error().message);
    for (const auto& j : store->jurisdictions()) {
      auto answers = (*engine)->analyze(j.code);
      if (!answers) std::fprintf(stderr, "    %s: %s\n", j.code.c_str(), answers.error().message.c_str());
      else if (auto t = (*engine)->timeline(j.code); !t)
        std::fprintf(stderr, "    %s timeline: %s\n", j.code.c_str(), t.error().message.c_str());
    }
    if (auto scores = (*engine)->scores()) {
      for (const auto& s : scores.value())
        std::printf("    %-6s score %.2f  coverage %3.0f%%\n", s.jurisdiction.c_str(), s.score, s.coverage * 100);
    }
  }
  store.reset();
  if (report.failed) o.exit = kSomeFailed;
  std::printf("4/4 Serving.\n");
  serve(a, o);
}

// The terminal's settings while a password is typed with echo off, so that Ctrl-C (or any
// catchable terminating signal) does not leave the user's shell silent.
termios g_saved_terminal{};
constexpr int kTerminatingSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

void restore_terminal_and_die(int sig) {
  ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_terminal);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// Turns echo off on the terminal for its lifetime (restored on return, throw or signal).
class EchoOff {
 public:
  EchoOff() {
    if (::tcgetattr(STDIN_FILENO, &g_saved_terminal) != 0)
      throw UserError(std::string("cannot read the terminal's settings: ") + std::strerror(errno));
    termios quiet = g_saved_terminal;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;  // the Enter key still moves to the next line
    for (std::size_t i = 0; i < std::size(kTerminatingSignals); ++i)
      old_[i] = std::signal(kTerminatingSignals[i], restore_terminal_and_die);
    if (::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0) {
      restore_handlers();
      throw UserError(std::string("cannot turn off echo on the terminal: ") + std::strerror(errno));
    }
  }
  ~EchoOff() {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_terminal);
    restore_handlers();
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  void restore_handlers() {
    for (std::size_t i = 0; i < std::size(kTerminatingSignals); ++i) std::signal(kTerminatingSignals[i], old_[i]);
  }
  void (*old_[std::size(kTerminatingSignals)])(int) = {};
};

std::string read_line(std::istream& in) {
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// From a terminal: prompted on stderr, typed twice without echo. Otherwise the first line
// of stdin, with no prompt, so a script can pipe it in.
std::string read_password() {
  if (::isatty(STDIN_FILENO) == 0) return read_line(std::cin);
  EchoOff quiet;
  std::fprintf(stderr, "Password: ");
  std::fflush(stderr);
  const std::string password = read_line(std::cin);
  std::fprintf(stderr, "Again: ");
  std::fflush(stderr);
  if (read_line(std::cin) != password) throw UserError("the two passwords differ; nothing changed");
  return password;
}

}  // namespace

void add_web_commands(CLI::App& app, Options& o) {
  {
    auto a = std::make_shared<ServeArgs>();
    auto* cmd = app.add_subcommand("serve", "Serve the web site and JSON API for an existing data folder");
    add_server_options(cmd, *a);
    cmd->callback([a, &o] { serve(*a, o); });
  }
  {
    auto a = std::make_shared<ServeArgs>();
    auto* cmd = app.add_subcommand(
        "run", "The main job: crawl (offline from the shared mirror, with its history), index, analyse, then serve");
    add_server_options(cmd, *a);
    cmd->add_flag("--online", a->online, "Crawl the official URLs instead of the mirror");
    cmd->add_option("--mirror", a->mirror, "Mirror folder (default $HRTRACK_SHARED/legislation or ../shared/legislation)");
    cmd->callback([a, &o] { run_job(*a, o); });
  }
  auto* analyst = app.add_subcommand("analyst", "Analysts who may sign in and review answers");
  analyst->require_subcommand(1);
  {
    auto name = std::make_shared<std::string>();
    auto* cmd = analyst->add_subcommand("add", "Add an analyst (or set a new password): the password is typed twice without echo, or piped in as the first line of stdin");
    cmd->add_option("name", *name, "Name (letters, digits, . - _)")->required();
    cmd->callback([name, &o] {
      const auto password = read_password();
      auto store = open_store(o);
      if (auto s = web::add_analyst(*store, *name, password); !s) throw UserError(s.error().message);
      std::printf("Analyst %s can now sign in.\n", name->c_str());
    });
  }
  {
    auto name = std::make_shared<std::string>();
    auto* cmd = analyst->add_subcommand("remove", "Remove an analyst");
    cmd->add_option("name", *name, "Name")->required();
    cmd->callback([name, &o] {
      auto store = open_store(o);
      if (auto s = web::remove_analyst(*store, *name); !s) throw UserError(s.error().message);
      std::printf("Removed %s.\n", name->c_str());
    });
  }
  analyst->add_subcommand("list", "List analysts")->callback([&o] {
    auto store = open_store(o);
    for (const auto& n : web::analysts(*store)) std::printf("%s\n", n.c_str());
  });
}

}  // namespace hrtrack::app
