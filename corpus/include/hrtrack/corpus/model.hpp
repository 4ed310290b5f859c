#pragma once
// The domain model: what the law is made of, as hrtrack stores it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hrtrack/corpus/result.hpp"

namespace hrtrack::corpus {

// A country (ISO 3166-1 alpha-2, "CA") or a subnational unit (ISO 3166-2, "US-OR").
struct Jurisdiction {
  std::string code;
  std::string name;
  std::vector<std::string> languages;  // ISO 639-1, most used first
};

// A jurisdiction code as a user or a source gives it, checked for the shape of ISO 3166-1
// alpha-2 (two letters) or ISO 3166-2 (those, '-', one to three letters or digits) and
// upper-cased: "ca" -> "CA", "us-dc" -> "US-DC". Anything else ("../../x", "<b>", "CAN") is
// an error that quotes it (escaped). Whether the code is assigned is not checked.
Result<std::string> jurisdiction_code(std::string_view code);

// A name that comes from outside (a file name, a path, a URL) as the catalogue stores it and
// every output prints it: valid UTF-8 stays as it is, except that a backslash becomes "\\"
// and each byte of an invalid sequence, of a control character (C0, DEL, C1) becomes "\xHH".
// The result is valid UTF-8 without control characters (safe in JSON and on a terminal) and
// lossless: unescape_name gives the original bytes back.
std::string escape_name(std::string_view bytes);
std::string unescape_name(std::string_view escaped);

enum class InstrumentType { act, regulation, bill, judgment, other };
std::string_view to_string(InstrumentType t);
InstrumentType instrument_type_from(std::string_view s);  // unknown -> other

// In-force status where the format marks it.
enum class InForce { unknown, yes, not_yet, repealed };
std::string_view to_string(InForce f);
InForce in_force_from(std::string_view s);

// A reference from a section to another section, from markup or from the text.
struct Citation {
  std::string raw;                // as it stands in the text or the href
  std::string target_instrument;  // identifier or alias as named; empty: the same instrument
  std::string target_section;     // normalised section number; empty: the instrument itself
  std::string kind;               // "markup" or "text"
};

// One numbered unit of a law, as a parser returns it.
struct ParsedSection {
  std::string label;    // the number as printed: "§ 29", "4.1", "Art. 19b"
  std::string number;   // normalised: "29", "4.1", "19b" (see normalize_section_number)
  std::string heading;  // marginal note, title, kop
  std::string text;     // clean text; subsections and paragraphs on their own lines
  std::vector<std::string> path;  // enclosing part / chapter / heading titles, outermost first
  InForce in_force = InForce::unknown;
  std::string in_force_date;         // YYYY-MM-DD where the format marks it
  std::vector<std::string> notes;    // footnotes and editorial notes stripped from text
  std::vector<Citation> citations;   // references found in markup
};

// A Section as stored: a ParsedSection within a Version.
struct Section {
  std::int64_t id = 0;
  std::int64_t version_id = 0;
  int ordinal = 0;  // order in the document
  ParsedSection body;
};

// One dated text of an instrument in one language.
struct Version {
  std::int64_t id = 0;
  std::int64_t instrument_id = 0;
  std::string language;
  std::string date;         // in-force / point-in-time date, YYYY-MM-DD; empty: undated
  std::string date_source;  // where the date came from (ParsedDocument::date_source)
  // The text was derived by applying an amending instrument's instructions to the version
  // before it ("consolidated from <amending law> (in force <date>)" in date_source), not
  // given by a document of the instrument itself.
  bool derived = false;
  std::string sha256;       // of the raw bytes
  std::string text_sha256;  // of the normalised text: equal means "no change"
  std::string source;       // URL or path
  // The commit the text was read from, for a version from a git source (40 hex digits);
  // empty otherwise.
  std::string source_commit;
  std::string imported_at;  // ISO 8601 UTC
  std::string format;
  int section_count = 0;
};

// A law, regulation, bill or judgment, with its official identifier as printed.
struct Instrument {
  std::int64_t id = 0;
  std::string jurisdiction;
  std::string identifier;  // "C-38.8", "SOR/2025-242", "BtMG"
  InstrumentType type = InstrumentType::other;
  std::vector<std::pair<std::string, std::string>> titles;  // (language, title)
  std::vector<std::string> aliases;  // other names used in citations ("btmg_1981")
};

// "C-38.8#56.1" <-> {instrument, section}.
struct SectionAddress {
  std::string instrument;
  std::string section;
  static std::optional<SectionAddress> parse(std::string_view s);
  std::string str() const { return instrument + "#" + section; }
};

// "§ 29" -> "29", "Art. 19b" -> "19b", "s. 56.1" -> "56.1", "10.1" -> "10.1", "4 bis" -> "4bis".
std::string normalize_section_number(std::string_view label);

}  // namespace hrtrack::corpus
