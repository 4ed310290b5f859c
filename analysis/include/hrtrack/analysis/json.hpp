#pragma once
// The analysis's records as JSON, written once for every reader (the CLI's --json, the API).
#include <vector>

#include <nlohmann/json.hpp>

#include "hrtrack/analysis/analysis.hpp"

namespace hrtrack::analysis {

// One entry per provision state: provision, from, status ("not-assessed" where it applies),
// coverage_start, caused_by (section, version, change, text), changed_by, evidence.
nlohmann::json timeline_json(const std::vector<TimelineEntry>& entries);

}  // namespace hrtrack::analysis
