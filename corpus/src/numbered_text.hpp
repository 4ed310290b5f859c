#pragma once
// What the markdown, HTML and plain-text parsers share: recognising numbered headings
// ("§ 29", "Art. 19b", "Section 5.", "Article 40", "Artikel 3", "Anlage I") and turning a
// stream of headings and paragraphs into sections.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hrtrack/corpus/model.hpp"

namespace hrtrack::corpus::numbered {

// A section marker at the start of a line: label "§ 29", rest "Straftaten".
struct Marker {
  std::string label;
  std::string rest;
};

// Recognises a marker at the start of `line`, for text known to be a heading.
std::optional<Marker> match(std::string_view line);

// Stricter, for lines of running text where a wrapped sentence may start with "§ 29 Abs. 1"
// or "Section 5 of": the rest must be empty or read like a heading.
std::optional<Marker> match_heading_line(std::string_view line);

// "5. Begriffsbestimmungen": a bare number followed by a capitalised, short heading.
std::optional<Marker> match_bare_number(std::string_view line);

// A structural heading that is not a section ("Erster Abschnitt", "PART II", "Chapter 3"):
// its rank (1 outermost), or 0 when the line is not one.
int structure_rank(std::string_view line);

// True when `line` opens a list item or subsection: "(2)", "(a)", "1.", "1a.", "a)", "- ".
bool opens_item(std::string_view line);

// Joins hard-wrapped lines of one paragraph; a line that starts a list item ("1.", "a)",
// "(2)") starts a new output line.
std::string unwrap(const std::vector<std::string>& lines);

// The file name of a path or URL without folders, query and its last extension
// ("a/btmg.txt" -> "btmg", "https://x/y/BtMG.html?v=2" -> "BtMG").
std::string file_stem(std::string_view source);

// The abbreviation a title ends with in brackets: "Betäubungsmittelgesetz (BtMG)" -> "BtMG";
// "" when the brackets hold something else (long, or without a capital letter).
std::string bracketed_abbreviation(std::string_view title);

// Collects sections from headings and paragraphs in document order. Text before the first
// section, or after a structural heading and before the next section, belongs to no section.
class SectionBuilder {
 public:
  // A numbered heading: starts a section.
  void section(const Marker& m, int level = 0);
  // A heading that is not numbered: enters the path at `level` (1 outermost).
  void structure(std::string title, int level);
  // A paragraph (may hold several lines) of the current section.
  void paragraph(std::string_view text);
  void note(std::string text);
  // Removes and returns the current section's last line when `pred` accepts it.
  template <class Pred>
  std::optional<std::string> take_last_line_if(Pred pred);
  std::vector<ParsedSection> finish();

 private:
  void close();
  std::vector<std::pair<int, std::string>> path_;
  std::optional<ParsedSection> current_;
  std::vector<ParsedSection> done_;
};

template <class Pred>
std::optional<std::string> SectionBuilder::take_last_line_if(Pred pred) {
  if (!current_) return std::nullopt;
  std::string& text = current_->text;
  const auto nl = text.rfind('\n');
  const std::size_t start = nl == std::string::npos ? 0 : nl + 1;
  std::string last = text.substr(start);
  if (!pred(std::string_view(last))) return std::nullopt;
  text.erase(nl == std::string::npos ? 0 : nl);
  return last;
}

}  // namespace hrtrack::corpus::numbered
