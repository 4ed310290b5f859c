// Plain text laws: a line that opens with a section marker ("§ 29 Straftaten", "Section 5.",
// "Art. 19b", "Article 40") starts a section; where a document has none of these, a
// paragraph opening "5. Capitalised heading" does. Structure lines ("Erster Abschnitt",
// "PART II") form the path; hard-wrapped lines are joined. Labels and divisions are the
// grammar of the text's language (languages/*.toml): "Article L3421-1", "Άρθρο 29",
// "ARTICULO 14.- Será reprimido ..." (the rest after the separator is body text).
#include "hrtrack/corpus/parse.hpp"
#include "numbered_text.hpp"
#include "parsers.hpp"
#include "text.hpp"

#include <utility>

namespace hrtrack::corpus::parsers {
namespace {

// A marker line inside a paragraph only counts after a line that ends a sentence: a wrapped
// sentence rarely breaks right before "Article 40 Heading".
bool ends_sentence(std::string_view line) {
  const std::string t = trim(line);
  return !t.empty() && std::string_view(".:;)").find(t.back()) != std::string_view::npos;
}

bool any_marker_line(const std::vector<std::string>& lines, const numbered::Grammar& g) {
  for (const auto& l : lines)
    if (numbered::match_heading_line(l, g)) return true;
  return false;
}

class Reader {
 public:
  Reader(const numbered::Grammar& g, bool bare_numbers)
      : builder(g), grammar_(g), bare_numbers_(bare_numbers) {}
  // `next`: the line after it, to tell a title line from a wrapped sentence.
  void line(const std::string& raw, std::string_view next);
  void finish() { flush(); }
  std::string title;
  numbered::SectionBuilder builder;

 private:
  void flush();
  bool heading(const std::string& line);
  void start(numbered::Marker m);
  const numbered::Grammar& grammar_;
  bool bare_numbers_;
  bool seen_section_ = false;
  std::vector<std::string> paragraph_;
};

void Reader::flush() {
  if (paragraph_.empty()) return;
  if (!seen_section_ && title.empty()) title = collapse_space(paragraph_.front());
  std::string text = numbered::unwrap(paragraph_);
  paragraph_.clear();
  for (auto& n : numbered::take_trailing_notes(text, grammar_)) builder.note(std::move(n));
  if (numbered::note_marker(text, grammar_)) return builder.note(collapse_space(text));
  // "Άρθρο 29" / "Κατοχή ναρκωτικών": a short line after a bare label is its title.
  if (builder.awaiting_title() && text.find('\n') == std::string::npos && numbered::title_like(text))
    return builder.set_heading(text);
  builder.paragraph(text);
}

void Reader::start(numbered::Marker m) {
  std::string body;
  if (numbered::rest_is_body(m, false)) body = std::exchange(m.rest, std::string());
  builder.section(m, 0, m.word);
  if (builder.quoting()) return;  // the whole line went into the quoting section
  seen_section_ = true;
  if (!body.empty()) paragraph_.push_back(body);
}

bool Reader::heading(const std::string& line) {
  const bool starts = paragraph_.empty();
  if (starts || ends_sentence(paragraph_.back())) {
    if (auto m = numbered::match_heading_line(line, grammar_)) {
      flush();
      start(*m);
      return true;
    }
  }
  if (!starts) return false;
  if (const int rank = numbered::structure_rank(line, grammar_)) {
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

void Reader::line(const std::string& raw, std::string_view next) {
  const std::string line = trim(raw);
  if (line.empty()) return flush();
  if (heading(line)) return;
  // "Άρθρο 29" / "Καλλιέργεια κάνναβης, ..." / "1. Όποιος ...": a short line between a bare
  // label and the start of a sentence or item is the section's title.
  const std::string after = trim(next);
  if (paragraph_.empty() && builder.awaiting_title() && numbered::title_like(line) &&
      (after.empty() || numbered::starts_upper(after) || numbered::opens_item(after) || after[0] == '('))
    return builder.set_heading(line);
  paragraph_.push_back(line);
}

}  // namespace

Result<ParsedDocument> plain_text(std::string_view bytes, const ParseContext& ctx) {
  std::string text(strip_bom(bytes));
  std::erase(text, '\r');
  const std::vector<std::string> lines = split(text, '\n');
  const std::string language =
      !ctx.language.empty() ? ctx.language : detect_language(std::string_view(text).substr(0, 50'000));
  const numbered::Grammar& grammar = numbered::Grammar::of(language);
  Reader reader(grammar, !any_marker_line(lines, grammar));
  for (std::size_t i = 0; i < lines.size(); ++i)
    reader.line(lines[i], i + 1 < lines.size() ? std::string_view(lines[i + 1]) : std::string_view());
  reader.finish();

  ParsedDocument doc;
  doc.sections = reader.builder.finish();
  doc.title = reader.title;
  doc.identifier = numbered::file_stem(ctx.source);
  if (doc.identifier.empty()) doc.identifier = numbered::bracketed_abbreviation(doc.title);
  return doc;
}

}  // namespace hrtrack::corpus::parsers
