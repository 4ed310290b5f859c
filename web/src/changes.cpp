// What changed: new versions (sections added, changed, removed) and answers whose status
// changed, newest first; as a page, and as Atom feeds.
#include <algorithm>

#include "handlers.hpp"

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

std::string version_summary(const VersionChange& v) {
  if (!v.previous_id) return "first version held, " + std::to_string(v.sections) + " sections";
  return std::to_string(v.added) + " sections added, " + std::to_string(v.changed) + " changed, " +
         std::to_string(v.removed) + " removed";
}

std::string instrument_url(const VersionChange& v) {
  return "/instrument?id=" + url_component(v.instrument) + "&lang=" + url_component(v.language) +
         "&version=" + std::to_string(v.version_id);
}

std::string numbers_list(const VersionChange& v, const std::vector<std::string>& numbers, const char* label) {
  if (numbers.empty()) return {};
  std::string out = "<span class=\"nums\">" + std::string(label) + ": ";
  std::size_t shown = 0;
  for (const auto& n : numbers) {
    if (++shown > 12) {
      out += "… ";
      break;
    }
    out += std::string(label) == "removed" ? html(n) + " "
                                           : section_link(v.instrument + "#" + n, v.language, v.version_id) + " ";
  }
  return out + "</span>";
}

Result<ChangeFilter> read_filter(const Ctx& c) {
  ChangeFilter f;
  f.jurisdiction = c.req.param("jurisdiction").value_or("");
  f.provision = c.req.param("provision").value_or("");
  f.kind = c.req.param("kind").value_or("");
  if (!f.jurisdiction.empty() && !valid_code(f.jurisdiction))
    return Error{"jurisdiction: expected an ISO code such as CA, got '" + f.jurisdiction + "'"};
  if (!f.provision.empty() && !c.snap.provision(f.provision))
    return Error{"provision: no Convention provision '" + f.provision + "'"};
  if (!f.kind.empty() && f.kind != "versions" && f.kind != "status")
    return Error{"kind: expected 'versions' or 'status', got '" + f.kind + "'"};
  return f;
}

}  // namespace

Response changes_page(Ctx& c) {
  const auto f = read_filter(c);
  if (!f) return bad_request(c, f.error().message);
  long long page_no = 1;
  if (const auto p = c.req.param("page"); p && !valid_int(*p, 1, 10000, page_no))
    return bad_request(c, "page: expected a page number, got '" + *p + "'");
  const auto& s = c.snap;
  const auto items = filtered_changes(s, f.value());
  std::string body = "<h1>Changes</h1><form method=\"get\" action=\"/changes\" class=\"filters inline-form\"><label>Jurisdiction "
                     "<select name=\"jurisdiction\"><option value=\"\">all</option>";
  for (const auto& j : s.jurisdictions)
    body += "<option value=\"" + html(j.code) + "\"" + (j.code == f->jurisdiction ? " selected" : "") + ">" + html(j.name) + "</option>";
  body += "</select></label><label>Provision <select name=\"provision\"><option value=\"\">all</option>";
  for (const auto& p : s.provisions)
    body += "<option value=\"" + html(p.id) + "\"" + (p.id == f->provision ? " selected" : "") + ">" + html(p.title) + "</option>";
  body += "</select></label><label>Kind <select name=\"kind\"><option value=\"\">all</option><option value=\"versions\"" +
          std::string(f->kind == "versions" ? " selected" : "") + ">new versions of the law</option><option value=\"status\"" +
          (f->kind == "status" ? " selected" : "") + ">answers whose status changed</option></select></label>"
          "<button type=\"submit\">Filter</button></form>";
  std::string feed = "/feeds/changes.atom";
  if (!f->jurisdiction.empty()) feed = "/feeds/jurisdictions/" + url_component(f->jurisdiction) + ".atom";
  else if (!f->provision.empty()) feed = "/feeds/provisions/" + url_component(f->provision) + ".atom";
  body += "<p class=\"subscribe\"><a class=\"feed\" href=\"" + html(feed) + "\">Subscribe to these changes (Atom)</a></p>";
  const std::size_t per_page = 50;
  const std::size_t first = static_cast<std::size_t>(page_no - 1) * per_page;
  if (items.empty()) body += "<p class=\"muted\">No changes match.</p>";
  body += "<ol class=\"change-list\">";
  for (std::size_t i = first; i < items.size() && i < first + per_page; ++i) {
    const auto& it = items[i];
    if (it.version) {
      const auto& v = *it.version;
      body += "<li class=\"change version\"><time datetime=\"" + html(v.date) + "\">" + html(v.date) + "</time> <span class=\"kind\">new version</span> " +
              jurisdiction_link(s, v.jurisdiction) + " · <a href=\"" + html(instrument_url(v)) + "\">" + html(v.instrument) + "</a> " +
              html(v.title) + " (" + html(v.language) + "): " + html(version_summary(v)) + "<br>" +
              numbers_list(v, v.added_numbers, "added") + numbers_list(v, v.changed_numbers, "changed") +
              numbers_list(v, v.removed_numbers, "removed") + "</li>";
    } else {
      const auto& e = *it.status;
      body += "<li class=\"change status\"><time datetime=\"" + html(e.time) + "\">" + html(day(e.time)) + "</time> <span class=\"kind\">" +
              (e.kind == "review" ? "review" : "status changed") + "</span> " + jurisdiction_link(s, e.jurisdiction) + " · " +
              provision_link(s, e.provision) + ": " + (e.from.empty() ? "" : html(e.from) + " → ") + "<strong>" + html(e.to) + "</strong>" +
              (e.by.empty() ? "" : " by " + html(e.by)) + (e.note.empty() ? "" : " — " + html(e.note)) + "</li>";
    }
  }
  body += "</ol>";
  if (items.size() > first + per_page || page_no > 1) {
    auto page_link = [&](long long n) {
      std::string u = "/changes?page=" + std::to_string(n);
      if (!f->jurisdiction.empty()) u += "&jurisdiction=" + url_component(f->jurisdiction);
      if (!f->provision.empty()) u += "&provision=" + url_component(f->provision);
      if (!f->kind.empty()) u += "&kind=" + url_component(f->kind);
      return html(u);
    };
    body += "<nav class=\"pager\">";
    if (page_no > 1) body += "<a rel=\"prev\" href=\"" + page_link(page_no - 1) + "\">← Newer</a>";
    if (items.size() > first + per_page) body += "<a rel=\"next\" href=\"" + page_link(page_no + 1) + "\">Older →</a>";
    body += "</nav>";
  }
  PageOptions o;
  o.active = "changes";
  o.feed_title = "Changes";
  o.feed_href = feed;
  return page(c, "Changes", body, o);
}

Response feed(Ctx& c, const std::string& scope, const std::string& value) {
  const auto& s = c.snap;
  ChangeFilter f;
  std::string title = "hrtrack: all changes";
  if (scope == "jurisdictions") {
    if (!valid_code(value) || !s.jurisdiction(value)) return not_found(c, "No jurisdiction '" + value + "'.");
    f.jurisdiction = value;
    title = "hrtrack: changes in " + s.jurisdiction(value)->name;
  } else if (scope == "provisions") {
    if (!s.provision(value)) return not_found(c, "No provision '" + value + "'.");
    f.provision = value;
    title = "hrtrack: status changes for " + s.provision(value)->title;
  }
  const std::string base = public_base(c.config);
  const std::string self = base + c.req.path;
  const auto items = filtered_changes(s, f);
  auto atom_time = [](const std::string& d) { return d.size() == 10 ? d + "T00:00:00Z" : d; };
  std::string updated = items.empty() ? "1970-01-01T00:00:00Z" : atom_time(items.front().date);
  std::string x = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>" + html(title) +
                  "</title>\n<id>" + html(self) + "</id>\n<link rel=\"self\" href=\"" + html(self) + "\"/>\n<link href=\"" +
                  html(base + "/changes") + "\"/>\n<updated>" + html(updated) + "</updated>\n<author><name>hrtrack</name></author>\n";
  std::size_t n = 0;
  for (const auto& it : items) {
    if (++n > 100) break;
    std::string entry_title, link, id, summary;
    if (it.version) {
      const auto& v = *it.version;
      entry_title = v.jurisdiction + " " + v.instrument + " (" + v.language + "): new version of " + v.date;
      link = base + instrument_url(v);
      id = "urn:hrtrack:version:" + std::to_string(v.version_id);
      summary = v.title + ": " + version_summary(v);
    } else {
      const auto& e = *it.status;
      entry_title = e.jurisdiction + " " + e.provision + ": " + (e.from.empty() ? "" : e.from + " -> ") + e.to;
      link = base + "/jurisdictions/" + url_component(e.jurisdiction) + "#" + url_component(e.provision);
      id = "urn:hrtrack:event:" + std::to_string(e.id);
      summary = (e.kind == "review" ? "Reviewed" : "Status changed") + (e.by.empty() ? std::string() : " by " + e.by) +
                (e.note.empty() ? std::string() : ": " + e.note);
    }
    x += "<entry><title>" + html(entry_title) + "</title><id>" + html(id) + "</id><link href=\"" + html(link) + "\"/><updated>" +
         html(atom_time(it.date)) + "</updated><summary>" + html(summary) + "</summary></entry>\n";
  }
  x += "</feed>\n";
  return text_response(std::move(x), "application/atom+xml; charset=utf-8");
}

}  // namespace hrtrack::web
