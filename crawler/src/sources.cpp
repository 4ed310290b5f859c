#include "hrtrack/crawler/sources.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string_view>
#include <toml++/toml.h>

#include "ascii.hpp"
#include "hrtrack/corpus/clock.hpp"
#include "hrtrack/corpus/import.hpp"
#include "hrtrack/corpus/parse.hpp"

namespace hrtrack::crawler {
namespace {

namespace fs = std::filesystem;

// Collects "file:line: message" problems while a file is read.
// Each problem is one line: what it quotes from the file is escaped (corpus::escape_name),
// so neither a control character nor a line break of the file reaches the terminal.
struct Problems {
  std::vector<std::string> lines;
  void add(const std::string& file, const toml::source_region& where, const std::string& what) {
    lines.push_back(file + ":" + std::to_string(where.begin.line) + ": " + corpus::escape_name(what));
  }
  Error error() const {
    std::string all;
    for (const auto& l : lines) all += (all.empty() ? "" : "\n") + l;
    return Error{all};
  }
};

constexpr std::size_t kMaxSourcesFile = 4u << 20;

bool http_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return false;
  const std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return false;
  const auto host_end = url.find_first_of("/?#", scheme_end + 3);
  const std::string host = url.substr(scheme_end + 3, host_end == std::string::npos
                                                          ? std::string::npos
                                                          : host_end - scheme_end - 3);
  return !host.empty() && host.find_first_of(" \t@") == std::string::npos &&
         std::none_of(url.begin(), url.end(), [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7F; });
}

// "www.example.org", "127.0.0.1:8080", "[::1]:8080": letters, digits, '-', '.', ':', '[]'.
bool host_name(const std::string& h) {
  return !h.empty() && h.size() <= 255 && std::all_of(h.begin(), h.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == ':' || c == '[' || c == ']';
  });
}

bool known_format(const std::string& f) { return f == "raw" || corpus::format_from(f).has_value(); }

bool relative_inside(const std::string& p) {
  const fs::path path(p);
  if (p.empty() || path.is_absolute()) return false;
  return std::none_of(path.begin(), path.end(), [](const fs::path& e) { return e == ".."; });
}

// A string field; records a problem when it is missing (required) or not a string.
std::string text_field(const toml::table& t, const char* key, bool required, const std::string& file,
                       const toml::source_region& owner, Problems& p) {
  const toml::node* n = t.get(key);
  if (!n) {
    if (required) p.add(file, owner, std::string("missing field '") + key + "'");
    return {};
  }
  if (!n->is_string()) {
    p.add(file, n->source(), std::string("'") + key + "' must be a string");
    return {};
  }
  // A field a source must have must say something: `language = ""` is no language.
  if (required && n->as_string()->get().empty()) p.add(file, n->source(), std::string("'") + key + "' is empty");
  return **n->as_string();
}

void check_keys(const toml::table& t, const std::set<std::string>& allowed, const std::string& file,
                Problems& p) {
  for (const auto& [k, v] : t)
    if (!allowed.count(std::string(k.str())))
      p.add(file, v.source(), "unknown key '" + std::string(k.str()) + "'");
}

Source read_source(const toml::table& t, const std::string& code, const std::string& file,
                   Problems& p) {
  check_keys(t, {"id", "title", "url", "official_url", "format", "language", "mirror", "as_of", "history_only",
                 "identifier", "redirect_hosts"},
             file, p);
  const auto& where = t.source();
  Source s;
  s.jurisdiction = code;
  s.id = text_field(t, "id", true, file, where, p);
  s.title = text_field(t, "title", false, file, where, p);
  s.url = text_field(t, "url", true, file, where, p);
  s.official_url = text_field(t, "official_url", false, file, where, p);
  s.format = text_field(t, "format", true, file, where, p);
  s.language = text_field(t, "language", true, file, where, p);
  // A live-only source has no mirror copy; a mirror crawl leaves it out.
  s.mirror = text_field(t, "mirror", false, file, where, p);
  s.as_of = text_field(t, "as_of", false, file, where, p);
  s.identifier = text_field(t, "identifier", false, file, where, p);
  s.declared_at = file + ":" + std::to_string(where.begin.line);
  if (const toml::node* h = t.get("history_only")) {
    if (h->is_boolean()) s.history_only = **h->as_boolean();
    else p.add(file, h->source(), "'history_only' must be true or false");
  }
  if (const toml::node* hosts = t.get("redirect_hosts")) {
    if (const auto* list = hosts->as_array()) {
      for (const auto& h : *list) {
        if (h.is_string() && host_name(**h.as_string())) s.redirect_hosts.push_back(lower(**h.as_string()));
        else p.add(file, h.source(), "redirect_hosts: each must be a host name (\"www.example.org\" or \"host:8080\")");
      }
    } else {
      p.add(file, hosts->source(), "'redirect_hosts' must be an array of host names");
    }
  }
  auto at = [&](const char* key) { return t.get(key) ? t.get(key)->source() : where; };
  if (!s.url.empty() && !http_url(s.url)) p.add(file, at("url"), "bad URL '" + s.url + "' (http or https only)");
  if (!s.official_url.empty() && !http_url(s.official_url))
    p.add(file, at("official_url"), "bad URL '" + s.official_url + "' (http or https only)");
  if (!s.format.empty() && !known_format(s.format))
    p.add(file, at("format"), "unknown format '" + s.format +
                                  "' (justice-canada, gii, akn, uslm, bwb, markdown, html, text, dccouncil, raw)");
  if (!s.language.empty() && (s.language.size() != 2 || !std::all_of(s.language.begin(), s.language.end(), ::islower)))
    p.add(file, at("language"), "language '" + s.language + "' is not an ISO 639-1 code");
  if (!s.mirror.empty() && !relative_inside(s.mirror))
    p.add(file, at("mirror"), "mirror '" + s.mirror + "' must be a relative path inside the mirror folder");
  if (!s.as_of.empty() && !corpus::is_calendar_date(s.as_of))
    p.add(file, at("as_of"), "as_of must be a date YYYY-MM-DD, not '" + s.as_of + "'");
  return s;
}

// ---- git sources (git_source.hpp): a repository and the paths of its instruments.

bool git_url(const std::string& url) {
  if (url.rfind("file:///", 0) == 0) return url.size() > 8 && url.find_first_of("\t\r\n") == std::string::npos;
  return url.rfind("https://", 0) == 0 && http_url(url);
}

// A branch name git accepts (git check-ref-format, the rules that matter in a TOML file).
bool branch_name(const std::string& b) {
  if (b.empty() || b[0] == '-' || b[0] == '/' || b.back() == '/' || b.back() == '.') return false;
  if (b.find("..") != std::string::npos || b.find("//") != std::string::npos || b.find("@{") != std::string::npos)
    return false;
  if (b.size() >= 5 && b.compare(b.size() - 5, 5, ".lock") == 0) return false;
  return std::none_of(b.begin(), b.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f || std::string_view(" ~^:?*[\\").find(c) != std::string_view::npos;
  });
}

void check_language(const std::string& l, const std::string& file, const toml::source_region& at, Problems& p) {
  if (!l.empty() && (l.size() != 2 || !std::all_of(l.begin(), l.end(), ::islower)))
    p.add(file, at, "language '" + l + "' is not an ISO 639-1 code");
}

void check_format(const std::string& f, const std::string& file, const toml::source_region& at, Problems& p) {
  if (!f.empty() && !known_format(f))
    p.add(file, at, "unknown format '" + f +
                        "' (justice-canada, gii, akn, uslm, bwb, markdown, html, text, dccouncil, raw)");
}

// One entry of `paths`: a string, or a table with `path` and what differs from the source.
std::optional<GitPath> read_git_path(const toml::node& n, const std::string& file, Problems& p) {
  GitPath out;
  toml::source_region at = n.source();
  if (n.is_string()) {
    out.pattern = **n.as_string();
  } else if (const toml::table* t = n.as_table()) {
    check_keys(*t, {"path", "format", "language", "identifier", "official_url", "title"}, file, p);
    out.pattern = text_field(*t, "path", true, file, at, p);
    out.format = text_field(*t, "format", false, file, at, p);
    out.language = text_field(*t, "language", false, file, at, p);
    out.identifier = text_field(*t, "identifier", false, file, at, p);
    out.official_url = text_field(*t, "official_url", false, file, at, p);
    out.title = text_field(*t, "title", false, file, at, p);
    if (const toml::node* x = t->get("path")) at = x->source();
  } else {
    p.add(file, at, "each entry of 'paths' must be a path or a table { path = \"...\", ... }");
    return std::nullopt;
  }
  if (out.pattern.empty()) {
    if (n.is_string()) p.add(file, at, "an empty path");
    return std::nullopt;
  }
  if (!relative_inside(out.pattern) || out.pattern.find('\\') != std::string::npos)
    p.add(file, at, "path '" + out.pattern + "' must be relative to the repository's root, without '..'");
  if (out.glob() && !out.identifier.empty())
    p.add(file, at, "'identifier' names one instrument: not with the glob '" + out.pattern + "'");
  check_format(out.format, file, at, p);
  check_language(out.language, file, at, p);
  if (!out.official_url.empty() && !http_url(out.official_url))
    p.add(file, at, "bad URL '" + out.official_url + "' (http or https only)");
  return out;
}

GitSource read_git_source(const toml::table& t, const std::string& code, const std::string& file, Problems& p) {
  // ('url' with 'git' is reported once, by the caller.)
  check_keys(t, {"id", "title", "git", "url", "branch", "official_url", "format", "language", "paths", "dated_by",
                 "date_pattern", "history"},
             file, p);
  const auto& where = t.source();
  auto at = [&](const char* key) { return t.get(key) ? t.get(key)->source() : where; };
  GitSource g;
  g.jurisdiction = code;
  g.id = text_field(t, "id", true, file, where, p);
  g.title = text_field(t, "title", false, file, where, p);
  g.url = text_field(t, "git", true, file, where, p);
  g.official_url = text_field(t, "official_url", false, file, where, p);
  const std::string format = text_field(t, "format", false, file, where, p);
  const std::string language = text_field(t, "language", false, file, where, p);
  g.declared_at = file + ":" + std::to_string(where.begin.line);
  if (!g.url.empty() && !git_url(g.url))
    p.add(file, at("git"), "bad git URL '" + g.url + "' (https://host/path, or file:///path for a local repository)");
  if (!g.official_url.empty() && !http_url(g.official_url))
    p.add(file, at("official_url"), "bad URL '" + g.official_url + "' (http or https only)");
  if (t.get("branch")) {
    g.branch = text_field(t, "branch", false, file, where, p);
    if (!branch_name(g.branch)) p.add(file, at("branch"), "'" + g.branch + "' is not a branch name git accepts");
  }
  check_format(format, file, at("format"), p);
  check_language(language, file, at("language"), p);
  if (const toml::node* h = t.get("history")) {
    if (h->is_boolean()) g.history = **h->as_boolean();
    else p.add(file, h->source(), "'history' must be true or false");
  }
  if (t.get("dated_by")) {
    const std::string d = text_field(t, "dated_by", false, file, where, p);
    const std::array<DatedBy, 4> all = {DatedBy::metadata, DatedBy::author, DatedBy::committer, DatedBy::message};
    const auto it = std::find_if(all.begin(), all.end(), [&](DatedBy x) { return to_string(x) == d; });
    if (it != all.end()) g.dated_by = *it;
    else if (t.get("dated_by")->is_string())
      p.add(file, at("dated_by"), "dated_by '" + d + "': one of metadata, author, committer, message");
  }
  g.date_pattern = text_field(t, "date_pattern", false, file, where, p);
  if (g.dated_by == DatedBy::message && g.date_pattern.empty())
    p.add(file, at("dated_by"), "dated_by = \"message\" needs date_pattern (a regex whose first group is the date)");
  if (g.dated_by != DatedBy::message && !g.date_pattern.empty())
    p.add(file, at("date_pattern"), "date_pattern is read only with dated_by = \"message\"");
  if (!g.date_pattern.empty()) {
    try {
      const std::regex re(g.date_pattern, std::regex::ECMAScript);
      if (re.mark_count() > 1) p.add(file, at("date_pattern"), "date_pattern: one group at most (the date)");
    } catch (const std::regex_error& e) {
      p.add(file, at("date_pattern"), std::string("date_pattern: not a regular expression: ") + e.what());
    }
  }
  const toml::node* paths = t.get("paths");
  if (!paths) {
    p.add(file, where, "missing field 'paths' (the files of the instruments in the repository, or globs)");
  } else if (!paths->is_array() || paths->as_array()->empty()) {
    p.add(file, paths->source(), "'paths' must be a non-empty array of paths, globs or tables");
  } else {
    std::set<std::string> seen;
    for (const auto& n : *paths->as_array()) {
      auto entry = read_git_path(n, file, p);
      if (!entry) continue;
      if (!seen.insert(entry->pattern).second) p.add(file, n.source(), "path '" + entry->pattern + "' listed twice");
      if (entry->format.empty()) entry->format = format;
      if (entry->language.empty()) entry->language = language;
      if (entry->format.empty())
        p.add(file, n.source(), "path '" + entry->pattern + "': no format (give 'format' for the source or the path)");
      if (entry->language.empty())
        p.add(file, n.source(), "path '" + entry->pattern + "': no language (give 'language' for the source or the path)");
      g.paths.push_back(std::move(*entry));
    }
  }
  return g;
}

corpus::Jurisdiction read_jurisdiction(const toml::table& t, const std::string& file,
                                       const std::string& stem, Problems& p) {
  const toml::source_region top{{1, 1}, {1, 1}, {}};
  corpus::Jurisdiction j;
  j.code = text_field(t, "code", true, file, top, p);
  j.name = text_field(t, "name", true, file, top, p);
  auto code = corpus::jurisdiction_code(j.code);
  if (!j.code.empty() && !code)
    p.add(file, t.get("code")->source(),
          "'" + j.code + "' is not a jurisdiction code (ISO 3166-1 \"CA\", or ISO 3166-2 \"US-DC\")");
  else if (!j.code.empty() && *code != j.code)
    p.add(file, t.get("code")->source(), "code '" + j.code + "' must be upper case ('" + *code + "')");
  else if (!j.code.empty() && j.code != stem)
    p.add(file, t.get("code")->source(), "code '" + j.code + "' does not match the file name " + stem + ".toml");
  if (const auto* langs = t.get_as<toml::array>("languages")) {
    for (const auto& l : *langs) {
      if (l.is_string()) j.languages.push_back(**l.as_string());
      else p.add(file, l.source(), "languages must be strings");
    }
  } else {
    p.add(file, t.get("languages") ? t.get("languages")->source() : top,
          "missing field 'languages' (an array of ISO 639-1 codes)");
  }
  return j;
}

void read_text(std::string_view text, const std::string& file, const std::string& stem, Registry& out,
               std::map<std::string, std::string>& seen_ids, Problems& p) {
  toml::table doc;
  try {
    doc = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    p.add(file, e.source(), std::string(e.description()));
    return;
  }
  check_keys(doc, {"code", "name", "languages", "source"}, file, p);
  auto j = read_jurisdiction(doc, file, stem, p);
  const toml::node* list = doc.get("source");
  if (list && !list->is_array_of_tables()) {
    p.add(file, list->source(), "'source' must be an array of tables ([[source]])");
    list = nullptr;
  }
  if (list) {
    for (const auto& node : *list->as_array()) {
      if (node.as_table()->contains("git")) {  // a repository (git_source.hpp), not one document
        if (node.as_table()->contains("url"))
          p.add(file, node.source(), "a source has 'url' (one document over HTTP) or 'git' (a repository), not both");
        GitSource g = read_git_source(*node.as_table(), j.code, file, p);
        if (g.id.empty()) continue;
        if (const auto [it, fresh] = seen_ids.emplace(g.id, g.declared_at); !fresh)
          p.add(file, node.source(), "duplicate id '" + g.id + "' (first declared at " + it->second + ")");
        else
          out.git.push_back(std::move(g));
        continue;
      }
      Source s = read_source(*node.as_table(), j.code, file, p);
      if (s.id.empty()) continue;
      const auto [it, fresh] = seen_ids.emplace(s.id, s.declared_at);
      if (!fresh) {
        p.add(file, node.source(), "duplicate id '" + s.id + "' (first declared at " + it->second + ")");
        continue;
      }
      out.sources.push_back(std::move(s));
    }
  }
  out.jurisdictions.push_back(std::move(j));
}

}  // namespace

Result<Registry> load_sources(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Error{dir.string() + ": not a folder of sources (*.toml)"};
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".toml") files.push_back(e.path());
  if (ec) return Error{dir.string() + ": " + ec.message()};
  if (files.empty()) return Error{dir.string() + ": no *.toml files"};
  std::sort(files.begin(), files.end());
  Registry out;
  std::map<std::string, std::string> seen_ids;
  Problems p;
  for (const auto& f : files) {
    const std::string file = corpus::escape_name(f.string());
    // A registry file is small; anything else there (a FIFO, a huge file) is refused.
    auto text = corpus::read_file(f, kMaxSourcesFile);
    if (!text) p.lines.push_back(text.error().message);
    else read_text(*text, file, f.stem().string(), out, seen_ids, p);
  }
  if (p.lines.empty()) return out;
  return p.error();
}

Result<Registry> parse_sources(std::string_view text, const std::string& file_name) {
  Registry out;
  std::map<std::string, std::string> seen_ids;
  Problems p;
  const std::string file = corpus::escape_name(file_name);
  read_text(text, file, fs::path(file_name).stem().string(), out, seen_ids, p);
  if (p.lines.empty()) return out;
  return p.error();
}

Result<Registry> select_jurisdictions(const Registry& all, const std::vector<std::string>& codes) {
  if (codes.empty()) return all;
  Registry out;
  for (const auto& code : codes) {
    auto j = std::find_if(all.jurisdictions.begin(), all.jurisdictions.end(),
                          [&](const corpus::Jurisdiction& x) { return x.code == code; });
    if (j == all.jurisdictions.end()) return Error{"no sources for jurisdiction '" + code + "'"};
    out.jurisdictions.push_back(*j);
  }
  for (const auto& s : all.sources)
    if (std::find(codes.begin(), codes.end(), s.jurisdiction) != codes.end()) out.sources.push_back(s);
  for (const auto& g : all.git)
    if (std::find(codes.begin(), codes.end(), g.jurisdiction) != codes.end()) out.git.push_back(g);
  return out;
}

}  // namespace hrtrack::crawler

namespace hrtrack::crawler {

std::filesystem::path default_sources_dir() {
  if (const char* env = std::getenv("HRTRACK_SOURCES"); env && *env) return env;
  std::error_code ec;
  if (std::filesystem::is_directory(HRTRACK_SOURCES_DIR, ec)) return HRTRACK_SOURCES_DIR;
  return "sources";
}

}  // namespace hrtrack::crawler
