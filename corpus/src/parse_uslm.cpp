#include "parsers.hpp"

namespace hrtrack::corpus::parsers {

Result<ParsedDocument> uslm(std::string_view, const ParseContext& ctx) {
  return Error{ctx.source + ": the uslm parser is not written yet"};
}

}  // namespace hrtrack::corpus::parsers
