#include "parsers.hpp"

namespace hrtrack::corpus::parsers {

Result<ParsedDocument> gii(std::string_view, const ParseContext& ctx) {
  return Error{ctx.source + ": the gii parser is not written yet"};
}

}  // namespace hrtrack::corpus::parsers
