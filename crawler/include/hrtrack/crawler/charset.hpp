#pragma once
// The text encoding of a fetched body, decided once, before the parsers see it.
//
// Policy (the parsers read UTF-8, and XML parsers read the document's own declaration):
//  - a byte-order mark wins over everything (UTF-8, UTF-16LE/BE);
//  - XML with an encoding declaration is passed through untouched: the declaration is part
//    of the published document, while Content-Type charsets are often a server default;
//  - otherwise a body that is valid UTF-8 is taken as UTF-8 even when the header names
//    another charset (a latin-1 text almost never validates as UTF-8; a misconfigured
//    header is common);
//  - otherwise the header's charset, then an HTML <meta charset>, then windows-1252 (the
//    WHATWG default for legacy text), converted to UTF-8 with iconv.
#include <string>
#include <string_view>

#include "hrtrack/base/utf8.hpp"
#include "hrtrack/corpus/result.hpp"

namespace hrtrack::crawler {

struct Decoded {
  std::string bytes;    // UTF-8, or the XML untouched
  std::string charset;  // what was decided ("UTF-8", "ISO-8859-1", "declared")
  bool converted = false;
};

// "text/html; charset=ISO-8859-1" -> "ISO-8859-1"; "" when none.
std::string charset_of(std::string_view content_type);
// UTF-8 as base validates it (no surrogates, no overlong forms).
using base::valid_utf8;

// Fails only when the named charset is unknown to iconv or the bytes are not in it.
Result<Decoded> decode_text(std::string bytes, std::string_view content_type, bool is_xml);

}  // namespace hrtrack::crawler
