#pragma once
// How hrtrack reads a document before it is imported: what a person needs to check that a
// new publisher's file will go in right, and warnings they can act on.
#include <string>
#include <vector>

#include "hrtrack/corpus/parse.hpp"

namespace hrtrack::corpus {

struct Inspection {
  ParsedDocument doc;                 // as parse_document returned it
  std::vector<std::string> warnings;  // one line each, naming the section where there is one
};

// Warnings on a parsed document: numbering that jumps or goes back, numbers used twice,
// sections so long that boundaries were probably missed, no date, no language, an
// identifier that is only the file name.
Inspection inspect(ParsedDocument doc, const std::string& file_stem);

}  // namespace hrtrack::corpus
