#pragma once
// Languages as Xapian sees them.
#include <xapian.h>

#include <string>
#include <string_view>

namespace hrtrack::index {

// ISO 639-1 -> Xapian stemmer name ("de" -> "german"); "none" when Xapian has no stemmer.
std::string stemmer_name(std::string_view iso639_1);
Xapian::Stem stemmer_for(std::string_view iso639_1);
// Languages that write compounds as one word ("Einmalspritzen", "sprøyterom"): the
// indexer also indexes the thesaurus words found inside their words.
bool compounds(std::string_view iso639_1);

}  // namespace hrtrack::index
