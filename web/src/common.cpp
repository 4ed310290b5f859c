// Response builders, the page frame and HTML fragments shared by the handlers.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "hrtrack/base/date.hpp"
#include "handlers.hpp"
#include "hrtrack/web/analysts.hpp"
#include "views.hpp"

namespace hrtrack::web {

Sessions::Sessions(const Config& config)
    : ttl_(config.session_minutes), secret_(random_hex(32)), throttle_(config.per_name, config.per_address) {}

std::optional<Session> Sessions::find(const std::string& id) {
  if (id.empty()) return std::nullopt;
  std::lock_guard lock(mutex_);
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  const auto now = std::chrono::steady_clock::now();
  if (it->second.expires < now) {
    by_id_.erase(it);
    return std::nullopt;
  }
  it->second.expires = now + ttl_;
  return it->second;
}

Session Sessions::create(const std::string& name) {
  Session s{random_hex(32), name, random_hex(32), std::chrono::steady_clock::now() + ttl_};
  std::lock_guard lock(mutex_);
  // Forget expired sessions now and then.
  if (by_id_.size() > 1'000) {
    const auto now = std::chrono::steady_clock::now();
    std::erase_if(by_id_, [&](const auto& kv) { return kv.second.expires < now; });
  }
  by_id_[s.id] = s;
  return s;
}

void Sessions::remove(const std::string& id) {
  std::lock_guard lock(mutex_);
  by_id_.erase(id);
}

std::string Sessions::sign_in_token(std::string_view nonce) const {
  const std::string data = "hrtrack sign-in form " + std::string(nonce);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), mac, &len))
    throw std::runtime_error("HMAC failed");
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[mac[i] >> 4];
    out += hex[mac[i] & 15];
  }
  return out;
}

namespace {

// "12 seconds", "15 minutes": how long a refusal lasts, rounded up.
std::string how_long(std::chrono::steady_clock::duration d) {
  const auto s = std::max<long long>(1, (std::chrono::duration_cast<std::chrono::milliseconds>(d).count() + 999) / 1000);
  if (s < 90) return std::to_string(s) + (s == 1 ? " second" : " seconds");
  return std::to_string((s + 59) / 60) + " minutes";
}

}  // namespace

std::optional<SignInThrottle::Refusal> SignInThrottle::verdict(const Counts& counts, const std::string& key,
                                                               const Config::SignInLimits& l, bool address,
                                                               Clock::time_point now) {
  const auto it = counts.find(key);
  if (it == counts.end()) return std::nullopt;
  const auto& c = it->second;
  if (now - c.last >= l.lockout) return std::nullopt;  // forgotten
  const std::string who = address ? "from your address" : "for this name";
  Clock::time_point until;
  std::string message;
  if (c.failures >= l.lockout_failures) {
    until = c.last + l.lockout;
    message = "Too many failed sign-ins " + who + ": sign-in is locked for " + how_long(until - now) +
              ", even with the right password.";
  } else if (c.failures >= l.free_failures) {
    const int doublings = std::min(20, c.failures - l.free_failures);
    until = c.last + std::min<Clock::duration>(l.delay * (1 << doublings), l.lockout);
    message = "Too many failed sign-ins " + who + ": wait " + how_long(until - now) + " before trying again.";
  } else {
    return std::nullopt;
  }
  if (until <= now) return std::nullopt;
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(until - now).count() + 1;
  return Refusal{static_cast<int>(std::min<long long>(s, 1'000'000)), message};
}

void SignInThrottle::count(Counts& counts, const std::string& key, const Config::SignInLimits& l, Clock::time_point now) {
  if (counts.size() >= kMaxCounted && !counts.count(key)) {
    std::erase_if(counts, [&](const auto& kv) { return now - kv.second.last >= l.lockout; });
    if (counts.size() >= kMaxCounted)
      counts.erase(std::min_element(counts.begin(), counts.end(),
                                    [](const auto& a, const auto& b) { return a.second.last < b.second.last; }));
  }
  auto& c = counts[key];
  if (c.failures > 0 && now - c.last >= l.lockout) c.failures = 0;
  ++c.failures;
  c.last = now;
}

std::optional<SignInThrottle::Refusal> SignInThrottle::check(const std::string& name, const std::string& address) {
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  auto by_name = verdict(names_, name, name_limits_, false, now);
  auto by_address = verdict(addresses_, address, address_limits_, true, now);
  if (by_name && by_address) return by_name->retry_after_s >= by_address->retry_after_s ? by_name : by_address;
  return by_name ? by_name : by_address;
}

void SignInThrottle::failed(const std::string& name, const std::string& address) {
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  count(names_, name, name_limits_, now);
  count(addresses_, address, address_limits_, now);
}

void SignInThrottle::succeeded(const std::string& name) {
  std::lock_guard lock(mutex_);
  names_.erase(name);
}

Response html_response(std::string body, int status) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response json_response(const nlohmann::json& j, int status) {
  Response r;
  r.status = status;
  r.content_type = "application/json; charset=utf-8";
  // Invalid UTF-8 in stored text must not make the whole response fail.
  r.body = j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response text_response(std::string body, std::string content_type, int status) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

Response redirect(const std::string& location, int status) {
  Response r;
  r.status = status;
  r.headers.emplace_back("Location", location);
  r.body = render("redirect", {{"location", location}});
  return r;
}

namespace {

bool is_api(const Request& r) { return r.path.rfind("/api/", 0) == 0; }

}  // namespace

Response error_page(const Ctx& c, int status, const std::string& title, const std::string& message) {
  if (is_api(c.req)) return json_response({{"error", message}, {"status", status}}, status);
  return page(c, title, render("error", {{"title", title}, {"message", message}}), {}, status);
}

Response failure_response(const Ctx& c, const Failure& f) {
  if (!f.title.empty()) return error_page(c, f.status, f.title, f.message);
  const char* title = f.status == 404   ? "Not found"
                      : f.status == 503 ? "Unavailable"
                      : f.status == 405 ? "Method not allowed"
                      : f.status == 403 ? "Refused"
                      : f.status == 422 ? "No legal text"
                      : f.status >= 500 ? "Server error"
                                        : "Bad request";
  return error_page(c, f.status, title, f.message);
}

Response view_json(const Ctx& c, const View& v) {
  if (v.failure) return failure_response(c, *v.failure);
  return json_response(v.model);
}

Response bad_request(const Ctx& c, const std::string& message) {
  return error_page(c, 400, "Bad request", message);
}

Response not_found(const Ctx& c, const std::string& message) { return error_page(c, 404, "Not found", message); }

int http_status(Code code) {
  switch (code) {
    case Code::kInvalidArgument: return 400;
    case Code::kNotFound: return 404;
    case Code::kReadOnly: return 403;
    case Code::kNoLegalText: return 422;
    case Code::kBusy: return 503;
    case Code::kCorruption:
    case Code::kIOError: return 500;
  }
  return 500;
}

Failure failure_of(const Error& e, const std::string& context) {
  return Failure{http_status(e.code), context + e.message, {}};
}

Response page(const Ctx& c, const std::string& title, const std::string& body, const PageOptions& o, int status) {
  static const std::pair<const char*, const char*> kNav[] = {
      {"/", "overview"},        {"/compare", "compare"}, {"/search", "search"},
      {"/changes", "changes"},  {"/review", "review"},   {"/about", "about"}};
  static const char* kLabels[] = {"Overview", "Compare", "Search the law", "Changes", "Review", "About & API"};
  nlohmann::json nav = nlohmann::json::array();
  for (std::size_t i = 0; i < std::size(kNav); ++i)
    nav.push_back({{"href", kNav[i].first}, {"label", kLabels[i]}, {"current", o.active == kNav[i].second}});
  nlohmann::json model{{"title", title},           {"nav", nav},
                       {"body", body},             {"body_class", o.body_class},
                       {"revision", c.snap.etag},  {"scripts", o.scripts},
                       {"user", nullptr},          {"feed", nullptr}};
  if (c.session && !c.session->name.empty()) model["user"] = {{"name", c.session->name}, {"csrf", c.session->csrf}};
  if (!o.feed_href.empty()) model["feed"] = {{"title", o.feed_title}, {"href", o.feed_href}};
  return html_response(render("layout", model), status);
}

std::string status_class(analysis::AnswerStatus s) { return "st-" + std::string(analysis::to_string(s)); }

nlohmann::json badge_json(analysis::AnswerStatus s, bool short_form) {
  const std::string name(analysis::to_string(s));
  std::string label = name;
  if (short_form) label = std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(name[0]))));
  else if (s == analysis::AnswerStatus::silent) label = "silent: no legal basis found";
  return {{"status", name}, {"class", status_class(s)}, {"label", label}};
}

nlohmann::json answer_badge_json(const analysis::Answer& a) {
  if (!a.not_assessed.empty())
    return {{"status", "not-assessed"}, {"class", "st-not-assessed"}, {"label", "not assessed"}, {"reason", a.not_assessed}};
  auto b = badge_json(a.status);
  b["reason"] = "";
  return b;
}

nlohmann::json jurisdiction_ref(const Snapshot& s, const std::string& code) {
  const auto* j = s.jurisdiction(code);
  return {{"code", code}, {"name", j && !j->name.empty() ? j->name : code}, {"url", "/jurisdictions/" + url_component(code)}};
}

nlohmann::json provision_ref(const Snapshot& s, const std::string& id) {
  const auto* p = s.provision(id);
  return {{"id", id}, {"title", p ? p->title : id}, {"url", "/provisions/" + url_component(id)}};
}

std::optional<corpus::SectionChange> section_change(const corpus::Store& store, std::int64_t previous_version,
                                                    const corpus::Section& now) {
  const auto& b = now.body;
  const auto before = store.section(previous_version, b.number);
  if (!before) return corpus::SectionChange{corpus::SectionChange::Kind::added, b.number, b.heading, {}};
  auto words = corpus::word_diff(before->body.heading + "\n" + before->body.text, b.heading + "\n" + b.text);
  const bool same_words = std::all_of(words.begin(), words.end(), [](const auto& w) { return w.op == '='; });
  if (same_words && before->body.heading == b.heading) return std::nullopt;
  return corpus::SectionChange{corpus::SectionChange::Kind::changed, b.number, b.heading, std::move(words)};
}

std::string section_url(std::string_view section_id, std::string_view lang, std::int64_t version) {
  std::string u = "/section?id=" + url_component(section_id);
  if (!lang.empty()) u += "&lang=" + url_component(lang);
  if (version) u += "&version=" + std::to_string(version);
  return u;
}

std::string score_text(double x) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

std::string percent(double x) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", std::round(x * 100));
  return buf;
}

std::string day(std::string_view iso) { return std::string(iso.substr(0, std::min<std::size_t>(10, iso.size()))); }

nlohmann::json evidence_json(const analysis::Evidence& e) {
  return {{"section", e.section_id}, {"quote", e.quote},       {"rule", e.rule},
          {"role", e.role},          {"language", e.language}, {"version_date", e.version_date},
          {"url", section_url(e.section_id, e.language)}};
}

nlohmann::json read_json(const std::vector<std::string>& read, const std::string& lead) {
  if (read.empty()) return nullptr;
  std::string text;
  for (const auto& d : read) text += (text.empty() ? "" : "; ") + d;
  return {{"lead", lead}, {"text", text}};
}

Result<std::string> check_base_url(std::string_view url) {
  auto refuse = [&](const std::string& why) {
    return Error{"--base-url '" + std::string(url) + "': " + why + " (expected e.g. https://hrtrack.example.org)"};
  };
  std::string_view rest = url;
  if (rest.starts_with("https://")) rest.remove_prefix(8);
  else if (rest.starts_with("http://")) rest.remove_prefix(7);
  else return refuse("not an http:// or https:// URL");
  const auto slash = rest.find('/');
  const auto authority = rest.substr(0, slash);
  const auto path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  std::string_view host = authority, port;
  if (authority.starts_with("[")) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return refuse("an IPv6 address without its ']'");
    host = authority.substr(0, close + 1);
    if (host.size() < 3 || host.substr(1, host.size() - 2).find_first_not_of("0123456789abcdefABCDEF:.") != std::string_view::npos)
      return refuse("not an IPv6 address in brackets");
    port = authority.substr(close + 1);
  } else {
    const auto colon = authority.find(':');
    host = authority.substr(0, colon);
    port = colon == std::string_view::npos ? std::string_view() : authority.substr(colon);
    if (host.empty() || host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != std::string_view::npos)
      return refuse("the host must be a name or an address (letters, digits, '.', '-')");
  }
  if (!port.empty()) {
    long long n = 0;
    if (port.size() < 2 || port[0] != ':' || !valid_int(port.substr(1), 1, 65535, n)) return refuse("the port must be 1 to 65535");
  }
  if (path.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/%!$&'()*+,;=:@") !=
      std::string_view::npos)
    return refuse("only a path may follow the host (no query, fragment or spaces)");
  std::string out(url);
  while (out.ends_with('/')) out.pop_back();
  return out;
}

std::string public_base(const Config& c) {
  if (!c.base_url.empty()) return c.base_url;
  const std::string host = c.bind == "0.0.0.0" ? "127.0.0.1" : c.bind == "::" ? "::1" : c.bind;
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(c.port);
}

bool valid_code(std::string_view s) {
  if (s.size() < 2 || s.size() > 10) return false;
  for (const char c : s)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

bool valid_date(std::string_view s) { return base::is_calendar_date(s); }

bool valid_lang(std::string_view s) {
  return s.size() == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z';
}

bool valid_int(std::string_view s, long long lo, long long hi, long long& out) {
  if (s.empty() || s.size() > 12) return false;
  long long v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v < lo || v > hi) return false;
  out = v;
  return true;
}

}  // namespace hrtrack::web
