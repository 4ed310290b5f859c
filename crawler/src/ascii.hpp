#pragma once
// ASCII case folding for protocol text (header names, robots.txt fields, charset names).
#include <string>
#include <string_view>

#include "hrtrack/base/ascii.hpp"

namespace hrtrack::crawler {

inline std::string lower(std::string_view s) { return base::ascii_lower(s); }
inline std::string upper(std::string_view s) { return base::ascii_upper(s); }

}  // namespace hrtrack::crawler
