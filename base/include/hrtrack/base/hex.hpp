#pragma once
// Lower-case hexadecimal, as hashes and salts are written.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hrtrack::base {

std::string to_hex(const unsigned char* bytes, std::size_t size);
inline std::string to_hex(std::string_view bytes) {
  return to_hex(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}
// 0-15 for a hex digit of either case, -1 otherwise.
int hex_value(char c);
// The bytes `hex` spells (either case), or nothing when it is not an even count of hex digits.
std::optional<std::string> from_hex(std::string_view hex);

}  // namespace hrtrack::base
