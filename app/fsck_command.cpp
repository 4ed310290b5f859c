// fsck: checks a data folder and repairs what can be repaired without losing anything: the
// catalogue (SQLite's integrity and foreign-key checks), the blob folder (what a kill or a
// failed fetch left behind) and the search index (xapian-check; a damaged index is rebuilt
// from the catalogue, beside the live one).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "hrtrack/index/index.hpp"

extern char** environ;

namespace hrtrack::app {
namespace {

using nlohmann::json;

struct Checked {
  bool ran = false;  // false: the program could not be started
  int status = -1;
  std::string output;  // stdout and stderr
};

// Runs a program found on PATH, capturing what it prints.
Checked run_program(const std::vector<std::string>& argv) {
  Checked out;
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return out;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&fa, pipe_fds[1], 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(pipe_fds[1]);
  if (rc != 0) {
    ::close(pipe_fds[0]);
    return out;
  }
  char buf[65536];
  for (ssize_t n; (n = ::read(pipe_fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    out.output.append(buf, static_cast<std::size_t>(n));
  }
  ::close(pipe_fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  // posix_spawnp reports a missing program as exit 127 of the child.
  out.ran = !(WIFEXITED(status) && WEXITSTATUS(status) == 127);
  out.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

std::string last_line(const std::string& text) {
  std::string t = text;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
  const auto nl = t.rfind('\n');
  return corpus::escape_name(nl == std::string::npos ? t : t.substr(nl + 1));
}

std::string size_text(long long bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return buf;
}

// The index's state, repaired when damaged: {"ok"|"rebuilt"|"absent"|"not checked"|"damaged", what}.
std::pair<std::string, std::string> check_index(const Options& o, const corpus::Store& store) {
  const auto dir = index::index_dir(o.data);
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return {"absent", "no index yet (run 'hrtrack index')"};
  const Checked c = run_program({"xapian-check", dir.string()});
  if (!c.ran) return {"not checked", "xapian-check is not installed (Debian package xapian-tools)"};
  if (c.status == 0) return {"ok", "xapian-check found no errors"};
  std::string why = last_line(c.output);
  if (why.rfind("xapian-check", 0) != 0) why = "xapian-check: " + why;
  auto indexer = index::Indexer::open(o.data, index::Thesaurus::builtin());
  if (!indexer) return {"damaged", why + "; not rebuilt: " + indexer.error().message};
  auto rebuilt = (*indexer)->rebuild(store);
  if (!rebuilt) return {"damaged", why + "; rebuilding failed: " + rebuilt.error().message};
  return {"rebuilt", why + "; rebuilt from the catalogue"};
}

}  // namespace

void add_fsck_command(CLI::App& app, Options& o) {
  auto* cmd = app.add_subcommand(
      "fsck", "Check the data folder (catalogue, blobs, index) and repair what can be repaired safely");
  cmd->add_flag("--json", o.json, "JSON output");
  cmd->callback([&o] {
    auto store = open_store(o);
    auto report = store->fsck();
    if (!report) throw UserError(report.error().message);
    const auto& r = *report;
    const auto [index_state, index_note] = check_index(o, *store);
    const bool unrepaired = !r.problems.empty() || index_state == "damaged";
    if (o.json) {
      print_json({{"problems", r.problems},
                  {"removed", {{"unreferenced_blobs", r.unreferenced.removed},
                               {"unreferenced_bytes", r.unreferenced.bytes},
                               {"failed_bodies", r.failed_bodies.removed},
                               {"failed_bytes", r.failed_bodies.bytes},
                               {"temporary_files", r.temporary_files}}},
                  {"index", {{"state", index_state}, {"note", index_note}}}});
    } else {
      std::printf("Catalogue: %s\n", r.problems.empty() ? "ok (SQLite integrity and foreign-key checks)"
                                                         : "problems found (below): nothing was removed");
      std::printf("Blobs: removed %d unreferenced file(s) (%s), %d superseded failed bod%s (%s), %d temporary file(s)\n",
                  r.unreferenced.removed, size_text(r.unreferenced.bytes).c_str(), r.failed_bodies.removed,
                  r.failed_bodies.removed == 1 ? "y" : "ies", size_text(r.failed_bodies.bytes).c_str(),
                  r.temporary_files);
      std::printf("Index: %s (%s)\n", index_state.c_str(), index_note.c_str());
      for (const auto& p : r.problems) std::fprintf(stderr, "problem: %s\n", p.c_str());
    }
    if (unrepaired) o.exit = kSomeFailed;
  });
}

}  // namespace hrtrack::app
