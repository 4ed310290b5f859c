#include "numbered_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "text.hpp"

namespace hrtrack::corpus::numbered {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_roman(char c) { return c == 'I' || c == 'V' || c == 'X' || c == 'L' || c == 'C'; }

struct Word {
  std::string_view text;
  bool appendix;  // "Anlage I": numbered by roman numerals or letters too
};

// Longest first, so that "Artikel" is not read as "Art" + "ikel".
constexpr std::array<Word, 17> kWords = {{
    {"§§", false},        {"§", false},        {"Artikel", false},  {"Article", false},
    {"Artículo", false},  {"Articolo", false}, {"Artigo", false},   {"Art.", false},
    {"Art", false},       {"Section", false},  {"Sec.", false},     {"Paragraph", false},
    {"Anlage", true},     {"Anhang", true},    {"Annex", true},     {"Schedule", true},
    {"Appendix", true},
}};

// gii renders obsolete norms as "(XXXX) §§ 40 und 40a"; the placeholder is not part of
// the number.
std::size_t skip_placeholder(std::string_view s) {
  if (s.empty() || s[0] != '(') return 0;
  std::size_t i = 1;
  while (i < s.size() && s[i] == 'X') ++i;
  if (i == 1 || i >= s.size() || s[i] != ')') return 0;
  ++i;
  while (i < s.size() && s[i] == ' ') ++i;
  return i;
}

std::size_t skip_spaces(std::string_view s, std::size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (s.compare(i, 2, "\xC2\xA0") == 0) return skip_spaces(s, i + 2);
  return i;
}

// One number: "29", "31a", "10.1", "4bis", and for appendices "III" or "A".
std::size_t number_end(std::string_view s, std::size_t i, bool appendix) {
  const std::size_t start = i;
  if (i < s.size() && is_digit(s[i])) {
    while (i < s.size() && is_digit(s[i])) ++i;
    while (i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1])) {
      ++i;
      while (i < s.size() && is_digit(s[i])) ++i;
    }
  } else {
    if (i < s.size() && is_roman(s[i])) {
      while (i < s.size() && is_roman(s[i])) ++i;
    } else if (appendix && i < s.size() && s[i] >= 'A' && s[i] <= 'Z') {
      ++i;
    }
    // "Section Chief" is no Section C.
    return i < s.size() && is_alpha(s[i]) ? start : i;
  }
  std::size_t letters = i;
  while (letters < s.size() && is_lower(s[letters]) && letters - i < 6) ++letters;
  // "31a" and "4bis" keep their letters; "29abc" glued to a longer word is no number.
  if (letters < s.size() && is_alpha(s[letters])) return letters > i ? start : i;
  return letters;
}

// "§§ 40 und 40a", "§§ 3 bis 5": a range or list after a plural sign.
std::size_t plural_end(std::string_view s, std::size_t i) {
  static constexpr std::array<std::string_view, 5> joins = {" und ", " bis ", ", ", " - ", " – "};
  for (bool more = true; more;) {
    more = false;
    for (auto j : joins) {
      if (s.compare(i, j.size(), j) != 0) continue;
      const std::size_t e = number_end(s, i + j.size(), false);
      if (e > i + j.size()) {
        i = e;
        more = true;
      }
      break;
    }
  }
  return i;
}

std::string strip_separator(std::string_view rest) {
  std::string r = trim(rest);
  for (std::string_view sep : {"-", "\xE2\x80\x93", "\xE2\x80\x94", ":", "."}) {
    if (r.size() > sep.size() && r.compare(0, sep.size(), sep) == 0 &&
        (sep == "." || sep == ":" || r[sep.size()] == ' '))
      return trim(std::string_view(r).substr(sep.size()));
  }
  return r;
}

// Capital letter (ASCII or Latin-1 range), an opening bracket or quote: how headings start.
bool starts_like_heading(std::string_view s) {
  if (s.empty()) return false;
  const auto c = static_cast<unsigned char>(s[0]);
  if ((c >= 'A' && c <= 'Z') || c == '(' || c == '[' || c == '"') return true;
  if (c == 0xC3 && s.size() > 1) {
    const auto d = static_cast<unsigned char>(s[1]);
    return d >= 0x80 && d <= 0x9E && d != 0x97;
  }
  return s.substr(0, 3) == "\xE2\x80\x9E" || s.substr(0, 3) == "\xE2\x80\x9C";
}

// Words that continue a citation rather than start a title: "§ 29 Abs. 1", "Art. 3 Nr. 2".
bool continues_citation(std::string_view rest) {
  static constexpr std::array<std::string_view, 16> words = {
      "Abs", "Absatz", "Satz", "Nr", "Nummer", "Buchst", "Buchstabe", "Halbsatz",
      "Unterabs", "Unterabsatz", "Alt", "Lid", "Onderdeel", "Para", "Subsection", "S"};
  std::size_t e = 0;
  while (e < rest.size() && is_alpha(rest[e])) ++e;
  const std::string_view first = rest.substr(0, e);
  for (auto w : words)
    if (first == w) return true;
  return false;
}

bool heading_like(std::string_view rest, std::size_t max_len) {
  if (rest.empty()) return true;
  if (rest.size() > max_len || !starts_like_heading(rest) || continues_citation(rest))
    return false;
  const char last = rest.back();
  return last != ',' && last != ';';
}

}  // namespace

std::optional<Marker> match(std::string_view line) {
  const std::string s = trim(line);
  const std::size_t from = skip_placeholder(s);
  for (const Word& w : kWords) {
    if (!starts_with_icase(std::string_view(s).substr(from), w.text)) continue;
    std::size_t i = from + w.text.size();
    const bool sign = w.text[0] == '\xC2';  // "§" needs no space before its number
    if (!sign && i < s.size() && is_alpha(s[i])) continue;
    const std::size_t num = skip_spaces(s, i);
    if (num == i && !sign && w.text.back() != '.') continue;
    std::size_t end = number_end(s, num, w.appendix);
    if (end == num) continue;
    if (w.text == "§§") end = plural_end(s, end);
    if (end < s.size() && s[end] == '.' && (end + 1 == s.size() || s[end + 1] == ' ')) ++end;
    return Marker{collapse_space(std::string_view(s).substr(from, end - from)),
                  strip_separator(std::string_view(s).substr(end))};
  }
  return std::nullopt;
}

std::optional<Marker> match_heading_line(std::string_view line) {
  const std::string s = trim(line);
  if (s.empty() || is_lower(s[0])) return std::nullopt;  // "section 5 of the Act ..."
  auto m = match(s);
  if (!m || !heading_like(m->rest, 200)) return std::nullopt;
  return m;
}

std::optional<Marker> match_bare_number(std::string_view line) {
  const std::string s = trim(line);
  std::size_t i = 0;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == 0 || i > 4 || i + 1 >= s.size() || s[i] != '.' || s[i + 1] != ' ') return std::nullopt;
  std::string rest = trim(std::string_view(s).substr(i + 1));
  if (rest.empty() || !heading_like(rest, 80)) return std::nullopt;
  const char last = rest.back();
  if (last == '.' || last == ':') return std::nullopt;  // a sentence, not a title
  return Marker{s.substr(0, i + 1), rest};
}

int structure_rank(std::string_view line) {
  static constexpr std::array<std::pair<std::string_view, int>, 18> kinds = {{
      {"part", 1}, {"teil", 1}, {"buch", 1}, {"book", 1}, {"deel", 1}, {"partie", 1},
      {"title", 2}, {"titel", 2}, {"titre", 2}, {"chapter", 3}, {"kapitel", 3},
      {"chapitre", 3}, {"hoofdstuk", 3}, {"division", 4}, {"abschnitt", 4},
      {"afdeling", 4}, {"unterabschnitt", 5}, {"subdivision", 5},
  }};
  const std::string s = trim(line);
  if (s.empty() || s.size() > 150 || is_lower(s[0])) return 0;
  const auto words = split(ascii_lower(s), ' ');
  if (words.size() < 2) return 0;
  for (auto& [kind, rank] : kinds) {
    // "Chapter 3", "PART II" (keyword first) or "Erster Abschnitt" (ordinal first).
    if (words[0] == kind && number_end(std::string(s.substr(s.find(' ') + 1)), 0, true) > 0)
      return rank;
    const std::string& w0 = words[0];
    const bool ordinal = w0.size() > 3 && (w0.ends_with("er") || w0.ends_with("es") ||
                                           w0.ends_with("te") || w0.back() == '.');
    if (words[1] == kind && ordinal) return rank;
  }
  return 0;
}

bool opens_item(std::string_view s) {
  if (s.size() >= 2 && (s[0] == '-' || s[0] == '*') && s[1] == ' ') return true;
  const bool paren = !s.empty() && s[0] == '(';
  std::size_t i = paren ? 1 : 0;
  const std::size_t start = i;
  while (i < s.size() && is_digit(s[i]) && i - start < 3) ++i;
  const std::size_t digits = i - start;
  while (i < s.size() && is_lower(s[i]) && i - start < 4) ++i;
  if (i == start || i >= s.size()) return false;
  const bool closes = s[i] == ')' || (!paren && digits > 0 && s[i] == '.');
  return closes && (i + 1 == s.size() || s[i + 1] == ' ');
}

std::string unwrap(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& raw : lines) {
    const std::string line = collapse_space(raw);
    if (line.empty()) continue;
    if (!out.empty()) out += opens_item(line) ? '\n' : ' ';
    out += line;
  }
  return out;
}

std::string file_stem(std::string_view source) {
  std::string_view s = source.substr(0, source.find_first_of("?#"));
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  if (auto slash = s.find_last_of("/\\"); slash != std::string_view::npos) s.remove_prefix(slash + 1);
  if (auto dot = s.rfind('.'); dot != std::string_view::npos && dot > 0) s = s.substr(0, dot);
  return std::string(s);
}

std::string bracketed_abbreviation(std::string_view title) {
  const std::string t = trim(title);
  if (!t.ends_with(")")) return {};
  const auto open = t.rfind('(');
  if (open == std::string::npos) return {};
  std::string inner = trim(std::string_view(t).substr(open + 1, t.size() - open - 2));
  const bool capital = std::any_of(inner.begin(), inner.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  return inner.size() <= 20 && capital ? inner : std::string();
}

void SectionBuilder::section(const Marker& m, int level) {
  close();
  if (level > 0)
    while (!path_.empty() && path_.back().first >= level) path_.pop_back();
  ParsedSection s;
  s.label = collapse_space(m.label);
  s.number = normalize_section_number(s.label);
  s.heading = collapse_space(m.rest);
  for (auto& [lvl, title] : path_) s.path.push_back(title);
  current_ = std::move(s);
}

void SectionBuilder::structure(std::string title, int level) {
  close();
  while (!path_.empty() && path_.back().first >= level) path_.pop_back();
  path_.emplace_back(level, collapse_space(title));
}

void SectionBuilder::paragraph(std::string_view text) {
  if (!current_) return;
  const std::string t = collapse_lines(text);
  if (t.empty()) return;
  if (!current_->text.empty()) current_->text += '\n';
  current_->text += t;
}

void SectionBuilder::note(std::string text) {
  if (current_ && !text.empty()) current_->notes.push_back(std::move(text));
}

// Publishers keep repealed units as a number with a bare marker: "§ 25 (weggefallen)".
static bool repealed_marker(std::string_view s) {
  static constexpr std::array<std::string_view, 8> markers = {
      "(weggefallen)", "weggefallen", "(aufgehoben)", "(gegenstandslos)",
      "[repealed]",    "(repealed)",  "repealed",     "vervallen"};
  const std::string t = ascii_lower(trim(s));
  for (auto m : markers)
    if (t == m) return true;
  return false;
}

void SectionBuilder::close() {
  if (!current_) return;
  if (repealed_marker(current_->heading) || repealed_marker(current_->text))
    current_->in_force = InForce::repealed;
  done_.push_back(std::move(*current_));
  current_.reset();
}

std::vector<ParsedSection> SectionBuilder::finish() {
  close();
  return std::move(done_);
}

}  // namespace hrtrack::corpus::numbered
