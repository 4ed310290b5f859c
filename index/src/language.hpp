#pragma once
// Languages as Xapian sees them.
#include <xapian.h>

#include <string>
#include <string_view>

namespace hrtrack::index {

// ISO 639-1 -> Xapian stemmer name ("de" -> "german"), from the languages table
// (languages/*.toml); "none" when the table gives none or this Xapian lacks it.
std::string stemmer_name(std::string_view iso639_1);
Xapian::Stem stemmer_for(std::string_view iso639_1);
// Languages that write compounds as one word ("Einmalspritzen", "sprøyterom"; the table's
// `compounds`): the indexer also indexes the thesaurus words found inside their words.
bool compounds(std::string_view iso639_1);

}  // namespace hrtrack::index
