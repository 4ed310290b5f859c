#pragma once
// One parser per format; parse_document() in parse.cpp dispatches to them.
// Each takes the raw bytes (BOM included), returns sections in document order, and fills
// what it can of the document's metadata; the error names ctx.source and the reason.
#include <string_view>

#include "hrtrack/corpus/parse.hpp"

namespace hrtrack::corpus::parsers {

// In the error of a document that parsed but holds only metadata (holds_no_legal_text()).
inline constexpr std::string_view kNoLegalText = ": no legal text: ";

Result<ParsedDocument> justice_canada(std::string_view bytes, const ParseContext& ctx);
Result<ParsedDocument> gii(std::string_view bytes, const ParseContext& ctx);
Result<ParsedDocument> akn(std::string_view bytes, const ParseContext& ctx);
Result<ParsedDocument> uslm(std::string_view bytes, const ParseContext& ctx);
Result<ParsedDocument> bwb(std::string_view bytes, const ParseContext& ctx);
Result<ParsedDocument> markdown(std::string_view bytes, const ParseContext& ctx);
Result<ParsedDocument> html(std::string_view bytes, const ParseContext& ctx);
Result<ParsedDocument> dccouncil(std::string_view bytes, const ParseContext& ctx);
Result<ParsedDocument> plain_text(std::string_view bytes, const ParseContext& ctx);

}  // namespace hrtrack::corpus::parsers
