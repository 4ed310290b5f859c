#pragma once
// Wall-clock dates as the catalogue writes them, in UTC.
#include <string>

namespace hrtrack::corpus {

std::string today_utc();  // "2026-11-22"
std::string now_utc();    // "2026-11-22T07:35:51Z"

}  // namespace hrtrack::corpus
