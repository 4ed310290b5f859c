// The Convention pages: overview (map and heat table), jurisdiction, provision, compare.
#include <algorithm>
#include <cstdio>
#include <set>

#include "handlers.hpp"
#include "views.hpp"
#include "hrtrack/index/index.hpp"

namespace hrtrack::web {
namespace {

std::string score_text(double x) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

std::string analysis_missing(const Snapshot& s) {
  return "<p class=\"notice\">No answers yet: " + html(s.analysis_error.empty() ? "run 'hrtrack analyze'" : s.analysis_error) +
         ".</p>";
}

std::string legend() {
  using analysis::AnswerStatus;
  std::string out = "<ul class=\"legend\" aria-label=\"Legend\">";
  for (auto s : {AnswerStatus::provided, AnswerStatus::restricted, AnswerStatus::contrary, AnswerStatus::silent})
    out += "<li>" + status_badge(s, true) + " " + html(analysis::to_string(s)) + "</li>";
  return out + "</ul>";
}

}  // namespace

std::string answer_badge(const analysis::Answer& a) {
  if (a.not_assessed.empty()) return status_badge(a.status);
  return "<span class=\"badge st-not-assessed\" title=\"" + html(a.not_assessed) + "\">not assessed</span>";
}

std::string documents_read(const std::vector<std::string>& read, const std::string& lead) {
  if (read.empty()) return {};
  std::string out = "<p class=\"read small\">" + html(lead) + ": ";
  for (std::size_t i = 0; i < read.size(); ++i) out += (i ? "; " : "") + html(read[i]);
  return out + ".</p>";
}

std::string not_assessed_notice(const std::string& reason) {
  return "<p class=\"notice not-assessed\"><strong>Not assessed:</strong> " + html(reason) +
         ". It has no score and no rank, and is left out of every mean.</p>";
}

namespace {

std::string answer_cell(const Snapshot& s, const std::string& code, const analysis::Provision& p) {
  const auto* a = s.answer(code, p.id);
  if (!a) return "<td class=\"cell st-none\">–</td>";
  const std::string name(analysis::to_string(a->status));
  std::string flags;
  if (a->review) flags += "<span class=\"flag\" title=\"reviewed by an analyst\">✓</span>";
  if (a->needs_review) flags += "<span class=\"flag warn\" title=\"evidence changed: needs review\">!</span>";
  return "<td class=\"cell " + status_class(a->status) + "\"><a href=\"/jurisdictions/" + url_component(code) + "#" +
         url_component(p.id) + "\" title=\"" + html(code + " · " + p.title + ": " + name) + "\">" +
         html(std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(name[0]))))) + flags +
         "</a></td>";
}

// The timeline in words: where coverage starts, then each change with what caused it.
std::string timeline_list(const Snapshot& s, const std::vector<analysis::TimelineEntry>& t) {
  if (t.empty()) return {};
  std::string start = t.front().from;
  for (const auto& e : t) start = std::min(start, e.from);
  std::string out = "<ul class=\"tl-changes\"><li><time>" + html(start) + "</time> <strong>coverage starts</strong>: ";
  for (std::size_t i = 0; i < t.front().changed_by.size(); ++i) out += (i ? "; " : "") + html(t.front().changed_by[i]);
  out += "</li>";
  std::vector<const analysis::TimelineEntry*> later;
  for (std::size_t i = 1; i < t.size(); ++i)
    if (t[i].provision == t[i - 1].provision) later.push_back(&t[i]);
  std::stable_sort(later.begin(), later.end(), [](auto* a, auto* b) { return a->from < b->from; });
  for (const auto* e : later) {
    const auto* before = e - 1;
    out += "<li" + std::string(e->coverage_start ? " class=\"coverage\"" : "") + "><time>" + html(e->from) + "</time> " +
           provision_link(s, e->provision) + ": " + html(analysis::shown_status(*before)) + " → <strong>" +
           html(analysis::shown_status(*e)) + "</strong>" +
           (e->coverage_start ? " <span class=\"muted\">(coverage of a further instrument starts, not a change of the law)</span>"
                              : "") +
           "<br><span class=\"small\">" + (e->coverage_start ? "with " : "changed by ");
    for (std::size_t i = 0; i < e->caused_by.size(); ++i) out += (i ? "; " : "") + html(analysis::to_string(e->caused_by[i]));
    out += "</span></li>";
  }
  return out + "</ul>";
}

}  // namespace

Response overview(Ctx& c) {
  const auto& s = c.snap;
  std::string body = "<section class=\"intro\"><h1>National drug law against the Harm Reduction Convention</h1>"
                     "<p>For each jurisdiction and each of the Convention's ten provisions: what the law says, "
                     "the clause that decides it, and what changed. " +
                     std::to_string(s.totals.jurisdictions) + " jurisdictions, " + std::to_string(s.totals.instruments) +
                     " instruments, " + std::to_string(s.totals.versions) + " versions, " +
                     std::to_string(s.totals.sections) + " sections.</p></section>";
  // The map is drawn by map.js from this data; without JavaScript the table below says it all.
  nlohmann::json data = nlohmann::json::array();
  for (const auto& j : s.jurisdictions) {
    nlohmann::json e{{"code", j.code}, {"name", j.name}};
    if (const auto it = s.scores.find(j.code); it != s.scores.end()) {
      if (it->second.assessed) {
        e["score"] = it->second.score;
        e["coverage"] = it->second.coverage;
      } else {
        e["not_assessed"] = it->second.not_assessed;
      }
    }
    data.push_back(std::move(e));
  }
  body += "<section class=\"map-block\"><h2>Convention score by country</h2>"
          "<div id=\"map\" class=\"map\" data-topology=\"/assets/countries-110m.json\">"
          "<noscript>The map needs JavaScript; the table below holds the same scores.</noscript></div>"
          "<script type=\"application/json\" id=\"map-data\">" +
          json_for_script(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) +
          "</script><div class=\"scale\" aria-hidden=\"true\"><span>0</span><span class=\"ramp\"></span><span>1</span>"
          "<span class=\"unassessed\"></span><span>not assessed</span>"
          "<span class=\"none\"></span><span>not tracked</span></div></section>";
  body += "<section><h2>Every jurisdiction, every provision</h2>";
  if (s.answers.empty()) body += analysis_missing(s);
  body += legend();
  body += "<div class=\"table-wrap\"><table class=\"heat\"><thead><tr><th scope=\"col\">Jurisdiction</th>"
          "<th scope=\"col\">Score</th><th scope=\"col\">Coverage</th>";
  for (const auto& p : s.provisions)
    body += "<th scope=\"col\" class=\"rot\"><a href=\"/provisions/" + url_component(p.id) + "\" title=\"" +
            html(p.question) + "\"><span>" + html(p.title) + "</span></a></th>";
  body += "</tr></thead><tbody>";
  // The assessed, ranked; their means; then, apart, those not assessed with the reason.
  std::vector<const corpus::Jurisdiction*> apart;
  int assessed = 0;
  double score_sum = 0, coverage_sum = 0;
  std::vector<double> provision_sum(s.provisions.size(), 0);
  for (const auto* j : s.ranked()) {
    if (!s.not_assessed(j->code).empty()) {
      apart.push_back(j);
      continue;
    }
    body += "<tr><th scope=\"row\">" + jurisdiction_link(s, j->code) + " <span class=\"code\">" + html(j->code) +
            "</span></th>";
    if (const auto it = s.scores.find(j->code); it != s.scores.end()) {
      body += "<td class=\"num\">" + score_text(it->second.score) + "</td><td class=\"num\">" +
              percent(it->second.coverage) + "</td>";
      ++assessed;
      score_sum += it->second.score;
      coverage_sum += it->second.coverage;
      for (std::size_t k = 0; k < s.provisions.size(); ++k)
        if (const auto* a = s.answer(j->code, s.provisions[k].id)) provision_sum[k] += a->score;
    } else {
      body += "<td class=\"num\">–</td><td class=\"num\">–</td>";
    }
    for (const auto& p : s.provisions) body += answer_cell(s, j->code, p);
    body += "</tr>";
  }
  body += "</tbody>";
  if (assessed > 0) {
    body += "<tbody class=\"means\"><tr><th scope=\"row\">Mean of the " + std::to_string(assessed) +
            " assessed</th><td class=\"num\">" + score_text(score_sum / assessed) + "</td><td class=\"num\">" +
            percent(coverage_sum / assessed) + "</td>";
    for (std::size_t k = 0; k < s.provisions.size(); ++k)
      body += "<td class=\"num mean\" title=\"" + html(s.provisions[k].title) + ": mean score of the assessed\">" +
              score_text(provision_sum[k] / assessed) + "</td>";
    body += "</tr></tbody>";
  }
  if (!apart.empty()) {
    body += "<tbody class=\"not-assessed\"><tr><th scope=\"rowgroup\" colspan=\"" +
            std::to_string(3 + s.provisions.size()) +
            "\" class=\"apart\">Not assessed: unranked, no score, left out of the means</th></tr>";
    for (const auto* j : apart)
      body += "<tr><th scope=\"row\">" + jurisdiction_link(s, j->code) + " <span class=\"code\">" + html(j->code) +
              "</span></th><td class=\"num\">–</td><td class=\"num\">–</td><td class=\"st-not-assessed\" colspan=\"" +
              std::to_string(s.provisions.size()) + "\">" + html(s.not_assessed(j->code)) + "</td></tr>";
    body += "</tbody>";
  }
  body += "</table></div>";
  body += "<p class=\"muted\">Download the whole matrix with its evidence: <a href=\"/api/v1/export/answers.csv\">CSV</a> · "
          "<a href=\"/api/v1/export/answers.json\">JSON</a> · Subscribe to <a href=\"/feeds/changes.atom\">all changes (Atom)</a>.</p></section>";
  PageOptions o;
  o.active = "overview";
  o.scripts = {"d3-array.min.js", "d3-geo.min.js", "topojson-client.min.js", "map.js"};
  o.feed_title = "All changes";
  o.feed_href = "/feeds/changes.atom";
  return page(c, "Overview", body, o);
}

Response jurisdiction_page(Ctx& c, const std::string& code) {
  const auto& s = c.snap;
  if (!valid_code(code)) return bad_request(c, "jurisdiction: expected an ISO code such as CA or US-OR, got '" + code + "'");
  const auto* j = s.jurisdiction(code);
  if (!j) return not_found(c, "No jurisdiction '" + code + "' in the catalogue.");
  std::string body = "<p class=\"crumbs\"><a href=\"/\">Overview</a> › " + html(j->name) + "</p><h1>" + html(j->name) +
                     " <span class=\"code\">" + html(j->code) + "</span></h1>";
  const std::string unassessed = s.not_assessed(code);
  if (!unassessed.empty()) {
    body += not_assessed_notice(unassessed);
  } else if (const auto it = s.scores.find(code); it != s.scores.end()) {
    const auto& sc = it->second;
    body += "<dl class=\"scorecard\"><div><dt>Convention score</dt><dd class=\"big\">" + score_text(sc.score) +
            "</dd></div><div><dt>Coverage</dt><dd>" + percent(sc.coverage) +
            " of provisions with a legal basis found</dd></div><div><dt>Rank</dt><dd>" + std::to_string(sc.rank) +
            " of " + std::to_string(s.assessed_count()) + " assessed <span class=\"muted\">(" + std::to_string(sc.rank_min) + "–" +
            std::to_string(sc.rank_max) + " when weights vary ±25%)</span></dd></div></dl>";
  }
  body += "<p class=\"actions\"><a class=\"button\" href=\"/reports/" + url_component(code) +
          "\">Country report</a> <a href=\"/reports/" + url_component(code) + ".md\">Markdown</a> · <a href=\"/feeds/jurisdictions/" +
          url_component(code) + ".atom\">Subscribe to changes (Atom)</a> · <a href=\"/compare?j=" + url_component(code) +
          "\">Compare</a> · <a href=\"/search?jurisdiction=" + url_component(code) + "\">Search its law</a> · <a href=\"/api/v1/jurisdictions/" +
          url_component(code) + "\">JSON</a></p>";
  const auto it = s.answers.find(code);
  body += "<h2>The ten answers</h2>";
  if (it == s.answers.end()) {
    body += analysis_missing(s);
  } else if (!unassessed.empty()) {
    body += "<p>No answers: " + html(unassessed) + ".</p>";
    if (!it->second.empty()) body += documents_read(it->second.front().read, "Documents held and read");
  } else {
    body += "<ol class=\"answers\">";
    for (const auto& a : it->second) {
      const auto* p = s.provision(a.provision);
      body += "<li class=\"answer\" id=\"" + html(a.provision) + "\"><div class=\"answer-head\"><h3>" +
              provision_link(s, a.provision) + "</h3>" + status_badge(a.status) +
              "<span class=\"confidence\" title=\"how clearly the text decided it\">confidence " + percent(a.confidence) +
              "</span>";
      if (a.review)
        body += "<span class=\"flag-text\">reviewed by " + html(a.review->by) + " on " + html(day(a.review->at)) +
                (a.review->status != a.machine_status ? " (machine said " + html(analysis::to_string(a.machine_status)) + ")" : "") +
                "</span>";
      if (a.needs_review) body += "<span class=\"flag-text warn\">needs review: the text it rests on changed</span>";
      body += "</div>";
      if (p) body += "<p class=\"question\">" + html(p->question) + "</p>";
      if (!a.explanation.empty()) body += "<p class=\"why\">" + html(a.explanation) + "</p>";
      for (const auto& e : a.evidence) body += evidence_block(e);
      if (a.status == analysis::AnswerStatus::silent) body += documents_read(a.read, "Read without finding an answer");
      if (a.review && !a.review->note.empty()) body += "<p class=\"note\">Analyst's note: " + html(a.review->note) + "</p>";
      body += "<p class=\"small\"><a href=\"/review/" + url_component(code) + "/" + url_component(a.provision) +
              "\">Review this answer</a></p></li>";
    }
    body += "</ol>";
  }
  body += "<h2>Status over time</h2>";
  if (auto t = timeline(s, c.h, code)) {
    // Never assessed: a chart of grey bars would read as ten silent answers.
    const bool never = !t->empty() && std::all_of(t->begin(), t->end(), [](const auto& e) { return !e.not_assessed.empty(); });
    body += (never ? "<p class=\"muted\">Not assessed at any date held.</p>" : timeline_svg(s, t.value())) +
            timeline_list(s, t.value());
  } else {
    body += "<p class=\"muted\">" + html(t.error().message) + "</p>";
  }
  body += "<h2>Recent changes of its law</h2>";
  ChangeFilter f;
  f.jurisdiction = code;
  const auto changes = filtered_changes(s, f);
  if (changes.empty()) body += "<p class=\"muted\">No changes recorded.</p>";
  body += "<ul class=\"changes\">";
  int shown = 0;
  for (const auto& ch : changes) {
    if (++shown > 10) break;
    if (ch.version) {
      const auto& v = *ch.version;
      body += "<li><time>" + html(v.date) + "</time> " + html(v.instrument) + " (" + html(v.language) + ") " +
              (v.previous_id ? std::to_string(v.added) + " added, " + std::to_string(v.changed) + " changed, " +
                                   std::to_string(v.removed) + " removed"
                             : std::string("first version, ") + std::to_string(v.sections) + " sections") +
              " · <a href=\"/instrument?id=" + url_component(v.instrument) + "&amp;lang=" + url_component(v.language) +
              "&amp;version=" + std::to_string(v.version_id) + "\">view</a></li>";
    } else {
      const auto& e = *ch.status;
      body += "<li><time>" + html(day(e.time)) + "</time> " + provision_link(s, e.provision) + ": " + html(e.from) +
              " → " + html(e.to) + (e.by.empty() ? "" : " by " + html(e.by)) + "</li>";
    }
  }
  body += "</ul><p><a href=\"/changes?jurisdiction=" + url_component(code) + "\">All changes for " + html(j->name) + "</a></p>";
  PageOptions o;
  o.feed_title = "Changes in " + j->name;
  o.feed_href = "/feeds/jurisdictions/" + url_component(code) + ".atom";
  return page(c, j->name, body, o);
}

Response provision_page(Ctx& c, const std::string& id) {
  const auto& s = c.snap;
  const auto* p = s.provision(id);
  if (!p) return not_found(c, "No Convention provision '" + id + "'. Provisions are listed on the overview.");
  std::string body = "<p class=\"crumbs\"><a href=\"/\">Overview</a> › Provision</p><h1>" + html(p->title) +
                     "</h1><p class=\"question\">" + html(p->question) + "</p>";
  if (p->rejects_practice)
    body += "<p class=\"muted\">The Convention rejects this practice: “provided” means the law does not impose it.</p>";
  body += "<p><a href=\"/feeds/provisions/" + url_component(id) + ".atom\">Subscribe to status changes (Atom)</a> · "
          "<a href=\"/api/v1/provisions/" + url_component(id) + "\">JSON</a></p>";
  if (s.answers.empty()) body += analysis_missing(s);
  body += "<div class=\"table-wrap\"><table class=\"side\"><thead><tr><th scope=\"col\">Jurisdiction</th><th scope=\"col\">Status</th>"
          "<th scope=\"col\">Confidence</th><th scope=\"col\">Deciding text</th></tr></thead><tbody>";
  std::vector<const corpus::Jurisdiction*> apart;
  for (const auto* j : s.ranked()) {
    const auto* a = s.answer(j->code, id);
    if (!a) continue;
    if (!a->not_assessed.empty()) {
      apart.push_back(j);
      continue;
    }
    body += "<tr id=\"" + html(j->code) + "\"><th scope=\"row\">" + jurisdiction_link(s, j->code) + "</th><td>" +
            status_badge(a->status) + (a->needs_review ? " <span class=\"flag-text warn\">needs review</span>" : "") +
            "</td><td class=\"num\">" + percent(a->confidence) + "</td><td>";
    if (a->evidence.empty()) body += "<span class=\"muted\">" + html(a->explanation) + "</span>";
    for (const auto& e : a->evidence) body += evidence_block(e);
    if (a->status == analysis::AnswerStatus::silent) body += documents_read(a->read, "Read");
    body += "</td></tr>";
  }
  body += "</tbody></table></div>";
  if (!apart.empty()) {
    body += "<h2>Not assessed</h2><ul class=\"not-assessed-list\">";
    for (const auto* j : apart) body += "<li>" + jurisdiction_link(s, j->code) + ": " + html(s.not_assessed(j->code)) + "</li>";
    body += "</ul>";
  }
  PageOptions o;
  o.feed_title = p->title;
  o.feed_href = "/feeds/provisions/" + url_component(id) + ".atom";
  return page(c, p->title, body, o);
}

Response compare_page(Ctx& c) {
  const auto& s = c.snap;
  std::vector<std::string> codes;
  for (const auto& v : c.req.params("j")) {
    if (!valid_code(v)) return bad_request(c, "j: expected jurisdiction codes such as CA, got '" + v + "'");
    if (!s.jurisdiction(v)) return bad_request(c, "j: no jurisdiction '" + v + "' in the catalogue");
    if (std::find(codes.begin(), codes.end(), v) == codes.end()) codes.push_back(v);
  }
  if (codes.size() > 5) return bad_request(c, "j: compare 2 to 5 jurisdictions, got " + std::to_string(codes.size()));
  std::string body = "<h1>Compare jurisdictions</h1><form method=\"get\" action=\"/compare\" class=\"compare-form\">"
                     "<fieldset><legend>Choose 2 to 5</legend>";
  for (const auto& j : s.jurisdictions) {
    const bool on = std::find(codes.begin(), codes.end(), j.code) != codes.end();
    body += "<label><input type=\"checkbox\" name=\"j\" value=\"" + html(j.code) + "\"" + (on ? " checked" : "") + "> " +
            html(j.name) + "</label>";
  }
  body += "</fieldset><button type=\"submit\">Compare</button></form>";
  if (codes.size() >= 2) {
    body += "<div class=\"table-wrap\"><table class=\"compare\"><thead><tr><th scope=\"col\">Provision</th>";
    for (const auto& code : codes) {
      std::string score;
      if (const auto it = s.scores.find(code); it != s.scores.end())
        score = " <span class=\"muted\">" + (it->second.assessed ? score_text(it->second.score) : "not assessed") + "</span>";
      body += "<th scope=\"col\">" + jurisdiction_link(s, code) + score + "</th>";
    }
    body += "</tr></thead><tbody>";
    for (const auto& p : s.provisions) {
      body += "<tr><th scope=\"row\">" + provision_link(s, p.id) + "</th>";
      for (const auto& code : codes) {
        const auto* a = s.answer(code, p.id);
        body += "<td>";
        if (a) {
          body += answer_badge(*a);
          if (!a->evidence.empty()) body += evidence_block(a->evidence.front());
        } else {
          body += "–";
        }
        body += "</td>";
      }
      body += "</tr>";
    }
    body += "</tbody></table></div>";
  } else if (!codes.empty()) {
    body += "<p class=\"notice\">Choose at least one more jurisdiction.</p>";
  }
  PageOptions o;
  o.active = "compare";
  return page(c, "Compare", body, o);
}

View about_view(const Ctx&) {
  using nlohmann::json;
  static const std::pair<analysis::AnswerStatus, const char*> kStatuses[] = {
      {analysis::AnswerStatus::provided, "the law establishes, permits or protects what the Convention asks"},
      {analysis::AnswerStatus::restricted,
       "allowed only partly: a pilot, licence or exemption regime, diversion, a fine instead of a crime"},
      {analysis::AnswerStatus::contrary, "the law prohibits or imposes what the Convention rejects"},
      {analysis::AnswerStatus::silent, "the documents held say nothing that answers the question"}};
  json statuses = json::array(), prefixes = json::array();
  for (const auto& [st, meaning] : kStatuses) {
    json b = badge_json(st);
    b["meaning"] = meaning;
    statuses.push_back(b);
  }
  for (const auto& [name, help] : index::known_prefixes()) prefixes.push_back({{"prefix", name}, {"help", help}});
  return View{json{{"title", "About"}, {"statuses", statuses}, {"search_prefixes", prefixes}}, std::nullopt};
}

Response about_page(Ctx& c) {
  PageOptions o;
  o.active = "about";
  return page(c, "About", render("about", about_view(c).model), o);
}

}  // namespace hrtrack::web
