#pragma once
// Escaping for each output context. Everything that came from the catalogue, the index or
// a request is untrusted (a statute can contain "<", a query can contain anything), so
// every value is escaped for the context it lands in, at the point where it lands.
#include <string>
#include <string_view>

namespace hrtrack::web {

// HTML text and double- or single-quoted attribute values: & < > " ' escaped. Also valid
// for XML (Atom feeds). Invalid UTF-8 bytes become U+FFFD so a broken byte cannot start a
// multi-byte sequence that swallows the next character.
std::string html(std::string_view s);

// One component of a URL (a path segment or a query value): everything except
// A-Z a-z 0-9 - . _ ~ percent-encoded, so "#", "/", "&" and "?" stay data.
std::string url_component(std::string_view s);
// Decodes %XX and '+' (as space, form encoding). Malformed escapes are kept as they are.
std::string url_decode(std::string_view s);

// JSON text to be placed inside <script type="application/json">: "<", ">", "&" and
// U+2028/U+2029 written as \u escapes, so "</script>" or "<!--" in the data cannot end or
// change the script element.
std::string json_for_script(std::string_view json);

// Markdown inline text: characters that start markup (\ ` * _ [ ] < > # | !) backslash-
// escaped, line breaks kept as spaces, so a quote from a statute renders as text.
std::string markdown(std::string_view s);

// CSV field: quoted when it holds a comma, quote, or line break, quotes doubled; a field
// starting with = + - @ (a spreadsheet formula) is prefixed with ' so it stays text.
std::string csv_field(std::string_view s);

}  // namespace hrtrack::web
