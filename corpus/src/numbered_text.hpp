#pragma once
// What the markdown, HTML and plain-text parsers share: recognising numbered headings
// ("§ 29", "Art. 19b", "Section 5.", "Article L3421-1", "Άρθρο 29", "ARTICULO 14.-",
// "Anlage I") by the label words of a language (languages/*.toml), and turning a stream of
// headings and paragraphs into sections.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hrtrack/corpus/model.hpp"

namespace hrtrack::corpus::numbered {

// The label grammar of one language, or of all built-in languages together.
class Grammar {
 public:
  // The grammar of an ISO 639-1 code: its words, and the labels and divisions of the
  // other languages where they do not clash with its own (French "Section" is a division,
  // English "Section" a label). Of every language alike when the code is empty or unknown
  // (a clash is then a label); markers of repeal and notes are the language's own.
  // Built once per code; safe to share between threads.
  static const Grammar& of(std::string_view language);

  struct Label {
    std::string text;    // as listed: "Art."
    std::string folded;  // case-folded, for matching
    bool appendix;       // "Anlage I": numbered by roman numerals or letters too
  };
  std::vector<Label> labels;  // longest first, so that "Artikel" is not "Art" + "ikel"
  std::vector<std::pair<std::string, int>> structure_words;  // folded word, rank
  std::vector<std::string> ordinal_suffixes;  // folded
  std::vector<std::string> number_suffixes;   // folded
  std::vector<std::string> citation_words;    // folded
  std::vector<std::string> repealed_markers;  // folded
  std::vector<std::string> note_markers;      // folded
};

// A section marker at the start of a line: label "§ 29", rest "Straftaten".
struct Marker {
  std::string label;   // as printed, with its ordinal mark: "§ 15¹.", "Art. 1er", "ARTICULO 14"
  std::string number;  // normalised without the ordinal mark: "15¹", "1", "14"; empty:
                       // normalize_section_number(label)
  std::string rest;    // after the number and its separator
  std::string word;    // the label word as printed ("Art.", "ARTICULO"): the form of a label
  std::string line;    // the whole line, trimmed
  bool separated = false;  // ".", ":" or a dash stood between number and rest
  bool dash = false;       // the separator was a dash ("—", "-", ".-"): a body follows
};

// Recognises a marker at the start of `line`, for text known to be a heading.
std::optional<Marker> match(std::string_view line, const Grammar& g = Grammar::of(""));

// Stricter, for lines of running text where a wrapped sentence may start with "§ 29 Abs. 1",
// "Section 5 of" or "Artículo 33, párrafo": after the number must come nothing, a heading,
// or a separator and a sentence ("ARTICULO 14.- Será reprimido...").
std::optional<Marker> match_heading_line(std::string_view line, const Grammar& g = Grammar::of(""));

// True when the marker's rest is body text rather than the section's title: a sentence
// after a dash ("ARTICULO 1° — La presente ley tiene por objeto..."); in running text
// (`heading` false) also a sentence after "." or ":".
bool rest_is_body(const Marker& m, bool heading);

// "5. Begriffsbestimmungen": a bare number followed by a capitalised, short heading.
std::optional<Marker> match_bare_number(std::string_view line);

// A structural heading that is not a section ("Erster Abschnitt", "PART II", "Chapitre Ier :
// ...", "1. peatükk", "ΚΕΦΑΛΑΙΟ Α΄"): its rank (1 outermost), or 0 when the line is not one.
int structure_rank(std::string_view line, const Grammar& g = Grammar::of(""));

// True when `line` could be a section's own title printed on the line after its label
// ("Άρθρο 29" / "Κατοχή ..."): short, capitalised, not a sentence, not a list item.
bool title_like(std::string_view line);

// True when `line` opens a list item or subsection: "(2)", "(a)", "1.", "1a.", "a)", "- ".
bool opens_item(std::string_view line);

// True when the first character is an upper-case letter (Latin or Greek).
bool starts_upper(std::string_view s);

// Joins hard-wrapped lines of one paragraph; a line that starts a list item ("1.", "a)",
// "(2)") starts a new output line.
std::string unwrap(const std::vector<std::string>& lines);

// The file name of a path or URL without folders, query and its last extension
// ("a/btmg.txt" -> "btmg", "https://x/y/BtMG.html?v=2" -> "BtMG").
std::string file_stem(std::string_view source);

// The abbreviation a title ends with in brackets: "Betäubungsmittelgesetz (BtMG)" -> "BtMG";
// "" when the brackets hold something else (long, or without a capital letter).
std::string bracketed_abbreviation(std::string_view title);

// True when `text` starts with one of the grammar's editorial note markers.
bool note_marker(std::string_view text, const Grammar& g);

// Removes editorial notes in brackets at the end of `text` ("(1) ... [RT I, 2005, 12, 3 -
// jõust. 01.05.2005]", "... (Modifié par Loi n°2004-204)") and returns them, in order.
std::vector<std::string> take_trailing_notes(std::string& text, const Grammar& g);

// Collects sections from headings and paragraphs in document order. Text before the first
// section, or after a structural heading and before the next section, belongs to no section.
//
// Amending laws quote the articles they insert ("... est remplacé par le libellé suivant :"
// / "Art. 7. ..."). A label after a paragraph ending in ':' is quoted text of the current
// section unless it continues the section's own numbering (the next number, or a new
// sub-number: 4 -> 5, 7 -> 7bis, L3421-5 -> L3422-1); quoting goes on, over further
// labels, until one continues that numbering or has the current section's form while the
// quoted ones had another.
//
// finish() drops a section without text when another of the same number has text (a
// table of contents lists the numbers the body repeats), and marks repealed ones.
class SectionBuilder {
 public:
  explicit SectionBuilder(const Grammar& g = Grammar::of("")) : grammar_(&g) {}
  // A numbered heading: starts a section, unless it is quoted text (then m.line goes into
  // the current section's text and quoting() is true). `form` tells label forms apart
  // (markup and label word).
  void section(const Marker& m, int level = 0, std::string_view form = {});
  // A heading that is not numbered: enters the path at `level` (1 outermost).
  void structure(std::string title, int level);
  // A paragraph (may hold several lines) of the current section.
  void paragraph(std::string_view text);
  // Text that goes on the current section's last line: a sentence wrapped by the source
  // (a heading without text before it was the sentence's start, and becomes text).
  void continue_paragraph(std::string_view text);
  void note(std::string text);
  // True when the current section has neither heading nor text yet.
  bool awaiting_title() const;
  void set_heading(std::string heading);
  // True while labels are taken as quoted text of the current section.
  bool quoting() const { return quoting_; }
  // Removes and returns the current section's last line when `pred` accepts it.
  template <class Pred>
  std::optional<std::string> take_last_line_if(Pred pred);
  std::vector<ParsedSection> finish();

 private:
  void close();
  bool repealed(const ParsedSection& s) const;
  const Grammar* grammar_;
  std::vector<std::pair<int, std::string>> path_;
  std::optional<ParsedSection> current_;
  std::vector<ParsedSection> done_;
  std::string form_;         // of the current section's label
  std::string quoted_form_;  // of the first quoted label
  bool colon_ = false;       // the last paragraph ended with ':'
  bool quoting_ = false;
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
