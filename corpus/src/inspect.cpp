#include "hrtrack/corpus/inspect.hpp"

#include <map>
#include <optional>

namespace hrtrack::corpus {
namespace {

// Sections longer than this usually hold several that the parser did not tell apart.
constexpr std::size_t kLongSection = 30'000;
// Gaps in the leading number above this are worth a look (a few repealed sections are not).
constexpr long kJump = 5;
// Warnings of one kind beyond this are counted, not listed.
constexpr int kMostOfAKind = 5;

// The leading integer of a section number ("29" of "29a", "222" of "222-37"); none for
// "L3421-1" or "III".
std::optional<long> leading_integer(const std::string& number) {
  long n = 0;
  std::size_t i = 0;
  for (; i < number.size() && i < 9 && number[i] >= '0' && number[i] <= '9'; ++i)
    n = n * 10 + (number[i] - '0');
  if (i == 0) return std::nullopt;
  return n;
}

}  // namespace

Inspection inspect(ParsedDocument doc, const std::string& file_stem) {
  Inspection out;
  std::map<std::string, int> kinds;
  auto warn = [&](const char* kind, std::string line) {
    if (++kinds[kind] <= kMostOfAKind) out.warnings.push_back(std::move(line));
  };
  std::map<std::string, int> seen;
  std::optional<long> previous;
  std::string previous_number;
  for (const auto& s : doc.sections) {
    ++seen[s.number];
    const auto n = leading_integer(s.number);
    if (n && previous && *n > *previous + kJump)
      warn("jump", "numbering jumps from " + previous_number + " to " + s.number +
                       ": sections missed in between?");
    if (n && previous && *n < *previous)
      warn("back", "numbering goes back from " + previous_number + " to " + s.number +
                       ": a table of contents, an annex or quoted text read as sections?");
    if (n) {
      previous = n;
      previous_number = s.number;
    }
    if (s.text.size() > kLongSection)
      warn("long", "section " + s.number + " is " + std::to_string(s.text.size()) +
                       " characters: missed boundaries?");
  }
  for (const auto& [number, count] : seen)
    if (count > 1)
      warn("twice", "section " + number + " appears " + std::to_string(count) +
                        " times: only the first is addressable as " + doc.identifier + "#" + number);
  for (const auto& [kind, count] : kinds)
    if (count > kMostOfAKind)
      out.warnings.push_back("... and " + std::to_string(count - kMostOfAKind) + " more like these");
  if (doc.date.empty()) out.warnings.push_back("no date found: will be stored undated (or give --as-of)");
  if (doc.language.empty()) out.warnings.push_back("language not recognised: give --lang");
  if (doc.jurisdiction.empty()) out.warnings.push_back("no jurisdiction: give --jurisdiction");
  if (doc.identifier == file_stem)
    out.warnings.push_back("the document does not name itself: identified by its file name");
  out.doc = std::move(doc);
  return out;
}

}  // namespace hrtrack::corpus
