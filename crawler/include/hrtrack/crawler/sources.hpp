#pragma once
// The sources registry: sources/*.toml, one file per jurisdiction, one [[source]] per
// published document hrtrack follows.
//
//   code = "CA"                      # ISO 3166-1 or 3166-2 ("US-DC"); the file is <code>.toml
//   name = "Canada"
//   languages = ["en", "fr"]         # most used first
//   [[source]]
//   id = "CA/eng_acts_C-38.8"        # unique across the registry
//   title = "..."                    # optional, for people
//   url = "https://..."              # http(s): the document in `format`, as fetched
//   official_url = "https://..."     # optional: the official page, for people
//   format = "justice-canada"        # a corpus format (corpus::format_from), or "raw"
//                                    # (fetched and stored, never parsed)
//   language = "en"                  # ISO 639-1
//   mirror = "CA/eng_acts_C-38.8.xml"  # the same document, relative to a mirror folder
//   as_of = "2022-02-13"             # optional: version date when the document carries
//                                    # none (else it is stored undated: never the fetch day)
//   identifier = "BtMG"              # optional: the name a lawyer cites, when the document
//                                    # does not give it (its own name becomes an alias)
//   redirect_hosts = ["www.example.org"]  # optional: other hosts the URL may redirect to
//                                    # (host or host:port; its own host needs no listing)
//   history_only = true              # optional: the mirror holds only dated copies
//                                    # (history/<J>/<name>@<date><ext>) of `mirror`, no
//                                    # current file; a mirror crawl reads it only with
//                                    # --replay-history (a network crawl fetches `url`)
//
// A [[source]] with `git = "<URL>"` instead of `url` is a git repository holding several
// instruments and their history: see git_source.hpp for its keys.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "hrtrack/corpus/model.hpp"
#include "hrtrack/corpus/result.hpp"
#include "hrtrack/crawler/git_source.hpp"

namespace hrtrack::crawler {

struct Source {
  std::string id;
  std::string jurisdiction;
  std::string title;
  std::string url;
  std::string official_url;
  std::string format;  // "raw" or a corpus format name
  std::string language;
  std::string mirror;
  std::string as_of;
  std::string identifier;  // overrides the identifier the document gives (kept as an alias)
  std::vector<std::string> redirect_hosts;  // lower case, "host" or "host:port"
  std::string declared_at;  // "sources/CA.toml:12", for messages
  bool history_only = false;
  bool raw() const { return format == "raw"; }
};

struct Registry {
  std::vector<corpus::Jurisdiction> jurisdictions;
  std::vector<Source> sources;  // in file order, files in name order
  std::vector<GitSource> git;   // the git repositories, likewise
};

// Loads every *.toml in `dir`. All problems are collected, not just the first: the error
// holds one line per problem, each "FILE:LINE: what is wrong" (unknown format, duplicate
// id, bad URL, missing field, unknown key, TOML syntax).
Result<Registry> load_sources(const std::filesystem::path& dir);
// One file's text, as load_sources reads it (`file_name` names it in messages, and its stem
// must be the code).
Result<Registry> parse_sources(std::string_view text, const std::string& file_name);

// Keeps the sources of the listed jurisdictions (empty: all). Unknown codes are an error.
Result<Registry> select_jurisdictions(const Registry& all, const std::vector<std::string>& codes);

}  // namespace hrtrack::crawler

namespace hrtrack::crawler {

// Where `hrtrack crawl` looks when no --sources is given: $HRTRACK_SOURCES, else the
// sources/ folder of the source tree it was built from (when it still exists), else
// ./sources.
std::filesystem::path default_sources_dir();

}  // namespace hrtrack::crawler
