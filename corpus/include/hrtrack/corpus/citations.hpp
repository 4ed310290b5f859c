#pragma once
// Citations written in the running text of a section: "section 2 of the Criminal Code",
// "§ 29 Abs. 1 BtMG", "l’article 4 de la présente loi", "artikelen 20 en 21".
#include <cstddef>
#include <string_view>
#include <vector>

#include "hrtrack/corpus/model.hpp"

namespace hrtrack::corpus {

// A written range ("§§ 1 bis 999999") expands to at most this many numbers after its lower
// bound; a longer one yields its two bounds only, so hostile text cannot explode the output.
inline constexpr std::size_t max_range_expansion = 50;

// Raw text longer than this (a list of hundreds of numbers) is cut and ends with "…".
inline constexpr std::size_t max_raw_size = 240;

// References to numbered sections found in `text` (the text of one section), in the order
// they appear, one Citation per section number per occurrence. `language` is ISO 639-1
// ("en", "fr", "de", "nl", "it", "es", "pt", "no", "sw"); any other value tries every language.
//
// Each result has kind "text" and:
//   raw               the whole reference as written, from its first word through the named
//                     instrument ("§§ 29 bis 30a", "subsection 2(1) of the Customs Act");
//                     every number of a list or range shares it;
//   target_section    the section number, normalised like normalize_section_number; subsections
//                     and paragraphs point at their section ("paragraph 4(1)(a)" -> "4");
//   target_instrument the law named after the reference as written ("Criminal Code", "BtMG",
//                     "Betäubungsmittelgesetzes", "Loi sur les douanes"); empty when it is
//                     the same instrument ("of this Act", "dieses Gesetzes") or none is named.
//
// Lists expand to each number ("§§ 29, 29a und 30"); ranges expand what the bounds make
// certain ("ss. 10.1 to 10.7" -> 10.1 … 10.7, "§§ 29 bis 30a" -> 29, 30, 30a,
// "§§ 56a bis 56g" -> 56a … 56g), otherwise they yield their bounds.
// Not returned: schedules, parts, items, dates, amounts, and references into a schedule
// ("section 5 of Schedule 2"). Runs in time linear in the length of `text`.
std::vector<Citation> extract_citations(std::string_view text, std::string_view language);

// The same, where "of that Act" / "de la même loi" before any name in `text` points back to
// `named_before`: the instrument named last in the sections before this one.
std::vector<Citation> extract_citations(std::string_view text, std::string_view language,
                                        std::string_view named_before);

// The instrument named last in `citations` (the one a later "de la même loi" points to), or
// `before` when they name none.
std::string last_named(const std::vector<Citation>& citations, std::string_view before);

}  // namespace hrtrack::corpus
