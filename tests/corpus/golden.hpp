#pragma once
// What the parser golden tests share: parse a real file from shared/legislation (or bytes
// written in the test) and find a section by number, failing the test with the reason.
#include <optional>
#include <string>

#include "hrtrack/corpus/parse.hpp"

namespace hrtrack::test {

// Parses shared/legislation/<relative>; REQUIREs success and, when given, the detected format.
corpus::ParsedDocument parse_shared(const std::string& relative,
                                   std::optional<corpus::Format> expect = std::nullopt);
// Parses bytes written in the test; REQUIREs success.
corpus::ParsedDocument parse_bytes(const std::string& bytes, const std::string& source,
                                  std::optional<corpus::Format> format = std::nullopt,
                                  const std::string& language = "");
// The first section numbered `number`; FAILs the test when there is none.
const corpus::ParsedSection& section_of(const corpus::ParsedDocument& d, const std::string& number);

inline bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

}  // namespace hrtrack::test
