#pragma once
// One walker for every XML format. A format is a table of what its elements are (element
// roles) and a metadata function (identity, dates, language); the walker turns the tree
// into sections: numbers, headings, text with subdivisions on their own lines, notes kept
// out of the text, references recorded as citations, paths from the groupings around them.
// Formats whose conventions differ say so in their Layout and, where a rule is truly
// theirs (how a citation names its target, when a unit is repealed), in a hook.
#include <cstdint>
#include <span>
#include <unordered_map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hrtrack/corpus/parse.hpp"
#include "xml.hpp"

namespace hrtrack::corpus::xml {

// What an element is within the text of a unit.
enum class Role : std::uint8_t {
  inline_,       // its text continues the current line (elements not in the table)
  block,         // starts a line and ends one; may hold further blocks
  line,          // one line of text; in structured content the only place text counts
  number,        // the number of the unit, subdivision or grouping it is in
  heading,       // the heading of the unit or grouping it is in
  label,         // holds its unit's number and heading (gii metadaten, BWB kop); within
                 // the text, a block of them
  note,          // a footnote or annotation: a note of the unit, never its text
  note_ref,      // points (href="#id") at a note held elsewhere in the document
  editorial,     // dropped: the publisher's markers, machine instructions, removed text
  internal_ref,  // a reference within the instrument: a citation; its text is kept
  external_ref,  // a reference to another instrument: a citation; its text is kept
  space,         // a line break set for layout inside a paragraph: one space
  line_break,    // ends the line
  row,           // a table row: one line of its cells, whatever they hold
  cell,          // a table cell: " | " between the cells of a row
  quotation,     // text quoted into another law: a block of its own, in quotation marks
};

// What an element is in the document's structure, around the units.
enum class Unit : std::uint8_t {
  none,       // the units below it are looked for
  section,    // a citable unit (section, article, Artikel): one ParsedSection
  container,  // a grouping (part, chapter) around its units: its number and heading join their path
  outline,    // a heading before the units it groups, at a level (Format::level)
  skip,       // holds no units of the document: metadata, annexes, text quoted from other laws
};

struct ElementRole {
  std::string_view names;  // local names, without namespace prefix, spaced: "p intro content"
  Role role = Role::inline_;
  Unit unit = Unit::none;
  // When set, the row applies only to elements whose attribute `attr` is `value`, or whose
  // parent is named `parent`. The rows naming an element are tried in table order.
  std::string_view attr = {};
  std::string_view value = {};
  std::string_view parent = {};
};

// How a subdivision's number joins the text it numbers.
enum class Numbering : std::uint8_t {
  // "(a) Text": the number, a space, then what follows; with Layout::bare_number, a line
  // that is only a number waits for the next ("(a) (1) Text").
  follow,
  // "(a)\n(1) Text": a number opens a new line, unless the line holds only an opening
  // quotation mark; blocks after it continue its line.
  own_line,
  // "(a)(1) Text": numbers adjoin; text follows a space unless it opens with "(". A number
  // whose subdivision holds nothing stands alone.
  adjoin,
  // A block's number prefixes the first line of its own `line` children, else its first
  // line, once the block is read ("(2) (a) Text"; "Heading\n(2) Text").
  prefix,
};

struct Layout {
  // Structured content: text counts only inside `line`, `cell`, number, heading and note
  // elements; anything between other elements is layout. Elements not in the table are
  // then `unknown` where text does not count.
  bool structured = false;
  Role unknown = Role::block;
  Numbering numbering = Numbering::follow;
  // Numbering::follow: a line no longer than this many bytes and without a space, that
  // opens with "(" and closes with ")" when `bare_bracketed`, is a number alone; 0: none is.
  std::size_t bare_number = 0;
  bool bare_bracketed = false;
  // Numbers and headings of units and groupings, and notes, are read by the roles, the
  // notes and citations in numbers and headings kept; otherwise units' and groupings'
  // are their plain text, and those in numbers inside the text are dropped.
  bool rendered_labels = false;
  // Numbers inside the text are their plain text, not read by the roles.
  bool plain_numbers = false;
  // Where a heading inside a unit's text stands: inline, or on a line of its own.
  Role inner_heading = Role::line;
  // A line of only ".,;:" closes the line before it (the full stop after a quoted block).
  bool punctuation_closes = false;
  // Cells left empty still get their " | ".
  bool keep_empty_cells = false;
  // Spaces of indent per level of numbered block (blocks that are not units).
  int indent = 0;
  // A note met twice in a unit (a footnote referenced twice) is kept once.
  bool notes_once = false;
  // Quotation marks from startQuote / endQuote attributes open and close an element's text.
  bool quote_attributes = false;
};

class Walker;

// A format: its element roles, its layout and what is its own.
struct Format {
  std::string_view name;                  // for messages: "a gii-norm document"
  std::span<const std::string_view> roots;  // the root elements it has
  std::span<const ElementRole> elements;
  Layout layout = {};
  // When set, elements outside this namespace are instructions for the publisher's tools:
  // never text, never units (a root outside it is not of the format).
  std::string_view text_namespace = {};

  // What is the format's own. Only `metadata` is needed; the others have defaults. An
  // error a hook returns follows the source's name in the message: it starts with ": ".
  // Identity, dates and language from the document; an error when it cannot tell.
  Status (*metadata)(const xmlNode* root, const ParseContext& ctx, ParsedDocument& doc, Walker& w) = nullptr;
  // The units of the document, into doc.sections; default: Walker::units(root).
  Status (*units)(const xmlNode* root, Walker& w, ParsedDocument& doc) = nullptr;
  // A reference's citation; none when it names nothing. Default: an internal reference's
  // text is the section it names, an external one's `link` or `href` the instrument.
  std::optional<Citation> (*cite)(const xmlNode* ref, const Walker& w) = nullptr;
  // A note's text; empty when it holds none. Default: its text (read by the roles with
  // Layout::rendered_labels), "[marker] " first when it has a marker.
  std::string (*note)(const xmlNode* note, Walker& w) = nullptr;
  // A subdivision's number as printed in the text, from its text.
  std::string (*number)(const xmlNode* num, std::string text, const Walker& w) = nullptr;
  // Completes a unit read by the walker (printed number, status, dates); false drops it.
  // Default: the number is normalize_section_number(label).
  bool (*section)(const xmlNode* unit, ParsedSection& s, const Walker& w) = nullptr;
  // A grouping's path title; default: its numbers and headings, spaced.
  std::string (*title)(const xmlNode* group, Walker& w) = nullptr;
  // The level (1 = outermost) of an outline heading.
  std::size_t (*level)(const xmlNode* outline) = nullptr;
};

// Parses `bytes` as `format` (untrusted XML read as xml::parse reads it): the root checked,
// metadata, then the units. Errors name ctx.source and the reason. Formats are constant
// and shared by threads; each call has its own Walker.
Result<ParsedDocument> read(std::string_view bytes, const ParseContext& ctx, const Format& format);

// Reads units by a format's roles. Not thread-safe; one per document.
class Walker {
 public:
  Walker(const Format& format, const ParsedDocument& doc);
  Walker(const Walker&) = delete;
  Walker& operator=(const Walker&) = delete;

  // The units below `n` in document order, outermost first, appended to `out`; groupings
  // and outline headings make their paths. A unit without a number that holds units is a
  // grouping.
  void units(const xmlNode* n, std::vector<ParsedSection>& out);
  // One unit with the current path; nullopt when the format's section hook drops it.
  std::optional<ParsedSection> section(const xmlNode* unit);
  // A grouping's path title: its numbers and heading, spaced (or Format::title's).
  std::string title(const xmlNode* group);
  // The text of `n` as one line, by the roles (notes and citations in it dropped).
  std::string inline_text(const xmlNode* n);
  // The text of `n` read as a block of lines, whatever its role; its notes and citations
  // into `into`.
  std::string block_text(const xmlNode* n, ParsedSection& into);

  Role role(const xmlNode* n);
  Unit unit(const xmlNode* n);
  const ParsedDocument& document() const { return doc_; }
  // The unit being read, while its text is read (for the hooks).
  const xmlNode* current_unit() const { return unit_; }
  std::vector<std::string> path;

 private:
  struct Line {
    int depth;
    std::string text;
  };
  struct Output {
    std::vector<Line> lines;
    std::string current;
    int depth = 0;            // of the current line
    bool glue = false;        // the current line holds only numbers: what follows continues it
    bool space_due = false;   // Numbering::adjoin: a space before text not opening with "("
    bool quote_open = false;  // the current line ends in an opening quotation mark
    std::vector<std::string>* notes = nullptr;
    std::vector<Citation>* citations = nullptr;
  };
  // Numbering::prefix: the block being read, its number and where its lines begin.
  struct Frame {
    std::size_t first;  // its first line
    std::size_t own;    // its first line from a `line` child
    std::string label;
  };
  const ElementRole* row(const xmlNode* n);
  bool printed(const xmlNode* n) const;
  bool numbered(const xmlNode* n);
  bool holds_units(const xmlNode* n);
  void children(const xmlNode* n, bool unit = false);
  void element(const xmlNode* n);
  void block(const xmlNode* n, Role r);
  void number(const xmlNode* n);
  void cell(const xmlNode* n);
  void text(std::string_view s);
  void flush();
  void end_line(bool last);
  std::string finish_text();
  void quote_open(const xmlNode* n);
  void quote_close(const xmlNode* n);
  void close_with(std::string_view mark);
  void add_note(const xmlNode* n, const std::string& marker);
  void note_ref(const xmlNode* n);
  void index_notes(const xmlNode* n);
  void cite(const xmlNode* n, Role r);
  std::string label_text(const xmlNode* n, bool keep_apparatus);
  // Calls take(element, role) for the numbers and headings of `n`, its labels' included.
  template <class F>
  void labels(const xmlNode* n, F&& take);
  // The text of unit `n` (its labels left out), or of `n` as a block; notes and citations
  // into `into`.
  std::string unit_text(const xmlNode* n, ParsedSection& into, bool unit);
  std::string one_line(const xmlNode* n, bool keep_apparatus);
  // Runs `f` on a fresh output and returns it; the walker's own is restored. Notes and
  // citations go to the current unit's when `keep_apparatus`, else nowhere.
  template <class F>
  Output capture(F&& f, bool keep_apparatus);

  const Format& f_;
  const ParsedDocument& doc_;
  // The table's rows for each element name met, by libxml2's interned name.
  std::unordered_map<const void*, std::vector<const ElementRole*>> rows_;
  const xmlNode* unit_ = nullptr;
  Output out_;
  // Where the reading stands; an element's reading restores it when done.
  struct State {
    bool text = true;       // structured content: inside an element whose text counts
    bool row = false;       // inside a Role::row
    bool cell = false;      // inside a cell of a Role::row
    int own = 0;            // indent level of lines begun by the element being read
    int levels = 0;         // numbered blocks around the element being read
    Frame* frame = nullptr;  // Numbering::prefix: the block being read
  } st_;
  std::unordered_map<std::string, const xmlNode*> note_index_;  // by eId, on the first note_ref
  bool notes_indexed_ = false;
};

}  // namespace hrtrack::corpus::xml
