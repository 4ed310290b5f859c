#pragma once
// A source published as a git repository: each commit that touches an instrument's file is
// one version of it. Declared in sources/<J>.toml beside the HTTP sources:
//
//   [[source]]
//   id = "EE/legalize-ee"                 # unique across the registry
//   git = "https://github.com/legalize-dev/legalize-ee.git"   # https://, or file:// (local)
//   branch = "main"                       # optional, default "main"
//   official_url = "https://..."          # optional: the repository's page, for people
//   format = "markdown"                   # default format of the paths
//   language = "et"                       # default language of the paths
//   dated_by = "author"                   # optional: what dates a version when the document
//                                         # carries no date of its own (its metadata always
//                                         # wins): "metadata" (nothing else: undated; the
//                                         # default), "author" or "committer" (the commit's
//                                         # date, in its time zone), "message" (date_pattern)
//   date_pattern = 'Fassung vom (\d{4}-\d{2}-\d{2})'   # with dated_by = "message": an ECMAScript
//                                         # regex; its first group (else the whole match) is
//                                         # the date, YYYY-MM-DD
//   history = true                        # optional, default true: the first crawl imports
//                                         # every commit; false: only the state it finds, and
//                                         # what later commits change (a shallow clone where
//                                         # libgit2 >= 1.7 offers one)
//   paths = ["ee/73726.md",               # the instruments' files: a path, a glob (* ? [..],
//            "ee/9*.md",                  # within one path segment), or a table for a file
//            { path = "ee/184411.md", identifier = "KarS" }]   # with its own format,
//                                         # language, identifier, official_url, title
//
// `hrtrack crawl` clones a repository once into <data>/git/ and fetches it afterwards (one
// fetch per repository per run, within the HTTP sources' time budget and size limit).
// Every commit since the last crawl that changed a listed file becomes a version of it, in
// date order, through the same import as a fetched body (a commit that changes only the
// formatting adds nothing); the version keeps the commit id (Version::source_commit). A
// branch whose history no longer holds the last crawled commit (force-pushed, rewritten) is
// reported as a failure and nothing of it is imported, until `--replay-history` imports the
// whole history as it now is. `--replay-history` also imports the whole history of a source
// crawled before. A crawl of a mirror (`--mirror`) leaves out the repositories that are not
// local (file://), as a crawl with host overrides leaves out those on a host it does not map.
#include <string>
#include <string_view>
#include <vector>

namespace hrtrack::crawler {

// One instrument file of a git source, or a glob of several.
struct GitPath {
  std::string pattern;  // repository path, '/'-separated; may hold * ? [...]
  std::string format, language;  // the source's when not given
  std::string identifier;        // one file only (not a glob)
  std::string official_url, title;
  bool glob() const { return pattern.find_first_of("*?[") != std::string::npos; }
};

enum class DatedBy { metadata, author, committer, message };
std::string_view to_string(DatedBy d);

struct GitSource {
  std::string id;
  std::string jurisdiction;
  std::string title;
  std::string url;  // https:// or file://
  std::string branch = "main";
  std::string official_url;
  std::vector<GitPath> paths;
  DatedBy dated_by = DatedBy::metadata;
  std::string date_pattern;  // dated_by == message
  bool history = true;
  std::string declared_at;  // "sources/EE.toml:12", for messages
  bool local() const { return url.rfind("file://", 0) == 0; }
};

// fnmatch-style: '*' and '?' do not match '/', '[...]' is a set (leading '!' or '^' negates).
bool path_matches(std::string_view pattern, std::string_view path);

// Which paths entry holds `path`: the first that matches; nullptr when none.
const GitPath* path_entry(const GitSource& source, std::string_view path);

}  // namespace hrtrack::crawler
