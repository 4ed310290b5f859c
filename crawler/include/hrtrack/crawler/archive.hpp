#pragma once
// Zip archives as published by gesetze-im-internet.de (xml.zip: one XML, sometimes images).
// Input is untrusted: sizes are capped while inflating, so a zip bomb is refused.
#include <cstddef>
#include <string>
#include <string_view>

#include "hrtrack/corpus/result.hpp"

namespace hrtrack::crawler {

struct UnzipLimits {
  std::size_t max_entry_bytes = 256u << 20;  // one inflated entry
  std::size_t max_total_bytes = 512u << 20;  // all inflated entries read
  int max_entries = 1000;
};

bool looks_like_zip(std::string_view bytes);

// The one .xml entry of the archive (the first, by archive order, when there are several).
// Errors: not a zip, no XML inside, an entry or the total larger than the limits.
Result<std::string> xml_from_zip(std::string_view zip, const UnzipLimits& limits);

}  // namespace hrtrack::crawler
