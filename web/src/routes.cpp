// The route table: every address the site answers, with its method, its handler, its JSON
// twin (for a page) and its OpenAPI description (for an API route). Dispatch and
// /api/v1/openapi.json are both read from it, so they cannot drift apart.
#include <functional>

#include "handlers.hpp"

namespace hrtrack::web {
namespace {

using nlohmann::json;

struct Param {
  const char* name;
  const char* description;
  bool required = false;
};

struct Route {
  const char* method;   // "GET" (answers HEAD too) or "POST"
  const char* pattern;  // "/jurisdictions/{code}", "/feeds/provisions/{id}.atom"
  std::function<Response(Ctx&, const Args&)> handle;
  const char* twin = nullptr;     // a page's JSON twin: the API pattern returning its model
  const char* example = nullptr;  // a target to try it on (tests), for a page with a twin
  const char* summary = nullptr;  // an API route's description in openapi.json; null: not listed
  std::vector<Param> query = {};  // its query parameters
};

}  // namespace

Args split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 1;
  while (i <= path.size()) {
    auto end = path.find('/', i);
    if (end == std::string_view::npos) end = path.size();
    if (end > i) out.emplace_back(path.substr(i, end - i));
    i = end + 1;
  }
  return out;
}

namespace {

// Whether `parts` is an address of `pattern`; its {parameters} go to `args`. A parameter
// may be followed by a suffix in its segment: {code}.atom.
bool matches(std::string_view pattern, const Args& parts, Args& args) {
  const auto pat = split_path(pattern);
  if (pat.size() != parts.size()) return false;
  args.clear();
  for (std::size_t i = 0; i < pat.size(); ++i) {
    const auto& p = pat[i];
    if (p.starts_with("{")) {
      const auto close = p.find('}');
      const std::string suffix = p.substr(close + 1);
      if (parts[i].size() <= suffix.size() || !parts[i].ends_with(suffix)) return false;
      args.push_back(parts[i].substr(0, parts[i].size() - suffix.size()));
    } else if (p != parts[i]) {
      return false;
    }
  }
  return true;
}

Response view_api(Ctx& c, View (*view)(const Ctx&)) { return view_json(c, view(c)); }

const std::vector<Route>& routes();

json openapi() {
  auto responses = json{{"200", {{"description", "OK"}}}, {"400", {{"description", "bad parameter, with a message"}}},
                        {"404", {{"description", "not found"}}}, {"304", {{"description", "not modified (ETag)"}}}};
  json paths = json::object();
  for (const auto& r : routes()) {
    if (!r.summary) continue;
    json params = json::array();
    for (const auto& seg : split_path(r.pattern))
      if (seg.starts_with("{"))
        params.push_back({{"name", seg.substr(1, seg.find('}') - 1)}, {"in", "path"}, {"required", true},
                          {"schema", {{"type", "string"}}}});
    for (const auto& q : r.query)
      params.push_back({{"name", q.name}, {"in", "query"}, {"required", q.required}, {"description", q.description},
                        {"schema", {{"type", "string"}}}});
    paths[r.pattern] = {{"get", {{"summary", r.summary}, {"parameters", params}, {"responses", responses}}}};
  }
  return {{"openapi", "3.0.3"},
          {"info", {{"title", "hrtrack API"}, {"version", "1"},
                    {"description", "National drug law coded against the Harm Reduction Convention. Read-only; every response "
                                    "carries an ETag from the data revision."}}},
          {"paths", paths}};
}

const std::vector<Route>& routes() {
  static const std::vector<Route> table = {
      // Pages, each with its JSON twin where it has one.
      {"GET", "/", nullptr, "/api/v1/jurisdictions", "/"},  // handled by the caller's cached overview
      {"GET", "/jurisdictions/{code}", [](Ctx& c, const Args& a) { return jurisdiction_page(c, a[0]); },
       "/api/v1/jurisdictions/{code}", "/jurisdictions/CA"},
      {"GET", "/provisions/{id}", [](Ctx& c, const Args& a) { return provision_page(c, a[0]); }, "/api/v1/provisions/{id}",
       "/provisions/possession"},
      {"GET", "/compare", [](Ctx& c, const Args&) { return compare_page(c); }, "/api/v1/compare", "/compare?j=CA&j=DE"},
      {"GET", "/section", [](Ctx& c, const Args&) { return section_page(c); }, "/api/v1/sections", "/section?id=C-38.8%234"},
      {"GET", "/instrument", [](Ctx& c, const Args&) { return instrument_page(c); }, "/api/v1/instrument",
       "/instrument?id=C-38.8"},
      {"GET", "/search", [](Ctx& c, const Args&) { return search_page(c); }, "/api/v1/search", "/search?q=Spritzen"},
      {"GET", "/changes", [](Ctx& c, const Args&) { return changes_page(c); }, "/api/v1/changes", "/changes"},
      {"GET", "/feeds/changes.atom", [](Ctx& c, const Args&) { return feed(c, "all", ""); }},
      {"GET", "/feeds/jurisdictions/{code}.atom", [](Ctx& c, const Args& a) { return feed(c, "jurisdictions", a[0]); }},
      {"GET", "/feeds/provisions/{id}.atom", [](Ctx& c, const Args& a) { return feed(c, "provisions", a[0]); }},
      {"GET", "/reports/{code}.md", [](Ctx& c, const Args& a) { return report_page(c, a[0], true); }},
      {"GET", "/reports/{code}", [](Ctx& c, const Args& a) { return report_page(c, a[0], false); },
       "/api/v1/reports/{code}", "/reports/CA"},
      {"GET", "/login", [](Ctx& c, const Args&) { return login_page(c); }},
      {"POST", "/login", [](Ctx& c, const Args&) { return login_post(c); }},
      {"POST", "/logout", [](Ctx& c, const Args&) { return logout_post(c); }},
      {"GET", "/review", [](Ctx& c, const Args&) { return review_list(c); }, "/api/v1/review", "/review"},
      {"GET", "/review/{code}/{provision}", [](Ctx& c, const Args& a) { return review_form(c, a[0], a[1]); },
       "/api/v1/review/{code}/{provision}", "/review/CA/possession"},
      {"POST", "/review/{code}/{provision}", [](Ctx& c, const Args& a) { return review_post(c, a[0], a[1]); }},
      {"GET", "/about", [](Ctx& c, const Args&) { return about_page(c); }, "/api/v1/about", "/about"},
      // The API.
      {"GET", "/api/v1", [](Ctx&, const Args&) { return redirect("/api/v1/openapi.json", 302); }},
      {"GET", "/api/v1/openapi.json", [](Ctx&, const Args&) { return json_response(openapi()); }},
      {"GET", "/api/v1/jurisdictions", api_jurisdictions, nullptr, nullptr,
       "Jurisdictions with score, coverage and rank; one not assessed has assessed false, not_assessed (why) and null "
       "score and rank"},
      {"GET", "/api/v1/jurisdictions/{code}", api_jurisdiction, nullptr, nullptr,
       "One jurisdiction: score and its ten answers with evidence"},
      {"GET", "/api/v1/jurisdictions/{code}/timeline", api_timeline, nullptr, nullptr, "Each provision's status across versions"},
      {"GET", "/api/v1/provisions", api_provisions, nullptr, nullptr, "The Convention's provisions"},
      {"GET", "/api/v1/provisions/{id}", api_provision, nullptr, nullptr, "Every jurisdiction's answer for one provision"},
      {"GET", "/api/v1/answers", api_answers, nullptr, nullptr, "Answers, filterable",
       {{"jurisdiction", "ISO code"}, {"provision", "provision id"}}},
      {"GET", "/api/v1/compare", api_compare, nullptr, nullptr, "Answers of 2-5 jurisdictions side by side",
       {{"j", "ISO code, repeated 2-5 times", true}}},
      {"GET", "/api/v1/instruments", api_instruments, nullptr, nullptr, "Instruments held, with versions",
       {{"jurisdiction", "ISO code"}}},
      {"GET", "/api/v1/instrument", [](Ctx& c, const Args&) { return view_api(c, instrument_view); }, nullptr, nullptr,
       "An instrument at a version (as /sections chooses it) with its sections and what the version changed",
       {{"id", "identifier, e.g. C-38.8", true}, {"lang", "ISO 639-1"}, {"as_of", "YYYY-MM-DD"}, {"version", "version id"}}},
      {"GET", "/api/v1/sections", [](Ctx& c, const Args&) { return view_api(c, section_view); }, nullptr, nullptr,
       "A section at a version, its citations both ways and its diff against the previous version",
       {{"id", "INSTRUMENT#SECTION, e.g. C-38.8#4", true}, {"lang", "ISO 639-1"}, {"as_of", "YYYY-MM-DD"}, {"version", "version id"}}},
      {"GET", "/api/v1/search", [](Ctx& c, const Args&) { return view_json(c, search_view(c, true)); }, nullptr, nullptr,
       "Full-text search with facets; each hit's snippet as text and match spans",
       {{"q", "query (Xapian syntax, prefixes as on /about)"}, {"jurisdiction", "ISO code"}, {"lang", "ISO 639-1"},
        {"instrument", "identifier"}, {"as_of", "YYYY-MM-DD"}, {"concept", "thesaurus concept id"}, {"all", "1: every version"},
        {"page", "1-1000 (of limit hits each)"}, {"limit", "1-100"}, {"offset", "0-10000"}}},
      {"GET", "/api/v1/about", [](Ctx& c, const Args&) { return view_api(c, about_view); }, nullptr, nullptr,
       "What each status means and the search syntax's prefixes"},
      {"GET", "/api/v1/changes", api_changes, nullptr, nullptr, "New versions and status changes, newest first",
       {{"jurisdiction", "ISO code"}, {"provision", "provision id"}, {"kind", "versions or status"}, {"limit", "1-1000"},
        {"page", "1-10000 (of limit changes each)"}}},
      {"GET", "/api/v1/reports/{code}", [](Ctx& c, const Args& a) { return view_json(c, report_view(c, a[0])); }, nullptr,
       nullptr, "A country report: score, each answer with its deciding sections and evidence, and the citations"},
      {"GET", "/api/v1/review", [](Ctx& c, const Args&) { return view_api(c, review_list_view); }, nullptr, nullptr,
       "Every answer in review order: those whose evidence changed first, then the least confident"},
      {"GET", "/api/v1/review/{code}/{provision}",
       [](Ctx& c, const Args& a) { return view_json(c, review_form_view(c, a[0], a[1])); }, nullptr, nullptr,
       "One answer for review: its evidence, its history and, for a signed-in analyst, the decision form's choices"},
      {"GET", "/api/v1/export/answers.json", api_export_json, nullptr, nullptr, "The whole answer matrix with evidence (JSON)"},
      {"GET", "/api/v1/export/answers.csv", api_export_csv, nullptr, nullptr,
       "The whole answer matrix with evidence (CSV, one row per evidence)"},
  };
  return table;
}

}  // namespace

Response route(Ctx& c, const Args& parts, const std::function<Response(Ctx&)>& overview) {
  const std::string& m = c.req.method;
  const bool get = m == "GET" || m == "HEAD";
  const bool api = !parts.empty() && parts[0] == "api";
  if (api && !get) return error_page(c, 405, "Method not allowed", "the API is read-only: use GET");
  Args args;
  for (const auto& r : routes()) {
    if (get ? std::string_view(r.method) != "GET" : m != r.method) continue;
    if (!matches(r.pattern, parts, args)) continue;
    if (!r.handle) return overview(c);
    return r.handle(c, args);
  }
  if (m == "POST") return error_page(c, 405, "Method not allowed", "this address only answers GET");
  if (!get) return error_page(c, 405, "Method not allowed", "use GET (or POST for the review forms)");
  if (api && (parts.size() < 2 || parts[1] != "v1"))
    return not_found(c, "the API lives under /api/v1 (see /api/v1/openapi.json)");
  if (api) return not_found(c, "no API route " + c.req.path + " (see /api/v1/openapi.json)");
  return not_found(c, "There is no page at " + c.req.path + ".");
}

std::vector<RouteInfo> route_table() {
  std::vector<RouteInfo> out;
  for (const auto& r : routes())
    out.push_back({r.method, r.pattern, r.twin ? r.twin : "", r.example ? r.example : "", r.summary ? r.summary : ""});
  return out;
}

std::string twin_of(std::string_view target) {
  const auto q = target.find('?');
  const auto path = target.substr(0, q);
  const auto query = q == std::string_view::npos ? std::string_view() : target.substr(q);
  const auto parts = split_path(path);
  Args args;
  for (const auto& r : routes()) {
    if (std::string_view(r.method) != "GET" || !matches(r.pattern, parts, args)) continue;
    if (!r.twin) return {};
    std::string out;
    std::size_t next = 0;
    for (const auto& seg : split_path(r.twin)) {
      out += "/";
      out += seg.starts_with("{") && next < args.size() ? args[next++] : seg;
    }
    return out + std::string(query);
  }
  return {};
}

}  // namespace hrtrack::web
