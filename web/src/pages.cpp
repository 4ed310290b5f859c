// The Convention pages: overview (map and heat table), jurisdiction, provision, compare.
// Each view builds the model its page renders (web/templates/<page>.mustache) and its API
// route returns as JSON: the API's fields, with what the page shows added beside them.
#include <algorithm>
#include <cstdio>

#include "handlers.hpp"
#include "views.hpp"
#include "hrtrack/index/index.hpp"

namespace hrtrack::web {
namespace {

using nlohmann::json;

// Why there are no answers at all, for _no_answers.
std::string no_answers(const Snapshot& s) { return s.analysis_error.empty() ? "run 'hrtrack analyze'" : s.analysis_error; }

// The statuses' short badges, for the legend above the heat table.
json legend() {
  using analysis::AnswerStatus;
  json out = json::array();
  for (auto st : {AnswerStatus::provided, AnswerStatus::restricted, AnswerStatus::contrary, AnswerStatus::silent})
    out.push_back(badge_json(st, true));
  return out;
}

// A jurisdiction's name as its links show it: the code when it has none.
std::string shown_name(const Snapshot& s, const std::string& code) {
  return jurisdiction_ref(s, code)["name"].get<std::string>();
}

// One answer as the API gives it (answer_json), with what the pages show of it: its
// provision's title, question and address, its badge, its confidence as a percentage, each
// evidence's section address, the documents read (lead: `read_lead`) when it is silent, the
// day of its review and the machine's status when the analyst changed it.
json answer_model(const Snapshot& s, const analysis::Answer& a, const std::string& read_lead) {
  json m = answer_json(a);
  const auto ref = provision_ref(s, a.provision);
  const auto* p = s.provision(a.provision);
  m["provision_title"] = ref["title"];
  m["provision_url"] = ref["url"];
  m["question"] = p ? p->question : "";
  m["badge"] = answer_badge_json(a);
  m["confidence_text"] = percent(a.confidence);
  m["read_line"] = a.status == analysis::AnswerStatus::silent ? read_json(a.read, read_lead) : json(nullptr);
  m["review_url"] = "/review/" + url_component(a.jurisdiction) + "/" + url_component(a.provision);
  if (a.review) {
    m["review"]["day"] = day(a.review->at);
    m["review"]["machine_said"] = a.review->status != a.machine_status ? analysis::to_string(a.machine_status) : "";
  }
  return m;
}

// A heat table cell: the status's initial, linking to the answer.
json answer_cell(const Snapshot& s, const std::string& code, const analysis::Provision& p) {
  const auto* a = s.answer(code, p.id);
  if (!a) return {{"answered", false}};
  const std::string name(analysis::to_string(a->status));
  return {{"answered", true},
          {"class", status_class(a->status)},
          {"url", "/jurisdictions/" + url_component(code) + "#" + url_component(p.id)},
          {"title", code + " · " + p.title + ": " + name},
          {"letter", std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(name[0]))))},
          {"reviewed", a->review.has_value()},
          {"needs_review", a->needs_review}};
}

// The timeline as a chart: one row per provision, a bar per status from its date to the
// next one's, on a time axis that runs a year past the last change. Coordinates in the
// SVG's user units.
json timeline_chart(const Snapshot& s, const std::vector<analysis::TimelineEntry>& t) {
  std::string first = t.front().from, last = first;
  for (const auto& e : t) {
    first = std::min(first, e.from);
    last = std::max(last, e.from);
  }
  auto days = [](const std::string& d) -> double {
    int y = 0, m = 0, dd = 0;
    if (std::sscanf(d.c_str(), "%d-%d-%d", &y, &m, &dd) != 3) return 0;
    return y * 365.25 + (m - 1) * 30.44 + dd;
  };
  auto fixed = [](double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", x);
    return std::string(buf);
  };
  const double t0 = days(first);
  const double t1 = std::max(days(last) + 365, t0 + 365);  // the last status runs on: show a year of it
  const int label_w = 210, width = 900, row_h = 22;
  const double plot_w = width - label_w - 10;
  const int rows = static_cast<int>(s.provisions.size());
  auto x_of = [&](const std::string& d) { return label_w + (days(d) - t0) / (t1 - t0) * plot_w; };
  json out_rows = json::array();
  for (int r = 0; r < rows; ++r) {
    const auto& p = s.provisions[static_cast<std::size_t>(r)];
    const int y = r * row_h + 4;
    std::vector<const analysis::TimelineEntry*> mine;
    for (const auto& e : t)
      if (e.provision == p.id) mine.push_back(&e);
    std::sort(mine.begin(), mine.end(), [](auto* a, auto* b) { return a->from < b->from; });
    json bars = json::array();
    for (std::size_t k = 0; k < mine.size(); ++k) {
      const double x0 = x_of(mine[k]->from);
      const double x1 = k + 1 < mine.size() ? x_of(mine[k + 1]->from) : label_w + plot_w;
      std::string title = p.title + ": " + std::string(analysis::to_string(mine[k]->status)) + " from " + mine[k]->from;
      for (const auto& v : mine[k]->changed_by) title += "\n" + v;
      bars.push_back({{"x", fixed(x0)}, {"y", y}, {"width", fixed(std::max(1.5, x1 - x0))}, {"height", row_h - 6},
                      {"class", status_class(mine[k]->status)}, {"title", title}});
    }
    out_rows.push_back({{"label", p.title.substr(0, 34)}, {"label_y", y + 14}, {"bars", bars}});
  }
  return {{"width", width}, {"height", rows * row_h + 30}, {"rows", out_rows}, {"axis_y", rows * row_h + 20},
          {"first", first}, {"first_x", label_w}, {"last", last}, {"last_x", fixed(x_of(last))}};
}

// The timeline in words: where coverage starts, then each change with what caused it.
json timeline_list(const Snapshot& s, const std::vector<analysis::TimelineEntry>& t) {
  std::string start = t.front().from;
  for (const auto& e : t) start = std::min(start, e.from);
  std::string start_by;
  for (const auto& v : t.front().changed_by) start_by += (start_by.empty() ? "" : "; ") + v;
  std::vector<const analysis::TimelineEntry*> later;
  for (std::size_t i = 1; i < t.size(); ++i)
    if (t[i].provision == t[i - 1].provision) later.push_back(&t[i]);
  std::stable_sort(later.begin(), later.end(), [](auto* a, auto* b) { return a->from < b->from; });
  json changes = json::array();
  for (const auto* e : later) {
    const auto* before = e - 1;
    const auto ref = provision_ref(s, e->provision);
    std::string causes;
    for (const auto& cause : e->caused_by) causes += (causes.empty() ? "" : "; ") + analysis::to_string(cause);
    changes.push_back({{"from", e->from}, {"coverage", e->coverage_start}, {"provision_title", ref["title"]},
                       {"provision_url", ref["url"]}, {"before", analysis::shown_status(*before)},
                       {"after", analysis::shown_status(*e)}, {"causes", causes}});
  }
  return {{"start", start}, {"start_by", start_by}, {"changes", changes}};
}

// "Status over time": the chart and the list, or why there is none.
json status_over_time(const Ctx& c, const std::string& code) {
  json m{{"error", ""}, {"never", false}, {"single", false}, {"chart", nullptr}, {"list", nullptr}};
  const auto t = timeline(c.snap, c.h, code);
  if (!t) {
    m["error"] = t.error().message;
    return m;
  }
  const auto& entries = t.value();
  if (entries.empty()) {
    m["single"] = true;
    return m;
  }
  // Never assessed: a chart of grey bars would read as ten silent answers.
  m["never"] = std::all_of(entries.begin(), entries.end(), [](const auto& e) { return !e.not_assessed.empty(); });
  if (!m["never"].get<bool>()) m["chart"] = timeline_chart(c.snap, entries);
  m["list"] = timeline_list(c.snap, entries);
  return m;
}

// The ten latest changes of a jurisdiction's law and of its answers.
json recent_changes(const Snapshot& s, const std::string& code) {
  ChangeFilter f;
  f.jurisdiction = code;
  json out = json::array();
  for (const auto& ch : filtered_changes(s, f)) {
    if (out.size() >= 10) break;
    if (ch.version) {
      const auto& v = *ch.version;
      out.push_back({{"version", true}, {"date", v.date}, {"instrument", v.instrument}, {"language", v.language},
                     {"counts", v.previous_id ? std::to_string(v.added) + " added, " + std::to_string(v.changed) + " changed, " +
                                                    std::to_string(v.removed) + " removed"
                                              : "first version, " + std::to_string(v.sections) + " sections"},
                     {"url", "/instrument?id=" + url_component(v.instrument) + "&lang=" + url_component(v.language) +
                                 "&version=" + std::to_string(v.version_id)}});
    } else {
      const auto& e = *ch.status;
      const auto ref = provision_ref(s, e.provision);
      out.push_back({{"version", false}, {"date", day(e.time)}, {"provision_title", ref["title"]},
                     {"provision_url", ref["url"]}, {"from", e.from}, {"to", e.to}, {"by", e.by}});
    }
  }
  return out;
}

}  // namespace

Response view_page(const Ctx& c, const View& v, std::string_view name, const PageOptions& o) {
  if (v.failure) return failure_response(c, *v.failure);
  return page(c, v.model["title"].get<std::string>(), render(name, v.model), o);
}

View overview_view(const Ctx& c) {
  const auto& s = c.snap;
  // The map's data (map.js draws it): every jurisdiction held, its score or why it has none.
  json map = json::array();
  for (const auto& j : s.jurisdictions) {
    json e{{"code", j.code}, {"name", j.name}};
    if (const auto it = s.scores.find(j.code); it != s.scores.end()) {
      if (it->second.assessed) {
        e["score"] = it->second.score;
        e["coverage"] = it->second.coverage;
      } else {
        e["not_assessed"] = it->second.not_assessed;
      }
    }
    map.push_back(std::move(e));
  }
  json provisions = json::array();
  for (const auto& p : s.provisions) {
    auto ref = provision_ref(s, p.id);
    ref["question"] = p.question;
    provisions.push_back(std::move(ref));
  }
  // The assessed, ranked, each with a cell per provision; then, apart, those not assessed
  // with the reason; the means of the assessed.
  json rows = json::array();
  int assessed = 0;
  bool any_apart = false;
  double score_sum = 0, coverage_sum = 0;
  std::vector<double> provision_sum(s.provisions.size(), 0);
  for (const auto* j : s.ranked()) {
    json e = jurisdiction_summary(s, *j);
    const std::string reason = s.not_assessed(j->code);
    e["apart"] = !reason.empty();
    e["reason"] = reason;
    e["shown_name"] = shown_name(s, j->code);
    e["score_text"] = "–";
    e["coverage_text"] = "–";
    json cells = json::array();
    if (!reason.empty()) {
      any_apart = true;
    } else {
      if (const auto it = s.scores.find(j->code); it != s.scores.end()) {
        e["score_text"] = score_text(it->second.score);
        e["coverage_text"] = percent(it->second.coverage);
        ++assessed;
        score_sum += it->second.score;
        coverage_sum += it->second.coverage;
        for (std::size_t k = 0; k < s.provisions.size(); ++k)
          if (const auto* a = s.answer(j->code, s.provisions[k].id)) provision_sum[k] += a->score;
      }
      for (const auto& p : s.provisions) cells.push_back(answer_cell(s, j->code, p));
    }
    e["cells"] = std::move(cells);
    rows.push_back(std::move(e));
  }
  json means = nullptr;
  if (assessed > 0) {
    json per = json::array();
    for (std::size_t k = 0; k < s.provisions.size(); ++k)
      per.push_back({{"title", s.provisions[k].title}, {"text", score_text(provision_sum[k] / assessed)}});
    means = {{"count", assessed}, {"score_text", score_text(score_sum / assessed)},
             {"coverage_text", percent(coverage_sum / assessed)}, {"provisions", per}};
  }
  json m{{"title", "Overview"},
         {"jurisdictions", rows},
         {"analysis_error", s.analysis_error},
         {"no_answers", s.answers.empty() ? no_answers(s) : ""},
         {"totals", {{"jurisdictions", s.totals.jurisdictions}, {"instruments", s.totals.instruments},
                     {"versions", s.totals.versions}, {"sections", s.totals.sections}}},
         {"map", map},
         {"provisions", provisions},
         {"provision_count", s.provisions.size()},
         {"apart_colspan", 3 + s.provisions.size()},
         {"legend", legend()},
         {"means", means},
         {"any_apart", any_apart}};
  return View{std::move(m), std::nullopt};
}

Response overview(Ctx& c) {
  auto v = overview_view(c);
  // Only the page: the map's data as a JSON island that cannot close its script element.
  v.model["map_script"] = json_for_script(v.model["map"].dump(-1, ' ', false, json::error_handler_t::replace));
  PageOptions o;
  o.active = "overview";
  o.scripts = {"d3-array.min.js", "d3-geo.min.js", "topojson-client.min.js", "map.js"};
  o.feed_title = "All changes";
  o.feed_href = "/feeds/changes.atom";
  return view_page(c, v, "overview", o);
}

View jurisdiction_view(const Ctx& c, const std::string& code) {
  const auto& s = c.snap;
  if (!valid_code(code)) return fail(400, "jurisdiction: expected an ISO code such as CA or US-OR, got '" + code + "'");
  const auto* j = s.jurisdiction(code);
  if (!j) return fail(404, "No jurisdiction '" + code + "' in the catalogue.");
  json m = jurisdiction_summary(s, *j);
  m["title"] = j->name;
  const std::string unassessed = s.not_assessed(code);
  m["notice"] = unassessed.empty() ? json(nullptr) : json{{"reason", unassessed}};
  m["scorecard"] = nullptr;
  if (const auto it = s.scores.find(code); unassessed.empty() && it != s.scores.end()) {
    const auto& sc = it->second;
    m["scorecard"] = {{"score_text", score_text(sc.score)}, {"coverage_text", percent(sc.coverage)}, {"rank", sc.rank},
                      {"of", s.assessed_count()},           {"rank_min", sc.rank_min},              {"rank_max", sc.rank_max}};
  }
  const auto it = s.answers.find(code);
  json answers = json::array();
  if (it != s.answers.end())
    for (const auto& a : it->second) answers.push_back(answer_model(s, a, "Read without finding an answer"));
  m["answers"] = std::move(answers);
  m["no_answers"] = it == s.answers.end() ? no_answers(s) : "";
  // Not assessed: no answers to list, only why and the documents held.
  m["withheld"] = nullptr;
  if (it != s.answers.end() && !unassessed.empty())
    m["withheld"] = {{"reason", unassessed},
                     {"read_line", it->second.empty() ? json(nullptr) : read_json(it->second.front().read, "Documents held and read")}};
  m["list_answers"] = it != s.answers.end() && unassessed.empty();
  m["status_over_time"] = status_over_time(c, code);
  m["recent_changes"] = recent_changes(s, code);
  return View{std::move(m), std::nullopt};
}

Response jurisdiction_page(Ctx& c, const std::string& code) {
  const auto v = jurisdiction_view(c, code);
  PageOptions o;
  if (!v.failure) {
    o.feed_title = "Changes in " + v.model["name"].get<std::string>();
    o.feed_href = "/feeds/jurisdictions/" + url_component(code) + ".atom";
  }
  return view_page(c, v, "jurisdiction", o);
}

View provision_view(const Ctx& c, const std::string& id) {
  const auto& s = c.snap;
  const auto* p = s.provision(id);
  if (!p) return fail(404, "No Convention provision '" + id + "'. Provisions are listed on the overview.");
  json m = provision_json(*p), answers = json::array();
  for (const auto& j : s.jurisdictions)
    if (const auto* x = s.answer(j.code, p->id)) answers.push_back(answer_json(*x));
  m["answers"] = std::move(answers);
  // The table: the assessed jurisdictions' answers, ranked; then those not assessed, apart.
  json rows = json::array(), apart = json::array();
  for (const auto* j : s.ranked()) {
    const auto* a = s.answer(j->code, id);
    if (!a) continue;
    auto ref = jurisdiction_ref(s, j->code);
    if (!a->not_assessed.empty()) {
      ref["reason"] = s.not_assessed(j->code);
      apart.push_back(std::move(ref));
      continue;
    }
    json r = answer_model(s, *a, "Read");
    r["jurisdiction_name"] = ref["name"];
    r["jurisdiction_url"] = ref["url"];
    rows.push_back(std::move(r));
  }
  m["rows"] = std::move(rows);
  m["any_apart"] = !apart.empty();
  m["apart"] = std::move(apart);
  m["no_answers"] = s.answers.empty() ? no_answers(s) : "";
  m["feed_url"] = "/feeds/provisions/" + url_component(id) + ".atom";
  m["json_url"] = "/api/v1/provisions/" + url_component(id);
  return View{std::move(m), std::nullopt};
}

Response provision_page(Ctx& c, const std::string& id) {
  const auto v = provision_view(c, id);
  PageOptions o;
  if (!v.failure) {
    o.feed_title = v.model["title"].get<std::string>();
    o.feed_href = v.model["feed_url"].get<std::string>();
  }
  return view_page(c, v, "provision", o);
}

View compare_view(const Ctx& c, bool need_pair) {
  const auto& s = c.snap;
  std::vector<std::string> codes;
  for (const auto& v : c.req.params("j")) {
    if (!valid_code(v)) return fail(400, "j: expected jurisdiction codes such as CA, got '" + v + "'");
    if (!s.jurisdiction(v)) return fail(400, "j: no jurisdiction '" + v + "' in the catalogue");
    if (std::find(codes.begin(), codes.end(), v) == codes.end()) codes.push_back(v);
  }
  if (codes.size() > 5) return fail(400, "j: compare 2 to 5 jurisdictions, got " + std::to_string(codes.size()));
  if (need_pair && codes.size() < 2) return fail(400, "j: give 2 to 5 jurisdiction codes");
  // By code, as the API has always answered; "codes" keeps the order asked for.
  json by_code = json::object();
  json columns = json::array();
  for (const auto& code : codes) {
    json e = jurisdiction_summary(s, *s.jurisdiction(code));
    json answers = json::array();
    if (const auto it = s.answers.find(code); it != s.answers.end())
      for (const auto& x : it->second) answers.push_back(answer_json(x));
    e["answers"] = std::move(answers);
    by_code[code] = std::move(e);
    auto col = jurisdiction_ref(s, code);
    col["score_label"] = "";
    if (const auto it = s.scores.find(code); it != s.scores.end())
      col["score_label"] = it->second.assessed ? score_text(it->second.score) : "not assessed";
    columns.push_back(std::move(col));
  }
  json choices = json::array();
  for (const auto& j : s.jurisdictions)
    choices.push_back({{"code", j.code}, {"name", j.name},
                       {"checked", std::find(codes.begin(), codes.end(), j.code) != codes.end()}});
  json rows = json::array();
  if (codes.size() >= 2)
    for (const auto& p : s.provisions) {
      json cells = json::array();
      for (const auto& code : codes) {
        const auto* a = s.answer(code, p.id);
        cells.push_back({{"answered", a != nullptr}, {"badge", a ? answer_badge_json(*a) : json(nullptr)},
                         {"evidence", a && !a->evidence.empty() ? evidence_json(a->evidence.front()) : json(nullptr)}});
      }
      auto ref = provision_ref(s, p.id);
      rows.push_back({{"provision_title", ref["title"]}, {"provision_url", ref["url"]}, {"cells", cells}});
    }
  json m{{"title", "Compare"},      {"jurisdictions", by_code}, {"codes", codes},
         {"choices", choices},      {"columns", columns},       {"rows", rows},
         {"table", codes.size() >= 2}, {"need_more", codes.size() == 1}};
  return View{std::move(m), std::nullopt};
}

Response compare_page(Ctx& c) {
  PageOptions o;
  o.active = "compare";
  return view_page(c, compare_view(c, false), "compare", o);
}

View about_view(const Ctx&) {
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
  return view_page(c, about_view(c), "about", o);
}

}  // namespace hrtrack::web
