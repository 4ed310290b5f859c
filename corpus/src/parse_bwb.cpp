#include "parsers.hpp"

namespace hrtrack::corpus::parsers {

Result<ParsedDocument> bwb(std::string_view, const ParseContext& ctx) {
  return Error{ctx.source + ": the bwb parser is not written yet"};
}

}  // namespace hrtrack::corpus::parsers
