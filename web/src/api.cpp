// The JSON API under /api/v1: the data of every page, the OpenAPI description, and bulk
// exports of the answer matrix (CSV and JSON) with evidence.
#include <set>

#include "handlers.hpp"
#include "hrtrack/analysis/json.hpp"
#include "hrtrack/index/index.hpp"

namespace hrtrack::web {

using nlohmann::json;

// The analysis's one form of an answer, each evidence with the address of its section.
json answer_json(const analysis::Answer& a) {
  json j = analysis::to_json(a);
  for (std::size_t i = 0; i < a.evidence.size(); ++i)
    j["evidence"][i]["url"] = section_url(a.evidence[i].section_id, a.evidence[i].language);
  return j;
}

json score_json(const analysis::JurisdictionScore& s) {
  // Not assessed: no score and no rank (null), and why.
  if (!s.assessed)
    return {{"assessed", false}, {"not_assessed", s.not_assessed}, {"score", nullptr}, {"coverage", nullptr},
            {"rank", nullptr}, {"rank_min", nullptr}, {"rank_max", nullptr}};
  return {{"assessed", true}, {"score", s.score}, {"coverage", s.coverage}, {"rank", s.rank}, {"rank_min", s.rank_min},
          {"rank_max", s.rank_max}};
}

json version_json(const corpus::Version& v) {
  // source_commit: the git commit the text was read from (empty for other sources).
  return {{"id", v.id},           {"language", v.language},        {"date", v.date},
          {"source", v.source},   {"source_commit", v.source_commit}, {"imported_at", v.imported_at},
          {"format", v.format},   {"sections", v.section_count},   {"sha256", v.sha256}};
}

json section_json(const corpus::Section& s) {
  return {{"number", s.body.number}, {"label", s.body.label}, {"heading", s.body.heading}, {"text", s.body.text},
          {"path", s.body.path}, {"in_force", corpus::to_string(s.body.in_force)}, {"version_id", s.version_id}};
}

json jurisdiction_summary(const Snapshot& s, const corpus::Jurisdiction& j) {
  json out{{"code", j.code}, {"name", j.name}, {"languages", j.languages},
           {"url", "/jurisdictions/" + url_component(j.code)}};
  if (const auto it = s.scores.find(j.code); it != s.scores.end()) out.update(score_json(it->second));
  return out;
}

json provision_json(const analysis::Provision& p) {
  return {{"id", p.id}, {"title", p.title}, {"question", p.question}, {"weight", p.weight},
          {"rejects_practice", p.rejects_practice}};
}

namespace {

Response export_csv(const Snapshot& s) {
  // A jurisdiction not assessed: status "not-assessed", no score, the reason in not_assessed.
  // A silent answer lists the documents read ("; " between them).
  std::string out = "jurisdiction,provision,status,score,confidence,machine_status,needs_review,reviewed_by,evidence_section,"
                    "evidence_quote,evidence_version_date,evidence_language,explanation,not_assessed,documents_read\r\n";
  for (const auto& [code, list] : s.answers) {
    for (const auto& a : list) {
      std::string read;
      for (const auto& d : a.read) read += (read.empty() ? "" : "; ") + d;
      auto row = [&](const analysis::Evidence* e) {
        out += csv_field(a.jurisdiction) + "," + csv_field(a.provision) + "," + std::string(analysis::shown_status(a)) + "," +
               (a.not_assessed.empty() ? std::to_string(a.score) : "") + "," + std::to_string(a.confidence) + "," +
               std::string(analysis::to_string(a.machine_status)) + "," + (a.needs_review ? "true" : "false") + "," +
               csv_field(a.review ? a.review->by : "") + "," + csv_field(e ? e->section_id : "") + "," +
               csv_field(e ? e->quote : "") + "," + csv_field(e ? e->version_date : "") + "," + csv_field(e ? e->language : "") +
               "," + csv_field(a.explanation) + "," + csv_field(a.not_assessed) + "," + csv_field(read) + "\r\n";
      };
      if (a.evidence.empty()) row(nullptr);
      for (const auto& e : a.evidence) row(&e);
    }
  }
  Response r = text_response(std::move(out), "text/csv; charset=utf-8");
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"hrtrack-answers.csv\"");
  return r;
}

}  // namespace

Response api_jurisdictions(Ctx& c, const Args&) { return view_json(c, overview_view(c)); }

Response api_jurisdiction(Ctx& c, const Args& a) { return view_json(c, jurisdiction_view(c, a.at(0))); }

Response api_timeline(Ctx& c, const Args& a) {
  const auto& code = a.at(0);
  if (!valid_code(code)) return bad_request(c, "code: expected an ISO code such as CA");
  if (!c.snap.jurisdiction(code)) return not_found(c, "no jurisdiction '" + code + "'");
  auto t = timeline(c.snap, c.h, code);
  if (!t) return error_page(c, 503, "Timeline unavailable", t.error().message);
  return json_response({{"jurisdiction", code}, {"timeline", analysis::timeline_json(t.value())}});
}

Response api_provisions(Ctx& c, const Args&) {
  json out = json::array();
  for (const auto& p : c.snap.provisions) out.push_back(provision_json(p));
  return json_response({{"provisions", out}});
}

Response api_provision(Ctx& c, const Args& a) { return view_json(c, provision_view(c, a.at(0))); }

Response api_answers(Ctx& c, const Args&) {
  const auto& s = c.snap;
  const auto jf = c.req.param("jurisdiction").value_or("");
  const auto pf = c.req.param("provision").value_or("");
  if (!jf.empty() && !valid_code(jf)) return bad_request(c, "jurisdiction: expected an ISO code");
  if (!pf.empty() && !s.provision(pf)) return bad_request(c, "provision: unknown provision '" + pf + "'");
  json out = json::array();
  for (const auto& [code, list] : s.answers)
    for (const auto& x : list)
      if ((jf.empty() || code == jf) && (pf.empty() || x.provision == pf)) out.push_back(answer_json(x));
  return json_response({{"answers", out}});
}

Response api_compare(Ctx& c, const Args&) { return view_json(c, compare_view(c, true)); }

Response api_instruments(Ctx& c, const Args&) {
  const auto jf = c.req.param("jurisdiction").value_or("");
  if (!jf.empty() && !valid_code(jf)) return bad_request(c, "jurisdiction: expected an ISO code");
  json out = json::array();
  for (const auto& inst : c.h.store->instruments(jf)) {
    json titles = json::object();
    for (const auto& [l, t] : inst.titles) titles[l] = t;
    json versions = json::array();
    for (const auto& v : c.h.store->versions(inst.id)) versions.push_back(version_json(v));
    out.push_back({{"identifier", inst.identifier}, {"jurisdiction", inst.jurisdiction}, {"type", corpus::to_string(inst.type)},
                   {"titles", titles}, {"aliases", inst.aliases}, {"versions", versions}});
  }
  return json_response({{"instruments", out}});
}

Response api_changes(Ctx& c, const Args&) { return view_json(c, changes_view(c, false)); }

Response api_export_csv(Ctx& c, const Args&) { return export_csv(c.snap); }

Response api_export_json(Ctx& c, const Args&) {
  const auto& s = c.snap;
  json out = json::array();
  for (const auto& [code, list] : s.answers)
    for (const auto& x : list) out.push_back(answer_json(x));
  json scores = json::object();
  for (const auto& [code, sc] : s.scores) scores[code] = score_json(sc);
  Response r = json_response({{"revision", s.etag}, {"scores", scores}, {"answers", out}});
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"hrtrack-answers.json\"");
  return r;
}

}  // namespace hrtrack::web
