#pragma once
// UTF-8 as RFC 3629 defines it (libutfcpp): no overlong forms, no surrogates, nothing past
// U+10FFFF. The one copy of UTF-8 validation.
#include <cstddef>
#include <string_view>

namespace hrtrack::base {

bool valid_utf8(std::string_view s);

// The length (1 to 4) of the valid UTF-8 sequence that starts at s[i], 0 when none does.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i = 0);

}  // namespace hrtrack::base
