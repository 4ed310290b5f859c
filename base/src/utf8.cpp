#include "hrtrack/base/utf8.hpp"

#include <utf8.h>

namespace hrtrack::base {

bool valid_utf8(std::string_view s) { return utf8::is_valid(s.begin(), s.end()); }

std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  if (i >= s.size()) return 0;
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || s.size() - i < n) return 0;
  const auto begin = s.begin() + static_cast<std::ptrdiff_t>(i);
  return utf8::is_valid(begin, begin + static_cast<std::ptrdiff_t>(n)) ? n : 0;
}

}  // namespace hrtrack::base
