#pragma once
// Dates as the project writes them: YYYY-MM-DD days of the proleptic Gregorian calendar,
// years 0001 to 9999, and UTC wall-clock times. The one copy of date validation.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace hrtrack::base {

// The day `iso` names when it is YYYY-MM-DD and a day of the calendar: "2024-02-29" yes,
// "2022-02-30", "2022-13-45", "0000-01-01" and "2024-1-01" no.
std::optional<std::chrono::year_month_day> parse_date(std::string_view iso);
inline bool is_calendar_date(std::string_view iso) { return parse_date(iso).has_value(); }

// "2024-05-23".
std::string format_date(const std::chrono::year_month_day& day);

// The UTC day and time of `t`: "2026-11-22", "2026-11-22T07:35:51Z".
std::string utc_date(std::chrono::system_clock::time_point t);
std::string utc_timestamp(std::chrono::system_clock::time_point t);

}  // namespace hrtrack::base
