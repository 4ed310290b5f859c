// Analysts sign in and confirm or override answers. Every form carries the session's CSRF
// token; a POST without it (or with another) is refused before anything is read or written.
#include <openssl/crypto.h>

#include <sstream>

#include "handlers.hpp"
#include "hrtrack/web/analysts.hpp"

namespace hrtrack::web {
namespace {

std::string session_cookie(const Session& s, int minutes) {
  return "hrsid=" + s.id + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(minutes * 60);
}

bool csrf_ok(const Ctx& c) {
  if (!c.session) return false;
  const auto sent = c.req.field("csrf").value_or("");
  return sent.size() == c.session->csrf.size() &&
         CRYPTO_memcmp(sent.data(), c.session->csrf.data(), sent.size()) == 0;
}

Response csrf_refused(const Ctx& c) {
  return error_page(c, 403, "Request refused",
                    "This form was not sent from a page of this site (missing or wrong CSRF token, or the session "
                    "expired). Reload the form and send it again.");
}

std::string hidden_csrf(const Session& s) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + html(s.csrf) + "\">";
}

}  // namespace

Response login_page(Ctx& c) {
  // A visitor gets a session (without a name) so the sign-in form has a CSRF token too.
  Session s = c.session ? *c.session : c.sessions.create("");
  std::string body = "<h1>Analyst sign-in</h1>";
  if (!s.name.empty()) body += "<p>You are signed in as " + html(s.name) + ". <a href=\"/review\">Review answers</a></p>";
  body += "<form method=\"post\" action=\"/login\" class=\"login\">" + hidden_csrf(s) +
          "<label>Name <input name=\"name\" autocomplete=\"username\" required></label>"
          "<label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\" required></label>"
          "<button type=\"submit\">Sign in</button></form><p class=\"muted\">Analysts are added by whoever runs the server: "
          "<code>hrtrack analyst add NAME</code>. Everything else on this site is public and read-only.</p>";
  PageOptions o;
  o.active = "review";
  Response r = page(c, "Sign in", body, o);
  if (!c.session) r.headers.emplace_back("Set-Cookie", session_cookie(s, c.config.session_minutes));
  return r;
}

Response login_post(Ctx& c) {
  if (!csrf_ok(c)) return csrf_refused(c);
  const auto name = c.req.field("name").value_or("");
  const auto password = c.req.field("password").value_or("");
  if (name.empty() || password.empty()) return bad_request(c, "name and password: both are needed");
  if (!check_analyst(*c.h.store, name, password)) {
    Ctx& cc = c;
    std::string body = "<h1>Analyst sign-in</h1><p class=\"error-message\">Unknown name or wrong password.</p>"
                       "<form method=\"post\" action=\"/login\" class=\"login\">" + hidden_csrf(*cc.session) +
                       "<label>Name <input name=\"name\" value=\"" + html(name) + "\" required></label>"
                       "<label>Password <input type=\"password\" name=\"password\" required></label>"
                       "<button type=\"submit\">Sign in</button></form>";
    return page(c, "Sign in", body, {}, 401);
  }
  // A new session id on sign-in, so an id planted before it is worth nothing after.
  c.sessions.remove(c.session->id);
  const Session s = c.sessions.create(name);
  Response r = redirect("/review");
  r.headers.emplace_back("Set-Cookie", session_cookie(s, c.config.session_minutes));
  return r;
}

Response logout_post(Ctx& c) {
  if (!csrf_ok(c)) return csrf_refused(c);
  c.sessions.remove(c.session->id);
  Response r = redirect("/");
  r.headers.emplace_back("Set-Cookie", "hrsid=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  return r;
}

Response review_list(Ctx& c) {
  const auto& s = c.snap;
  std::string body = "<h1>Review</h1>";
  if (!c.session || c.session->name.empty())
    body += "<p class=\"notice\"><a href=\"/login\">Sign in</a> to confirm or override answers. The list is public.</p>";
  body += "<p>Answers that need a human look first: their evidence changed since they were recorded or reviewed.</p>"
          "<div class=\"table-wrap\"><table class=\"side\"><thead><tr><th>Jurisdiction</th><th>Provision</th><th>Status</th>"
          "<th>Confidence</th><th>Review</th></tr></thead><tbody>";
  std::vector<const analysis::Answer*> all;
  for (const auto& [code, list] : s.answers)
    for (const auto& a : list) all.push_back(&a);
  std::stable_sort(all.begin(), all.end(), [](auto* a, auto* b) {
    if (a->needs_review != b->needs_review) return a->needs_review;
    return a->confidence < b->confidence;
  });
  for (const auto* a : all) {
    body += "<tr><td>" + jurisdiction_link(s, a->jurisdiction) + "</td><td>" + provision_link(s, a->provision) + "</td><td>" +
            status_badge(a->status) + (a->needs_review ? " <span class=\"flag-text warn\">needs review</span>" : "") +
            "</td><td class=\"num\">" + percent(a->confidence) + "</td><td>" +
            (a->review ? "by " + html(a->review->by) + " " : std::string()) + "<a href=\"/review/" + url_component(a->jurisdiction) +
            "/" + url_component(a->provision) + "\">open</a></td></tr>";
  }
  body += "</tbody></table></div>";
  PageOptions o;
  o.active = "review";
  return page(c, "Review", body, o);
}

Response review_form(Ctx& c, const std::string& code, const std::string& provision) {
  const auto& s = c.snap;
  if (!valid_code(code) || !s.jurisdiction(code)) return not_found(c, "No jurisdiction '" + code + "'.");
  const auto* p = s.provision(provision);
  if (!p) return not_found(c, "No provision '" + provision + "'.");
  const auto* a = s.answer(code, provision);
  std::string body = "<p class=\"crumbs\"><a href=\"/review\">Review</a> › " + jurisdiction_link(s, code) + "</p><h1>" +
                     html(s.jurisdiction(code)->name) + ": " + html(p->title) + "</h1><p class=\"question\">" + html(p->question) + "</p>";
  if (a) {
    body += "<p>Current answer: " + status_badge(a->status) + " (machine: " + html(analysis::to_string(a->machine_status)) +
            ", confidence " + percent(a->confidence) + ")</p>";
    if (!a->explanation.empty()) body += "<p class=\"why\">" + html(a->explanation) + "</p>";
    for (const auto& e : a->evidence) body += evidence_block(e);
  }
  const auto history = c.h.engine ? c.h.engine->history(code, provision) : std::vector<corpus::Event>{};
  if (!history.empty()) {
    body += "<h2>History</h2><ul class=\"changes\">";
    for (const auto& e : history) body += "<li><time>" + html(day(e.time)) + "</time> " + html(e.kind) + ": <code>" + html(e.json) + "</code></li>";
    body += "</ul>";
  }
  if (!c.session || c.session->name.empty()) {
    body += "<p class=\"notice\"><a href=\"/login\">Sign in</a> to confirm or override this answer.</p>";
  } else {
    std::string evidence;
    if (a)
      for (const auto& e : a->evidence) evidence += (evidence.empty() ? "" : " ") + e.section_id;
    body += "<h2>Your decision</h2><form method=\"post\" action=\"/review/" + url_component(code) + "/" + url_component(provision) +
            "\" class=\"review-form\">" + hidden_csrf(*c.session) + "<fieldset><legend>Status</legend>";
    for (auto st : {analysis::AnswerStatus::provided, analysis::AnswerStatus::restricted, analysis::AnswerStatus::contrary,
                    analysis::AnswerStatus::silent}) {
      const std::string n(analysis::to_string(st));
      body += "<label><input type=\"radio\" name=\"status\" value=\"" + n + "\"" + (a && a->status == st ? " checked" : "") +
              " required> " + status_badge(st) + "</label>";
    }
    body += "</fieldset><label>Deciding sections (space-separated, e.g. C-38.8#4)<input name=\"evidence\" value=\"" + html(evidence) +
            "\"></label><label>Note (why)<textarea name=\"note\" rows=\"4\" required></textarea></label>"
            "<button type=\"submit\">Record decision</button></form>";
  }
  PageOptions o;
  o.active = "review";
  return page(c, "Review " + code + " " + provision, body, o);
}

Response review_post(Ctx& c, const std::string& code, const std::string& provision) {
  if (!csrf_ok(c)) return csrf_refused(c);
  if (c.session->name.empty()) return error_page(c, 403, "Sign in first", "Only signed-in analysts can record reviews.");
  if (!valid_code(code) || !c.snap.jurisdiction(code)) return not_found(c, "No jurisdiction '" + code + "'.");
  if (!c.snap.provision(provision)) return not_found(c, "No provision '" + provision + "'.");
  const auto status = analysis::answer_status_from(c.req.field("status").value_or(""));
  if (!status) return bad_request(c, "status: choose provided, restricted, contrary or silent");
  const auto note = c.req.field("note").value_or("");
  if (note.empty()) return bad_request(c, "note: say why (it is kept with the decision)");
  if (!c.h.engine) return error_page(c, 503, "Analysis unavailable", c.h.engine_error);
  analysis::Review r;
  r.status = *status;
  r.note = note;
  r.by = c.session->name;
  std::istringstream ev(c.req.field("evidence").value_or(""));
  for (std::string id; ev >> id;) r.evidence.push_back(id);
  // The web's engines do not persist machine answers; a review is an explicit write.
  auto done = c.h.engine->review(code, provision, r);
  if (!done) return bad_request(c, done.error().message);
  return redirect("/jurisdictions/" + url_component(code) + "#" + url_component(provision));
}

}  // namespace hrtrack::web
