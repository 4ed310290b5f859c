// Country reports: a printable page (A4 print styles) and the same as Markdown, dated, with
// the scorecard, each answer's evidence and the citations a coalition can defend. One view
// model (/api/v1/reports/{code}) renders as both.
#include <cstdio>
#include <set>

#include "handlers.hpp"
#include "hrtrack/corpus/clock.hpp"
#include "views.hpp"

namespace hrtrack::web {
namespace {

using nlohmann::json;

// Documents read, for a template that writes separators: {"items": [{"text", "first"}]};
// null for none.
json documents(const std::vector<std::string>& list) {
  if (list.empty()) return nullptr;
  json items = json::array();
  for (std::size_t i = 0; i < list.size(); ++i) items.push_back({{"text", list[i]}, {"first", i == 0}});
  return {{"items", items}};
}

}  // namespace

View report_view(const Ctx& c, const std::string& code) {
  const auto& s = c.snap;
  if (!valid_code(code)) return fail(400, "jurisdiction: expected an ISO code such as CA, got '" + code + "'");
  const auto* j = s.jurisdiction(code);
  if (!j) return fail(404, "No jurisdiction '" + code + "' in the catalogue.");
  const auto answers_it = s.answers.find(code);
  const auto score_it = s.scores.find(code);
  const std::string unassessed = s.not_assessed(code);
  const std::string base = public_base(c.config);
  std::vector<std::string> read;
  if (answers_it != s.answers.end() && !answers_it->second.empty()) read = answers_it->second.front().read;
  json m{{"title", j->name + " – country report"},
         {"code", code},
         {"name", j->name},
         {"date", corpus::today_utc()},
         {"revision", s.etag},
         {"url", base + "/reports/" + url_component(code)},
         {"markdown_url", "/reports/" + url_component(code) + ".md"},
         {"not_assessed", unassessed},
         {"documents_read", unassessed.empty() ? json(nullptr) : documents(read)},
         {"score", nullptr},
         {"analysed", answers_it != s.answers.end()},
         {"coded", answers_it != s.answers.end() && unassessed.empty()}};
  if (unassessed.empty() && score_it != s.scores.end())
    m["score"] = {{"score", score_text(score_it->second.score)}, {"coverage", percent(score_it->second.coverage)},
                  {"rank", score_it->second.rank}, {"assessed", s.assessed_count()}};
  json answers = json::array();
  std::set<std::string> cited;
  if (answers_it != s.answers.end()) {
    for (const auto& a : answers_it->second) {
      const auto* p = s.provision(a.provision);
      json sections = json::array(), evidence = json::array();
      for (const auto& e : a.evidence) {
        cited.insert(e.section_id);
        sections.push_back({{"id", e.section_id}, {"url", section_url(e.section_id, e.language)}, {"first", sections.empty()}});
        evidence.push_back(evidence_json(e));
      }
      json review = nullptr;
      if (a.review) review = {{"by", a.review->by}, {"day", day(a.review->at)}, {"note", a.review->note}};
      answers.push_back({{"provision", a.provision},
                         {"provision_title", p ? p->title : a.provision},
                         {"provision_url", "/provisions/" + url_component(a.provision)},
                         {"question", p ? p->question : ""},
                         {"status", analysis::to_string(a.status)},
                         {"badge", badge_json(a.status)},
                         {"needs_review", a.needs_review},
                         {"confidence", a.confidence},
                         {"confidence_label", percent(a.confidence)},
                         {"explanation", a.explanation},
                         {"sections", sections},
                         {"evidence", evidence},
                         {"silent_read", a.status == analysis::AnswerStatus::silent ? documents(a.read) : json(nullptr)},
                         {"review", review}});
    }
  }
  m["answers"] = answers;
  json citations = json::array();
  for (const auto& id : cited)
    citations.push_back({{"id", id}, {"url", section_url(id)}, {"public_url", base + section_url(id)}});
  m["citations"] = citations;
  return View{std::move(m), std::nullopt};
}

Response report_page(Ctx& c, const std::string& code, bool md) {
  const auto v = report_view(c, code);
  if (v.failure) return failure_response(c, *v.failure);
  // report_md glues each closing tag to what follows it: kainjow leaves the line break after
  // a section it skips, so a standalone {{/x}} line would add a blank line when x is empty.
  if (md) return text_response(render("report_md", v.model, Output::markdown), "text/markdown; charset=utf-8");
  PageOptions o;
  o.body_class = "report-page";
  o.scripts = {"site.js"};
  return page(c, v.model["title"].get<std::string>(), render("report", v.model), o);
}

}  // namespace hrtrack::web
