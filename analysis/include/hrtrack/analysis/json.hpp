#pragma once
// The analysis's records as JSON, written once for every reader (the CLI's --json, the API).
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "hrtrack/analysis/analysis.hpp"

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

}  // namespace hrtrack::analysis
