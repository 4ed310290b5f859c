// Git sources: local repositories built with libgit2 from the dated files of
// shared/legislation/history (one commit per file, dated as the file), opened by file:// URL.
// No network: a crawl of a mirror, or with host overrides, leaves remote repositories out.
#include <catch2/catch.hpp>
#include <git2.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "crawl_support.hpp"
#include "hrtrack/corpus/parse.hpp"
#include "shared.hpp"

using namespace hrtrack;
using Outcome = crawler::SourceResult::Outcome;
namespace fs = std::filesystem;

namespace {

// libgit2 for the publisher's side (the crawler initialises it for its own).
struct LibGit2 {
  LibGit2() { git_libgit2_init(); }
  ~LibGit2() { git_libgit2_shutdown(); }
};

std::string hex(const git_oid& id) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &id);
  return buf;
}

void ok(int rc, const char* what) {
  const git_error* e = git_error_last();
  INFO(what << ": " << (rc != 0 && e ? e->message : ""));
  REQUIRE(rc == 0);
}

// A publisher's bare repository, built commit by commit on branch main.
class Publisher {
 public:
  explicit Publisher(const fs::path& dir) : dir_(dir) {
    ok(git_repository_init(&repo_, dir.c_str(), 1), "init");
    ok(git_index_new(&index_), "index");
  }
  ~Publisher() {
    git_index_free(index_);
    git_repository_free(repo_);
  }
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  std::string url() const { return "file://" + dir_.string(); }

  // Sets `files` (path -> bytes; empty bytes: removed) on top of main, authored on `date`
  // (noon UTC) and committed on `committed` (default: the same day).
  std::string commit(const std::map<std::string, std::string>& files, const std::string& date,
                     const std::string& message = "", const std::string& committed = "") {
    for (const auto& [path, bytes] : files) {
      if (bytes.empty()) {
        ok(git_index_remove(index_, path.c_str(), 0), "remove");
        continue;
      }
      git_index_entry e{};
      ok(git_blob_create_from_buffer(&e.id, repo_, bytes.data(), bytes.size()), "blob");
      e.mode = GIT_FILEMODE_BLOB;
      e.path = path.c_str();
      ok(git_index_add(index_, &e), "add");
    }
    git_oid tree_id, id;
    ok(git_index_write_tree_to(&tree_id, index_, repo_), "write tree");
    git_tree* tree = nullptr;
    ok(git_tree_lookup(&tree, repo_, &tree_id), "tree");
    git_signature *author = nullptr, *committer = nullptr;
    ok(git_signature_new(&author, "Publisher", "pub@example.org", noon(date), 0), "author");
    ok(git_signature_new(&committer, "Publisher", "pub@example.org", noon(committed.empty() ? date : committed), 0),
       "committer");
    git_commit* parent = nullptr;
    git_oid head;
    if (git_reference_name_to_id(&head, repo_, "refs/heads/main") == 0) ok(git_commit_lookup(&parent, repo_, &head), "parent");
    const git_commit* parents[] = {parent};
    const std::string text = message.empty() ? "Version of " + date : message;
    ok(git_commit_create(&id, repo_, "refs/heads/main", author, committer, nullptr, text.c_str(), tree, parent ? 1 : 0,
                         parents),
       "commit");
    git_commit_free(parent);
    git_signature_free(author);
    git_signature_free(committer);
    git_tree_free(tree);
    return hex(id);
  }

  // Points main at `commit`, as a force-push does: what came after leaves the history.
  void reset(const std::string& commit) {
    git_oid id;
    ok(git_oid_fromstr(&id, commit.c_str()), "oid");
    git_reference* ref = nullptr;
    ok(git_reference_create(&ref, repo_, "refs/heads/main", &id, 1, "force-push"), "reset");
    git_reference_free(ref);
    git_commit* c = nullptr;
    git_tree* tree = nullptr;
    ok(git_commit_lookup(&c, repo_, &id), "commit");
    ok(git_commit_tree(&tree, c), "tree");
    ok(git_index_read_tree(index_, tree), "read tree");
    git_tree_free(tree);
    git_commit_free(c);
  }

 private:
  static git_time_t noon(const std::string& date) {
    std::tm tm{};
    tm.tm_year = std::stoi(date.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(date.substr(5, 2)) - 1;
    tm.tm_mday = std::stoi(date.substr(8, 2));
    tm.tm_hour = 12;
    return static_cast<git_time_t>(timegm(&tm));
  }
  LibGit2 lib_;
  fs::path dir_;
  git_repository* repo_ = nullptr;
  git_index* index_ = nullptr;
};

// The dated copies history/<J>/<stem>@<date>.md, oldest first: (date, bytes).
std::vector<std::pair<std::string, std::string>> dated_copies(const std::string& jurisdiction, const std::string& stem) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : fs::directory_iterator(test::legislation("history/" + jurisdiction))) {
    const std::string name = e.path().filename().string();
    if (name.rfind(stem + "@", 0) == 0) out.emplace_back(name.substr(stem.size() + 1, 10), test::read_file(e.path()));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The normalised text hash a document's import compares, read as the crawler reads it.
std::string text_sha(const std::string& bytes) {
  corpus::ParseContext ctx;
  ctx.source = "x.md";
  auto doc = corpus::parse_document(bytes, ctx, corpus::Format::markdown);
  REQUIRE(doc);
  return corpus::normalized_text_sha256(*doc);
}

// How many versions the copies make: one per text that differs from the one before.
std::size_t distinct_texts(const std::vector<std::pair<std::string, std::string>>& copies) {
  std::size_t n = 0;
  std::string last;
  for (const auto& [date, bytes] : copies) {
    const std::string sha = text_sha(bytes);
    n += sha != last;
    last = sha;
  }
  return n;
}

crawler::GitSource git_source(const std::string& id, const std::string& jurisdiction, const std::string& url,
                              const std::string& path, const std::string& language) {
  crawler::GitSource g;
  g.id = id;
  g.jurisdiction = jurisdiction;
  g.url = url;
  g.paths.push_back({path, "markdown", language, "", "", ""});
  g.dated_by = crawler::DatedBy::author;
  g.declared_at = "test";
  return g;
}

crawler::Registry registry_of(const std::vector<crawler::GitSource>& sources) {
  crawler::Registry r;
  for (const auto& g : sources) {
    r.jurisdictions.push_back({g.jurisdiction, g.jurisdiction, {g.paths.front().language}});
    r.git.push_back(g);
  }
  return r;
}

crawler::CrawlReport crawl(corpus::Store& store, const crawler::Registry& registry, bool replay = false) {
  auto config = test::test_config();
  config.replay_history = replay;
  return crawler::Crawler(store, config).crawl(registry);
}

std::string errors_of(const crawler::CrawlReport& r) {
  std::string out;
  for (const auto& x : r.results)
    if (!x.error.empty()) out += x.source_id + ": " + x.error + "\n";
  return out;
}

// The only instrument of `jurisdiction`.
corpus::Instrument only_instrument(const corpus::Store& store, const std::string& jurisdiction) {
  const auto all = store.instruments(jurisdiction);
  REQUIRE(all.size() == 1);
  return all.front();
}

// A repository holding the dated copies of one instrument, one commit each, dated as the copy.
struct History {
  test::TempDir dir;
  Publisher publisher{dir.path() / "publisher.git"};
  std::vector<std::pair<std::string, std::string>> copies;
  std::map<std::string, std::string> commit_of;  // date -> commit
  std::string path;
  History(const std::string& jurisdiction, const std::string& stem, std::string path_in_repo, std::size_t commits)
      : copies(dated_copies(jurisdiction, stem)), path(std::move(path_in_repo)) {
    REQUIRE(copies.size() >= commits);
    for (std::size_t i = 0; i < commits; ++i) add(i);
  }
  void add(std::size_t i) { commit_of[copies[i].first] = publisher.commit({{path, copies[i].second}}, copies[i].first); }
  std::unique_ptr<corpus::Store> store(const std::string& name = "data") {
    return std::move(corpus::Store::open(dir.path() / name).value());
  }
};

// git's smart HTTP protocol on 127.0.0.1: `git http-backend` run as a CGI for each request,
// serving the repositories under `root` ("/<name>.git/..."). `fail_first` requests answer 503.
class GitServer {
 public:
  GitServer(fs::path root, int fail_first = 0) : root_(std::move(root)), failing_(fail_first) {
    const auto handle = [this](const httplib::Request& req, httplib::Response& res) { serve(req, res); };
    server_.Get(R"(/.*)", handle);
    server_.Post(R"(/.*)", handle);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~GitServer() {
    server_.stop();
    thread_.join();
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int requests() const { return requests_; }

 private:
  void serve(const httplib::Request& req, httplib::Response& res) {
    ++requests_;
    if (failing_ > 0) {
      --failing_;
      res.status = 503;
      return;
    }
    const test::TempDir io;
    const fs::path in = io.path() / "in", out = io.path() / "out";
    std::ofstream(in, std::ios::binary) << req.body;
    std::string query;
    for (const auto& [k, v] : req.params) query += (query.empty() ? "" : "&") + k + "=" + v;
    std::vector<std::string> env = {"GIT_PROJECT_ROOT=" + root_.string(), "GIT_HTTP_EXPORT_ALL=1",
                                    "REQUEST_METHOD=" + req.method, "PATH_INFO=" + req.path, "QUERY_STRING=" + query,
                                    "CONTENT_TYPE=" + req.get_header_value("Content-Type"),
                                    "CONTENT_LENGTH=" + std::to_string(req.body.size()), "REMOTE_ADDR=127.0.0.1",
                                    "GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=safe.directory", "GIT_CONFIG_VALUE_0=*",
                                    "PATH=/usr/bin:/bin"};
    const pid_t pid = fork();
    if (pid == 0) {
      const int fd_in = ::open(in.c_str(), O_RDONLY), fd_out = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(fd_in, 0), ::dup2(fd_out, 1);
      std::vector<char*> envp;
      for (auto& e : env) envp.push_back(e.data());
      envp.push_back(nullptr);
      char git[] = "/usr/bin/git", backend[] = "http-backend";
      char* argv[] = {git, backend, nullptr};
      ::execve(git, argv, envp.data());
      _exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    // CGI output: headers, a blank line, the body.
    const std::string all = test::read_file(out);
    const auto end = all.find("\r\n\r\n");
    res.status = 200;
    std::string type = "application/octet-stream";
    std::istringstream headers(all.substr(0, end));
    for (std::string line; std::getline(headers, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      const std::string name = line.substr(0, colon), value = line.substr(colon + 2);
      if (name == "Status") res.status = std::stoi(value);
      else if (name == "Content-Type") type = value;
      else res.set_header(name, value);
    }
    res.set_content(end == std::string::npos ? std::string() : all.substr(end + 4), type);
  }

  fs::path root_;
  std::atomic<int> failing_{0}, requests_{0};
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace

TEST_CASE("a git source's first crawl makes a version of each commit, dated as the text", "[crawler][git]") {
  History h("CZ", "zakon-65-2017", "cz/SB-2017-65.md", 8);
  const auto registry = registry_of({git_source("CZ/legalize-cz", "CZ", h.publisher.url(), h.path, "cs")});
  auto store = h.store();
  const auto r = crawl(*store, registry);
  INFO(errors_of(r));
  CHECK(r.failed == 0);
  const auto& repo = test::result_of(r, "CZ/legalize-cz");
  CHECK(repo.outcome == Outcome::unchanged);
  CHECK_FALSE(fs::is_empty(h.dir.path() / "data" / "git"));  // the clone, in the data folder
  const auto in = only_instrument(*store, "CZ");
  const auto versions = store->versions(in.id);
  CHECK(versions.size() == distinct_texts(h.copies));
  CHECK(r.versions_new == static_cast<int>(versions.size()));
  for (const auto& v : versions) {
    INFO(v.date << " " << v.date_source);
    REQUIRE(h.commit_of.count(v.date) == 1);
    CHECK(v.source_commit == h.commit_of[v.date]);  // the commit it was read from
    CHECK(v.source == h.publisher.url() + "#" + h.path);
    CHECK(v.date_source.rfind("front matter: ", 0) == 0);  // the document's own date wins
  }
  // Nothing new: the branch has not moved, nothing is read.
  const auto again = crawl(*store, registry);
  CHECK(again.failed == 0);
  CHECK(again.results.size() == 1);
  CHECK(test::result_of(again, "CZ/legalize-cz").outcome == Outcome::not_modified);
  CHECK(store->versions(in.id).size() == versions.size());
}

TEST_CASE("a new commit gives exactly one new version and its diff; a reformatting, none", "[crawler][git]") {
  History h("CZ", "zakon-65-2017", "cz/SB-2017-65.md", 7);
  REQUIRE(text_sha(h.copies[7].second) != text_sha(h.copies[6].second));
  const auto registry = registry_of({git_source("CZ/legalize-cz", "CZ", h.publisher.url(), h.path, "cs")});
  auto store = h.store();
  REQUIRE(crawl(*store, registry).failed == 0);
  const auto in = only_instrument(*store, "CZ");
  const auto before = store->versions(in.id);
  const auto kept = test::versions_of(*store);

  h.add(7);
  const auto r = crawl(*store, registry);
  INFO(errors_of(r));
  CHECK(r.failed == 0);
  CHECK(r.versions_new == 1);
  CHECK(r.results.size() == 2);  // the repository, and the one file of its one new commit
  const auto after = store->versions(in.id);
  REQUIRE(after.size() == before.size() + 1);
  CHECK(test::only_additions(kept, test::versions_of(*store)));
  const auto& added = after.back();
  CHECK(added.date == h.copies[7].first);
  CHECK(added.source_commit == h.commit_of[added.date]);
  const auto changes = store->changes(added.id);
  CHECK_FALSE(changes.empty());
  CHECK(changes.size() == store->diff(before.back().id, added.id).size());

  // The same text, rewrapped: blank lines doubled, trailing spaces. A commit, no version.
  std::string reformatted;
  for (char c : h.copies[7].second) reformatted += c == '\n' ? std::string(" \n") : std::string(1, c);
  std::size_t at = 0;
  while ((at = reformatted.find(" \n \n", at)) != std::string::npos) reformatted.replace(at, 4, " \n \n \n"), at += 6;
  REQUIRE(reformatted != h.copies[7].second);
  REQUIRE(text_sha(reformatted) == text_sha(h.copies[7].second));
  h.publisher.commit({{h.path, reformatted}}, h.copies[7].first, "Reformatted");
  const auto again = crawl(*store, registry);
  CHECK(again.failed == 0);
  CHECK(again.versions_new == 0);
  REQUIRE(again.results.size() == 2);
  CHECK(again.results[1].outcome == Outcome::unchanged);
  CHECK(store->versions(in.id).size() == after.size());
  // ... and the crawl moved past it.
  CHECK(test::result_of(crawl(*store, registry), "CZ/legalize-cz").outcome == Outcome::not_modified);
}

TEST_CASE("a rewritten history is reported, never merged, until --replay-history", "[crawler][git]") {
  History h("CZ", "zakon-65-2017", "cz/SB-2017-65.md", 3);
  const auto registry = registry_of({git_source("CZ/legalize-cz", "CZ", h.publisher.url(), h.path, "cs")});
  auto store = h.store();
  REQUIRE(crawl(*store, registry).failed == 0);
  const auto kept = test::versions_of(*store);

  // Force-pushed: the last two commits are replaced by one with another text.
  h.publisher.reset(h.commit_of[h.copies[0].first]);
  h.publisher.commit({{h.path, h.copies[5].second}}, h.copies[5].first, "Rewritten");
  for (int i = 0; i < 2; ++i) {
    const auto r = crawl(*store, registry);
    CHECK(r.failed == 1);
    const auto& repo = test::result_of(r, "CZ/legalize-cz");
    CHECK(repo.outcome == Outcome::failed);
    CHECK(repo.error.find("history rewritten") != std::string::npos);
    CHECK(repo.error.find("--replay-history") != std::string::npos);
    CHECK(r.versions_new == 0);
    CHECK(test::versions_of(*store) == kept);  // nothing merged, nothing lost
  }
  // Asked for: the history as it now is is imported, beside what was stored.
  const auto replayed = crawl(*store, registry, true);
  INFO(errors_of(replayed));
  CHECK(replayed.failed == 0);
  CHECK(replayed.versions_new == 1);
  CHECK(test::only_additions(kept, test::versions_of(*store)));
  CHECK(test::result_of(crawl(*store, registry), "CZ/legalize-cz").outcome == Outcome::not_modified);
}

TEST_CASE("a git crawl killed with SIGKILL and restarted loses nothing", "[crawler][git]") {
  // 20 commits of the Estonian narcotics act.
  History h("EE", "npals", "ee/73726.md", 20);
  const auto registry = registry_of({git_source("EE/legalize-ee", "EE", h.publisher.url(), h.path, "et")});
  auto clean = h.store("clean");
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(crawl(*clean, registry).failed == 0);
  const auto took = std::chrono::steady_clock::now() - start;
  const auto reference = clean->totals();
  REQUIRE(reference.versions > 15);

  const fs::path data = h.dir.path() / "data";
  int landed = 0;  // kills that stopped a crawl before its end
  for (double when : {0.05, 0.4, 0.8}) {
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      auto store = corpus::Store::open(data);
      if (store) crawl(**store, registry);
      _exit(0);
    }
    std::this_thread::sleep_for(std::chrono::duration_cast<std::chrono::microseconds>(took * when));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    landed += WIFSIGNALED(status) ? 1 : 0;
  }
  CHECK(landed > 0);
  auto store = h.store();
  const auto before = test::versions_of(*store);
  const auto r = crawl(*store, registry);
  INFO(errors_of(r));
  CHECK(r.failed == 0);
  CHECK(test::only_additions(before, test::versions_of(*store)));
  const auto after = store->totals();
  CHECK(test::counts_of(after) == test::counts_of(reference));
  CHECK(test::result_of(crawl(*store, registry), "EE/legalize-ee").outcome == Outcome::not_modified);
}

TEST_CASE("a commit dates a version by its author, committer or message when the text does not", "[crawler][git]") {
  // The Argentine law with every date of its front matter taken out.
  std::istringstream in(test::read_file(test::legislation("AR/ley-23737.md")));
  std::string undated, line;
  int rules = 0;
  while (std::getline(in, line)) {
    if (line == "---") ++rules;
    const bool dated_key = rules == 1 && (line.find("date") != std::string::npos || line.find("updated") != std::string::npos);
    if (!dated_key) undated += line + "\n";
  }
  test::TempDir dir;
  Publisher publisher(dir.path() / "ar.git");
  const std::string commit =
      publisher.commit({{"ar/LEY-23737.md", undated}}, "2001-01-01", "Texto vigente al 2003-03-03", "2002-02-02");
  const std::vector<std::tuple<crawler::DatedBy, std::string, std::string>> cases = {
      {crawler::DatedBy::author, "2001-01-01", "commit author date"},
      {crawler::DatedBy::committer, "2002-02-02", "commit committer date"},
      {crawler::DatedBy::message, "2003-03-03", "commit message"},
      {crawler::DatedBy::metadata, "", ""}};
  for (const auto& [dated_by, date, from] : cases) {
    auto g = git_source("AR/legalize-ar", "AR", publisher.url(), "ar/LEY-23737.md", "es");
    g.dated_by = dated_by;
    g.date_pattern = "vigente al (\\d{4}-\\d{2}-\\d{2})";
    auto store = std::move(corpus::Store::open(dir.path() / ("data-" + std::string(crawler::to_string(dated_by)))).value());
    const auto r = crawl(*store, registry_of({g}));
    INFO(crawler::to_string(dated_by) << ": " << errors_of(r));
    CHECK(r.failed == 0);
    const auto versions = store->versions(only_instrument(*store, "AR").id);
    REQUIRE(versions.size() == 1);
    CHECK(versions[0].date == date);
    CHECK(versions[0].date_source == from);
    CHECK(versions[0].source_commit == commit);
  }
  // The document's own date wins over the commit's.
  Publisher dated(dir.path() / "dated.git");
  dated.commit({{"ar/LEY-23737.md", test::read_file(test::legislation("AR/ley-23737.md"))}}, "2001-01-01");
  auto store = std::move(corpus::Store::open(dir.path() / "data-dated").value());
  REQUIRE(crawl(*store, registry_of({git_source("AR/legalize-ar", "AR", dated.url(), "ar/LEY-23737.md", "es")})).failed == 0);
  const auto versions = store->versions(only_instrument(*store, "AR").id);
  REQUIRE(versions.size() == 1);
  CHECK(versions[0].date == "2016-11-08");
}

TEST_CASE("globs, several instruments per commit, removals, and history = false", "[crawler][git]") {
  test::TempDir dir;
  Publisher publisher(dir.path() / "cz.git");
  const auto act = dated_copies("CZ", "zakon-167-1998"), health = dated_copies("CZ", "zakon-65-2017");
  publisher.commit({{"cz/SB-1998-167.md", act[0].second}, {"README.md", "# Czech law\n"}}, act[0].first);
  publisher.commit({{"cz/SB-1998-167.md", act[1].second}, {"cz/SB-2017-65.md", health[0].second}}, "2017-05-31");
  publisher.commit({{"cz/sub/SB-2017-65.md", health[1].second}}, health[1].first);  // '*' stays in its folder
  auto g = git_source("CZ/legalize-cz", "CZ", publisher.url(), "cz/*.md", "cs");
  auto store = std::move(corpus::Store::open(dir.path() / "data").value());
  auto r = crawl(*store, registry_of({g}));
  INFO(errors_of(r));
  CHECK(r.failed == 0);
  CHECK(r.results.size() == 4);  // the repository; the act twice, the other law once
  CHECK(store->instruments("CZ").size() == 2);
  // A commit that removes a file adds no version.
  publisher.commit({{"cz/SB-2017-65.md", ""}}, "2018-01-01");
  r = crawl(*store, registry_of({g}));
  CHECK(r.failed == 0);
  CHECK(r.results.size() == 1);
  CHECK(r.versions_new == 0);

  // history = false: the first crawl takes the files as they are at the head, dated by it.
  g.history = false;
  auto tip = std::move(corpus::Store::open(dir.path() / "tip").value());
  r = crawl(*tip, registry_of({g}));
  CHECK(r.failed == 0);
  CHECK(r.results.size() == 2);  // the repository and the act's latest text
  CHECK(r.versions_new == 1);
}

TEST_CASE("a mirror crawl, or one with host overrides, reads no remote repository", "[crawler][git]") {
  test::TempDir dir;
  Publisher publisher(dir.path() / "repos" / "pub.git");
  const auto copies = dated_copies("CZ", "zakon-65-2017");
  publisher.commit({{"cz/SB-2017-65.md", copies[0].second}}, copies[0].first);
  const auto remote = registry_of({git_source("CZ/remote", "CZ", "https://git.example/pub.git", "cz/SB-2017-65.md", "cs")});
  auto store = std::move(corpus::Store::open(dir.path() / "data").value());
  auto config = test::test_config();
  config.mirror = dir.path() / "mirror";
  fs::create_directories(config.mirror);
  auto r = crawler::Crawler(*store, config).crawl(remote);
  CHECK(r.results.empty());
  CHECK(r.failed == 0);
  CHECK_FALSE(fs::exists(dir.path() / "data" / "git"));
  // A host override map is a closed world: a repository on another host is left out ...
  config = test::test_config();
  config.host_override["www.example.org"] = "http://127.0.0.1:9";
  r = crawler::Crawler(*store, config).crawl(remote);
  CHECK(r.results.empty());
  // ... and one on a mapped host is fetched from there, under its official URL.
  config.host_override["git.example"] = "file://" + (dir.path() / "repos").string();
  r = crawler::Crawler(*store, config).crawl(remote);
  INFO(errors_of(r));
  CHECK(r.failed == 0);
  CHECK(r.versions_new == 1);
  const auto versions = store->versions(only_instrument(*store, "CZ").id);
  REQUIRE(versions.size() == 1);
  CHECK(versions[0].source == "https://git.example/pub.git#cz/SB-2017-65.md");
  // A local repository is read by a mirror crawl too; one that is not there fails, saying so.
  config = test::test_config();
  config.mirror = dir.path() / "mirror";
  r = crawler::Crawler(*store, config)
          .crawl(registry_of({git_source("CZ/gone", "CZ", "file://" + (dir.path() / "gone.git").string(), "x.md", "cs")}));
  CHECK(r.failed == 1);
  CHECK(test::result_of(r, "CZ/gone").error.find("gone.git") != std::string::npos);
  CHECK(test::versions_of(*store).size() == 1);
}

TEST_CASE("the sources loader reads git sources and names each mistake's line", "[crawler][git]") {
  test::TempDir dir;
  std::ofstream(dir.path() / "EE.toml") << R"(code = "EE"
name = "Estonia"
languages = ["et"]

[[source]]
id = "EE/legalize-ee"
git = "https://github.com/legalize-dev/legalize-ee.git"
branch = "main"
format = "markdown"
language = "et"
dated_by = "message"
date_pattern = 'Redaktsioon (\d{4}-\d{2}-\d{2})'
history = false
paths = ["ee/73726.md", "ee/9*.md", { path = "ee/184411.md", identifier = "KarS", format = "markdown" }]
)";
  auto ok = crawler::load_sources(dir.path());
  INFO((ok ? "" : ok.error().message));
  REQUIRE(ok);
  REQUIRE(ok->git.size() == 1);
  CHECK(ok->sources.empty());
  const auto& g = ok->git[0];
  CHECK(g.jurisdiction == "EE");
  CHECK(g.dated_by == crawler::DatedBy::message);
  CHECK_FALSE(g.history);
  REQUIRE(g.paths.size() == 3);
  CHECK(g.paths[1].glob());
  CHECK(g.paths[2].identifier == "KarS");
  CHECK(g.paths[2].language == "et");
  CHECK(crawler::path_entry(g, "ee/902508.md") == &g.paths[1]);
  CHECK(crawler::path_entry(g, "ee/sub/902508.md") == nullptr);
  CHECK(g.declared_at.find("EE.toml:5") != std::string::npos);

  test::TempDir bad;
  std::ofstream(bad.path() / "EE.toml") << R"(code = "EE"
name = "Estonia"
languages = ["et"]

[[source]]
id = "EE/a"
git = "git@github.com:legalize-dev/legalize-ee.git"
url = "https://example.org/x.md"
branch = "main..x"
dated_by = "sometimes"
paths = ["../etc/passwd", { path = "ee/*.md", identifier = "NPALS" }, 7]
mirror = "EE/npals.md"

[[source]]
id = "EE/b"
git = "https://github.com/x/y.git"
language = "et"
format = "markdown"
dated_by = "message"

[[source]]
id = "EE/c"
git = "https://github.com/x/y.git"
date_pattern = "([0-9"
format = "nonsense"
paths = ["a.md"]
)";
  auto r = crawler::load_sources(bad.path());
  REQUIRE_FALSE(r);
  const std::string& m = r.error().message;
  INFO(m);
  const std::string file = (bad.path() / "EE.toml").string();
  CHECK(m.find(file + ":7: bad git URL 'git@github.com:legalize-dev/legalize-ee.git'") != std::string::npos);
  CHECK(m.find(file + ":5: a source has 'url' (one document over HTTP) or 'git' (a repository), not both") !=
        std::string::npos);
  CHECK(m.find(file + ":9: 'main..x' is not a branch name") != std::string::npos);
  CHECK(m.find(file + ":10: dated_by 'sometimes': one of metadata, author, committer, message") != std::string::npos);
  CHECK(m.find(file + ":11: path '../etc/passwd' must be relative") != std::string::npos);
  CHECK(m.find(file + ":11: 'identifier' names one instrument: not with the glob 'ee/*.md'") != std::string::npos);
  CHECK(m.find(file + ":11: each entry of 'paths' must be a path or a table") != std::string::npos);
  CHECK(m.find(file + ":11: path 'ee/*.md': no format") != std::string::npos);
  CHECK(m.find(file + ":12: unknown key 'mirror'") != std::string::npos);
  CHECK(m.find(file + ":14: missing field 'paths'") != std::string::npos);
  CHECK(m.find(file + ":19: dated_by = \"message\" needs date_pattern") != std::string::npos);
  CHECK(m.find(file + ":24: date_pattern: not a regular expression") != std::string::npos);
  CHECK(m.find(file + ":24: date_pattern is read only with dated_by = \"message\"") != std::string::npos);
  CHECK(m.find(file + ":25: unknown format 'nonsense'") != std::string::npos);
  CHECK(m.find(file + ":26: path 'a.md': no language") != std::string::npos);
}

TEST_CASE("sources/ lists the repositories the shared legislation came from, with its paths", "[crawler][git]") {
  auto reg = crawler::load_sources(crawler::default_sources_dir());
  INFO((reg ? "" : reg.error().message));
  REQUIRE(reg);
  // MANIFEST.tsv: jurisdiction, source_repo and path_in_repo of every legalize-dev and DC
  // Council file (the repositories that publish one commit per change of the law).
  std::istringstream in(test::read_file(test::legislation("MANIFEST.tsv")));
  std::map<std::string, std::set<std::string>> wanted;  // "<J> https://github.com/<repo>.git" -> paths
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream row(line);
    for (std::string c; std::getline(row, c, '\t');) cols.push_back(c);
    if (cols.size() < 8) continue;
    if (cols[6].rfind("legalize-dev/", 0) != 0 && cols[6] != "DCCouncil/law-xml-codified") continue;
    wanted[cols[0] + " https://github.com/" + cols[6] + ".git"].insert(cols[7]);
  }
  REQUIRE(wanted.size() >= 7);
  for (const auto& [name, paths] : wanted) {
    const std::string key = name;  // (a structured binding is not captured by clang 14)
    INFO(key);
    const auto g = std::find_if(reg->git.begin(), reg->git.end(),
                                [&](const crawler::GitSource& x) { return x.jurisdiction + " " + x.url == key; });
    REQUIRE(g != reg->git.end());
    CHECK_FALSE(g->local());
    for (const auto& p : paths) {
      INFO(p);
      CHECK(crawler::path_entry(*g, p) != nullptr);
    }
  }
}

TEST_CASE("a remote repository is cloned over HTTP, within the limits of an HTTP source", "[crawler][git]") {
  History h("CZ", "zakon-65-2017", "cz/SB-2017-65.md", 3);
  fs::create_directories(h.dir.path() / "repos");
  fs::create_directory_symlink(h.dir.path() / "publisher.git", h.dir.path() / "repos" / "legalize-cz.git");
  const auto registry =
      registry_of({git_source("CZ/legalize-cz", "CZ", "https://git.example/legalize-cz.git", h.path, "cs")});
  // git http-backend is a CGI started for each request: on a loaded machine (CI under ASan)
  // its first bytes can take longer than the tests' 1 s rate window. The rate is not what
  // this test is about, so there is no minimum here.
  auto config = test::test_config();
  config.min_bytes_per_second = 0;

  // Bytes over the size limit: refused, nothing kept, not even the clone.
  GitServer server(h.dir.path() / "repos");
  config.host_override["git.example"] = server.base();
  config.max_body_bytes = 2000;
  auto store = h.store();
  auto r = crawler::Crawler(*store, config).crawl(registry);
  CHECK(r.failed == 1);
  CHECK(test::result_of(r, "CZ/legalize-cz").error.find("larger than the limit") != std::string::npos);
  CHECK(store->totals().versions == 0);
  CHECK(fs::is_empty(h.dir.path() / "data" / "git"));

  // A server error is retried, as for an HTTP source; then the clone and its versions.
  GitServer flaky(h.dir.path() / "repos", 1);
  config = test::test_config();
  config.min_bytes_per_second = 0;
  config.host_override["git.example"] = flaky.base();
  r = crawler::Crawler(*store, config).crawl(registry);
  INFO(errors_of(r));
  CHECK(r.failed == 0);
  const auto& repo = test::result_of(r, "CZ/legalize-cz");
  CHECK(repo.attempts == 2);
  CHECK(repo.bytes > 0);
  const auto versions = store->versions(only_instrument(*store, "CZ").id);
  CHECK(versions.size() == distinct_texts({h.copies.begin(), h.copies.begin() + 3}));
  for (const auto& v : versions) CHECK(v.source == "https://git.example/legalize-cz.git#" + h.path);

  // A server that fails for good: failed, and what was stored stays.
  const auto kept = test::versions_of(*store);
  h.add(3);  // a new commit it will not get
  GitServer down(h.dir.path() / "repos", 1000);
  config.host_override["git.example"] = down.base();
  r = crawler::Crawler(*store, config).crawl(registry);
  CHECK(r.failed == 1);
  CHECK(down.requests() == config.retries + 1);
  CHECK(test::versions_of(*store) == kept);
}
