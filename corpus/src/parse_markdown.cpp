#include "parsers.hpp"

namespace hrtrack::corpus::parsers {

Result<ParsedDocument> markdown(std::string_view, const ParseContext& ctx) {
  return Error{ctx.source + ": the markdown parser is not written yet"};
}

}  // namespace hrtrack::corpus::parsers
