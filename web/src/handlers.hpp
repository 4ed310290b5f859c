#pragma once
// What the handlers share: the request context, response builders and HTML fragments.
// Each handler is a function from a Ctx to a Response; site.cpp routes to them.
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "data.hpp"
#include "hrtrack/web/escape.hpp"
#include "hrtrack/web/http.hpp"
#include "hrtrack/web/site.hpp"

namespace hrtrack::web {

// A signed-in analyst, with the CSRF token their forms must echo.
struct Session {
  std::string id;
  std::string name;
  std::string csrf;
  std::chrono::steady_clock::time_point expires;
};

// Failed sign-ins, counted per analyst name and per client address (Config::per_name,
// per_address): a growing delay, then a lockout during which even the right password is
// refused. Bounded: at most kMaxCounted names and as many addresses are remembered (the
// longest quiet go first).
class SignInThrottle {
 public:
  SignInThrottle(Config::SignInLimits per_name, Config::SignInLimits per_address)
      : name_limits_(per_name), address_limits_(per_address) {}
  struct Refusal {
    int retry_after_s = 1;
    std::string message;  // for the visitor: what is refused, why, and for how long
  };
  // Whether `name` may be tried from `address` now.
  std::optional<Refusal> check(const std::string& name, const std::string& address);
  void failed(const std::string& name, const std::string& address);
  void succeeded(const std::string& name);
  static constexpr std::size_t kMaxCounted = 100'000;

 private:
  using Clock = std::chrono::steady_clock;
  struct Count {
    int failures = 0;
    Clock::time_point last;
  };
  using Counts = std::map<std::string, Count>;
  static std::optional<Refusal> verdict(const Counts& counts, const std::string& key, const Config::SignInLimits& l,
                                        bool address, Clock::time_point now);
  static void count(Counts& counts, const std::string& key, const Config::SignInLimits& l, Clock::time_point now);

  const Config::SignInLimits name_limits_, address_limits_;
  std::mutex mutex_;
  Counts names_, addresses_;
};

// Analysts' sessions, and what the sign-in form needs before there is one: a token bound to
// the visitor's browser by a cookie, kept nowhere on the server (opening the form costs the
// server no memory).
class Sessions {
 public:
  explicit Sessions(const Config& config);
  std::optional<Session> find(const std::string& id);
  Session create(const std::string& name);
  void remove(const std::string& id);
  // The sign-in form's CSRF token for the browser holding `nonce` in its sign-in cookie:
  // an HMAC under this server's secret, so only this server can make one.
  std::string sign_in_token(std::string_view nonce) const;
  SignInThrottle& throttle() { return throttle_; }

 private:
  std::chrono::minutes ttl_;
  std::string secret_;
  std::mutex mutex_;
  std::map<std::string, Session> by_id_;
  SignInThrottle throttle_;
};

struct Ctx {
  const Request& req;
  Handles& h;
  const Snapshot& snap;
  const Config& config;
  Sessions& sessions;
  std::optional<Session> session;  // from the request's cookie, when valid
  Pool& pool;
};

// ---- responses
Response html_response(std::string body, int status = 200);
Response json_response(const nlohmann::json& j, int status = 200);
Response text_response(std::string body, std::string content_type, int status = 200);
Response redirect(const std::string& location, int status = 303);
// A page explaining what was wrong with the request (HTML, or JSON under /api/).
Response bad_request(const Ctx& c, const std::string& message);
Response not_found(const Ctx& c, const std::string& message);
Response error_page(const Ctx& c, int status, const std::string& title, const std::string& message);
// The HTTP status of a failure by its code: invalid argument 400, not found 404, read-only
// 403, no legal text 422, busy 503, corruption and I/O 500.
int http_status(Code code);

// ---- the page frame
struct PageOptions {
  std::string feed_title, feed_href;  // the page's Atom feed, linked from <head>
  std::vector<std::string> scripts;  // asset names, loaded with defer
  std::string active;          // nav entry to highlight
  std::string body_class;
};
Response page(const Ctx& c, const std::string& title, const std::string& body, const PageOptions& o = {},
              int status = 200);

// ---- values the templates show
std::string status_class(analysis::AnswerStatus s);
// A status badge's model for the _badge partial: status, class, label.
nlohmann::json badge_json(analysis::AnswerStatus s, bool short_form = false);
// /section?id=C-38.8%234[&lang=en][&version=12]
std::string section_url(std::string_view section_id, std::string_view lang = {}, std::int64_t version = 0);
std::string percent(double x);
// A score as shown: "0.57".
std::string score_text(double x);
// "2024-06-01T10:00:00Z" -> "2024-06-01"
std::string day(std::string_view iso);

// ---- fragment models, for the partials of web/templates
// An answer's badge for _answer_badge: badge_json of its status with "reason" empty, or
// "not assessed" with the reason (shown as its title).
nlohmann::json answer_badge_json(const analysis::Answer& a);
// {code, name, url} and {id, title, url}: a jurisdiction's and a provision's link (_link).
nlohmann::json jurisdiction_ref(const Snapshot& s, const std::string& code);
nlohmann::json provision_ref(const Snapshot& s, const std::string& id);
// One evidence for _evidence: section, quote, rule, role, language, version_date and the
// section's url.
nlohmann::json evidence_json(const analysis::Evidence& e);
// {lead, text} for _read ("<lead>: A; B."); null for no documents.
nlohmann::json read_json(const std::vector<std::string>& read, const std::string& lead);

// ---- views: one function per request kind parses and checks its parameters and builds
// the view model; the API answers the model as JSON, the page renders it (views.hpp).
// Why a request has no view model: the HTTP status and what to tell the visitor.
struct Failure {
  int status = 400;
  std::string message;
  std::string title;  // the error page's heading; empty: the status's name
};
struct View {
  nlohmann::json model;
  std::optional<Failure> failure;
};
// An error as a Failure: its code's HTTP status (http_status), the context before its message.
Failure failure_of(const Error& e, const std::string& context = {});
inline View fail(int status, std::string message, std::string title = {}) {
  return View{nullptr, Failure{status, std::move(message), std::move(title)}};
}
// The error page (or JSON error under /api/) for a failure: the one place a failure's
// status becomes a title.
Response failure_response(const Ctx& c, const Failure& f);
// The model as the API's JSON, or its failure.
Response view_json(const Ctx& c, const View& v);
// The model rendered through web/templates/<name>.mustache in the page frame, titled by
// the model's "title"; or its failure's error page.
Response view_page(const Ctx& c, const View& v, std::string_view name, const PageOptions& o = {});
// A section at a version: /section and /api/v1/sections.
View section_view(const Ctx& c);
// An instrument at a version, with its table of contents: /instrument and /api/v1/instrument.
View instrument_view(const Ctx& c);
// A search of the law: /search (need_query false: without words, the form) and
// /api/v1/search (need_query true: 400 without words).
View search_view(const Ctx& c, bool need_query);
// What the statuses mean and the search syntax: /about and /api/v1/about.
View about_view(const Ctx& c);
// New versions and status changes, newest first: /changes (page true: 50 a page) and
// /api/v1/changes (page false: 100 unless limit= says otherwise).
View changes_view(const Ctx& c, bool page);
// A country report: /reports/{code}, /reports/{code}.md and /api/v1/reports/{code}.
View report_view(const Ctx& c, const std::string& code);
// Every answer, those needing a human look first: /review and /api/v1/review.
View review_list_view(const Ctx& c);
// One answer, its evidence and history, and (signed in, writable folder) the decision form
// without its CSRF token: /review/{code}/{provision} and /api/v1/review/{code}/{provision}.
View review_form_view(const Ctx& c, const std::string& code, const std::string& provision);
// The map and heat table: / and /api/v1/jurisdictions (every jurisdiction, ranked).
View overview_view(const Ctx& c);
// One jurisdiction's score, answers, timeline and recent changes: /jurisdictions/{code}
// and /api/v1/jurisdictions/{code}.
View jurisdiction_view(const Ctx& c, const std::string& code);
// Every jurisdiction's answer for one provision: /provisions/{id} and /api/v1/provisions/{id}.
View provision_view(const Ctx& c, const std::string& id);
// Jurisdictions side by side: /compare (need_pair false: fewer than two, the form) and
// /api/v1/compare (need_pair true: 400 without two to five).
View compare_view(const Ctx& c, bool need_pair);

// ---- validation (400 on failure)
bool valid_code(std::string_view s);  // "CA", "US-OR"
bool valid_date(std::string_view s);  // YYYY-MM-DD
bool valid_lang(std::string_view s);  // "en"
bool valid_int(std::string_view s, long long lo, long long hi, long long& out);

// ---- handlers
Response overview(Ctx& c);
Response jurisdiction_page(Ctx& c, const std::string& code);
Response provision_page(Ctx& c, const std::string& id);
Response compare_page(Ctx& c);
Response section_page(Ctx& c);
Response instrument_page(Ctx& c);
Response search_page(Ctx& c);
Response changes_page(Ctx& c);
Response feed(Ctx& c, const std::string& scope, const std::string& value);
Response report_page(Ctx& c, const std::string& code, bool markdown);
Response login_page(Ctx& c);
Response login_post(Ctx& c);
Response logout_post(Ctx& c);
Response review_list(Ctx& c);
Response review_form(Ctx& c, const std::string& code, const std::string& provision);
Response review_post(Ctx& c, const std::string& code, const std::string& provision);
Response about_page(Ctx& c);
// The API's routes (api.cpp); the sections, instrument and search routes are view_json of
// their views. Args: the path's {parameters}, in order.
using Args = std::vector<std::string>;
Response api_jurisdictions(Ctx& c, const Args&);
Response api_jurisdiction(Ctx& c, const Args& a);
Response api_timeline(Ctx& c, const Args& a);
Response api_provisions(Ctx& c, const Args&);
Response api_provision(Ctx& c, const Args& a);
Response api_answers(Ctx& c, const Args&);
Response api_compare(Ctx& c, const Args&);
Response api_instruments(Ctx& c, const Args&);
Response api_changes(Ctx& c, const Args&);
Response api_export_csv(Ctx& c, const Args&);
Response api_export_json(Ctx& c, const Args&);
// The route table (routes.cpp): dispatch for every page and API address, and openapi.json.
// "/a/b//c" -> {"a", "b", "c"}
Args split_path(std::string_view path);
// `overview` answers "/" (the site caches it).
Response route(Ctx& c, const Args& parts, const std::function<Response(Ctx&)>& overview);

// How one section differs from its text in an earlier version (the section page's diff):
// added, or changed in heading or words, word by word; nullopt when unchanged. The Store's
// diff() compares every section of the two versions: seconds for a large act, for one row.
std::optional<corpus::SectionChange> section_change(const corpus::Store& store, std::int64_t previous_version,
                                                    const corpus::Section& now);

// JSON forms shared by the API and the exports.
nlohmann::json answer_json(const analysis::Answer& a);
nlohmann::json score_json(const analysis::JurisdictionScore& s);
nlohmann::json section_json(const corpus::Section& s);
nlohmann::json version_json(const corpus::Version& v);
// A jurisdiction with its score (score_json) and page address; a provision as listed.
nlohmann::json jurisdiction_summary(const Snapshot& s, const corpus::Jurisdiction& j);
nlohmann::json provision_json(const analysis::Provision& p);

// The change list filtered as the Changes page, its API and the feeds filter it.
struct ChangeFilter {
  std::string jurisdiction, provision, kind;  // kind: "", "versions", "status"
};
struct ChangeItem {
  std::string date;  // sort key, YYYY-MM-DD or ISO time
  const VersionChange* version = nullptr;
  const StatusChange* status = nullptr;
};
std::vector<ChangeItem> filtered_changes(const Snapshot& s, const ChangeFilter& f);

}  // namespace hrtrack::web
