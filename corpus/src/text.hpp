#pragma once
// Small text utilities shared by the parsers, the citation extractor and the store.
#include <string>
#include <string_view>
#include <vector>

#include "hrtrack/base/ascii.hpp"
#include "hrtrack/base/date.hpp"
#include "hrtrack/base/hex.hpp"
#include "hrtrack/base/utf8.hpp"

namespace hrtrack::corpus {

// Trims ASCII and Unicode white space (NBSP, thin spaces) at both ends.
std::string trim(std::string_view s);
// True when `s` holds only such white space (trim(s) would be empty), without copying.
bool is_blank(std::string_view s);
// Folds every run of white space (including NBSP and other Unicode spaces) to one
// ASCII space, and trims.
std::string collapse_space(std::string_view s);
// collapse_space(s) appended to `out` (no temporary string).
void collapse_space_into(std::string& out, std::string_view s);
// Folds white space within each line and drops empty lines; lines joined by '\n'.
std::string collapse_lines(std::string_view s);
// ASCII folding, dates, hex and UTF-8 validation: the one copy, in base.
using base::ascii_lower;
using base::is_calendar_date;
using base::to_hex;
using base::valid_utf8;
bool starts_with_icase(std::string_view s, std::string_view prefix);
std::vector<std::string> split(std::string_view s, char sep);
// Accepts "2022-11-17", "20221117", "17.11.2022"; "" when none fits.
std::string to_iso_date(std::string_view s);
// Strips a UTF-8 byte order mark.
std::string_view strip_bom(std::string_view s);
// A code's order of section numbers: runs of digits compare as numbers, the rest as text
// ("48-901.02" < "48-904.03" < "48-904.03a" < "48-904.10" < "48-1001"; "7-403" < "48-101";
// "7" < "7-1" < "8").
bool natural_less(std::string_view a, std::string_view b);

}  // namespace hrtrack::corpus
