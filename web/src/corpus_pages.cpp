// The law itself: sections at any version (citations both ways, diff against the previous
// version), instruments, and search.
#include <algorithm>
#include <array>
#include <tuple>
#include <map>
#include <set>
#include <variant>

#include "handlers.hpp"
#include "hrtrack/index/index.hpp"
#include "hrtrack/index/json.hpp"
#include "views.hpp"

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

// The one version chooser of the section and instrument pages and their JSON: version=
// names one; otherwise the version of `lang` (default: the jurisdiction's first language
// that has one) in force on as_of (default: the latest).
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

// The versions of the shown language, newest first, each linking to the same section (or
// the instrument when `number` is empty).
nlohmann::json versions_model(const corpus::Instrument& inst, const VersionChoice& vc, const std::string& number) {
  nlohmann::json out = nlohmann::json::array();
  for (auto it = vc.versions.rbegin(); it != vc.versions.rend(); ++it)
    out.push_back({{"id", it->id},
                   {"date", it->date},
                   {"current", it->id == vc.version->id},
                   {"url", number.empty() ? "/instrument?id=" + url_component(inst.identifier) + "&version=" + std::to_string(it->id)
                                          : section_url(inst.identifier + "#" + number, {}, it->id)}});
  return out;
}

}  // namespace

View section_view(const Ctx& c) {
  using nlohmann::json;
  const auto id = c.req.param("id").value_or("");
  if (id.empty()) return fail(400, "id: give a section address such as C-38.8#4");
  const auto addr = corpus::SectionAddress::parse(id);
  if (!addr || addr->section.empty()) return fail(400, "id: expected INSTRUMENT#SECTION such as C-38.8#4, got '" + id + "'");
  const auto inst = c.h.store->find_instrument(addr->instrument);
  if (!inst) return fail(404, "No instrument '" + addr->instrument + "' in the catalogue.");
  std::string lang = c.req.param("lang").value_or("");
  const auto vc = choose_version(c, *inst, lang);
  if (!vc.error.empty()) return fail(400, vc.error);
  if (vc.missing) return fail(404, "No such version of " + inst->identifier + ".");
  const auto& v = *vc.version;
  const auto sec = c.h.store->section(v.id, addr->section);
  if (!sec)
    return fail(404, "No section " + addr->section + " in " + inst->identifier + " as of " + v.date + " (" + v.language + ").");
  const std::string full = inst->identifier + "#" + sec->body.number;
  json m = section_json(*sec);
  m["id"] = full;
  m["instrument"] = inst->identifier;
  m["instrument_title"] = title_of(*inst, lang);
  m["instrument_url"] = "/instrument?id=" + url_component(inst->identifier) + "&lang=" + url_component(lang) +
                        "&version=" + std::to_string(v.id);
  m["jurisdiction"] = inst->jurisdiction;
  const auto* j = c.snap.jurisdiction(inst->jurisdiction);
  m["jurisdiction_name"] = j && !j->name.empty() ? j->name : inst->jurisdiction;
  m["jurisdiction_url"] = "/jurisdictions/" + url_component(inst->jurisdiction);
  m["language"] = lang;
  m["shown_label"] = sec->body.label.empty() ? sec->body.number : sec->body.label;
  m["version"] = version_json(v);
  json paras = json::array();
  const std::string& text = sec->body.text;
  for (std::size_t i = 0; i < text.size();) {
    auto end = text.find('\n', i);
    if (end == std::string::npos) end = text.size();
    if (end > i) paras.push_back(text.substr(i, end - i));
    i = end + 1;
  }
  m["paragraphs"] = paras;
  std::string path_line;
  for (const auto& p : sec->body.path) path_line += (path_line.empty() ? "" : " › ") + p;
  m["path_line"] = path_line;
  m["notes"] = sec->body.notes;
  json cites = json::array(), cited_by = json::array();
  for (const auto& ci : c.h.store->citations_from(v.id, sec->body.number)) {
    if (ci.from != full) continue;
    const bool linked = ci.target_instrument_id && ci.target.find('#') != std::string::npos;
    cites.push_back({{"raw", ci.citation.raw}, {"target", ci.target}, {"resolved", ci.target_instrument_id.has_value()},
                     {"kind", ci.citation.kind}, {"url", linked ? json(section_url(ci.target, lang)) : json(nullptr)}});
  }
  for (const auto& ci : c.h.store->citations_to(inst->id, sec->body.number))
    cited_by.push_back({{"from", ci.from}, {"raw", ci.citation.raw}, {"url", section_url(ci.from, lang)}});
  m["cites"] = cites;
  m["cited_by"] = cited_by;
  // The diff against the previous version of the same language.
  const corpus::Version* prev = nullptr;
  for (const auto& x : vc.versions) {
    if (x.id == v.id) break;
    prev = &x;
  }
  m["previous_version_id"] = prev ? json(prev->id) : json(nullptr);
  m["previous_version_date"] = prev ? json(prev->date) : json(nullptr);
  m["change"] = nullptr;
  if (prev) {
    if (const auto ch = section_change(*c.h.store, prev->id, *sec)) {
      json words = json::array();
      for (const auto& w : ch->words)
        words.push_back({{"op", std::string(1, w.op)}, {"words", w.words}, {"deleted", w.op == '-'}, {"inserted", w.op == '+'}});
      m["change"] = {{"kind", corpus::to_string(ch->kind)}, {"added", ch->kind == corpus::SectionChange::Kind::added}, {"words", words}};
    }
  }
  m["versions"] = versions_model(*inst, vc, sec->body.number);
  std::set<std::string> langs;
  for (const auto& x : c.h.store->versions(inst->id)) langs.insert(x.language);
  json languages = json::array();
  if (langs.size() > 1)
    for (const auto& l : langs) languages.push_back({{"language", l}, {"url", section_url(full, l)}, {"current", l == lang}});
  m["multilingual"] = !languages.empty();
  m["languages"] = languages;
  m["json_url"] = "/api/v1/sections?id=" + url_component(full) + "&version=" + std::to_string(v.id);
  m["title"] = full + " " + sec->body.heading;
  return View{std::move(m), std::nullopt};
}

Response section_page(Ctx& c) {
  const auto v = section_view(c);
  if (v.failure) return failure_response(c, *v.failure);
  return page(c, v.model["title"].get<std::string>(), render("section", v.model));
}

View instrument_view(const Ctx& c) {
  using nlohmann::json;
  const auto id = c.req.param("id").value_or("");
  if (id.empty()) return fail(400, "id: give an instrument identifier such as C-38.8");
  const auto inst = c.h.store->find_instrument(id);
  if (!inst) return fail(404, "No instrument '" + id + "' in the catalogue.");
  std::string lang = c.req.param("lang").value_or("");
  const auto vc = choose_version(c, *inst, lang);
  if (!vc.error.empty()) return fail(400, vc.error);
  if (vc.missing) return fail(404, "No such version of " + inst->identifier + ".");
  const auto& v = *vc.version;
  json m{{"identifier", inst->identifier}, {"type", corpus::to_string(inst->type)}, {"title", title_of(*inst, lang)},
         {"jurisdiction", inst->jurisdiction}, {"language", lang}, {"version", version_json(v)}};
  const auto* j = c.snap.jurisdiction(inst->jurisdiction);
  m["jurisdiction_name"] = j && !j->name.empty() ? j->name : inst->jurisdiction;
  m["jurisdiction_url"] = "/jurisdictions/" + url_component(inst->jurisdiction);
  json changes = json::array();
  for (const auto& ch : c.h.store->changes(v.id)) {
    const bool removed = ch.kind == corpus::SectionChange::Kind::removed;
    const std::string sid = inst->identifier + "#" + ch.number;
    changes.push_back({{"kind", corpus::to_string(ch.kind)}, {"number", ch.number}, {"heading", ch.heading}, {"id", sid},
                       {"url", removed ? json(nullptr) : json(section_url(sid, lang, v.id))}});
  }
  m["has_changes"] = !changes.empty();
  m["changes"] = changes;
  json sections = json::array();
  for (const auto& s : c.h.store->sections(v.id))
    sections.push_back({{"number", s.body.number}, {"label", s.body.label.empty() ? s.body.number : s.body.label},
                        {"heading", s.body.heading}, {"url", section_url(inst->identifier + "#" + s.body.number, lang, v.id)}});
  m["sections"] = sections;
  m["versions"] = versions_model(*inst, vc, "");
  return View{std::move(m), std::nullopt};
}

Response instrument_page(Ctx& c) {
  const auto v = instrument_view(c);
  if (v.failure) return failure_response(c, *v.failure);
  return page(c, v.model["title"].get<std::string>(), render("instrument", v.model));
}

namespace {

// The search parameters of /search and /api/v1/search, checked.
struct SearchQuery {
  std::string text, jurisdiction, language, as_of, instrument, concept_id;
  bool all_versions = false;
  long long page = 1, limit = 10, offset = 0;
};

std::variant<SearchQuery, Failure> parse_search(const Request& r) {
  auto bad = [](std::string m) { return Failure{400, std::move(m), {}}; };
  SearchQuery q;
  q.text = r.param("q").value_or("");
  q.jurisdiction = r.param("jurisdiction").value_or("");
  q.language = r.param("lang").value_or("");
  q.as_of = r.param("as_of").value_or("");
  q.instrument = r.param("instrument").value_or("");
  q.concept_id = r.param("concept").value_or("");
  q.all_versions = r.param("all").value_or("") == "1";
  if (const auto p = r.param("page"); p && !valid_int(*p, 1, 1000, q.page))
    return bad("page: expected a page number from 1 to 1000, got '" + *p + "'");
  if (const auto p = r.param("limit"); p && !valid_int(*p, 1, 100, q.limit)) return bad("limit: 1 to 100");
  q.offset = (q.page - 1) * q.limit;
  if (const auto p = r.param("offset"); p && !valid_int(*p, 0, 10000, q.offset)) return bad("offset: 0 to 10000");
  if (q.text.size() > 500) return bad("q: a query has at most 500 characters");
  if (!q.jurisdiction.empty() && !valid_code(q.jurisdiction))
    return bad("jurisdiction: expected an ISO code such as DE, got '" + q.jurisdiction + "'");
  if (!q.language.empty() && !valid_lang(q.language))
    return bad("lang: expected a two-letter language code such as de, got '" + q.language + "'");
  if (!q.as_of.empty() && !valid_date(q.as_of)) return bad("as_of: expected a date as YYYY-MM-DD, got '" + q.as_of + "'");
  if (q.instrument.find('"') != std::string::npos || q.instrument.size() > 100)
    return bad("instrument: expected an instrument identifier such as BtMG");
  if (!q.concept_id.empty() && !index::Thesaurus::builtin().find(q.concept_id))
    return bad("concept: unknown concept '" + q.concept_id + "' (known: " + index::Thesaurus::builtin().ids() + ")");
  return q;
}

// A search link that keeps every filter but `key`, which becomes `value`.
std::string search_link(const SearchQuery& q, const std::string& key, const std::string& value) {
  std::string u = "/search?";
  auto add = [&](const std::string& k, const std::string& v) {
    if (!v.empty()) u += (u.back() == '?' ? "" : "&") + k + "=" + url_component(v);
  };
  const std::map<std::string, std::string> cur{{"q", q.text},           {"jurisdiction", q.jurisdiction}, {"lang", q.language},
                                               {"instrument", q.instrument}, {"as_of", q.as_of},      {"concept", q.concept_id},
                                               {"all", q.all_versions ? "1" : ""}};
  for (const auto& [k, v] : cur) add(k, k == key ? value : v);
  if (key == "page") add("page", value);
  return u;
}

nlohmann::json search_form(const Ctx& c, const std::string& jurisdiction, const std::string& language,
                           const std::string& concept_id) {
  using nlohmann::json;
  auto options = [](const std::string& current, const std::vector<std::pair<std::string, std::string>>& list) {
    json out = json::array();
    for (const auto& [v, label] : list) out.push_back({{"value", v}, {"label", label}, {"selected", v == current}});
    return out;
  };
  std::vector<std::pair<std::string, std::string>> jurs, langs, concepts;
  std::set<std::string> lang_set;
  for (const auto& j : c.snap.jurisdictions) {
    jurs.emplace_back(j.code, j.name);
    for (const auto& l : j.languages) lang_set.insert(l);
  }
  for (const auto& l : lang_set) langs.emplace_back(l, l);
  for (const auto& k : index::Thesaurus::builtin().concepts()) concepts.emplace_back(k.id, k.label);
  return {{"jurisdictions", options(jurisdiction, jurs)}, {"languages", options(language, langs)},
          {"concepts", options(concept_id, concepts)}};
}

// The query back from the model's "query" (the page's links keep its filters).
SearchQuery query_of(const nlohmann::json& q) {
  SearchQuery out;
  out.text = q["q"].get<std::string>();
  out.jurisdiction = q["jurisdiction"].get<std::string>();
  out.language = q["lang"].get<std::string>();
  out.instrument = q["instrument"].get<std::string>();
  out.as_of = q["as_of"].get<std::string>();
  out.concept_id = q["concept"].get<std::string>();
  out.all_versions = q["all"].get<bool>();
  out.page = q["page"].get<long long>();
  out.limit = q["limit"].get<long long>();
  out.offset = q["offset"].get<long long>();
  return out;
}

// Text and marks as the template's runs: [{"text": "...", "mark": true}, ...].
nlohmann::json snippet_segments(const std::string& text, const nlohmann::json& marks) {
  nlohmann::json out = nlohmann::json::array();
  std::size_t at = 0;
  for (const auto& m : marks) {
    const auto from = std::min(text.size(), m[0].get<std::size_t>());
    const auto to = std::min(text.size(), from + m[1].get<std::size_t>());
    if (from < at) continue;
    if (from > at) out.push_back({{"text", text.substr(at, from - at)}, {"mark", false}});
    out.push_back({{"text", text.substr(from, to - from)}, {"mark", true}});
    at = to;
  }
  if (at < text.size()) out.push_back({{"text", text.substr(at)}, {"mark", false}});
  return out;
}

}  // namespace

View search_view(const Ctx& c, bool need_query) {
  using nlohmann::json;
  auto parsed = parse_search(c.req);
  if (auto* f = std::get_if<Failure>(&parsed)) return View{nullptr, std::move(*f)};
  const auto& q = std::get<SearchQuery>(parsed);
  const bool searched = !q.text.empty() || !q.concept_id.empty();
  if (need_query && !searched) return fail(400, "q: give a query");
  json m{{"query", {{"q", q.text}, {"jurisdiction", q.jurisdiction}, {"lang", q.language}, {"instrument", q.instrument},
                    {"as_of", q.as_of}, {"concept", q.concept_id}, {"all", q.all_versions}, {"page", q.page},
                    {"limit", q.limit}, {"offset", q.offset}}},
         {"searched", searched},
         {"title", q.text.empty() ? "Search" : q.text + " – search"}};
  if (!searched) return View{std::move(m), std::nullopt};
  if (!c.h.searcher)
    return fail(503, "There is no search index yet: run 'hrtrack index'. (" + c.h.searcher_error + ")", "Search unavailable");
  index::SearchRequest req;
  req.query = q.text;
  req.instrument = q.instrument;
  req.concept_id = q.concept_id;
  req.jurisdiction = q.jurisdiction;
  req.language = q.language;
  req.as_of = q.as_of;
  req.all_versions = q.all_versions;
  req.limit = static_cast<int>(q.limit);
  req.offset = static_cast<int>(q.offset);
  auto result = c.h.searcher->search(req);
  if (!result) return View{nullptr, failure_of(result.error(), "q: ")};
  const auto& res = result.value();
  m["total"] = res.total;
  m["as_of"] = res.as_of;
  m["corrected_query"] = res.corrected_query;
  auto facet = [](const std::vector<index::FacetCount>& values) {
    json out = json::array();
    for (const auto& f : values) out.push_back({{"value", f.value}, {"count", f.count}});
    return out;
  };
  m["facets"] = {{"jurisdiction", facet(res.jurisdictions)}, {"language", facet(res.languages)},
                 {"instrument", facet(res.instruments)}, {"exact", res.facets_exact}};
  json hits = json::array();
  for (const auto& h : res.hits) {
    auto hit = index::to_json(h);
    hit["shown_label"] = h.label.empty() ? h.section : h.label;
    hit["url"] = section_url(h.id, h.language, h.version_id);
    hits.push_back(std::move(hit));
  }
  m["hits"] = hits;
  m["start"] = q.offset + 1;
  const long long pages = (res.total + q.limit - 1) / q.limit;
  m["pager"] = {{"page", q.page}, {"pages", std::max(1LL, pages)}};
  m["count_line"] = std::to_string(res.total) + " result" + (res.total == 1 ? "" : "s") +
                    (res.as_of.empty() ? " in every version" : " in the law in force on " + res.as_of);
  return View{std::move(m), std::nullopt};
}

Response search_page(Ctx& c) {
  auto v = search_view(c, false);
  if (v.failure) return failure_response(c, *v.failure);
  // What only the page shows: the form's choices and the facets as titled groups (kept out
  // of the model the API returns, which every search answers).
  auto& m = v.model;
  const auto& q = m["query"];
  m["form"] = search_form(c, q["jurisdiction"].get<std::string>(), q["lang"].get<std::string>(), q["concept"].get<std::string>());
  if (m["searched"].get<bool>()) {
    const SearchQuery sq = query_of(q);
    using nlohmann::json;
    if (const auto& cq = m["corrected_query"].get_ref<const std::string&>(); !cq.empty()) m["corrected_url"] = search_link(sq, "q", cq);
    json groups = json::array();
    for (const auto& [title, key, param] : {std::tuple{"Jurisdiction", "jurisdiction", "jurisdiction"},
                                            {"Language", "language", "lang"}, {"Instrument", "instrument", "instrument"}}) {
      const auto& current = q[param].get_ref<const std::string&>();
      json values = json::array();
      for (const auto& f : m["facets"][key]) {
        const auto& value = f["value"].get_ref<const std::string&>();
        if (value.empty()) continue;
        const bool on = value == current;
        values.push_back({{"value", value}, {"count", f["count"]}, {"current", on}, {"url", search_link(sq, param, on ? "" : value)}});
      }
      if (!m["facets"][key].empty()) groups.push_back({{"title", title}, {"values", values}});
    }
    m["facet_groups"] = groups;
    for (auto& h : m["hits"]) h["segments"] = snippet_segments(h["snippet"].get<std::string>(), h["marks"]);
    const long long pages = m["pager"]["pages"].get<long long>();
    if (sq.page > 1) m["pager"]["prev_url"] = search_link(sq, "page", std::to_string(sq.page - 1));
    if (sq.page < pages && sq.page < 1000) m["pager"]["next_url"] = search_link(sq, "page", std::to_string(sq.page + 1));
  }
  PageOptions o;
  o.active = "search";
  return page(c, v.model["title"].get<std::string>(), render("search", v.model), o);
}

}  // namespace hrtrack::web
