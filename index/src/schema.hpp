#pragma once
// How a section is laid out in a Xapian document: term prefixes, value slots, and the
// small conversions both the indexer and the searcher rely on.
#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "hrtrack/base/hash.hpp"

namespace hrtrack::index::schema {

// Bump when the document layout changes: every version is then re-indexed.
// 2: concept terms (XK) matched at index time; the hit's fields in kHitSlot, the text alone
// in the document's data. 3: thesaurus phrases matched within the query parser's window.
// 4: wdf normalised by the section's length (weight.hpp); at most the text snippets read;
// pairs of common words (kPair, for the list whose digest the layout mark also holds).
// 5: languages without a stemmer (Czech, Estonian, Greek in Xapian 1.4) have their words
// indexed ("Z" + the word); before, their sections held no text terms at all.
inline constexpr std::string_view kLayout = "hrtrack-index-5";

// Boolean terms.
inline constexpr std::string_view kId = "Q";             // Q<version id>:<ordinal>
inline constexpr std::string_view kVersion = "XV";       // XV<version id>
inline constexpr std::string_view kJurisdiction = "XJ";  // XJ<CODE>
inline constexpr std::string_view kInstrument = "XI";    // XI<identifier or alias, lower case>
inline constexpr std::string_view kAddress = "XA";       // XA<c-38.8#56.1>, lower case
inline constexpr std::string_view kNumber = "XN";        // XN<56.1>
inline constexpr std::string_view kLanguage = "L";       // L<iso 639-1>
inline constexpr std::string_view kType = "XT";          // XT<act|regulation|...>
inline constexpr std::string_view kProvision = "XP";     // XP<provision tag>
// XK<concept id>: the section uses a term of the concept (in its own language); its wdf is
// the number of occurrences, so BM25 ranks a `concept:` search as it ranks words.
inline constexpr std::string_view kConcept = "XK";
// XB<stem> <stem>: two common words (common_words.hpp) of the text at consecutive positions
// (no positions kept). A phrase can only match where each of its pairs is, so a phrase of
// common words ("personal use") checks the positions of a few hundred sections instead of
// thousands.
inline constexpr std::string_view kPair = "XB";
// Free-text prefixes.
inline constexpr std::string_view kTitle = "S";
inline constexpr std::string_view kHeading = "XH";

// Value slots.
enum Slot : Xapian::valueno {
  kFromSlot = 0,  // YYYYMMDD: the version's in-force date
  kToSlot = 1,    // YYYYMMDD: the next version's date (exclusive); kOpenEnd while in force
  kJurisdictionSlot = 2,
  kInstrumentSlot = 3,
  kLanguageSlot = 4,
  // Everything a hit shows but the snippet (see encode_hit()): a hit list without snippets
  // reads this value and never the stored text.
  kHitSlot = 5,
};
inline constexpr std::string_view kOpenEnd = "99991231";

// Metadata keys.
inline constexpr std::string_view kVersionKey = "version:";    // version:<id> -> signature
inline constexpr std::string_view kTagKey = "tag:";            // tag:<address> -> tags, one per line
inline constexpr std::string_view kSynonymsKey = "thesaurus";  // fingerprint of the loaded synonyms
// The thesaurus fingerprint every document's XK terms were made with; empty or absent while
// an indexing run with another thesaurus has not finished (searches then match the
// concepts' phrases at query time, as before).
inline constexpr std::string_view kConceptsKey = "concepts";
// index_layout() once every document has it; empty or absent while an indexing run that
// changes the layout has not finished. Until then searches rank with Xapian's BM25 (which reads
// raw counts) and check phrases without their pairs (kPair).
inline constexpr std::string_view kLayoutKey = "layout";
// rank:<concept id>: a concept's ranking (see ConceptRanks); rank: the revision they are for.
inline constexpr std::string_view kRankKey = "rank:";
// vocabulary:<length>: the spelling vocabulary's words of that length (see Vocabulary::store),
// rewritten by each indexing run.
inline constexpr std::string_view kVocabularyKey = "vocabulary:";

// Xapian refuses terms over 245 bytes; longer values are cut, which keeps real
// identifiers distinct and never throws.
std::string term(std::string_view prefix, std::string_view value);
// A word of the text as the generator and the parser make it: "Z" + stem, no other prefix.
bool is_word_term(std::string_view term);
// The kPair term of two such terms, in order.
std::string pair_term(std::string_view first, std::string_view second);
std::string lower(std::string_view s);  // ASCII only: identifiers, codes
// "2024-05-23" -> "20240523"; anything else -> "00000000".
std::string compact_date(std::string_view iso);
// "20240523" -> "2024-05-23"; kOpenEnd -> "".
std::string iso_date(std::string_view compact);

// 64-bit FNV-1a as 16 hex digits: change detection, not security.
class Fingerprint {
 public:
  Fingerprint& add(std::string_view s);
  std::string hex() const;

 private:
  base::Fnv1a h_;
};

}  // namespace hrtrack::index::schema
