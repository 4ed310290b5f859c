// Hits as JSON.
#include "hrtrack/index/json.hpp"

namespace hrtrack::index {

nlohmann::json to_json(const Hit& h) {
  nlohmann::json marks = nlohmann::json::array();
  for (const auto& m : h.marks) marks.push_back({m.offset, m.length});
  return {{"rank", h.rank},
          {"percent", h.percent},
          {"id", h.id},
          {"jurisdiction", h.jurisdiction},
          {"instrument", h.instrument},
          {"title", h.title},
          {"type", h.type},
          {"section", h.section},
          {"label", h.label},
          {"heading", h.heading},
          {"language", h.language},
          {"version_date", h.version_date},
          {"in_force_to", h.in_force_to},
          {"version_id", h.version_id},
          {"snippet", h.snippet},
          {"marks", marks}};
}

}  // namespace hrtrack::index
