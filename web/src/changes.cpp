// What changed: new versions (sections added, changed, removed) and answers whose status
// changed, newest first; as a page, its JSON (/api/v1/changes) and as Atom feeds.
#include <algorithm>
#include <variant>

#include "handlers.hpp"
#include "views.hpp"

namespace hrtrack::web {

std::vector<ChangeItem> filtered_changes(const Snapshot& s, const ChangeFilter& f) {
  std::vector<ChangeItem> out;
  if (f.kind.empty() || f.kind == "versions") {
    // A version change concerns every provision of its jurisdiction, so a provision filter
    // keeps only status changes.
    if (f.provision.empty())
      for (const auto& v : s.version_changes)
        if (f.jurisdiction.empty() || v.jurisdiction == f.jurisdiction) out.push_back({v.date, &v, nullptr});
  }
  if (f.kind.empty() || f.kind == "status") {
    for (const auto& e : s.status_changes) {
      if (!f.jurisdiction.empty() && e.jurisdiction != f.jurisdiction) continue;
      if (!f.provision.empty() && e.provision != f.provision) continue;
      out.push_back({e.time, nullptr, &e});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.date > b.date; });
  return out;
}

namespace {

using nlohmann::json;

std::string version_summary(const VersionChange& v) {
  if (!v.previous_id) return "first version held, " + std::to_string(v.sections) + " sections";
  return std::to_string(v.added) + " sections added, " + std::to_string(v.changed) + " changed, " +
         std::to_string(v.removed) + " removed";
}

std::string instrument_url(const VersionChange& v) {
  return "/instrument?id=" + url_component(v.instrument) + "&lang=" + url_component(v.language) +
         "&version=" + std::to_string(v.version_id);
}

// The section numbers a version added, changed or removed, the first twelve shown; a removed
// one has no page to link to (url null).
json numbers_model(const VersionChange& v, const std::vector<std::string>& numbers, const std::string& label) {
  constexpr std::size_t kShown = 12;
  json entries = json::array();
  for (std::size_t i = 0; i < numbers.size() && i < kShown; ++i) {
    const std::string id = v.instrument + "#" + numbers[i];
    entries.push_back({{"number", numbers[i]}, {"id", id},
                       {"url", label == "removed" ? json(nullptr) : json(section_url(id, v.language, v.version_id))}});
  }
  return {{"label", label}, {"entries", entries}, {"more", numbers.size() > kShown}};
}

std::string jurisdiction_name(const Snapshot& s, const std::string& code) {
  const auto* j = s.jurisdiction(code);
  return j && !j->name.empty() ? j->name : code;
}

// One change as /api/v1/changes has always written it, with what the page shows beside it.
json change_model(const Snapshot& s, const ChangeItem& it) {
  if (it.version) {
    const auto& v = *it.version;
    json numbers = json::array();
    for (const auto& [list, label] : {std::pair{&v.added_numbers, "added"}, {&v.changed_numbers, "changed"},
                                      {&v.removed_numbers, "removed"}})
      if (!list->empty()) numbers.push_back(numbers_model(v, *list, label));
    return {{"kind", "version"}, {"date", v.date}, {"jurisdiction", v.jurisdiction}, {"instrument", v.instrument},
            {"language", v.language}, {"version_id", v.version_id}, {"first", v.previous_id == 0},
            {"added", v.added_numbers}, {"changed", v.changed_numbers}, {"removed", v.removed_numbers},
            {"new_version", true}, {"title", v.title}, {"summary", version_summary(v)},
            {"instrument_url", instrument_url(v)}, {"jurisdiction_name", jurisdiction_name(s, v.jurisdiction)},
            {"jurisdiction_url", "/jurisdictions/" + url_component(v.jurisdiction)}, {"numbers", numbers}};
  }
  const auto& e = *it.status;
  const auto* p = s.provision(e.provision);
  return {{"kind", e.kind}, {"time", e.time}, {"jurisdiction", e.jurisdiction}, {"provision", e.provision},
          {"from", e.from}, {"to", e.to}, {"by", e.by}, {"note", e.note},
          {"new_version", false}, {"day", day(e.time)}, {"kind_label", e.kind == "review" ? "review" : "status changed"},
          {"jurisdiction_name", jurisdiction_name(s, e.jurisdiction)},
          {"jurisdiction_url", "/jurisdictions/" + url_component(e.jurisdiction)},
          {"provision_title", p ? p->title : e.provision}, {"provision_url", "/provisions/" + url_component(e.provision)}};
}

// The parameters of /changes and /api/v1/changes, checked.
struct ChangeQuery {
  ChangeFilter filter;
  long long page = 1, limit = 50;
};

std::variant<ChangeQuery, Failure> parse_changes(const Request& r, const Snapshot& s, long long default_limit) {
  auto bad = [](std::string m) { return Failure{400, std::move(m), {}}; };
  ChangeQuery q;
  auto& f = q.filter;
  f.jurisdiction = r.param("jurisdiction").value_or("");
  f.provision = r.param("provision").value_or("");
  f.kind = r.param("kind").value_or("");
  q.limit = default_limit;
  if (!f.jurisdiction.empty() && !valid_code(f.jurisdiction))
    return bad("jurisdiction: expected an ISO code such as CA, got '" + f.jurisdiction + "'");
  if (!f.provision.empty() && !s.provision(f.provision)) return bad("provision: no Convention provision '" + f.provision + "'");
  if (!f.kind.empty() && f.kind != "versions" && f.kind != "status")
    return bad("kind: expected 'versions' or 'status', got '" + f.kind + "'");
  if (const auto p = r.param("page"); p && !valid_int(*p, 1, 10000, q.page))
    return bad("page: expected a page number, got '" + *p + "'");
  if (const auto p = r.param("limit"); p && !valid_int(*p, 1, 1000, q.limit)) return bad("limit: 1 to 1000");
  return q;
}

// /changes?page=N with the query's filters.
std::string page_url(const ChangeQuery& q, long long n, long long default_limit) {
  std::string u = "/changes?page=" + std::to_string(n);
  const auto& f = q.filter;
  if (!f.jurisdiction.empty()) u += "&jurisdiction=" + url_component(f.jurisdiction);
  if (!f.provision.empty()) u += "&provision=" + url_component(f.provision);
  if (!f.kind.empty()) u += "&kind=" + url_component(f.kind);
  if (q.limit != default_limit) u += "&limit=" + std::to_string(q.limit);
  return u;
}

json options(const std::string& current, const std::vector<std::pair<std::string, std::string>>& list) {
  json out = json::array();
  for (const auto& [value, label] : list) out.push_back({{"value", value}, {"label", label}, {"selected", value == current}});
  return out;
}

}  // namespace

View changes_view(const Ctx& c, bool page) {
  // The page shows 50 a page; the API answers 100 unless asked for another limit, as it always did.
  const long long default_limit = page ? 50 : 100;
  auto parsed = parse_changes(c.req, c.snap, default_limit);
  if (auto* f = std::get_if<Failure>(&parsed)) return View{nullptr, std::move(*f)};
  const auto& q = std::get<ChangeQuery>(parsed);
  const auto& f = q.filter;
  const auto& s = c.snap;
  const auto items = filtered_changes(s, f);
  const auto first = static_cast<std::size_t>((q.page - 1) * q.limit);
  const auto end = std::min(items.size(), first + static_cast<std::size_t>(q.limit));
  json changes = json::array();
  for (std::size_t i = first; i < end; ++i) changes.push_back(change_model(s, items[i]));
  std::string feed = "/feeds/changes.atom";
  if (!f.jurisdiction.empty()) feed = "/feeds/jurisdictions/" + url_component(f.jurisdiction) + ".atom";
  else if (!f.provision.empty()) feed = "/feeds/provisions/" + url_component(f.provision) + ".atom";
  std::vector<std::pair<std::string, std::string>> jurisdictions, provisions;
  for (const auto& j : s.jurisdictions) jurisdictions.emplace_back(j.code, j.name);
  for (const auto& p : s.provisions) provisions.emplace_back(p.id, p.title);
  const bool older = items.size() > end;
  json pager = nullptr;
  if (older || q.page > 1)
    pager = {{"prev_url", q.page > 1 ? json(page_url(q, q.page - 1, default_limit)) : json(nullptr)},
             {"next_url", older ? json(page_url(q, q.page + 1, default_limit)) : json(nullptr)}};
  json m{{"title", "Changes"},
         {"query", {{"jurisdiction", f.jurisdiction}, {"provision", f.provision}, {"kind", f.kind}, {"page", q.page},
                    {"limit", q.limit}}},
         {"total", items.size()},
         {"empty", items.empty()},
         {"changes", changes},
         {"pager", pager},
         {"feed", feed},
         {"form", {{"jurisdictions", options(f.jurisdiction, jurisdictions)},
                   {"provisions", options(f.provision, provisions)},
                   {"kinds", options(f.kind, {{"versions", "new versions of the law"}, {"status", "answers whose status changed"}})}}}};
  return View{std::move(m), std::nullopt};
}

Response changes_page(Ctx& c) {
  const auto v = changes_view(c, true);
  if (v.failure) return failure_response(c, *v.failure);
  PageOptions o;
  o.active = "changes";
  o.feed_title = "Changes";
  o.feed_href = v.model["feed"].get<std::string>();
  return page(c, v.model["title"].get<std::string>(), render("changes", v.model), o);
}

namespace {

// An Atom feed of the changes in one scope ("all", "jurisdictions", "provisions"), the
// newest hundred.
View feed_view(const Ctx& c, const std::string& scope, const std::string& value) {
  const auto& s = c.snap;
  ChangeFilter f;
  std::string title = "hrtrack: all changes";
  if (scope == "jurisdictions") {
    if (!valid_code(value) || !s.jurisdiction(value)) return fail(404, "No jurisdiction '" + value + "'.");
    f.jurisdiction = value;
    title = "hrtrack: changes in " + s.jurisdiction(value)->name;
  } else if (scope == "provisions") {
    if (!s.provision(value)) return fail(404, "No provision '" + value + "'.");
    f.provision = value;
    title = "hrtrack: status changes for " + s.provision(value)->title;
  }
  const std::string base = public_base(c.config);
  const auto items = filtered_changes(s, f);
  auto atom_time = [](const std::string& d) { return d.size() == 10 ? d + "T00:00:00Z" : d; };
  json entries = json::array();
  for (const auto& it : items) {
    if (entries.size() >= 100) break;
    if (it.version) {
      const auto& v = *it.version;
      entries.push_back({{"title", v.jurisdiction + " " + v.instrument + " (" + v.language + "): new version of " + v.date},
                         {"link", base + instrument_url(v)},
                         {"id", "urn:hrtrack:version:" + std::to_string(v.version_id)},
                         {"updated", atom_time(it.date)},
                         {"summary", v.title + ": " + version_summary(v)}});
    } else {
      const auto& e = *it.status;
      entries.push_back(
          {{"title", e.jurisdiction + " " + e.provision + ": " + (e.from.empty() ? "" : e.from + " -> ") + e.to},
           {"link", base + "/jurisdictions/" + url_component(e.jurisdiction) + "#" + url_component(e.provision)},
           {"id", "urn:hrtrack:event:" + std::to_string(e.id)},
           {"updated", atom_time(it.date)},
           {"summary", (e.kind == "review" ? "Reviewed" : "Status changed") + (e.by.empty() ? std::string() : " by " + e.by) +
                           (e.note.empty() ? std::string() : ": " + e.note)}});
    }
  }
  json m{{"title", title},
         {"self", base + c.req.path},
         {"home", base + "/changes"},
         {"updated", items.empty() ? "1970-01-01T00:00:00Z" : atom_time(items.front().date)},
         {"entries", entries}};
  return View{std::move(m), std::nullopt};
}

}  // namespace

Response feed(Ctx& c, const std::string& scope, const std::string& value) {
  const auto v = feed_view(c, scope, value);
  if (v.failure) return failure_response(c, *v.failure);
  return text_response(render("changes_atom", v.model, Output::xml), "application/atom+xml; charset=utf-8");
}

}  // namespace hrtrack::web
