// Git sources: one fetch per repository, then every commit that changed an instrument's file
// becomes a version of it, through the crawler's ingestion (git_crawl.hpp).
#include <fnmatch.h>
#include <git2.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <thread>
#include <tuple>
#include <utility>

#include "fetcher.hpp"
#include "hrtrack/base/date.hpp"
#include "git_crawl.hpp"
#include "hrtrack/crawler/git_source.hpp"

namespace hrtrack::crawler {

std::string_view to_string(DatedBy d) {
  switch (d) {
    case DatedBy::metadata: return "metadata";
    case DatedBy::author: return "author";
    case DatedBy::committer: return "committer";
    case DatedBy::message: return "message";
  }
  return "metadata";
}

bool path_matches(std::string_view pattern, std::string_view path) {
  return ::fnmatch(std::string(pattern).c_str(), std::string(path).c_str(), FNM_PATHNAME) == 0;
}

const GitPath* path_entry(const GitSource& source, std::string_view path) {
  for (const auto& p : source.paths)
    if (p.glob() ? path_matches(p.pattern, path) : p.pattern == path) return &p;
  return nullptr;
}

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The catalogue record of a crawled repository: the last commit whose versions all landed.
constexpr const char* kStateKind = "crawler.git";

// Owns one libgit2 object.
template <typename T, void (*Free)(T*)>
class Git {
 public:
  Git() = default;
  ~Git() { reset(); }
  Git(Git&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  Git& operator=(Git&& o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  T* get() const { return p_; }
  T** out() {
    reset();
    return &p_;
  }
  void reset() {
    if (p_) Free(p_);
    p_ = nullptr;
  }

 private:
  T* p_ = nullptr;
};
using Repository = Git<git_repository, git_repository_free>;
using Remote = Git<git_remote, git_remote_free>;
using Commit = Git<git_commit, git_commit_free>;
using Tree = Git<git_tree, git_tree_free>;
using Diff = Git<git_diff, git_diff_free>;
using Blob = Git<git_blob, git_blob_free>;
using Walk = Git<git_revwalk, git_revwalk_free>;

// "what: libgit2's message".
std::string failure(const std::string& what) {
  const git_error* e = git_error_last();
  return what + ": " + (e && e->message ? e->message : "unknown libgit2 error");
}

bool network_failure() {
  const git_error* e = git_error_last();
  return e && (e->klass == GIT_ERROR_NET || e->klass == GIT_ERROR_HTTP || e->klass == GIT_ERROR_SSL ||
               e->klass == GIT_ERROR_SSH);
}

std::string hex(const git_oid& id) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &id);
  return buf;
}

std::string short_id(const std::string& commit) { return commit.substr(0, 12); }

// YYYY-MM-DD of a commit's time, in the time zone it was made in.
std::string civil_date(const git_time& t) {
  const auto local = static_cast<std::time_t>(t.time + static_cast<git_time_t>(t.offset) * 60);
  std::tm tm{};
  gmtime_r(&local, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// <data>/git/<name>-<hash of the URL>.git: readable, and one folder per repository.
fs::path clone_dir(const fs::path& data, const std::string& url) {
  std::string name = url;
  while (!name.empty() && name.back() == '/') name.pop_back();
  name = name.substr(name.find_last_of('/') + 1);
  if (name.size() > 4 && name.compare(name.size() - 4, 4, ".git") == 0) name.resize(name.size() - 4);
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  if (name.empty() || name[0] == '.') name = "repo" + name;
  return data / "git" / (name + "-" + corpus::sha256_hex(url).substr(0, 12) + ".git");
}

// The HTTP sources' limits, applied to one repository's fetch: its time budget, its size,
// and its lowest speed. libgit2 calls these as data arrives (1.5 has no connect timeout: a
// server that accepts and then sends nothing is waited for as long as the system's TCP does).
struct Budget {
  const Config* config = nullptr;
  bool local = false;  // a file:// repository: libgit2 packs it itself, in silence, so no lowest speed
  Clock::time_point start = Clock::now(), window = start;
  std::size_t received = 0, window_bytes = 0;
  std::size_t messages = 0;  // the server's progress text: it counts as activity, not as size
  std::string exceeded;

  int check() {
    const auto now = Clock::now();
    if (received > config->max_body_bytes) {
      exceeded = "larger than the limit of " + std::to_string(config->max_body_bytes >> 20) + " MB";
    } else if (now - start > config->source_budget) {
      exceeded = "not fetched within the time budget of " +
                 std::to_string(std::chrono::duration_cast<std::chrono::seconds>(config->source_budget).count()) + " s";
    } else if (!local && now - window >= config->rate_window) {
      const double secs = std::chrono::duration<double>(now - window).count();
      if (static_cast<double>(received + messages - window_bytes) / secs < static_cast<double>(config->min_bytes_per_second))
        exceeded = "slower than " + std::to_string(config->min_bytes_per_second) + " bytes/s for " +
                   std::to_string(std::chrono::duration_cast<std::chrono::seconds>(config->rate_window).count()) + " s";
      window = now;
      window_bytes = received + messages;
    }
    return exceeded.empty() ? 0 : -1;
  }
  static int on_transfer(const git_indexer_progress* stats, void* payload) {
    auto& b = *static_cast<Budget*>(payload);
    b.received = stats->received_bytes;
    return b.check();
  }
  static int on_sideband(const char*, int len, void* payload) {
    auto& b = *static_cast<Budget*>(payload);
    b.messages += static_cast<std::size_t>(std::max(len, 0));
    return b.check();
  }
};

// One repository (its fetch URL), fetched once in the crawl for every source and branch it
// serves.
struct Clone {
  std::string url;  // as fetched (after host overrides)
  fs::path dir;
  std::set<std::string> branches;
  bool shallow_ok = true;  // every source it serves wants no history (and no replay)
  Repository repo;
  std::mutex mutex;  // the parser threads read blobs one at a time
  std::string error;
  long long bytes = 0;
  int attempts = 0;
  double seconds = 0;
};

}  // namespace

struct GitCrawl::Impl {
  // One git source in this crawl.
  struct Repo {
    const GitSource* git = nullptr;
    Clone* clone = nullptr;
    std::string key;                // its state record
    std::string previous;           // last crawled commit, "" for none
    std::string tip;                // the branch's head after the fetch
    std::vector<std::string> walked;  // commits read, parents first
    std::size_t first = 0, count = 0;  // its range of versions_
    std::vector<std::size_t> commit_of;  // per version: its index in walked
    std::map<std::string, Source> files;  // by path: each file as a one-document source
    SourceResult result;
  };

  corpus::Store& store;
  const Config& config;
  std::map<std::string, std::unique_ptr<Clone>> clones;  // by fetch URL
  std::vector<std::unique_ptr<Repo>> repos;
  std::vector<GitVersion> versions;
  std::mt19937 random{std::random_device{}()};

  Impl(corpus::Store& s, const Config& c) : store(s), config(c) {}

  static std::string state_key(const GitSource& g) {
    // The paths are part of the key: a path added later has its own history to import.
    std::vector<std::string> patterns;
    for (const auto& p : g.paths) patterns.push_back(p.pattern);
    std::sort(patterns.begin(), patterns.end());
    std::string all;
    for (const auto& p : patterns) all += p + '\n';
    return g.url + " " + g.branch + " " + corpus::sha256_hex(all).substr(0, 12);
  }

  std::string stored_commit(const std::string& key) const {
    const auto r = store.record(kStateKind, key);
    if (!r) return {};
    const std::string tag = "\"commit\": \"";
    const auto at = r->json.find(tag);
    if (at == std::string::npos) return {};
    const auto end = r->json.find('"', at + tag.size());
    return end == std::string::npos ? std::string() : r->json.substr(at + tag.size(), end - at - tag.size());
  }

  // The URL to fetch, or "" when this crawl leaves the repository out: a mirror crawl reads
  // no network, and a host-override map (tests, benchmarks) is a closed world.
  std::string fetch_url(const GitSource& g) const {
    if (g.local()) return g.url;
    if (!config.mirror.empty()) return {};
    if (config.host_override.empty()) return g.url;
    const std::string url = effective_url(g.url, config.host_override);
    return url == g.url ? std::string() : url;
  }

  Clock::duration backoff(int attempt) {
    const double base = static_cast<double>(config.backoff_base.count()) * std::pow(2.0, attempt - 1);
    const double capped = std::min(base, static_cast<double>(config.backoff_max.count()));
    return std::chrono::milliseconds(
        static_cast<long long>(capped * std::uniform_real_distribution<double>(0.5, 1.0)(random)));
  }

  // The remote a local clone is made with: the user's url.*.insteadOf is not applied.
  static int origin(git_remote** out, git_repository* repo, const char* name, const char* url, void*) {
    git_remote_create_options create{};
    git_remote_create_options_init(&create, GIT_REMOTE_CREATE_OPTIONS_VERSION);
    create.repository = repo;
    create.name = name;
    create.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF;
    return git_remote_create_with_opts(out, url, &create);
  }

  // Opens the clone, or starts one in <dir>.partial (renamed once its first fetch is done):
  // a local repository's objects are copied (libgit2 would otherwise pack the whole of it
  // for its own fetch, five times slower than `git clone`), a remote one's are fetched.
  bool open(Clone& c, bool& fresh) {
    std::error_code ec;
    if (fs::exists(c.dir, ec)) {
      if (git_repository_open_bare(c.repo.out(), c.dir.c_str()) == 0) return true;
      c.error = failure(c.dir.string());
      return false;
    }
    fresh = true;
    const fs::path partial = c.dir.string() + ".partial";
    fs::remove_all(partial, ec);  // a clone killed before its end
    fs::create_directories(partial.parent_path(), ec);
    if (c.url.rfind("file://", 0) == 0) {
      git_clone_options o{};
      git_clone_options_init(&o, GIT_CLONE_OPTIONS_VERSION);
      o.bare = 1;
      o.local = GIT_CLONE_LOCAL_NO_LINKS;
      o.remote_cb = &origin;
      o.fetch_opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
      if (git_clone(c.repo.out(), c.url.c_str(), partial.c_str(), &o) == 0) return true;
    } else if (git_repository_init(c.repo.out(), partial.c_str(), 1) == 0) {
      return true;
    }
    c.error = failure(partial.string());
    return false;
  }

  void fetch(Clone& c, bool fresh, bool unshallow) {
    std::vector<std::string> specs;
    for (const auto& b : c.branches) specs.push_back("+refs/heads/" + b + ":refs/remotes/origin/" + b);
    std::vector<char*> raw;
    for (auto& s : specs) raw.push_back(s.data());
    const git_strarray refspecs{raw.data(), raw.size()};
    const auto start = Clock::now();
    for (int attempt = 1;; ++attempt) {
      c.attempts = attempt;
      Remote remote;
      // Anonymous, with the refspecs given here; the user's url.*.insteadOf is not applied
      // (libgit2 1.5 leaks the regex match data of that lookup).
      git_remote_create_options create{};
      git_remote_create_options_init(&create, GIT_REMOTE_CREATE_OPTIONS_VERSION);
      create.repository = c.repo.get();
      create.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
      if (git_remote_create_with_opts(remote.out(), c.url.c_str(), &create) < 0) {
        c.error = failure(c.url);
        break;
      }
      Budget budget;
      budget.config = &config;
      budget.local = c.url.rfind("file://", 0) == 0;
      git_fetch_options opts{};
      git_fetch_options_init(&opts, GIT_FETCH_OPTIONS_VERSION);
      opts.callbacks.transfer_progress = &Budget::on_transfer;
      opts.callbacks.sideband_progress = &Budget::on_sideband;
      opts.callbacks.payload = &budget;
      opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
      opts.update_fetchhead = 0;
#if LIBGIT2_VER_MAJOR > 1 || (LIBGIT2_VER_MAJOR == 1 && LIBGIT2_VER_MINOR >= 7)
      if (fresh && c.shallow_ok) opts.depth = 1;
      else if (unshallow) opts.depth = GIT_FETCH_DEPTH_UNSHALLOW;
#else
      (void)fresh, (void)unshallow;
#endif
      const int rc = git_remote_fetch(remote.get(), &refspecs, &opts, "hrtrack crawl");
      c.bytes += static_cast<long long>(git_remote_stats(remote.get())->received_bytes);
      if (rc == 0) {
        c.error.clear();
        break;
      }
      c.error = budget.exceeded.empty() ? failure("fetching " + c.url) : c.url + ": " + budget.exceeded;
      if (!budget.exceeded.empty() || !network_failure() || attempt > config.retries) break;
      std::this_thread::sleep_for(backoff(attempt));
    }
    c.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  }

  // Clones or fetches every repository once, politely: min_delay between two on one host.
  void fetch_all() {
    const std::string agent = user_agent(config);
    git_libgit2_opts(GIT_OPT_SET_USER_AGENT, agent.c_str());
    std::map<std::string, Clock::time_point> last_on_host;
    for (auto& [url, c] : clones) {
      bool fresh = false;
      if (!open(*c, fresh)) continue;
      if (url.rfind("file://", 0) != 0) {
        const std::string host = origin_of(url);
        if (const auto it = last_on_host.find(host); it != last_on_host.end())
          std::this_thread::sleep_until(it->second + config.min_delay);
      }
      const bool unshallow = git_repository_is_shallow(c->repo.get()) == 1 && !c->shallow_ok;
      fetch(*c, fresh, unshallow);
      if (url.rfind("file://", 0) != 0) last_on_host[origin_of(url)] = Clock::now();
      if (!fresh) continue;
      c->repo.reset();
      std::error_code ec;
      if (c->error.empty()) fs::rename(c->dir.string() + ".partial", c->dir, ec);
      else fs::remove_all(c->dir.string() + ".partial", ec);
      if (ec) c->error = c->dir.string() + ": " + ec.message();
      if (c->error.empty() && git_repository_open_bare(c->repo.out(), c->dir.c_str()) != 0)
        c->error = failure(c->dir.string());
    }
  }

  void fail(Repo& r, std::string why) {
    r.result.outcome = SourceResult::Outcome::failed;
    r.result.error = std::move(why);
  }

  // The commits of `r` to read, parents first; false (r failed or has nothing new) when none.
  bool plan(Repo& r, bool& tip_only) {
    const GitSource& g = *r.git;
    git_repository* repo = r.clone->repo.get();
    git_oid tip;
    if (git_reference_name_to_id(&tip, repo, ("refs/remotes/origin/" + g.branch).c_str()) != 0) {
      fail(r, g.url + ": no branch '" + g.branch + "'");
      return false;
    }
    r.tip = hex(tip);
    const bool replay = config.replay_history;
    git_oid previous{};
    if (!r.previous.empty() && !replay) {
      if (r.previous == r.tip) {
        r.result.outcome = SourceResult::Outcome::not_modified;
        return false;
      }
      Commit known;
      const bool held = git_oid_fromstr(&previous, r.previous.c_str()) == 0 &&
                        git_commit_lookup(known.out(), repo, &previous) == 0;
      if (!held || git_graph_descendant_of(repo, &tip, &previous) != 1) {
        fail(r, g.url + " " + g.branch + ": history rewritten (force-pushed?): the last crawled commit " +
                    short_id(r.previous) + (held ? " is not an ancestor of " : " is not in the repository's history up to ") +
                    short_id(r.tip) + "; nothing imported, the versions stored stay as they are; "
                    "'hrtrack crawl --replay-history' imports the history as it now is");
        return false;
      }
    }
    tip_only = r.previous.empty() && !g.history && !replay;
    if (tip_only) {
      r.walked.push_back(r.tip);
      return true;
    }
    Walk walk;
    if (git_revwalk_new(walk.out(), repo) != 0 ||
        git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) != 0 ||
        git_revwalk_push(walk.get(), &tip) != 0 ||
        (!r.previous.empty() && !replay && git_revwalk_hide(walk.get(), &previous) != 0)) {
      fail(r, failure(g.url + ": walking " + g.branch));
      return false;
    }
    for (git_oid id; git_revwalk_next(&id, walk.get()) == 0;) r.walked.push_back(hex(id));
    return true;
  }

  // The date a commit gives a version that carries none, and where it came from.
  struct Dated {
    std::string as_of, source, order;  // order: the date it is imported by
  };
  static Dated date_of(const GitSource& g, const std::optional<std::regex>& pattern, git_commit* c) {
    Dated d;
    d.order = civil_date(git_commit_committer(c)->when);
    switch (g.dated_by) {
      case DatedBy::metadata: break;
      case DatedBy::author: d.as_of = civil_date(git_commit_author(c)->when), d.source = "commit author date"; break;
      case DatedBy::committer: d.as_of = d.order, d.source = "commit committer date"; break;
      case DatedBy::message: {
        const std::string message = git_commit_message(c) ? git_commit_message(c) : "";
        std::smatch m;
        if (pattern && std::regex_search(message, m, *pattern)) {
          const std::string found = m.size() > 1 && m[1].matched ? m[1].str() : m[0].str();
          if (base::is_calendar_date(found)) d.as_of = found, d.source = "commit message";
        }
        break;
      }
    }
    if (!d.as_of.empty()) d.order = d.as_of;
    return d;
  }

  // What each walked commit changed in the listed files, as versions to read.
  struct Planned {
    std::string order;
    std::size_t commit = 0;
    std::string path;
    GitVersion version;
  };
  void list_changes(Repo& r, bool tip_only, std::vector<Planned>& out) {
    const GitSource& g = *r.git;
    git_repository* repo = r.clone->repo.get();
    std::optional<std::regex> pattern;
    if (g.dated_by == DatedBy::message) {
      try {
        pattern.emplace(g.date_pattern, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        fail(r, g.declared_at + ": date_pattern: " + e.what());
        return;
      }
    }
    std::vector<std::string> specs;
    for (const auto& p : g.paths) specs.push_back(p.pattern);
    std::vector<char*> raw;
    for (auto& s : specs) raw.push_back(s.data());
    git_diff_options opts{};
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    opts.pathspec = {raw.data(), raw.size()};
    opts.flags = GIT_DIFF_SKIP_BINARY_CHECK;
    const std::string label_base = g.url + "#";
    for (std::size_t i = 0; i < r.walked.size(); ++i) {
      git_oid id;
      Commit commit, parent;
      Tree tree, before;
      Diff diff;
      const std::string what = g.url + " at " + short_id(r.walked[i]);
      if (git_oid_fromstr(&id, r.walked[i].c_str()) != 0 || git_commit_lookup(commit.out(), repo, &id) != 0 ||
          git_commit_tree(tree.out(), commit.get()) != 0 ||
          (!tip_only && git_commit_parentcount(commit.get()) > 0 &&
           (git_commit_parent(parent.out(), commit.get(), 0) != 0 || git_commit_tree(before.out(), parent.get()) != 0)) ||
          git_diff_tree_to_tree(diff.out(), repo, before.get(), tree.get(), &opts) != 0) {
        fail(r, failure(what));
        return;
      }
      const Dated dated = date_of(g, pattern, commit.get());
      for (std::size_t k = 0; k < git_diff_num_deltas(diff.get()); ++k) {
        const git_diff_delta* delta = git_diff_get_delta(diff.get(), k);
        if (delta->status == GIT_DELTA_DELETED) continue;  // a file removed is no new text
        if (delta->new_file.mode != GIT_FILEMODE_BLOB && delta->new_file.mode != GIT_FILEMODE_BLOB_EXECUTABLE) continue;
        const std::string path = delta->new_file.path;
        const GitPath* entry = path_entry(g, path);
        if (!entry) continue;  // libgit2's pathspec lets '*' cross '/'; ours does not
        Source& s = r.files[path];
        if (s.id.empty()) {
          s.id = g.id + ":" + path;
          s.jurisdiction = g.jurisdiction;
          s.title = entry->title.empty() ? g.title : entry->title;
          s.url = label_base + path;
          s.official_url = entry->official_url.empty() ? g.official_url : entry->official_url;
          s.format = entry->format;
          s.language = entry->language;
          s.identifier = entry->identifier;
          s.declared_at = g.declared_at;
        }
        Fetched f;
        f.url = f.label = s.url;
        f.attempts = 1;
        f.as_of = dated.as_of;
        f.as_of_source = dated.source;
        f.source_commit = r.walked[i];
        f.etag = r.walked[i];  // the fetch log's validator: the commit read
        out.push_back({dated.order, i, path, {&s, reader(*r.clone, delta->new_file.id, std::move(f))}});
      }
    }
  }

  // Reads one blob on a parser thread.
  std::function<Fetched()> reader(Clone& c, git_oid blob_id, Fetched f) const {
    const std::size_t limit = config.max_body_bytes;
    return [&c, blob_id, limit, f = std::move(f)]() mutable -> Fetched {
      const auto start = Clock::now();
      try {
        std::lock_guard<std::mutex> lock(c.mutex);
        Blob blob;
        if (git_blob_lookup(blob.out(), c.repo.get(), &blob_id) != 0) {
          f.error = failure(f.label + " at " + short_id(f.source_commit));
        } else if (static_cast<std::size_t>(git_blob_rawsize(blob.get())) > limit) {
          f.error = f.label + " at " + short_id(f.source_commit) + ": larger than the limit of " +
                    std::to_string(limit >> 20) + " MB";
        } else {
          f.body.assign(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                        static_cast<std::size_t>(git_blob_rawsize(blob.get())));
        }
      } catch (const std::exception& e) {
        f.error = f.label + ": " + e.what();
      }
      f.seconds = std::chrono::duration<double>(Clock::now() - start).count();
      return std::move(f);
    };
  }
};

GitCrawl::GitCrawl(corpus::Store& store, const Config& config, const std::vector<GitSource>& sources)
    : impl_(std::make_unique<Impl>(store, config)) {
  // Initialised once for the process, never shut down: libgit2 1.5's shutdown frees the
  // User-Agent setting and leaves it dangling, so the next crawl's setting freed it again.
  static const int initialised = git_libgit2_init();
  (void)initialised;
  Impl& m = *impl_;
  for (const auto& g : sources) {
    const std::string url = m.fetch_url(g);
    if (url.empty()) continue;
    auto& c = m.clones[url];
    if (!c) {
      c = std::make_unique<Clone>();
      c->url = url;
      c->dir = clone_dir(store.dir(), g.url);
    }
    c->branches.insert(g.branch);
    auto r = std::make_unique<Impl::Repo>();
    r->git = &g;
    r->clone = c.get();
    r->key = Impl::state_key(g);
    r->previous = m.stored_commit(r->key);
    c->shallow_ok = c->shallow_ok && !g.history && r->previous.empty() && !config.replay_history;
    r->result.source_id = g.id;
    r->result.url = g.url;
    r->result.outcome = SourceResult::Outcome::unchanged;
    m.repos.push_back(std::move(r));
  }
  m.fetch_all();
  for (auto& r : m.repos) {
    r->result.attempts = r->clone->attempts;
    r->first = m.versions.size();
    if (!r->clone->error.empty()) {
      m.fail(*r, r->clone->error);
      continue;
    }
    bool tip_only = false;
    if (!m.plan(*r, tip_only)) continue;
    std::vector<Impl::Planned> planned;
    m.list_changes(*r, tip_only, planned);
    if (r->result.outcome == SourceResult::Outcome::failed) continue;
    // In date order; a day's commits parents first, a commit's files by path.
    std::stable_sort(planned.begin(), planned.end(), [](const Impl::Planned& a, const Impl::Planned& b) {
      return std::tie(a.order, a.commit, a.path) < std::tie(b.order, b.commit, b.path);
    });
    for (auto& p : planned) {
      r->commit_of.push_back(p.commit);
      m.versions.push_back(std::move(p.version));
    }
    r->count = m.versions.size() - r->first;
  }
}

GitCrawl::~GitCrawl() = default;

const std::vector<GitVersion>& GitCrawl::versions() const { return impl_->versions; }

std::vector<SourceResult> GitCrawl::finish(std::vector<SourceResult> recorded) {
  Impl& m = *impl_;
  std::vector<SourceResult> out;
  std::set<const Clone*> counted;  // a clone's bytes are reported once
  for (auto& rp : m.repos) {
    Impl::Repo& r = *rp;
    if (counted.insert(r.clone).second) r.result.bytes = r.clone->bytes;
    // The commits whose files all landed, parents first, up to the first that did not.
    std::size_t first_bad = r.walked.size();
    int failed = 0;
    for (std::size_t i = 0; i < r.count && r.first + i < recorded.size(); ++i)
      if (recorded[r.first + i].outcome == SourceResult::Outcome::failed)
        ++failed, first_bad = std::min(first_bad, r.commit_of[i]);
    std::string reached = r.previous;
    if (r.result.outcome != SourceResult::Outcome::failed && r.result.outcome != SourceResult::Outcome::not_modified)
      reached = first_bad == r.walked.size() ? r.tip : first_bad > 0 ? r.walked[first_bad - 1] : r.previous;
    if (failed)
      m.fail(r, std::to_string(failed) + " of " + std::to_string(r.count) +
                    " files failed to import; the next crawl reads again from the commit after " +
                    (reached.empty() ? std::string("none") : short_id(reached)));
    if (!reached.empty() && reached != r.previous) {
      const std::string json = "{\"commit\": \"" + reached + "\", \"branch\": \"" + r.git->branch + "\"}";
      if (const Status st = m.store.put_record(kStateKind, r.key, json); !st)
        m.fail(r, "recording the crawled commit: " + st.error().message);
    }
    corpus::FetchRecord f;
    f.source_id = r.git->id;
    f.url = r.git->url;
    f.bytes = r.result.bytes;
    f.seconds = r.clone->seconds;
    f.etag = reached;
    f.outcome = std::string(to_string(r.result.outcome));
    f.error = r.result.error;
    if (const Status st = m.store.record_fetch(f); !st && r.result.error.empty())
      m.fail(r, "recording the fetch: " + st.error().message);
    out.push_back(r.result);
    for (std::size_t i = 0; i < r.count && r.first + i < recorded.size(); ++i)
      out.push_back(std::move(recorded[r.first + i]));
  }
  return out;
}

}  // namespace hrtrack::crawler
