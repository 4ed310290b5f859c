#pragma once
// The analysis's records as JSON, written once for every reader (the CLI's --json, the API).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hrtrack/analysis/analysis.hpp"
#include "hrtrack/corpus/store.hpp"

namespace hrtrack::analysis {

// An answer as every reader sees it, and as the store keeps it: jurisdiction, provision,
// as_of, status (as shown: "not-assessed" where it applies), machine_status, score (null when
// not assessed), confidence, evidence (section, quote, rule, role, language, version_date,
// text_hash), needs_review, explanation, assessed, and when present not_assessed, read and
// review (status, evidence, note, by, at).
nlohmann::json to_json(const Evidence& e);
nlohmann::json to_json(const Answer& a);
// The answer `j` describes (a stored record of any layout since the first); nullopt when it
// is not an object. Unknown or missing fields take their defaults.
std::optional<Answer> answer_from(const nlohmann::json& j);

// One entry per provision state: provision, from, status ("not-assessed" where it applies),
// coverage_start, caused_by (section, version, change, text), changed_by, evidence.
nlohmann::json timeline_json(const std::vector<TimelineEntry>& entries);

// A change of an answer's status (the machine's, or an analyst's override) or a review, as
// the analysis recorded it in the store's event log.
struct StatusEvent {
  std::int64_t id = 0;
  std::string kind;  // "status" or "review"
  std::string jurisdiction, provision;
  std::string recorded_at;  // ISO 8601 UTC
  std::string law_date;     // YYYY-MM-DD of the law the machine found the change in; empty for an analyst's
  std::string from, to;     // statuses ("not-assessed" where it applies); a review's from is empty
  std::string by, note;     // "machine" and why, or the analyst and their note
};
// The analysis's events in `store`, read from the layout it writes: the `limit` most recent
// of each kind (status changes and reviews), in the order they were recorded.
std::vector<StatusEvent> status_events(const corpus::Store& store, int limit = 1000);

}  // namespace hrtrack::analysis
