// Plain text laws: a line that opens with a section marker ("§ 29 Straftaten", "Section 5.",
// "Art. 19b", "Article 40") starts a section; where a document has none of these, a
// paragraph opening "5. Capitalised heading" does. Structure lines ("Erster Abschnitt",
// "PART II") form the path; hard-wrapped lines are joined.
#include "numbered_text.hpp"
#include "parsers.hpp"
#include "text.hpp"

namespace hrtrack::corpus::parsers {
namespace {

// A marker line inside a paragraph only counts after a line that ends a sentence: a wrapped
// sentence rarely breaks right before "Article 40 Heading".
bool ends_sentence(std::string_view line) {
  const std::string t = trim(line);
  return !t.empty() && std::string_view(".:;)").find(t.back()) != std::string_view::npos;
}

bool any_marker_line(const std::vector<std::string>& lines) {
  for (const auto& l : lines)
    if (numbered::match_heading_line(l)) return true;
  return false;
}

class Reader {
 public:
  explicit Reader(bool bare_numbers) : bare_numbers_(bare_numbers) {}
  void line(const std::string& raw);
  void finish() { flush(); }
  std::string title;
  numbered::SectionBuilder builder;

 private:
  void flush();
  bool heading(const std::string& line);
  bool bare_numbers_;
  bool seen_section_ = false;
  std::vector<std::string> paragraph_;
};

void Reader::flush() {
  if (paragraph_.empty()) return;
  if (!seen_section_ && title.empty()) title = collapse_space(paragraph_.front());
  builder.paragraph(numbered::unwrap(paragraph_));
  paragraph_.clear();
}

bool Reader::heading(const std::string& line) {
  const bool starts = paragraph_.empty();
  if (starts || ends_sentence(paragraph_.back())) {
    if (auto m = numbered::match_heading_line(line)) {
      flush();
      builder.section(*m);
      seen_section_ = true;
      return true;
    }
  }
  if (!starts) return false;
  if (const int rank = numbered::structure_rank(line)) {
    builder.structure(line, rank);
    return true;
  }
  if (auto m = bare_numbers_ ? numbered::match_bare_number(line) : std::nullopt) {
    builder.section(*m);
    seen_section_ = true;
    return true;
  }
  return false;
}

void Reader::line(const std::string& raw) {
  const std::string line = trim(raw);
  if (line.empty()) return flush();
  if (!heading(line)) paragraph_.push_back(line);
}

}  // namespace

Result<ParsedDocument> plain_text(std::string_view bytes, const ParseContext& ctx) {
  std::string text(strip_bom(bytes));
  std::erase(text, '\r');
  const std::vector<std::string> lines = split(text, '\n');
  Reader reader(!any_marker_line(lines));
  for (const std::string& l : lines) reader.line(l);
  reader.finish();

  ParsedDocument doc;
  doc.sections = reader.builder.finish();
  doc.title = reader.title;
  doc.identifier = numbered::file_stem(ctx.source);
  if (doc.identifier.empty()) doc.identifier = numbered::bracketed_abbreviation(doc.title);
  return doc;
}

}  // namespace hrtrack::corpus::parsers
