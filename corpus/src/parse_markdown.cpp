// Markdown renderings of laws (bundestag/gesetze): YAML front matter, one ATX heading per
// section ("### § 29 Straftaten"), structure headings ("## Erster Abschnitt") around them.
// Renderings of one law differ in wrapping, list markers and emphasis; none of that may
// reach the section text, so that normalized_text() sees only changes of the law.
#include <algorithm>
#include <cctype>
#include <map>

#include "document_identity.hpp"
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

class Reader {
 public:
  void line(std::string_view raw);
  void finish() { flush(); }
  std::string title;
  numbered::SectionBuilder builder;

 private:
  void flush();
  void heading(const Heading& h);
  std::vector<std::string> paragraph_;
  bool have_title_ = false;
};

void Reader::flush() {
  if (paragraph_.empty()) return;
  std::string joined;
  for (const auto& l : paragraph_) joined += (joined.empty() ? "" : " ") + l;
  builder.paragraph(collapse_space(joined));
  paragraph_.clear();
}

void Reader::heading(const Heading& h) {
  flush();
  if (auto m = numbered::match(h.text)) {
    const bool appendix = appendix_label(m->label);
    if (appendix)
      if (auto ref = builder.take_last_line_if(anlage_reference))
        m->rest = collapse_space(*ref + " " + m->rest);
    // Anlagen follow the last Abschnitt but are not part of it.
    builder.section(*m, appendix ? 1 : h.level);
  } else if (!have_title_ && h.level == 1) {
    title = h.text;
    have_title_ = true;
  } else {
    builder.structure(h.text, h.level);
  }
}

void Reader::line(std::string_view raw) {
  if (auto h = atx_heading(raw)) return heading(*h);
  if (blank(raw) || thematic_break(raw) || trim(raw).starts_with("```")) return flush();
  bool bullet = false;
  const std::string_view t = strip_bullets(raw, bullet);
  if (t.starts_with("[^")) {  // footnote definition: "[^id]: text"
    flush();
    const auto colon = t.find("]:");
    if (colon != std::string_view::npos) builder.note(collapse_space(clean_inline(t.substr(colon + 2))));
    return;
  }
  if (bullet || numbered::opens_item(t)) flush();
  const std::string text = collapse_space(clean_inline(t));
  if (!text.empty()) paragraph_.push_back(text);
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
  std::string country = field("country");
  for (char& c : country) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (country.empty() && german) country = "DE";
  const bool subdivision = !country.empty() && ctx.jurisdiction.starts_with(country + "-");
  doc.jurisdiction = country.empty() || subdivision ? ctx.jurisdiction : country;
  // What the document amends, as its publisher records it (an ELI, an identifier; a list
  // is separated by ';').
  for (const char* key : {"modifies", "amends"})
    for (const auto& v : split(field(key), ';'))
      if (std::string t = trim(v); !t.empty()) doc.amends.push_back(std::move(t));
}

}  // namespace

Result<ParsedDocument> markdown(std::string_view bytes, const ParseContext& ctx) {
  const auto lines = lines_of(strip_bom(bytes));
  std::map<std::string, std::string> fm;
  const std::size_t body = front_matter(lines, fm);
  Reader reader;
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
    return Error{ctx.source + ": no numbered headings (\"# § 1 ...\") in the markdown"};
  return doc;
}

}  // namespace hrtrack::corpus::parsers
