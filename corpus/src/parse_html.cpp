#include "parsers.hpp"

namespace hrtrack::corpus::parsers {

Result<ParsedDocument> html(std::string_view, const ParseContext& ctx) {
  return Error{ctx.source + ": the html parser is not written yet"};
}

}  // namespace hrtrack::corpus::parsers
