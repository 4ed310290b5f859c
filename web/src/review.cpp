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

// Before sign-in, the form's CSRF token is bound to a cookie holding a random nonce (the
// token is the server's HMAC of it): a form another site makes cannot carry the token of
// this browser's cookie, and no visitor costs the server a session.
constexpr const char* kSignInCookie = "hrlogin";

constexpr const char* kReadOnly =
    "This data folder is read-only (the server may not write to it): answers can be read here but reviews cannot be "
    "recorded.";

bool valid_nonce(std::string_view n) {
  return n.size() == 64 && n.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool csrf_ok(const Ctx& c) {
  if (!c.session) return false;
  return same(c.req.field("csrf").value_or(""), c.session->csrf);
}

// The sign-in form's token: the session's when signed in, else the nonce cookie's.
bool sign_in_csrf_ok(const Ctx& c) {
  if (c.session) return csrf_ok(c);
  const auto nonce = c.req.cookie(kSignInCookie);
  return valid_nonce(nonce) && same(c.req.field("csrf").value_or(""), c.sessions.sign_in_token(nonce));
}

Response csrf_refused(const Ctx& c) {
  return error_page(c, 403, "Request refused",
                    "This form was not sent from a page of this site (missing or wrong CSRF token, or the session "
                    "expired). Reload the form and send it again.");
}

std::string hidden(const std::string& token) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + html(token) + "\">";
}

std::string hidden_csrf(const Session& s) { return hidden(s.csrf); }

std::string sign_in_form(const std::string& token, const std::string& name) {
  return "<form method=\"post\" action=\"/login\" class=\"login\">" + hidden(token) +
         "<label>Name <input name=\"name\" autocomplete=\"username\" value=\"" + html(name) +
         "\" required></label>"
         "<label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\" required></label>"
         "<button type=\"submit\">Sign in</button></form>";
}

// The token for the form on this response, with the cookie to set when there is none yet.
std::string form_token(Ctx& c, Response* set_cookie_on) {
  if (c.session) return c.session->csrf;
  std::string nonce = c.req.cookie(kSignInCookie);
  if (!valid_nonce(nonce)) {
    nonce = random_hex(32);
    if (set_cookie_on)
      set_cookie_on->headers.emplace_back("Set-Cookie", std::string(kSignInCookie) + "=" + nonce +
                                                            "; Path=/login; HttpOnly; SameSite=Strict; Max-Age=86400");
  }
  return c.sessions.sign_in_token(nonce);
}

}  // namespace

Response login_page(Ctx& c) {
  std::string body = "<h1>Analyst sign-in</h1>";
  if (c.session && !c.session->name.empty())
    body += "<p>You are signed in as " + html(c.session->name) + ". <a href=\"/review\">Review answers</a></p>";
  Response cookie;
  body += sign_in_form(form_token(c, &cookie), "") +
          "<p class=\"muted\">Analysts are added by whoever runs the server: "
          "<code>hrtrack analyst add NAME</code>. Everything else on this site is public and read-only.</p>";
  PageOptions o;
  o.active = "review";
  Response r = page(c, "Sign in", body, o);
  for (auto& h : cookie.headers) r.headers.push_back(std::move(h));
  return r;
}

Response login_post(Ctx& c) {
  if (!sign_in_csrf_ok(c)) return csrf_refused(c);
  const auto name = c.req.field("name").value_or("");
  const auto password = c.req.field("password").value_or("");
  if (name.empty() || password.empty()) return bad_request(c, "name and password: both are needed");
  auto& throttle = c.sessions.throttle();
  PageOptions o;
  o.active = "review";
  // Refused before the password is even checked: a locked name stays locked whatever is tried.
  if (const auto no = throttle.check(name, c.req.remote_addr)) {
    Response r = page(c, "Sign in",
                      "<h1>Analyst sign-in</h1><p class=\"error-message\">" + html(no->message) + "</p>" +
                          sign_in_form(form_token(c, nullptr), name),
                      o, 429);
    r.headers.emplace_back("Retry-After", std::to_string(no->retry_after_s));
    return r;
  }
  if (!check_analyst(*c.h.store, name, password)) {
    throttle.failed(name, c.req.remote_addr);
    return page(c, "Sign in",
                "<h1>Analyst sign-in</h1><p class=\"error-message\">Unknown name or wrong password.</p>" +
                    sign_in_form(form_token(c, nullptr), name),
                o, 401);
  }
  throttle.succeeded(name);
  // A new session id on sign-in, so an id planted before it is worth nothing after.
  if (c.session) c.sessions.remove(c.session->id);
  const Session s = c.sessions.create(name);
  Response r = redirect("/review");
  r.headers.emplace_back("Set-Cookie", session_cookie(s, c.config.session_minutes));
  r.headers.emplace_back("Set-Cookie", std::string(kSignInCookie) + "=; Path=/login; HttpOnly; SameSite=Strict; Max-Age=0");
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
  if (c.h.store->read_only()) {
    body += "<p class=\"notice\">" + html(kReadOnly) + "</p>";
  } else if (!c.session || c.session->name.empty()) {
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
  if (c.h.store->read_only()) return error_page(c, 403, "Read-only", kReadOnly);
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
