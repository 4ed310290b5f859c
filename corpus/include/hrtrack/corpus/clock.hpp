#pragma once
// Dates as the catalogue writes them: wall-clock dates in UTC, and the YYYY-MM-DD dates a
// user or a source gives (validated by base, the one copy).
#include <string>
#include <string_view>

#include "hrtrack/base/date.hpp"

namespace hrtrack::corpus {

std::string today_utc();  // "2026-11-22"
std::string now_utc();    // "2026-11-22T07:35:51Z"

// True when `iso` is YYYY-MM-DD and names a day of the (proleptic Gregorian) calendar, year
// 0001 to 9999: "2024-02-29" yes, "2022-02-30" and "2022-13-45" no.
using base::is_calendar_date;

}  // namespace hrtrack::corpus
