#pragma once
// A search hit as JSON, written once for every reader (the API, `hrtrack search --json`).
#include <nlohmann/json.hpp>

#include "hrtrack/index/index.hpp"

namespace hrtrack::index {

// rank, percent, id, jurisdiction, instrument, title, type, section, label, heading,
// language, version_date, in_force_to, version_id, snippet (plain text) and marks (each
// [offset, length] in bytes of snippet).
nlohmann::json to_json(const Hit& h);

}  // namespace hrtrack::index
