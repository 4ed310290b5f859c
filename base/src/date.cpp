#include "hrtrack/base/date.hpp"

#include <cstdio>

namespace hrtrack::base {
namespace chr = std::chrono;

std::optional<chr::year_month_day> parse_date(std::string_view iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  for (std::size_t i = 0, part = 0; i < iso.size(); ++i) {
    if (i == 4 || i == 7) {
      ++part;
      continue;
    }
    if (iso[i] < '0' || iso[i] > '9') return std::nullopt;
    parts[part] = parts[part] * 10 + (iso[i] - '0');
  }
  if (parts[0] < 1) return std::nullopt;
  const chr::year_month_day d{chr::year{parts[0]}, chr::month{static_cast<unsigned>(parts[1])},
                              chr::day{static_cast<unsigned>(parts[2])}};
  if (!d.ok()) return std::nullopt;
  return d;
}

std::string format_date(const chr::year_month_day& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}

std::string utc_date(chr::system_clock::time_point t) {
  return format_date(chr::year_month_day{chr::floor<chr::days>(t)});
}

std::string utc_timestamp(chr::system_clock::time_point t) {
  const auto day = chr::floor<chr::days>(t);
  const chr::hh_mm_ss hms{chr::floor<chr::seconds>(t - day)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return format_date(chr::year_month_day{day}) + buf;
}

}  // namespace hrtrack::base
