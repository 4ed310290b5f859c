// import, instruments, show, history, diff: the corpus as a user sees it.
#include <chrono>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "cli.hpp"
#include "hrtrack/corpus/import.hpp"
#include "hrtrack/corpus/inspect.hpp"

namespace hrtrack::app {
namespace {

using corpus::Store;
using nlohmann::json;

std::string title_of(const corpus::Instrument& in, const std::string& lang = "") {
  for (const auto& [l, t] : in.titles)
    if (l == lang) return t;
  return in.titles.empty() ? "" : in.titles.front().second;
}

corpus::Instrument need_instrument(const Store& store, const std::string& name) {
  auto in = store.find_instrument(name);
  if (!in) throw UserError("no instrument '" + name + "' (see 'hrtrack instruments')");
  return *in;
}

// The language to show when none is asked for: the one with the most versions, English
// first on a tie (the corpus's lingua franca for the coalition's reports).
std::string default_language(const Store& store, const corpus::Instrument& in) {
  std::map<std::string, int> count;
  for (const auto& v : store.versions(in.id)) ++count[v.language];
  std::string best;
  for (const auto& [lang, n] : count)
    if (best.empty() || n > count[best] || (n == count[best] && lang == "en")) best = lang;
  return best;
}

std::string words_markup(const std::vector<corpus::WordEdit>& edits) {
  std::string out;
  for (const auto& e : edits) {
    if (!out.empty()) out += ' ';
    if (e.op == '=') out += e.words;
    else out += (e.op == '-' ? "[-" : "{+") + e.words + (e.op == '-' ? "-]" : "+}");
  }
  return out;
}

json change_json(const corpus::SectionChange& c) {
  json j{{"kind", corpus::to_string(c.kind)}, {"section", c.number}, {"heading", c.heading}};
  if (!c.words.empty()) {
    json w = json::array();
    for (const auto& e : c.words) w.push_back({{"op", std::string(1, e.op)}, {"words", e.words}});
    j["words"] = w;
  }
  return j;
}

// What import and inspect take beyond the paths: what a document may not say itself.
struct ReadArgs {
  std::vector<std::string> paths;
  std::string jurisdiction, format, as_of, language;
  std::size_t max_bytes = corpus::kMaxInputBytes;
};

std::shared_ptr<ReadArgs> add_read_options(CLI::App* cmd, Options& o, const char* paths_help) {
  auto a = std::make_shared<ReadArgs>();
  cmd->add_option("paths", a->paths, paths_help)->required();
  cmd->add_option("--jurisdiction", a->jurisdiction, "ISO code for documents that do not say (CA, US-OR)");
  cmd->add_option("--format", a->format, "Force a format: justice-canada, gii, akn, uslm, bwb, dccouncil, markdown, html, text");
  cmd->add_option("--as-of", a->as_of, "Version date (YYYY-MM-DD) for documents that carry none");
  cmd->add_option("--lang", a->language, "Language (ISO 639-1) for documents that do not say");
  cmd->add_option("--max-size", a->max_bytes, "Refuse a file larger than this (default 256MB; e.g. 1GB, 500kB)")
      ->transform(CLI::AsSizeValue(true));
  cmd->add_flag("--json", o.json, "JSON output");
  return a;
}

corpus::ImportOptions read_options(const ReadArgs& a) {
  corpus::ImportOptions opts;
  if (!a.format.empty()) {
    opts.format = corpus::format_from(a.format);
    if (!opts.format) throw UserError("--format: unknown format '" + a.format + "'");
  }
  opts.jurisdiction = a.jurisdiction;
  opts.as_of = a.as_of;
  opts.language = a.language;
  opts.max_bytes = a.max_bytes;
  return opts;
}

void import_command(CLI::App& app, Options& o) {
  auto* cmd = app.add_subcommand("import", "Import legislation files or folders (recursive)");
  auto a = add_read_options(cmd, o, "Files or folders");
  cmd->callback([a, &o] {
    const corpus::ImportOptions opts = read_options(*a);
    auto store = open_store(o);
    corpus::Importer importer(*store);
    std::vector<std::filesystem::path> paths(a->paths.begin(), a->paths.end());
    const bool bar = stderr_is_terminal() && !o.json;
    const auto start = std::chrono::steady_clock::now();
    auto report = importer.import_paths(paths, opts, [bar](int done, int total, const std::string&) {
      if (bar) std::fprintf(stderr, "\rimporting %d/%d", done, total);
    });
    if (bar) std::fprintf(stderr, "\r\033[K");
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (o.json) {
      json failures = json::array();
      for (const auto& f : report.failures) failures.push_back({{"source", f.source}, {"reason", f.reason}});
      json outcomes = json::array();
      for (const auto& x : report.outcomes)
        outcomes.push_back({{"instrument", x.identifier}, {"jurisdiction", x.jurisdiction},
                            {"language", x.language}, {"date", x.date},
                            {"outcome", corpus::to_string(x.kind)}, {"sections", x.sections},
                            {"added", x.added}, {"removed", x.removed}, {"changed", x.changed}});
      print_json({{"files", report.files}, {"skipped", report.skipped}, {"bytes", report.bytes},
                  {"seconds", secs}, {"instruments_new", report.instruments_new},
                  {"versions_new", report.versions_new},
                  {"versions_unchanged", report.versions_unchanged},
                  {"sections", report.sections}, {"failures", failures}, {"documents", outcomes}});
    } else {
      std::printf("Imported %d files (%.1f MB) in %.1f s: %d new instruments, %d new versions, "
                  "%d unchanged, %lld sections",
                  report.files, static_cast<double>(report.bytes) / 1e6, secs,
                  report.instruments_new, report.versions_new, report.versions_unchanged,
                  report.sections);
      if (report.skipped) std::printf(", %d files skipped (not legal documents)", report.skipped);
      std::printf(".\n");
      for (const auto& f : report.failures) std::fprintf(stderr, "failed: %s\n", f.reason.c_str());
      if (!report.failures.empty())
        std::printf("%zu files failed (listed on stderr).\n", report.failures.size());
    }
    if (!report.failures.empty()) o.exit = kSomeFailed;
  });
}

void instruments_command(CLI::App& app, Options& o) {
  auto* cmd = app.add_subcommand("instruments", "List the instruments in the catalogue");
  auto jurisdiction = std::make_shared<std::string>();
  cmd->add_option("--jurisdiction", *jurisdiction, "Only this jurisdiction");
  cmd->add_flag("--json", o.json, "JSON output");
  cmd->callback([jurisdiction, &o] {
    auto store = open_store(o);
    json out = json::array();
    for (const auto& in : store->instruments(*jurisdiction)) {
      const auto versions = store->versions(in.id);
      std::set<std::string> langs;
      for (const auto& v : versions) langs.insert(v.language);
      const std::string latest = versions.empty() ? "" : versions.back().date;
      if (o.json) {
        json titles = json::object();
        for (const auto& [l, t] : in.titles) titles[l] = t;
        out.push_back({{"jurisdiction", in.jurisdiction}, {"identifier", in.identifier},
                       {"type", corpus::to_string(in.type)}, {"titles", titles},
                       {"aliases", in.aliases}, {"languages", langs},
                       {"versions", versions.size()}, {"latest", latest},
                       {"amends", store->amends(in.id)}});
      } else {
        std::string l;
        for (const auto& x : langs) l += (l.empty() ? "" : ",") + x;
        std::printf("%-6s %-22s %-10s %-5s %3zu  %-10s  %s\n", in.jurisdiction.c_str(),
                    in.identifier.c_str(), std::string(corpus::to_string(in.type)).c_str(),
                    l.c_str(), versions.size(), latest.c_str(), title_of(in, "en").c_str());
      }
    }
    if (o.json) print_json(out);
  });
}

void show_command(CLI::App& app, Options& o) {
  auto* cmd = app.add_subcommand("show", "Show a section: INSTRUMENT#SECTION (C-38.8#56.1, BtMG#31a)");
  struct Args { std::string address, as_of, lang; };
  auto a = std::make_shared<Args>();
  cmd->add_option("address", a->address, "INSTRUMENT#SECTION")->required();
  cmd->add_option("--as-of", a->as_of, "The text in force on this date (YYYY-MM-DD)");
  cmd->add_option("--lang", a->lang, "Language version (en, fr, de, ...)");
  cmd->add_flag("--json", o.json, "JSON output");
  cmd->callback([a, &o] {
    auto addr = corpus::SectionAddress::parse(a->address);
    if (!addr) throw UserError("expected INSTRUMENT#SECTION, e.g. C-38.8#56.1, got '" + a->address + "'");
    auto store = open_store(o);
    const auto in = need_instrument(*store, addr->instrument);
    const std::string lang = a->lang.empty() ? default_language(*store, in) : a->lang;
    auto v = store->version_as_of(in.id, lang, a->as_of);
    if (!v)
      throw UserError(in.identifier + ": no " + lang + " version" +
                      (a->as_of.empty() ? "" : " in force on " + a->as_of));
    auto s = store->section(v->id, addr->section);
    if (!s)
      throw UserError(in.identifier + "#" + addr->section + ": no such section in the version of " + v->date);
    const auto out_cites = store->citations_from(v->id);
    const auto in_cites = store->citations_to(in.id, s->body.number);
    const std::string id = in.identifier + "#" + s->body.number;
    if (o.json) {
      json cites = json::array(), cited_by = json::array();
      for (const auto& c : out_cites)
        if (c.from == id) cites.push_back({{"target", c.target}, {"raw", c.citation.raw}, {"kind", c.citation.kind}, {"resolved", c.target_instrument_id.has_value()}});
      for (const auto& c : in_cites) cited_by.push_back(c.from);
      print_json({{"id", id}, {"instrument", in.identifier}, {"jurisdiction", in.jurisdiction},
                  {"title", title_of(in, lang)}, {"section", s->body.number}, {"label", s->body.label},
                  {"heading", s->body.heading}, {"text", s->body.text}, {"path", s->body.path},
                  {"in_force", corpus::to_string(s->body.in_force)},
                  {"in_force_date", s->body.in_force_date}, {"notes", s->body.notes},
                  {"language", v->language}, {"version_date", v->date}, {"source", v->source},
                  {"source_commit", v->source_commit},
                  {"sha256", v->sha256}, {"citations", cites}, {"cited_by", cited_by}});
      return;
    }
    std::printf("%s  %s\n%s, version of %s (%s)\n", id.c_str(), s->body.heading.c_str(),
                title_of(in, lang).c_str(), v->date.c_str(), v->language.c_str());
    if (!s->body.path.empty()) {
      std::string p;
      for (const auto& x : s->body.path) p += (p.empty() ? "" : " > ") + x;
      std::printf("%s\n", p.c_str());
    }
    if (s->body.in_force != corpus::InForce::yes && s->body.in_force != corpus::InForce::unknown)
      std::printf("[%s]\n", std::string(corpus::to_string(s->body.in_force)).c_str());
    std::printf("\n%s\n", s->body.text.c_str());
    std::string refs;
    for (const auto& c : out_cites)
      if (c.from == id) refs += (refs.empty() ? "" : ", ") + c.target;
    if (!refs.empty()) std::printf("\nCites: %s\n", refs.c_str());
    std::string by;
    for (const auto& c : in_cites) by += (by.empty() ? "" : ", ") + c.from;
    if (!by.empty()) std::printf("Cited by: %s\n", by.c_str());
    std::printf("\nSource: %s%s\n", v->source.c_str(),
                v->source_commit.empty() ? "" : ("  (commit " + v->source_commit + ")").c_str());
  });
}

void history_command(CLI::App& app, Options& o) {
  auto* cmd = app.add_subcommand("history", "Versions of an instrument with their dates and change counts");
  struct Args { std::string instrument, lang; };
  auto a = std::make_shared<Args>();
  cmd->add_option("instrument", a->instrument, "Identifier or alias (C-38.8, BtMG)")->required();
  cmd->add_option("--lang", a->lang, "Only this language");
  cmd->add_flag("--json", o.json, "JSON output");
  cmd->callback([a, &o] {
    auto store = open_store(o);
    const auto in = need_instrument(*store, a->instrument);
    json out = json::array();
    if (!o.json) std::printf("%s  %s\n", in.identifier.c_str(), title_of(in, "en").c_str());
    for (const auto& v : store->versions(in.id, a->lang)) {
      int added = 0, removed = 0, changed = 0;
      std::vector<std::string> touched;
      for (const auto& c : store->changes(v.id)) {
        (c.kind == corpus::SectionChange::Kind::added ? added
         : c.kind == corpus::SectionChange::Kind::removed ? removed : changed)++;
        touched.push_back(c.number);
      }
      if (o.json) {
        out.push_back({{"date", v.date}, {"date_source", v.date_source}, {"language", v.language},
                       {"sections", v.section_count}, {"added", added}, {"removed", removed},
                       {"changed", changed}, {"sha256", v.sha256}, {"source", v.source},
                       {"source_commit", v.source_commit},
                       {"imported_at", v.imported_at}, {"derived", v.derived}});
      } else {
        const std::string date = v.date.empty() ? "undated" : v.date;
        const std::string from = v.date.empty() ? "no date in the document" : v.date_source;
        const std::string commit = v.source_commit.empty() ? "" : "  commit " + v.source_commit.substr(0, 12);
        std::printf("  %-10s  %s  %4d sections  +%d -%d ~%d  %s%s  (date: %s)\n", date.c_str(),
                    v.language.c_str(), v.section_count, added, removed, changed, v.source.c_str(),
                    commit.c_str(), from.empty() ? "not recorded" : from.c_str());
      }
    }
    if (o.json) print_json({{"instrument", in.identifier}, {"versions", out}});
  });
}

void diff_command(CLI::App& app, Options& o) {
  auto* cmd = app.add_subcommand("diff", "What changed in an instrument between two dates");
  struct Args { std::string instrument, from, to, lang; };
  auto a = std::make_shared<Args>();
  cmd->add_option("instrument", a->instrument, "Identifier or alias")->required();
  cmd->add_option("--from", a->from, "The version in force on this date (YYYY-MM-DD)")->required();
  cmd->add_option("--to", a->to, "Compared with the version in force on this date")->required();
  cmd->add_option("--lang", a->lang, "Language version");
  cmd->add_flag("--json", o.json, "JSON output");
  cmd->callback([a, &o] {
    auto store = open_store(o);
    const auto in = need_instrument(*store, a->instrument);
    const std::string lang = a->lang.empty() ? default_language(*store, in) : a->lang;
    auto from = store->version_as_of(in.id, lang, a->from);
    auto to = store->version_as_of(in.id, lang, a->to);
    if (!from) throw UserError(in.identifier + ": no " + lang + " version in force on " + a->from);
    if (!to) throw UserError(in.identifier + ": no " + lang + " version in force on " + a->to);
    const auto changes = store->diff(from->id, to->id);
    if (o.json) {
      json c = json::array();
      for (const auto& x : changes) c.push_back(change_json(x));
      print_json({{"instrument", in.identifier}, {"language", lang}, {"from", from->date},
                  {"to", to->date}, {"changes", c}});
      return;
    }
    std::printf("%s (%s): version of %s -> version of %s: %zu sections differ\n",
                in.identifier.c_str(), lang.c_str(), from->date.c_str(), to->date.c_str(), changes.size());
    for (const auto& x : changes) {
      std::printf("\n%s %s  %s\n", std::string(corpus::to_string(x.kind)).c_str(), x.number.c_str(),
                  x.heading.c_str());
      if (!x.words.empty()) std::printf("  %s\n", words_markup(x.words).c_str());
    }
  });
}

void inspect_command(CLI::App& app, Options& o) {
  auto* cmd = app.add_subcommand("inspect", "How hrtrack reads files, before importing them");
  auto a = add_read_options(cmd, o, "Files");
  cmd->callback([a, &o] {
    const corpus::ImportOptions opts = read_options(*a);
    json out = json::array();
    for (const auto& given : a->paths) {
      const std::string path = corpus::escape_name(given);  // as the catalogue would name it
      const auto bytes = corpus::read_file(given, opts.max_bytes);
      Result<corpus::ParsedDocument> doc =
          bytes ? corpus::parse_document(bytes.value(), corpus::import_context(path, opts), opts.format)
                : Result<corpus::ParsedDocument>(bytes.error());
      if (!doc) {
        o.exit = kSomeFailed;
        if (o.json) out.push_back(json{{"file", path}, {"error", doc.error().message}});
        else std::printf("%s\n  cannot be imported: %s\n\n", path.c_str(), doc.error().message.c_str());
        continue;
      }
      const std::string stem = std::filesystem::path(path).stem().string();  // escaped like the path
      const auto x = corpus::inspect(std::move(*doc), stem);
      const auto& d = x.doc;
      const std::string first_number = d.sections.front().number;
      const std::string last_number = d.sections.back().number;
      const std::string how =
          opts.format ? "given by --format" : "detected: " + corpus::detection_reason(bytes.value(), path);
      if (o.json) {
        out.push_back(json{{"file", path}, {"format", std::string(corpus::to_string(d.format))}, {"format_by", how},
                       {"jurisdiction", d.jurisdiction}, {"identifier", d.identifier},
                       {"aliases", d.aliases}, {"title", d.title}, {"language", d.language},
                       {"type", std::string(corpus::to_string(d.type))}, {"date", d.date},
                       {"date_source", d.date_source}, {"sections", d.sections.size()},
                       {"first", first_number}, {"last", last_number}, {"warnings", x.warnings}});
        continue;
      }
      std::string aliases;
      for (const auto& al : d.aliases) aliases += (aliases.empty() ? "" : "; ") + al;
      std::printf("%s\n  format      %s (%s)\n  instrument  %s (%s, %s)\n  aliases     %s\n"
                  "  title       %s\n  language    %s\n  date        %s\n  sections    %zu, "
                  "from %s to %s\n",
                  path.c_str(), std::string(corpus::to_string(d.format)).c_str(), how.c_str(),
                  d.identifier.c_str(), d.jurisdiction.empty() ? "no jurisdiction" : d.jurisdiction.c_str(),
                  std::string(corpus::to_string(d.type)).c_str(), aliases.c_str(), d.title.c_str(),
                  d.language.empty() ? "unknown" : d.language.c_str(),
                  d.date.empty() ? "none (stored undated)" : (d.date + " from " + d.date_source).c_str(),
                  d.sections.size(), first_number.c_str(), last_number.c_str());
      for (const auto& w : x.warnings) std::printf("  warning     %s\n", w.c_str());
      std::printf("\n");
    }
    if (o.json) print_json(out);
  });
}

}  // namespace

void add_corpus_commands(CLI::App& app, Options& o) {
  inspect_command(app, o);
  import_command(app, o);
  instruments_command(app, o);
  show_command(app, o);
  history_command(app, o);
  diff_command(app, o);
}

}  // namespace hrtrack::app
