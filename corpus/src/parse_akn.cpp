#include "parsers.hpp"

namespace hrtrack::corpus::parsers {

Result<ParsedDocument> akn(std::string_view, const ParseContext& ctx) {
  return Error{ctx.source + ": the akn parser is not written yet"};
}

}  // namespace hrtrack::corpus::parsers
