// The law itself: sections at any version (citations both ways, diff against the previous
// version), instruments, and search.
#include <algorithm>
#include <set>

#include "handlers.hpp"
#include "hrtrack/index/index.hpp"

namespace hrtrack::web {
namespace {

std::string title_of(const corpus::Instrument& inst, std::string_view lang) {
  for (const auto& [l, t] : inst.titles)
    if (l == lang) return t;
  return inst.titles.empty() ? inst.identifier : inst.titles.front().second;
}

// The language to show when none is asked for: the jurisdiction's first that has a version.
std::string pick_language(const corpus::Store& store, const corpus::Instrument& inst, const Snapshot& s) {
  const auto all = store.versions(inst.id);
  if (all.empty()) return {};
  if (const auto* j = s.jurisdiction(inst.jurisdiction))
    for (const auto& l : j->languages)
      for (const auto& v : all)
        if (v.language == l) return l;
  return all.back().language;
}

struct VersionChoice {
  std::optional<corpus::Version> version;
  std::vector<corpus::Version> versions;  // same language, oldest first
  std::string error;                      // a 400 message
  bool missing = false;                   // a 404
};

VersionChoice choose_version(const Ctx& c, const corpus::Instrument& inst, std::string& lang) {
  VersionChoice out;
  const auto version_param = c.req.param("version");
  const auto as_of = c.req.param("as_of").value_or("");
  if (!lang.empty() && !valid_lang(lang)) {
    out.error = "lang: expected a two-letter language code such as en, got '" + lang + "'";
    return out;
  }
  if (!as_of.empty() && !valid_date(as_of)) {
    out.error = "as_of: expected a date as YYYY-MM-DD, got '" + as_of + "'";
    return out;
  }
  long long vid = 0;
  if (version_param && !valid_int(*version_param, 1, 1'000'000'000'000LL, vid)) {
    out.error = "version: expected a version number, got '" + *version_param + "'";
    return out;
  }
  if (vid) {
    auto v = c.h.store->version(vid);
    if (!v || v->instrument_id != inst.id) {
      out.missing = true;
      return out;
    }
    lang = v->language;
    out.version = v;
  }
  if (lang.empty()) lang = pick_language(*c.h.store, inst, c.snap);
  out.versions = c.h.store->versions(inst.id, lang);
  if (!out.version) out.version = c.h.store->version_as_of(inst.id, lang, as_of);
  if (!out.version) out.missing = true;
  return out;
}

std::string versions_nav(const corpus::Instrument& inst, const VersionChoice& vc, const std::string& number) {
  std::string out = "<nav class=\"versions\" aria-label=\"Versions\"><h2>Versions</h2><ol reversed>";
  for (auto it = vc.versions.rbegin(); it != vc.versions.rend(); ++it) {
    const bool current = it->id == vc.version->id;
    const std::string href = number.empty()
                                 ? "/instrument?id=" + url_component(inst.identifier) + "&version=" + std::to_string(it->id)
                                 : section_url(inst.identifier + "#" + number, {}, it->id);
    out += "<li><a href=\"" + html(href) + "\"" + (current ? " aria-current=\"page\"" : "") + ">" + html(it->date) + "</a></li>";
  }
  return out + "</ol></nav>";
}

std::string words_diff(const std::vector<corpus::WordEdit>& edits) {
  std::string out = "<p class=\"diff\">";
  for (const auto& w : edits) {
    if (w.op == '-') out += "<del>" + html(w.words) + "</del> ";
    else if (w.op == '+') out += "<ins>" + html(w.words) + "</ins> ";
    else out += html(w.words) + " ";
  }
  return out + "</p>";
}

std::string paragraphs(const std::string& text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    auto end = text.find('\n', i);
    if (end == std::string::npos) end = text.size();
    if (end > i) out += "<p>" + html(std::string_view(text).substr(i, end - i)) + "</p>";
    i = end + 1;
  }
  return out;
}

// The index's snippets are escaped text with <mark> around matches. They are escaped again
// here, keeping only the <mark> elements, so a fault in another module cannot inject markup.
std::string safe_snippet(const std::string& snippet) {
  auto unescape = [](std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
      bool done = false;
      for (const auto& [from, to] : {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}}) {
        const std::string_view f(from);
        if (s.substr(i, f.size()) == f) {
          out += to;
          i += f.size();
          done = true;
          break;
        }
      }
      if (!done) out += s[i++];
    }
    return out;
  };
  std::string out;
  std::size_t i = 0;
  while (i < snippet.size()) {
    const auto open = snippet.find("<mark>", i);
    const auto close = open == std::string::npos ? std::string::npos : snippet.find("</mark>", open);
    if (open == std::string::npos || close == std::string::npos) {
      out += html(unescape(std::string_view(snippet).substr(i)));
      break;
    }
    out += html(unescape(std::string_view(snippet).substr(i, open - i)));
    out += "<mark>" + html(unescape(std::string_view(snippet).substr(open + 6, close - open - 6))) + "</mark>";
    i = close + 7;
  }
  return out;
}

}  // namespace

Response section_page(Ctx& c) {
  const auto id = c.req.param("id").value_or("");
  if (id.empty()) return bad_request(c, "id: give a section address such as C-38.8#4");
  const auto addr = corpus::SectionAddress::parse(id);
  if (!addr || addr->section.empty())
    return bad_request(c, "id: expected INSTRUMENT#SECTION such as C-38.8#4, got '" + id + "'");
  const auto inst = c.h.store->find_instrument(addr->instrument);
  if (!inst) return not_found(c, "No instrument '" + addr->instrument + "' in the catalogue.");
  std::string lang = c.req.param("lang").value_or("");
  const auto vc = choose_version(c, *inst, lang);
  if (!vc.error.empty()) return bad_request(c, vc.error);
  if (vc.missing) return not_found(c, "No such version of " + inst->identifier + ".");
  const auto& v = *vc.version;
  const auto sec = c.h.store->section(v.id, addr->section);
  if (!sec)
    return not_found(c, "No section " + addr->section + " in " + inst->identifier + " as of " + v.date + " (" + v.language + ").");
  const std::string full = inst->identifier + "#" + sec->body.number;
  std::string body = "<p class=\"crumbs\"><a href=\"/\">Overview</a> › " + jurisdiction_link(c.snap, inst->jurisdiction) +
                     " › <a href=\"/instrument?id=" + url_component(inst->identifier) + "&amp;lang=" + url_component(lang) +
                     "&amp;version=" + std::to_string(v.id) + "\">" + html(title_of(*inst, lang)) + "</a></p>";
  body += "<div class=\"with-aside\"><article class=\"section-text\" lang=\"" + html(lang) + "\"><h1><span class=\"label\">" +
          html(sec->body.label.empty() ? sec->body.number : sec->body.label) + "</span> " + html(sec->body.heading) + "</h1>";
  if (!sec->body.path.empty()) {
    std::string path;
    for (const auto& p : sec->body.path) path += (path.empty() ? "" : " › ") + html(p);
    body += "<p class=\"path\">" + path + "</p>";
  }
  body += "<p class=\"meta\"><span class=\"cite-id\">" + html(full) + "</span> · " + html(inst->identifier) + ", version of " +
          html(v.date) + " (" + html(v.language) + ")";
  if (!v.source.empty()) body += " · source: <span class=\"source\">" + html(v.source) + "</span>";
  body += "</p>" + paragraphs(sec->body.text);
  for (const auto& n : sec->body.notes) body += "<p class=\"note\">" + html(n) + "</p>";
  // Diff against the previous version of the same language.
  const corpus::Version* prev = nullptr;
  for (const auto& x : vc.versions) {
    if (x.id == v.id) break;
    prev = &x;
  }
  body += "<h2>Changes from the previous version</h2>";
  if (!prev) {
    body += "<p class=\"muted\">This is the first version held.</p>";
  } else {
    const auto ch = section_change(*c.h.store, prev->id, *sec);
    if (!ch) body += "<p class=\"muted\">Unchanged since the version of " + html(prev->date) + ".</p>";
    else if (ch->kind == corpus::SectionChange::Kind::added) body += "<p>Added in this version (previous: " + html(prev->date) + ").</p>";
    else body += "<p>Changed since the version of " + html(prev->date) + ":</p>" + words_diff(ch->words);
  }
  body += "</article><aside>";
  body += versions_nav(*inst, vc, sec->body.number);
  std::set<std::string> langs;
  for (const auto& x : c.h.store->versions(inst->id)) langs.insert(x.language);
  if (langs.size() > 1) {
    body += "<h2>Languages</h2><ul class=\"inline\">";
    for (const auto& l : langs)
      body += "<li><a href=\"" + html(section_url(full, l)) + "\"" + (l == lang ? " aria-current=\"page\"" : "") + ">" + html(l) + "</a></li>";
    body += "</ul>";
  }
  body += "<h2>Cites</h2><ul class=\"cites\">";
  int out_count = 0;
  for (const auto& ci : c.h.store->citations_from(v.id, sec->body.number)) {
    if (ci.from != full) continue;
    ++out_count;
    if (ci.target_instrument_id && ci.target.find('#') != std::string::npos) body += "<li>" + section_link(ci.target, lang) + "</li>";
    else body += "<li><span class=\"unresolved\">" + html(ci.citation.raw) + "</span></li>";
  }
  if (!out_count) body += "<li class=\"muted\">no citations</li>";
  body += "</ul><h2>Cited by</h2><ul class=\"cites\">";
  int in_count = 0;
  for (const auto& ci : c.h.store->citations_to(inst->id, sec->body.number)) {
    ++in_count;
    body += "<li>" + section_link(ci.from, lang) + "</li>";
  }
  if (!in_count) body += "<li class=\"muted\">no citing sections</li>";
  body += "</ul><p class=\"small\"><a href=\"/api/v1/sections?id=" + url_component(full) + "&amp;version=" + std::to_string(v.id) +
          "\">JSON</a></p></aside></div>";
  return page(c, full + " " + sec->body.heading, body);
}

Response instrument_page(Ctx& c) {
  const auto id = c.req.param("id").value_or("");
  if (id.empty()) return bad_request(c, "id: give an instrument identifier such as C-38.8");
  const auto inst = c.h.store->find_instrument(id);
  if (!inst) return not_found(c, "No instrument '" + id + "' in the catalogue.");
  std::string lang = c.req.param("lang").value_or("");
  const auto vc = choose_version(c, *inst, lang);
  if (!vc.error.empty()) return bad_request(c, vc.error);
  if (vc.missing) return not_found(c, "No such version of " + inst->identifier + ".");
  const auto& v = *vc.version;
  std::string body = "<p class=\"crumbs\"><a href=\"/\">Overview</a> › " + jurisdiction_link(c.snap, inst->jurisdiction) +
                     "</p><div class=\"with-aside\"><article><h1>" + html(title_of(*inst, lang)) + "</h1><p class=\"meta\">" +
                     html(inst->identifier) + " · " + html(corpus::to_string(inst->type)) + " · version of " + html(v.date) + " (" +
                     html(v.language) + ") · " + std::to_string(v.section_count) + " sections</p>";
  const auto changes = c.h.store->changes(v.id);
  if (!changes.empty()) {
    body += "<h2>What this version changed</h2><ul class=\"changes\">";
    for (const auto& ch : changes)
      body += "<li><span class=\"kind kind-" + html(corpus::to_string(ch.kind)) + "\">" + html(corpus::to_string(ch.kind)) + "</span> " +
              (ch.kind == corpus::SectionChange::Kind::removed ? html(ch.number)
                                                               : section_link(inst->identifier + "#" + ch.number, lang, v.id)) +
              " " + html(ch.heading) + "</li>";
    body += "</ul>";
  }
  body += "<h2>Sections</h2><ol class=\"toc\">";
  for (const auto& s : c.h.store->sections(v.id))
    body += "<li><a href=\"" + html(section_url(inst->identifier + "#" + s.body.number, lang, v.id)) + "\">" +
            html(s.body.label.empty() ? s.body.number : s.body.label) + "</a> " + html(s.body.heading) + "</li>";
  body += "</ol></article><aside>" + versions_nav(*inst, vc, "") + "</aside></div>";
  return page(c, title_of(*inst, lang), body);
}

Response search_page(Ctx& c) {
  const auto& r = c.req;
  index::SearchRequest q;
  const std::string text = r.param("q").value_or("");
  q.jurisdiction = r.param("jurisdiction").value_or("");
  q.language = r.param("lang").value_or("");
  q.as_of = r.param("as_of").value_or("");
  const std::string instrument = r.param("instrument").value_or("");
  const std::string concept_id = r.param("concept").value_or("");
  q.all_versions = r.param("all").value_or("") == "1";
  long long page_no = 1;
  if (const auto p = r.param("page"); p && !valid_int(*p, 1, 1000, page_no))
    return bad_request(c, "page: expected a page number from 1 to 1000, got '" + *p + "'");
  if (text.size() > 500) return bad_request(c, "q: a query has at most 500 characters");
  if (!q.jurisdiction.empty() && !valid_code(q.jurisdiction))
    return bad_request(c, "jurisdiction: expected an ISO code such as DE, got '" + q.jurisdiction + "'");
  if (!q.language.empty() && !valid_lang(q.language))
    return bad_request(c, "lang: expected a two-letter language code such as de, got '" + q.language + "'");
  if (!q.as_of.empty() && !valid_date(q.as_of)) return bad_request(c, "as_of: expected a date as YYYY-MM-DD, got '" + q.as_of + "'");
  if (instrument.find('"') != std::string::npos || instrument.size() > 100)
    return bad_request(c, "instrument: expected an instrument identifier such as BtMG");
  if (!concept_id.empty() && !index::Thesaurus::builtin().find(concept_id))
    return bad_request(c, "concept: unknown concept '" + concept_id + "' (known: " + index::Thesaurus::builtin().ids() + ")");
  q.query = text;
  if (!instrument.empty()) q.query += " instrument:\"" + instrument + "\"";
  if (!concept_id.empty()) q.query += " concept:" + concept_id;
  q.limit = 10;
  q.offset = static_cast<int>((page_no - 1) * q.limit);

  auto select = [&](const char* name, const std::string& current, const std::vector<std::pair<std::string, std::string>>& options) {
    std::string out = "<select name=\"" + std::string(name) + "\" id=\"f-" + name + "\"><option value=\"\">any</option>";
    for (const auto& [v, label] : options)
      out += "<option value=\"" + html(v) + "\"" + (v == current ? " selected" : "") + ">" + html(label) + "</option>";
    return out + "</select>";
  };
  std::vector<std::pair<std::string, std::string>> jurs, concepts;
  std::set<std::string> lang_set;
  for (const auto& j : c.snap.jurisdictions) {
    jurs.emplace_back(j.code, j.name);
    for (const auto& l : j.languages) lang_set.insert(l);
  }
  std::vector<std::pair<std::string, std::string>> langs;
  for (const auto& l : lang_set) langs.emplace_back(l, l);
  for (const auto& k : index::Thesaurus::builtin().concepts()) concepts.emplace_back(k.id, k.label);
  std::string body = "<h1>Search the law</h1><form method=\"get\" action=\"/search\" class=\"search-form\" role=\"search\">"
                     "<div class=\"q\"><label for=\"f-q\" class=\"visually-hidden\">Words</label><input type=\"search\" id=\"f-q\" name=\"q\" value=\"" +
                     html(text) + "\" placeholder=\"Spritzen, possession, &quot;personal use&quot;, ~syringe\" autofocus>"
                     "<button type=\"submit\">Search</button></div><div class=\"filters\"><label>Jurisdiction " +
                     select("jurisdiction", q.jurisdiction, jurs) + "</label><label>Language " + select("lang", q.language, langs) +
                     "</label><label>Instrument <input name=\"instrument\" size=\"12\" value=\"" + html(instrument) +
                     "\"></label><label>Law in force on <input type=\"date\" name=\"as_of\" value=\"" + html(q.as_of) +
                     "\"></label><label>Concept (every language) " + select("concept", concept_id, concepts) +
                     "</label><label><input type=\"checkbox\" name=\"all\" value=\"1\"" + (q.all_versions ? " checked" : "") +
                     "> every version</label></div></form>";
  PageOptions o;
  o.active = "search";
  if (text.empty() && concept_id.empty()) {
    body += "<p class=\"muted\">Words are matched in every language, each with its own stemming. <code>concept:needle-exchange</code> "
            "finds the idea in every language the Convention's thesaurus covers. See <a href=\"/about\">the syntax</a>.</p>";
    return page(c, "Search", body, o);
  }
  if (!c.h.searcher) return error_page(c, 503, "Search unavailable", "There is no search index yet: run 'hrtrack index'. (" + c.h.searcher_error + ")");
  auto result = c.h.searcher->search(q);
  if (!result) return error_response(c, result.error(), "q: ");
  const auto& res = result.value();
  // Links that keep every filter but one.
  auto link_with = [&](const std::string& key, const std::string& value) {
    std::string u = "/search?";
    auto add = [&](const std::string& k, const std::string& v) {
      if (!v.empty()) u += (u.back() == '?' ? "" : "&") + k + "=" + url_component(v);
    };
    const std::map<std::string, std::string> cur{{"q", text}, {"jurisdiction", q.jurisdiction}, {"lang", q.language},
                                                 {"instrument", instrument}, {"as_of", q.as_of}, {"concept", concept_id},
                                                 {"all", q.all_versions ? "1" : ""}};
    for (const auto& [k, v] : cur) add(k, k == key ? value : v);
    if (key == "page") add("page", value);
    return html(u);
  };
  if (!res.corrected_query.empty())
    body += "<p class=\"suggest\">Did you mean <a href=\"" + link_with("q", res.corrected_query) + "\">" + html(res.corrected_query) + "</a>?</p>";
  body += "<div class=\"results-layout\"><aside class=\"facets\">";
  auto facet = [&](const char* title, const char* key, const std::vector<index::FacetCount>& values, const std::string& current) {
    if (values.empty()) return;
    body += "<h2>" + std::string(title) + "</h2><ul>";
    for (const auto& f : values) {
      if (f.value.empty()) continue;
      const bool on = f.value == current;
      body += "<li><a href=\"" + link_with(key, on ? "" : f.value) + "\"" + (on ? " aria-current=\"true\"" : "") + ">" + html(f.value) +
              "</a> <span class=\"count\">" + std::to_string(f.count) + "</span></li>";
    }
    body += "</ul>";
  };
  facet("Jurisdiction", "jurisdiction", res.jurisdictions, q.jurisdiction);
  facet("Language", "lang", res.languages, q.language);
  facet("Instrument", "instrument", res.instruments, instrument);
  if (!res.facets_exact) body += "<p class=\"small muted\">Counts from the best matches.</p>";
  body += "</aside><section class=\"results\"><p class=\"count-line\">" + std::to_string(res.total) + " result" +
          (res.total == 1 ? "" : "s") + (res.as_of.empty() ? " in every version" : " in the law in force on " + html(res.as_of)) + "</p><ol class=\"hits\" start=\"" +
          std::to_string(q.offset + 1) + "\">";
  for (const auto& h : res.hits) {
    body += "<li class=\"hit\"><h2><a href=\"" + html(section_url(h.id, h.language, h.version_id)) + "\">" + html(h.jurisdiction) + " · " +
            html(h.instrument) + " " + html(h.label.empty() ? h.section : h.label) + "</a> " + html(h.heading) +
            "</h2><p class=\"snippet\" lang=\"" + html(h.language) + "\">" + safe_snippet(h.snippet) + "</p><p class=\"meta\">" +
            html(h.title) + " · " + html(h.language) + " · version of " + html(h.version_date) +
            (h.in_force_to.empty() ? "" : " (replaced " + html(h.in_force_to) + ")") + "</p></li>";
  }
  body += "</ol><nav class=\"pager\" aria-label=\"Pages\">";
  if (page_no > 1) body += "<a rel=\"prev\" href=\"" + link_with("page", std::to_string(page_no - 1)) + "\">← Previous</a>";
  const long long pages = (res.total + q.limit - 1) / q.limit;
  body += "<span>page " + std::to_string(page_no) + " of " + std::to_string(std::max(1LL, pages)) + "</span>";
  if (page_no < pages && page_no < 1000) body += "<a rel=\"next\" href=\"" + link_with("page", std::to_string(page_no + 1)) + "\">Next →</a>";
  body += "</nav></section></div>";
  return page(c, text.empty() ? "Search" : text + " – search", body, o);
}

}  // namespace hrtrack::web
