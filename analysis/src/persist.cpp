// Answers and reviews as JSON records, status changes as events.
#include <nlohmann/json.hpp>

#include "engine_impl.hpp"
#include "hrtrack/analysis/json.hpp"
#include "hrtrack/corpus/clock.hpp"

namespace hrtrack::analysis {
namespace {

using nlohmann::json;

Evidence evidence_from(const json& j) {
  return {j.value("section", ""), j.value("quote", ""),        j.value("rule", ""),    j.value("role", ""),
          j.value("language", ""), j.value("version_date", ""), j.value("text_hash", "")};
}

// Text from outside (a reviewer's note, a quote) may not be valid UTF-8: stored with
// U+FFFD in place of the bad bytes rather than refused with an exception.
std::string text_of(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

AnswerStatus status_of(const json& j, const char* key) {
  return answer_status_from(j.value(key, "silent")).value_or(AnswerStatus::silent);
}

json review_fields(const Review& r) {
  return {{"status", to_string(r.status)}, {"evidence", r.evidence}, {"note", r.note}, {"by", r.by}, {"at", r.at}};
}

Review review_from(const json& j) {
  return {status_of(j, "status"), j.value("evidence", std::vector<std::string>{}), j.value("note", ""),
          j.value("by", ""), j.value("at", "")};
}

}  // namespace

json to_json(const Evidence& e) {
  return {{"section", e.section_id}, {"quote", e.quote},     {"rule", e.rule},
          {"role", e.role},          {"language", e.language}, {"version_date", e.version_date},
          {"text_hash", e.text_hash}};
}

json to_json(const Answer& a) {
  json ev = json::array();
  for (const auto& e : a.evidence) ev.push_back(to_json(e));
  const bool assessed = a.not_assessed.empty();
  json out{{"jurisdiction", a.jurisdiction},
           {"provision", a.provision},
           {"as_of", a.as_of},
           {"status", shown_status(a)},
           {"machine_status", to_string(a.machine_status)},
           {"score", assessed ? json(a.score) : json(nullptr)},
           {"confidence", a.confidence},
           {"evidence", ev},
           {"needs_review", a.needs_review},
           {"explanation", a.explanation},
           {"assessed", assessed}};
  if (a.review) out["review"] = review_fields(*a.review);
  if (!assessed) out["not_assessed"] = a.not_assessed;
  if (!a.read.empty()) out["read"] = a.read;
  return out;
}

std::optional<Answer> answer_from(const json& j) {
  if (!j.is_object()) return std::nullopt;
  Answer a;
  a.jurisdiction = j.value("jurisdiction", "");
  a.provision = j.value("provision", "");
  a.as_of = j.value("as_of", "");
  a.status = status_of(j, "status");  // "not-assessed" reads as silent, as answer_of leaves it
  a.machine_status = status_of(j, "machine_status");
  a.score = j.contains("score") && j["score"].is_number() ? j["score"].get<double>() : 0.0;
  a.confidence = j.value("confidence", 0.0);
  a.needs_review = j.value("needs_review", false);
  a.explanation = j.value("explanation", "");
  if (j.contains("evidence") && j["evidence"].is_array())
    for (const auto& e : j["evidence"]) a.evidence.push_back(evidence_from(e));
  if (j.contains("review") && j["review"].is_object()) a.review = review_from(j["review"]);
  a.not_assessed = j.value("not_assessed", "");
  a.read = j.value("read", std::vector<std::string>{});
  return a;
}

std::string answer_json(const Answer& a) { return text_of(to_json(a)); }

std::optional<Answer> answer_from_json(const std::string& text) {
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return answer_from(j);
}

std::string review_json(const Review& r, const std::map<std::string, std::string>& hashes) {
  json j = review_fields(r);
  j["hashes"] = hashes;
  return text_of(j);
}

std::optional<std::pair<Review, std::map<std::string, std::string>>> review_from_json(const std::string& text) {
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return std::pair{review_from(j), j.value("hashes", std::map<std::string, std::string>{})};
}

std::string stamp_json(const std::string& fingerprint) {
  return text_of(json{{"fingerprint", fingerprint}, {"at", corpus::now_utc()}});
}

std::string stamp_fingerprint(const std::string& text) {
  const json j = json::parse(text, nullptr, false);
  return j.is_object() ? j.value("fingerprint", "") : "";
}

json cause_json(const TimelineEntry::Cause& c) {
  return {{"section", c.section}, {"version", c.version}, {"change", c.change}};
}

std::string timeline_json(const std::vector<TimelineEntry>& entries, const std::string& fingerprint) {
  json list = json::array();
  for (const auto& e : entries) {
    json causes = json::array();
    for (const auto& c : e.caused_by) causes.push_back(cause_json(c));
    list.push_back({{"provision", e.provision}, {"from", e.from}, {"status", to_string(e.status)},
                    {"changed_by", e.changed_by}, {"evidence", e.evidence}, {"coverage_start", e.coverage_start},
                    {"not_assessed", e.not_assessed}, {"caused_by", causes}});
  }
  return text_of(json{{"fingerprint", fingerprint}, {"at", corpus::now_utc()}, {"entries", list}});
}

std::optional<std::vector<TimelineEntry>> timeline_from_json(const std::string& text, const std::string& fingerprint) {
  const json j = json::parse(text, nullptr, false);
  if (!j.is_object() || j.value("fingerprint", "") != fingerprint || !j.contains("entries") || !j["entries"].is_array())
    return std::nullopt;
  std::vector<TimelineEntry> out;
  for (const auto& e : j["entries"]) {
    if (!e.is_object()) return std::nullopt;
    TimelineEntry t{e.value("provision", ""), e.value("from", ""), status_of(e, "status"),
                    e.value("changed_by", std::vector<std::string>{}), e.value("evidence", std::vector<std::string>{}),
                    e.value("coverage_start", false), e.value("not_assessed", ""), {}};
    if (e.contains("caused_by") && e["caused_by"].is_array())
      for (const auto& c : e["caused_by"])
        if (c.is_object()) t.caused_by.push_back({c.value("section", ""), c.value("version", ""), c.value("change", "")});
    out.push_back(std::move(t));
  }
  return out;
}

std::string status_event_json(const std::string& from, const std::string& to, const std::string& by,
                              const std::string& note, const std::string& date,
                              const std::vector<TimelineEntry::Cause>& causes) {
  json j{{"from", from}, {"to", to}, {"by", by}, {"note", note}};
  if (!date.empty()) j["date"] = date;
  if (!causes.empty()) {
    json list = json::array();
    for (const auto& c : causes) list.push_back(cause_json(c));
    j["caused_by"] = list;
  }
  return text_of(j);
}

std::vector<StatusEvent> status_events(const corpus::Store& store, int limit) {
  std::vector<StatusEvent> out;
  for (const char* kind : {"status", "review"}) {
    for (const auto& e : store.events(kind, 0, limit)) {
      StatusEvent s;
      s.id = e.id;
      s.kind = e.kind;
      s.recorded_at = e.time;
      const auto slash = e.key.find('/');
      s.jurisdiction = e.key.substr(0, slash);
      if (slash != std::string::npos) s.provision = e.key.substr(slash + 1);
      const json j = json::parse(e.json, nullptr, false);
      if (j.is_object()) {
        // status_event_json(); a review is review_json(): its status is what it set.
        s.from = j.value("from", "");
        s.to = s.kind == "review" ? j.value("status", "") : j.value("to", "");
        s.by = j.value("by", "");
        s.note = j.value("note", "");
        s.law_date = j.value("date", "");
      }
      out.push_back(std::move(s));
    }
  }
  return out;
}

std::optional<StatusEventKey> status_event_key(const std::string& text) {
  const json j = json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("date") || !j["date"].is_string()) return std::nullopt;
  return StatusEventKey{j["date"].get<std::string>(), j.value("from", ""), j.value("to", "")};
}

json timeline_json(const std::vector<TimelineEntry>& entries) {
  json out = json::array();
  for (const auto& e : entries) {
    json causes = json::array();
    for (const auto& c : e.caused_by)
      causes.push_back({{"section", c.section}, {"version", c.version}, {"change", c.change}, {"text", to_string(c)}});
    json j{{"provision", e.provision}, {"from", e.from}, {"status", shown_status(e)},
           {"coverage_start", e.coverage_start}, {"caused_by", causes}, {"changed_by", e.changed_by},
           {"evidence", e.evidence}};
    if (!e.not_assessed.empty()) j["not_assessed"] = e.not_assessed;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace hrtrack::analysis
