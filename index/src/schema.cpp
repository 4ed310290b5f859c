#include "schema.hpp"

#include <algorithm>
#include <cstdio>

#include "hrtrack/base/ascii.hpp"

namespace hrtrack::index::schema {

std::string term(std::string_view prefix, std::string_view value) {
  constexpr std::size_t kMaxTerm = 240;
  std::string t(prefix);
  t.append(value.substr(0, kMaxTerm - std::min(kMaxTerm, prefix.size())));
  return t;
}

bool is_word_term(std::string_view term) {
  return term.size() > 1 && term[0] == 'Z' && !(term[1] >= 'A' && term[1] <= 'Z');
}

std::string pair_term(std::string_view first, std::string_view second) {
  std::string words(first.substr(1));
  words += ' ';
  words += second.substr(1);
  return term(kPair, words);
}

std::string lower(std::string_view s) { return base::ascii_lower(s); }

std::string compact_date(std::string_view iso) {
  std::string out;
  for (char c : iso)
    if (c >= '0' && c <= '9') out += c;
  return out.size() == 8 ? out : "00000000";
}

std::string iso_date(std::string_view compact) {
  if (compact.size() != 8 || compact == kOpenEnd) return {};
  return std::string(compact.substr(0, 4)) + "-" + std::string(compact.substr(4, 2)) + "-" +
         std::string(compact.substr(6, 2));
}

Fingerprint& Fingerprint::add(std::string_view s) {
  // A separator, so ("ab", "c") and ("a", "bc") differ.
  h_.add(s).add_byte(0xffU);
  return *this;
}

std::string Fingerprint::hex() const { return h_.hex(); }

}  // namespace hrtrack::index::schema
