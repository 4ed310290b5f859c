#pragma once
// 64-bit FNV-1a: change detection (fingerprints, ETags), never security.
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace hrtrack::base {

class Fnv1a {
 public:
  static constexpr std::uint64_t kOffsetBasis = 14695981039346656037ULL;
  // `seed`: another start, for values that were stored under one and must stay comparable.
  explicit constexpr Fnv1a(std::uint64_t seed = kOffsetBasis) : h_(seed) {}

  constexpr Fnv1a& add(std::string_view bytes) {
    for (const char c : bytes) add_byte(static_cast<unsigned char>(c));
    return *this;
  }
  constexpr Fnv1a& add_byte(unsigned char c) {
    h_ = (h_ ^ c) * kPrime;
    return *this;
  }
  // A whole 64-bit value as one step (a size, a time, another hash).
  constexpr Fnv1a& add_word(std::uint64_t v) {
    h_ = (h_ ^ v) * kPrime;
    return *this;
  }
  constexpr std::uint64_t value() const { return h_; }
  // 16 lower-case hex digits.
  std::string hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h_));
    return buf;
  }

 private:
  static constexpr std::uint64_t kPrime = 1099511628211ULL;
  std::uint64_t h_;
};

}  // namespace hrtrack::base
