#include "parsers.hpp"

namespace hrtrack::corpus::parsers {

Result<ParsedDocument> justice_canada(std::string_view, const ParseContext& ctx) {
  return Error{ctx.source + ": the justice_canada parser is not written yet"};
}

}  // namespace hrtrack::corpus::parsers
