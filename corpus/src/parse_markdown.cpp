// Markdown renderings of laws (bundestag/gesetze, legalize.dev): YAML front matter, then
// sections found from their labels ("§ 29 Straftaten", "Article L3421-1", "**Art. 14** —")
// at the start of headings of any level, bold or plain paragraphs and list items, by the
// label grammar of the text's language (languages/*.toml); divisions ("## Erster
// Abschnitt", or plain "Livre Ier : ..." where nothing is marked up) around them.
// Editorial notes (amendment histories, in-page links, footnotes) go to the notes.
// Renderings of one law differ in wrapping, list markers and emphasis; none of that may
// reach the section text, so that normalized_text() sees only changes of the law.
#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <utility>

#include "document_identity.hpp"
#include "hrtrack/base/ascii.hpp"
#include "hrtrack/corpus/parse.hpp"
#include "languages.hpp"
#include "numbered_text.hpp"
#include "parsers.hpp"
#include "text.hpp"

namespace hrtrack::corpus::parsers {
namespace {

std::vector<std::string_view> lines_of(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t nl = s.find('\n', pos);
    if (nl == std::string_view::npos) nl = s.size();
    std::string_view line = s.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    pos = nl + 1;
  }
  return out;
}

bool blank(std::string_view line) { return trim(line).empty(); }

std::string unquote(std::string v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
    return v.substr(1, v.size() - 2);
  return v;
}

// YAML front matter as flat "key: value" pairs (keys lower-cased); an indented line
// continues the value above it, as in a folded title. Returns the first body line.
std::size_t front_matter(const std::vector<std::string_view>& lines,
                         std::map<std::string, std::string>& fields) {
  if (lines.empty() || trim(lines[0]) != "---") return 0;
  std::string key;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (trim(line) == "---" || trim(line) == "...") return i + 1;
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !key.empty()) {
      fields[key] = collapse_space(fields[key] + " " + trim(line));
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    key = ascii_lower(trim(line.substr(0, colon)));
    fields[key] = unquote(trim(line.substr(colon + 1)));
  }
  return 0;  // never closed: no front matter after all
}

bool url_like(std::string_view u) {
  if (u.empty() || u.find(' ') != std::string_view::npos) return false;
  return u.find("://") != std::string_view::npos || u[0] == '/' || u[0] == '#' ||
         u.starts_with("./") || u.starts_with("../") || u.starts_with("mailto:") ||
         u.ends_with(".html") || u.ends_with(".htm") || u.ends_with(".md") || u.ends_with(".pdf");
}

bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || static_cast<unsigned char>(c) >= 0x80;
}

std::string clean_inline(std::string_view s);

// "[text](url)" at s[i]: appends the text and returns the index after it, or 0. Chemical
// names such as "[1-(4-Methoxyphenyl)propan-2-yl](methyl)azan" look like links; only a
// target that looks like an address makes one.
std::size_t link(std::string_view s, std::size_t i, std::string& out) {
  const std::size_t close = s.find("](", i);
  if (close == std::string_view::npos) return 0;
  const std::size_t end = s.find(')', close + 2);
  if (end == std::string_view::npos || !url_like(s.substr(close + 2, end - close - 2))) return 0;
  out += clean_inline(s.substr(i + 1, close - i - 1));
  return end + 1;
}

// "<sup>1</sup>" -> "¹": section numbers ("§ 15<sup>1</sup>") and units keep their
// superscripts as printed; "<sup>er</sup>" (French "1er") is plain letters. Returns the index
// after the closing tag, or 0 when s[i] opens no such element.
std::size_t superscript(std::string_view s, std::size_t i, std::string& out) {
  static constexpr std::array<std::string_view, 10> digits = {
      "\xE2\x81\xB0", "\xC2\xB9", "\xC2\xB2", "\xC2\xB3", "\xE2\x81\xB4",
      "\xE2\x81\xB5", "\xE2\x81\xB6", "\xE2\x81\xB7", "\xE2\x81\xB8", "\xE2\x81\xB9"};
  if (s.compare(i, 5, "<sup>") != 0) return 0;
  const std::size_t close = s.find("</sup>", i + 5);
  if (close == std::string_view::npos || close - i > 40) return 0;
  const std::string inner = clean_inline(s.substr(i + 5, close - i - 5));
  const bool numeric = !inner.empty() && std::all_of(inner.begin(), inner.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (numeric)
    for (char c : inner) out += digits[static_cast<std::size_t>(c - '0')];
  else
    out += inner;
  return close + 6;
}

// "látky^10y)": the publisher's reference to a footnote printed at the end of the law.
std::size_t footnote_reference(std::string_view s, std::size_t i) {
  if (s[i] != '^' || i == 0 || s[i - 1] == ' ') return 0;
  std::size_t j = i + 1;
  while (j < s.size() && j - i <= 5 && (std::isalnum(static_cast<unsigned char>(s[j])) != 0)) ++j;
  return j > i + 1 && j < s.size() && s[j] == ')' ? j + 1 : 0;
}

// Inline markdown to plain text: escapes, emphasis, code, links, footnote references.
std::string clean_inline(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '\\') {
      // "31\. Juli": pandoc escapes what would otherwise read as markup.
      if (i + 1 < s.size()) out += s[i + 1];
      i += 2;
    } else if (s.compare(i, 2, "[^") == 0 && s.find(']', i) != std::string_view::npos) {
      i = s.find(']', i) + 1;
    } else if (const std::size_t after = footnote_reference(s, i)) {
      i = after;
    } else if (c == '<') {
      const std::size_t after = superscript(s, i, out);
      if (after) i = after; else out += s[i++];
    } else if (c == '!' && i + 1 < s.size() && s[i + 1] == '[') {
      const std::size_t after = link(s, i + 1, out);
      if (after) i = after; else out += s[i++];
    } else if (c == '[') {
      const std::size_t after = link(s, i, out);
      if (after) i = after; else out += s[i++];
    } else if (c == '*' || c == '`') {
      ++i;
    } else if (c == '_' && (i == 0 || !word_char(s[i - 1]) || i + 1 == s.size() ||
                            !word_char(s[i + 1]))) {
      ++i;
    } else {
      out += s[i++];
    }
  }
  return out;
}

// Bullet markers ("*   *   -") are layout; ordered markers ("1.", "a)") are the law's own
// numbering and stay. Returns the line without indentation and bullets.
std::string_view strip_bullets(std::string_view line, bool& had_bullet) {
  had_bullet = false;
  auto ltrim = [](std::string_view t) {
    while (!t.empty() && (t[0] == ' ' || t[0] == '\t')) t.remove_prefix(1);
    return t;
  };
  std::string_view t = ltrim(line);
  while (!t.empty() && (t[0] == '*' || t[0] == '-' || t[0] == '+') &&
         (t.size() == 1 || t[1] == ' ' || t[1] == '\t')) {
    had_bullet = true;
    t = ltrim(t.substr(1));
  }
  if (t.starts_with(":   ") || t.starts_with(": ")) t = ltrim(t.substr(1));  // definition list
  return t;
}

bool thematic_break(std::string_view line) {
  const std::string t = trim(line);
  if (t.size() < 3) return false;
  const char c = t[0];
  if (c != '-' && c != '*' && c != '_') return false;
  int n = 0;
  for (char x : t) {
    if (x == c) ++n;
    else if (x != ' ') return false;
  }
  return n >= 3;
}

struct Heading {
  int level;
  std::string text;
};

std::optional<Heading> atx_heading(std::string_view line) {
  int level = 0;
  while (level < static_cast<int>(line.size()) && line[level] == '#') ++level;
  if (level == 0 || level > 6) return std::nullopt;
  if (static_cast<std::size_t>(level) < line.size() && line[level] != ' ') return std::nullopt;
  std::string text = trim(line.substr(level));
  while (!text.empty() && text.back() == '#') text.pop_back();
  return Heading{level, collapse_space(clean_inline(trim(text)))};
}

// The law's reference to the norm it belongs to, "(zu § 1 Abs. 1)": renderings print it
// above an Anlage heading or inside it; it is part of the heading either way.
bool anlage_reference(std::string_view line) {
  return line.starts_with("(zu ") && line.ends_with(")");
}

bool appendix_label(std::string_view label) {
  return starts_with_icase(label, "Anlage") || starts_with_icase(label, "Anhang");
}

// A lower-case letter, Latin or Greek: the middle of a sentence.
bool starts_lower(std::string_view t) {
  if (t.empty()) return false;
  const auto c0 = static_cast<unsigned char>(t[0]);
  return c0 < 0x80 ? std::islower(c0) != 0 : (c0 >= 0xC3 && c0 <= 0xCF && !numbered::starts_upper(t));
}

// Some conversions put body text in heading markup ("### Seront punis ... :", "### (3)",
// "### título oneroso. Si ..."): a heading that reads like a sentence or a list item is text.
bool sentence_heading(std::string_view text) {
  const std::string t = trim(text);
  if (t.empty()) return false;
  if (starts_lower(t)) return true;
  if (t.size() > 200) return true;
  const char last = t.back();
  // "### (3)", "### 2. Seront punis ... ;" are items; "### 3. peatükk VASTUTUS" is a division.
  if (numbered::opens_item(t) && (t.find(' ') == std::string::npos || last == '.' || last == ';'))
    return true;
  if (last == ':' || last == ';' || last == ',') return true;
  return last == '.' && std::count(t.begin(), t.end(), ' ') >= 8;
}

// "[**Ver Antecedentes Normativos**](#1)": a link to another place of the same page.
bool page_link(std::string_view raw) {
  const std::string t = trim(raw);
  return t.size() > 4 && t[0] == '[' && t.back() == ')' && t.find("](#") != std::string::npos &&
         t.find("](#") + 3 > t.rfind('(');
}

// Editorial notes in emphasis and brackets: "*(Artículo sustituido por art. 2° de la Ley ...)*".
bool emphasised_aside(std::string_view raw, std::string_view text) {
  const std::string r = trim(raw);
  // "*(...)*" or "_(...)_"; "*   (weggefallen)" is a bullet, not emphasis.
  if (r.size() < 2 || (r[0] != '*' && r[0] != '_') || r[1] == ' ' || r[1] == '\t') return false;
  const std::string t = trim(text);
  return t.size() > 2 && ((t.front() == '(' && t.back() == ')') || (t.front() == '[' && t.back() == ']'));
}

class Reader {
 public:
  Reader(const numbered::Grammar& g, bool structure_markup, bool wrapped)
      : builder(g), grammar_(g), structure_markup_(structure_markup), wrapped_(wrapped) {}
  void line(std::string_view raw);
  void finish() { flush(); }
  std::string title;
  numbered::SectionBuilder builder;

 private:
  void flush();
  void heading(const Heading& h);
  void block(const std::string& text, std::string_view raw, bool may_be_title = true);
  void start(numbered::Marker m, int level, const std::string& form, bool heading);
  bool split_glued_label(std::string_view raw);
  const numbered::Grammar& grammar_;
  bool structure_markup_;  // divisions are headings; a plain line is never one
  bool wrapped_;           // each wrapped line is a paragraph: a lower-case one goes on
  std::vector<std::string> paragraph_;
  std::string raw_first_;  // the markdown of the paragraph's first line
  bool have_title_ = false;
  bool note_block_ = false;  // after "Antecedentes Normativos": notes up to the next heading
  std::vector<std::string> pending_notes_;  // a heading's notes, for the section it opens
};

void Reader::flush() {
  if (paragraph_.empty()) return;
  std::string joined;
  for (const auto& l : paragraph_) joined += (joined.empty() ? "" : " ") + l;
  paragraph_.clear();
  block(collapse_space(joined), raw_first_);
}

// One paragraph of text: a note, the current section's title, or its text.
void Reader::block(const std::string& whole, std::string_view raw, bool may_be_title) {
  std::string text = whole;
  const auto tail = numbered::take_trailing_notes(text, grammar_);
  for (const auto& n : tail) builder.note(n);
  if (text.empty()) return;
  std::string head = text;
  while (!head.empty() && (head.back() == ':' || head.back() == ' ')) head.pop_back();
  if (numbered::note_marker(text, grammar_) &&
      languages::fold_case(head).size() < 60 && numbered::title_like(head)) {
    note_block_ = true;  // a heading of notes: what follows are notes too
    return builder.note(text);
  }
  if (note_block_ || page_link(raw) || emphasised_aside(raw, text) || numbered::note_marker(text, grammar_))
    return builder.note(text);
  if (may_be_title && builder.awaiting_title() && numbered::title_like(text) &&
      !numbered::structure_rank(text, grammar_))
    return builder.set_heading(text);
  if (wrapped_ && starts_lower(text)) return builder.continue_paragraph(text);
  builder.paragraph(text);
}

void Reader::start(numbered::Marker m, int level, const std::string& form, bool heading) {
  std::string body;
  if (numbered::rest_is_body(m, heading)) body = std::exchange(m.rest, std::string());
  note_block_ = false;
  builder.section(m, level, form);
  if (!body.empty() && !builder.quoting()) block(body, "", false);
}

void Reader::heading(const Heading& h) {
  flush();
  if (auto m = numbered::match(h.text, grammar_)) {
    const bool appendix = appendix_label(m->label);
    if (appendix)
      if (auto ref = builder.take_last_line_if(anlage_reference))
        m->rest = collapse_space(*ref + " " + m->rest);
    // Anlagen follow the last Abschnitt but are not part of it.
    for (auto& n : numbered::take_trailing_notes(m->rest, grammar_)) pending_notes_.push_back(std::move(n));
    start(*m, appendix ? 1 : h.level, "h" + std::to_string(h.level) + m->word, true);
    for (auto& n : pending_notes_) builder.note(std::move(n));
    pending_notes_.clear();
    return;
  }
  if (!have_title_ && h.level == 1) {
    title = h.text;
    have_title_ = true;
    return;
  }
  if (sentence_heading(h.text)) return block(h.text, "");
  note_block_ = false;
  if (builder.awaiting_title() && !numbered::structure_rank(h.text, grammar_))
    return builder.set_heading(h.text);  // "##### § 1" / "#### Předmět úpravy"
  builder.structure(h.text, h.level);
}

// "...B.O. 8/11/2016)***Art. 25***— ...": a conversion glued a note and the next article's
// bold label into one line. Splits before a bold label that follows the end of a sentence.
bool Reader::split_glued_label(std::string_view raw) {
  for (std::size_t p = raw.find("**", 1); p != std::string_view::npos; p = raw.find("**", p + 2)) {
    const std::string before = trim(clean_inline(raw.substr(0, p)));
    if (before.empty() || (before.back() != ')' && before.back() != '.')) continue;
    if (!numbered::match_heading_line(collapse_space(clean_inline(raw.substr(p))), grammar_)) continue;
    line(raw.substr(0, p));
    flush();
    line(raw.substr(p));
    return true;
  }
  return false;
}

void Reader::line(std::string_view raw) {
  if (auto h = atx_heading(raw)) return heading(*h);
  if (blank(raw) || thematic_break(raw) || trim(raw).starts_with("```")) return flush();
  if (raw.find("**", 1) != std::string_view::npos && split_glued_label(raw)) return;
  bool bullet = false;
  const std::string_view t = strip_bullets(raw, bullet);
  if (t.starts_with("[^")) {  // footnote definition: "[^id]: text"
    flush();
    const auto colon = t.find("]:");
    if (colon != std::string_view::npos) builder.note(collapse_space(clean_inline(t.substr(colon + 2))));
    return;
  }
  if (t.starts_with("^") && t.find(") ") != std::string_view::npos && t.find(") ") < 8) {
    flush();  // "^2g) Vyhláška č. 236/2015 Sb., ...": a footnote printed at the end
    builder.note(collapse_space(clean_inline(t.substr(1))));
    return;
  }
  if (bullet || numbered::opens_item(t)) flush();
  const std::string text = collapse_space(clean_inline(t));
  if (text.empty()) return;
  if (paragraph_.empty()) {
    // Sections and divisions printed as plain paragraphs: "Article L3421-1", "**Art. 14** —".
    if (auto m = numbered::match_heading_line(text, grammar_)) {
      const std::string form = std::string(trim(raw).starts_with("**") ? "b" : "p") + m->word;
      return start(*m, 0, form, false);
    }
    if (!structure_markup_ && !bullet)
      if (const int rank = numbered::structure_rank(text, grammar_)) {
        note_block_ = false;
        return builder.structure(text, rank);
      }
    raw_first_ = std::string(t);
  }
  paragraph_.push_back(text);
}

void fill_metadata(ParsedDocument& doc, const std::map<std::string, std::string>& fm,
                   const std::string& h1, const std::vector<std::string>& preamble,
                   const ParseContext& ctx) {
  auto field = [&](const char* k) {
    auto it = fm.find(k);
    return it == fm.end() ? std::string() : trim(it->second);
  };
  identity::identify(doc, fm, h1, preamble, numbered::file_stem(ctx.source));
  const auto dated = identity::version_date(fm);
  doc.date = dated.date;
  doc.date_source = dated.source;
  // The front matter's jurabk is gesetze-im-internet's: a German federal law.
  const bool german = !field("jurabk").empty() || fm.count("origslug") > 0;
  std::string language = ascii_lower(field("language"));
  if (language.empty()) language = ascii_lower(field("lang"));
  if (language.size() > 2 && language[2] == '-') language.resize(2);
  if (language.empty() && german) language = "de";
  doc.language = !ctx.language.empty() ? ctx.language : language;
  // The document's country wins over a folder's hint, unless the hint is a subdivision
  // of that country ("US-DC" under country "us").
  std::string country = base::ascii_upper(field("country"));
  if (country.empty() && german) country = "DE";
  const bool subdivision = !country.empty() && ctx.jurisdiction.starts_with(country + "-");
  doc.jurisdiction = country.empty() || subdivision ? ctx.jurisdiction : country;
  // What the document amends, as its publisher records it (an ELI, an identifier). A list
  // is separated by ';', or by bare commas ("Α 17/2013,Α 51/2012"); a comma and a space
  // belong to a citation itself ("RT I, 2001, 61, 364").
  for (const char* key : {"modifies", "amends"}) {
    const std::string value = field(key);
    const char sep = value.find(';') == std::string::npos && value.find(", ") == std::string::npos ? ',' : ';';
    for (const auto& v : split(value, sep))
      if (std::string t = trim(v); !t.empty()) doc.amends.push_back(std::move(t));
  }
}

}  // namespace

Result<ParsedDocument> markdown(std::string_view bytes, const ParseContext& ctx) {
  const auto lines = lines_of(strip_bom(bytes));
  std::map<std::string, std::string> fm;
  const std::size_t body = front_matter(lines, fm);
  // The label grammar of the text's language: the caller's, else the one its words show.
  // Conversions that keep the source's line breaks as paragraphs show it by paragraphs
  // that start in lower case, in the middle of a sentence.
  std::string sample;
  bool structure_markup = false;
  std::size_t paragraphs = 0, lower = 0;
  for (std::size_t i = body; i < lines.size(); ++i) {
    if (sample.size() < 50'000) (sample += lines[i]) += '\n';
    if (lines[i].starts_with("##")) structure_markup = true;
    if (i > body && blank(lines[i - 1]) && !blank(lines[i])) {
      const std::string t = trim(clean_inline(lines[i]));
      if (t.empty()) continue;
      ++paragraphs;
      if (starts_lower(t)) ++lower;
    }
  }
  const std::string language = !ctx.language.empty() ? ctx.language : detect_language(sample);
  Reader reader(numbered::Grammar::of(language), structure_markup, paragraphs > 20 && lower * 10 > paragraphs * 3);
  for (std::size_t i = body; i < lines.size(); ++i) reader.line(lines[i]);
  reader.finish();

  ParsedDocument doc;
  doc.sections = reader.builder.finish();
  std::vector<std::string> preamble;
  for (std::size_t i = body; i < lines.size() && preamble.size() < 60; ++i)
    if (!blank(lines[i])) preamble.push_back(std::string(lines[i]));
  fill_metadata(doc, fm, reader.title, preamble, ctx);
  // German Verordnungen are regulations; the rest of what is rendered this way are Acts.
  const bool regulation = ascii_lower(doc.title).find("verordnung") != std::string::npos;
  doc.type = regulation ? InstrumentType::regulation : InstrumentType::act;
  if (doc.sections.empty())
    return Error{ctx.source + ": no numbered sections (labels such as \"§ 1\", \"Article 1\") in the markdown"};
  return doc;
}

}  // namespace hrtrack::corpus::parsers
