#include "parsers.hpp"

namespace hrtrack::corpus::parsers {

Result<ParsedDocument> plain_text(std::string_view, const ParseContext& ctx) {
  return Error{ctx.source + ": the plain_text parser is not written yet"};
}

}  // namespace hrtrack::corpus::parsers
