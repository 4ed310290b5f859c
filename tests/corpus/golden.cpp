#include "golden.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

#include "hrtrack/corpus/import.hpp"
#include "shared.hpp"

namespace hrtrack::test {

using namespace hrtrack::corpus;

ParsedDocument parse_shared(const std::string& relative, std::optional<Format> expect) {
  // As an import reads it: the folder and the file name's date are the fallbacks.
  auto r = parse_document(read_file(legislation(relative)), import_context(relative, {}));
  INFO(relative << ": " << (r ? std::string() : r.error().message));
  REQUIRE(r.ok());
  if (expect) REQUIRE(r->format == *expect);
  return std::move(r).value();
}

ParsedDocument parse_bytes(const std::string& bytes, const std::string& source,
                           std::optional<Format> format, const std::string& language) {
  ParseContext ctx;
  ctx.source = source;
  ctx.language = language;
  auto r = parse_document(bytes, ctx, format);
  INFO(source << ": " << (r ? std::string() : r.error().message));
  REQUIRE(r.ok());
  return std::move(r).value();
}

const ParsedSection& section_of(const ParsedDocument& d, const std::string& number) {
  for (const auto& s : d.sections)
    if (s.number == number) return s;
  FAIL("no section " << number << " in " << d.identifier);
  throw std::logic_error("unreachable");
}

}  // namespace hrtrack::test
