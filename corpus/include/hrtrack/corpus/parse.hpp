#pragma once
// Parsers: raw bytes of a published document in, a ParsedDocument out.
// Input is untrusted: no entity substitution, no DTD loading, no network access.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hrtrack/corpus/model.hpp"
#include "hrtrack/corpus/result.hpp"

namespace hrtrack::corpus {

enum class Format { justice_canada, gii, akn, uslm, bwb, markdown, html, text, dccouncil };
std::string_view to_string(Format f);
std::optional<Format> format_from(std::string_view name);  // "justice-canada", "gii", ...

// What the caller knows beyond the bytes.
struct ParseContext {
  std::string source;        // file path or URL, for messages and identifier hints
  std::string jurisdiction;  // hint; a parser may know better from the document
  std::string language;      // hint, ISO 639-1
  std::string date;          // YYYY-MM-DD, used when the document carries no date
  std::string date_source;   // where `date` came from ("file name", "--as-of")
};

struct ParsedDocument {
  Format format = Format::text;
  std::string jurisdiction;   // ISO code, when the document or the hint tells
  std::string identifier;     // official identifier as printed ("C-38.8", "BtMG")
  std::vector<std::string> aliases;  // other identifiers it is cited by
  std::string title;
  std::string language;       // ISO 639-1
  InstrumentType type = InstrumentType::other;
  std::string date;           // version date, YYYY-MM-DD; empty when unknown (undated)
  // Where `date` came from, for a person to check: the field or element that gave it
  // ("front matter: effective_from", "pit-date", "file name", "--as-of"); empty when undated.
  std::string date_source;
  std::vector<ParsedSection> sections;
  // Identifiers of instruments this document amends ("D.C. Code" from codify:doc).
  std::vector<std::string> amends;
  // The document holds some sections of a larger instrument, a code published one section
  // per file; importing it merges its sections into the instrument instead of replacing it.
  bool part = false;
};

// Detects the format from the content (root element and namespace, front matter),
// falling back on the file name's extension. Empty when nothing fits.
std::optional<Format> detect_format(std::string_view bytes, std::string_view source = {});
// What detection went by ("root <dokumente>", "YAML front matter, or an .md name"); empty
// when nothing fits.
std::string detection_reason(std::string_view bytes, std::string_view source = {});

// Raised whenever a parser change may read the same bytes differently (more sections, a
// document that held no legal text now holding some). A crawler records it with each body
// it parses, and reads again the documents older parsers found empty.
inline constexpr int kParsersRevision = 1;

// Parses with the detected format, or `format` when given. The error names the source
// and the reason ("CA/x.xml: line 12: Opening and ending tag mismatch").
Result<ParsedDocument> parse_document(std::string_view bytes, const ParseContext& ctx,
                                      std::optional<Format> format = std::nullopt);

// The normalised text of a document: what decides whether a new Version is a change.
// Whitespace, wrapping and markup do not count.
// True when parse_document's error says that the document is well formed but holds no
// legal text (metadata, announcements or tables only; no numbered sections): a fact about
// the document, not a failure to retry until its bytes or the parsers change.
bool holds_no_legal_text(const Error& e);  // e.code == Code::kNoLegalText

std::string normalized_text(const ParsedDocument& doc);
// sha256 (64 lower-case hex digits) of normalized_text(doc), hashed section by section
// without holding the whole text.
std::string normalized_text_sha256(const ParsedDocument& doc);

}  // namespace hrtrack::corpus

namespace hrtrack::corpus {

// The language of a text (ISO 639-1) by its most frequent function words, among en, de,
// fr, nl, it, es, pt, no and sw; empty when too little text to tell.
std::string detect_language(std::string_view text);

}  // namespace hrtrack::corpus
