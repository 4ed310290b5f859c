#pragma once
// A document's identity and version date from its own metadata: front-matter or header
// fields, the title, and the lines before the first section. What a lawyer cites is the
// identifier ("NPALS", "Zákon 167/1998 Sb.", "Ley 23.737", "Loi du 19 février 1973"); the
// publisher's database id, ELI, URL and file name are kept as aliases, so that every name
// the instrument goes by resolves, and renderings that share one of them are one instrument.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hrtrack/corpus/parse.hpp"

namespace hrtrack::corpus::identity {

// Field names lower-cased, values unquoted.
using Fields = std::map<std::string, std::string>;

struct DatedBy {
  std::string date;    // YYYY-MM-DD, empty when no field gives one
  std::string source;  // "front matter: last_updated"
};

// The date of the text the fields describe. A field that dates the text itself (valid
// from, last updated, consolidated on) wins over one that dates the law (publication);
// a text cannot apply before the law is in force, so a later entry-into-force date wins
// over both (a law as published is dated by its entry into force). Placeholder dates
// (before 1800, or 1900-01-01) are ignored.
DatedBy version_date(const Fields& fields);

// Fills doc.identifier, doc.aliases and (when empty) doc.title. `title` is the document's
// first heading, `preamble` the lines before its first section (a line such as
// "Ley N° 23.737" names the instrument there), `stem` the file name without extension.
void identify(ParsedDocument& doc, const Fields& fields, std::string_view title,
              const std::vector<std::string>& preamble, const std::string& stem);

// "Ley N° 23.737" -> "Ley 23.737", "ΝΟΜΟΣ ΥΠ’ ΑΡΙΘ. 4139" -> "Νόμος 4139": an instrument
// named by its kind and number, without the number sign; "" when the line is not one.
std::string kind_and_number(std::string_view line);

// "Loi du 19 février 1973 concernant ..." -> "Loi du 19 février 1973": an instrument named
// by its kind and date; "" when the title is not one.
std::string kind_and_date(std::string_view title);

}  // namespace hrtrack::corpus::identity
