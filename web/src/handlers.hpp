#pragma once
// What the handlers share: the request context, response builders and HTML fragments.
// Each handler is a function from a Ctx to a Response; site.cpp routes to them.
#include <chrono>
#include <deque>
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

// A signed-in analyst, or a visitor who opened the sign-in form (name empty): both carry
// the CSRF token their forms must echo.
struct Session {
  std::string id;
  std::string name;
  std::string csrf;
  std::chrono::steady_clock::time_point expires;
};

class Sessions {
 public:
  Sessions(int minutes, int max_visitors) : ttl_(minutes), max_visitors_(static_cast<std::size_t>(max_visitors)) {}
  std::optional<Session> find(const std::string& id);
  Session create(const std::string& name);
  void remove(const std::string& id);

 private:
  std::chrono::minutes ttl_;
  std::size_t max_visitors_;
  std::mutex mutex_;
  std::map<std::string, Session> by_id_;
  std::deque<std::string> visitors_;  // visitor (unnamed) session ids, oldest first
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

// ---- the page frame
struct PageOptions {
  std::string head;            // extra <head> elements (feed links)
  std::vector<std::string> scripts;  // asset names, loaded with defer
  std::string active;          // nav entry to highlight
  std::string body_class;
};
Response page(const Ctx& c, const std::string& title, const std::string& body, const PageOptions& o = {},
              int status = 200);

// ---- fragments (already escaped)
std::string status_badge(analysis::AnswerStatus s, bool short_form = false);
std::string status_class(analysis::AnswerStatus s);
std::string jurisdiction_link(const Snapshot& s, const std::string& code);
std::string provision_link(const Snapshot& s, const std::string& id);
// /section?id=C-38.8%234[&lang=en][&version=12]
std::string section_url(std::string_view section_id, std::string_view lang = {}, std::int64_t version = 0);
std::string section_link(std::string_view section_id, std::string_view lang = {}, std::int64_t version = 0);
std::string percent(double x);
std::string evidence_block(const analysis::Evidence& e);
std::string timeline_svg(const Snapshot& s, const std::vector<analysis::TimelineEntry>& t);
// An answer's status badge, "not assessed" (with the reason as its title) when it was not.
std::string answer_badge(const analysis::Answer& a);
// "<lead>: A (en; 2020-01-01); B (de; 2021-02-03)." as a small paragraph; empty for none.
std::string documents_read(const std::vector<std::string>& read, const std::string& lead);
// The notice that a jurisdiction is not assessed, and what that means for its score.
std::string not_assessed_notice(const std::string& reason);
// "2024-06-01T10:00:00Z" -> "2024-06-01"
std::string day(std::string_view iso);

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
Response api(Ctx& c, const std::vector<std::string>& parts);

// How one section differs from its text in an earlier version (the section page's diff):
// added, or changed in heading or words, word by word; nullopt when unchanged. The Store's
// diff() compares every section of the two versions: seconds for a large act, for one row.
std::optional<corpus::SectionChange> section_change(const corpus::Store& store, std::int64_t previous_version,
                                                    const corpus::Section& now);

// JSON forms shared by the API and the exports.
nlohmann::json answer_json(const analysis::Answer& a);
nlohmann::json score_json(const analysis::JurisdictionScore& s);
nlohmann::json section_json(const corpus::Section& s);

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
