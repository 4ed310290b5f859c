#pragma once
// One parser per format; parse_document() in parse.cpp dispatches to them. An XML format
// is its role table and metadata, read by the walker (xml_walker.hpp); the others take the
// raw bytes (BOM included). Each returns sections in document order and fills what it can
// of the document's metadata; the error names ctx.source and the reason.
#include <string_view>

#include "hrtrack/corpus/parse.hpp"
#include "xml_walker.hpp"

namespace hrtrack::corpus::parsers {

// Begins the message of a Code::kNoLegalText error: a document that parsed but holds only
// metadata (holds_no_legal_text() tests the code, not these words).
inline constexpr std::string_view kNoLegalText = ": no legal text: ";

extern const xml::Format justice_canada, gii, akn, uslm, bwb, dccouncil;

Result<ParsedDocument> markdown(std::string_view bytes, const ParseContext& ctx);
Result<ParsedDocument> html(std::string_view bytes, const ParseContext& ctx);
Result<ParsedDocument> plain_text(std::string_view bytes, const ParseContext& ctx);

}  // namespace hrtrack::corpus::parsers
