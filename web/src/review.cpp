// Analysts sign in and confirm or override answers. Every form carries the session's CSRF
// token; a POST without it (or with another) is refused before anything is read or written.
#include <openssl/crypto.h>

#include <sstream>

#include "handlers.hpp"
#include "hrtrack/web/analysts.hpp"
#include "views.hpp"

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

bool signed_in(const Ctx& c) { return c.session && !c.session->name.empty(); }

// The sign-in form: who is signed in (the page only), a refusal's message, the name to
// keep and the form's CSRF token. Not a JSON twin: its one datum is the token, which is
// bound to this browser's cookie and is not for any other reader.
nlohmann::json login_model(const std::string& csrf, const std::string& name, const std::string& error) {
  return {{"title", "Sign in"}, {"csrf", csrf}, {"name", name}, {"error", error}, {"signed_in_as", ""}, {"help", error.empty()}};
}

Response login_response(const Ctx& c, const nlohmann::json& m, int status) {
  PageOptions o;
  o.active = "review";
  return page(c, m["title"].get<std::string>(), render("login", m), o, status);
}

}  // namespace

Response login_page(Ctx& c) {
  Response cookie;
  auto m = login_model(form_token(c, &cookie), "", "");
  if (signed_in(c)) m["signed_in_as"] = c.session->name;
  Response r = login_response(c, m, 200);
  for (auto& h : cookie.headers) r.headers.push_back(std::move(h));
  return r;
}

Response login_post(Ctx& c) {
  if (!sign_in_csrf_ok(c)) return csrf_refused(c);
  const auto name = c.req.field("name").value_or("");
  const auto password = c.req.field("password").value_or("");
  if (name.empty() || password.empty()) return bad_request(c, "name and password: both are needed");
  auto& throttle = c.sessions.throttle();
  // Refused before the password is even checked: a locked name stays locked whatever is tried.
  if (const auto no = throttle.check(name, c.req.remote_addr)) {
    Response r = login_response(c, login_model(form_token(c, nullptr), name, no->message), 429);
    r.headers.emplace_back("Retry-After", std::to_string(no->retry_after_s));
    return r;
  }
  if (!check_analyst(*c.h.store, name, password)) {
    throttle.failed(name, c.req.remote_addr);
    return login_response(c, login_model(form_token(c, nullptr), name, "Unknown name or wrong password."), 401);
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

namespace {

std::string jurisdiction_name(const Snapshot& s, const std::string& code) {
  const auto* j = s.jurisdiction(code);
  return j && !j->name.empty() ? j->name : code;
}

// An answer's row in the review list.
nlohmann::json review_row(const Snapshot& s, const analysis::Answer& a) {
  const auto* p = s.provision(a.provision);
  return {{"jurisdiction", a.jurisdiction},
          {"jurisdiction_name", jurisdiction_name(s, a.jurisdiction)},
          {"jurisdiction_url", "/jurisdictions/" + url_component(a.jurisdiction)},
          {"provision", a.provision},
          {"provision_title", p ? p->title : a.provision},
          {"provision_url", "/provisions/" + url_component(a.provision)},
          {"status", analysis::to_string(a.status)},
          {"badge", badge_json(a.status)},
          {"needs_review", a.needs_review},
          {"confidence", a.confidence},
          {"confidence_label", percent(a.confidence)},
          {"reviewed_by", a.review ? a.review->by : ""},
          {"url", "/review/" + url_component(a.jurisdiction) + "/" + url_component(a.provision)}};
}

}  // namespace

View review_list_view(const Ctx& c) {
  const auto& s = c.snap;
  std::vector<const analysis::Answer*> all;
  for (const auto& [code, list] : s.answers)
    for (const auto& a : list) all.push_back(&a);
  std::stable_sort(all.begin(), all.end(), [](auto* a, auto* b) {
    if (a->needs_review != b->needs_review) return a->needs_review;
    return a->confidence < b->confidence;
  });
  nlohmann::json rows = nlohmann::json::array();
  for (const auto* a : all) rows.push_back(review_row(s, *a));
  return View{{{"title", "Review"}, {"signed_in", signed_in(c)}, {"answers", rows}}, std::nullopt};
}

Response review_list(Ctx& c) {
  const auto v = review_list_view(c);
  PageOptions o;
  o.active = "review";
  return page(c, v.model["title"].get<std::string>(), render("review_list", v.model), o);
}

View review_form_view(const Ctx& c, const std::string& code, const std::string& provision) {
  using nlohmann::json;
  const auto& s = c.snap;
  if (!valid_code(code) || !s.jurisdiction(code)) return fail(404, "No jurisdiction '" + code + "'.");
  const auto* p = s.provision(provision);
  if (!p) return fail(404, "No provision '" + provision + "'.");
  const auto* a = s.answer(code, provision);
  json m{{"title", "Review " + code + " " + provision},
         {"jurisdiction", code},
         {"jurisdiction_name", jurisdiction_name(s, code)},
         {"jurisdiction_url", "/jurisdictions/" + url_component(code)},
         {"provision", provision},
         {"provision_title", p->title},
         {"question", p->question},
         {"answer", nullptr},
         {"history", json::array()},
         {"read_only", c.h.store->read_only()},
         {"read_only_message", c.h.store->read_only() ? kReadOnly : ""},
         {"signed_in", signed_in(c)},
         {"form", nullptr}};
  if (a) {
    json evidence = json::array();
    for (const auto& e : a->evidence) evidence.push_back(evidence_json(e));
    m["answer"] = {{"status", analysis::to_string(a->status)}, {"badge", badge_json(a->status)},
                   {"machine_status", analysis::to_string(a->machine_status)}, {"confidence", a->confidence},
                   {"confidence_label", percent(a->confidence)}, {"explanation", a->explanation}, {"evidence", evidence}};
  }
  if (c.h.engine)
    for (const auto& e : c.h.engine->history(code, provision))
      m["history"].push_back({{"time", e.time}, {"day", day(e.time)}, {"kind", e.kind}, {"json", e.json}});
  m["has_history"] = !m["history"].empty();
  // The decision form, for a signed-in analyst on a writable folder. Its CSRF token is the
  // page's to add: it is not part of the model the API returns.
  if (!c.h.store->read_only() && signed_in(c)) {
    std::string evidence;
    if (a)
      for (const auto& e : a->evidence) evidence += (evidence.empty() ? "" : " ") + e.section_id;
    json statuses = json::array();
    for (auto st : {analysis::AnswerStatus::provided, analysis::AnswerStatus::restricted, analysis::AnswerStatus::contrary,
                    analysis::AnswerStatus::silent})
      statuses.push_back({{"value", analysis::to_string(st)}, {"badge", badge_json(st)}, {"checked", a && a->status == st}});
    m["form"] = {{"action", "/review/" + url_component(code) + "/" + url_component(provision)},
                 {"statuses", statuses},
                 {"evidence", evidence}};
  }
  return View{std::move(m), std::nullopt};
}

Response review_form(Ctx& c, const std::string& code, const std::string& provision) {
  auto v = review_form_view(c, code, provision);
  if (v.failure) return failure_response(c, *v.failure);
  if (v.model["form"].is_object()) v.model["form"]["csrf"] = c.session->csrf;
  PageOptions o;
  o.active = "review";
  return page(c, v.model["title"].get<std::string>(), render("review_form", v.model), o);
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
