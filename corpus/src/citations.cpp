// Citation extractor: a hand-written scanner. It looks for a trigger word or sign ("section",
// "§", "l’article"), then parses forward: numbers, subdivisions, lists and ranges, then the
// instrument named after them. No std::regex: it is slow on the bulk import and recurses
// deeply on long inputs. Every loop consumes input or stops, so the scan is linear.
#include "hrtrack/corpus/citations.hpp"

#include <array>
#include <initializer_list>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>

#include "text.hpp"

namespace hrtrack::corpus {
namespace {

constexpr std::size_t npos = std::string_view::npos;

// ---------------------------------------------------------------- languages

enum Lang : unsigned {
  EN = 1u << 0, FR = 1u << 1, DE = 1u << 2, NL = 1u << 3, IT = 1u << 4,
  ES = 1u << 5, PT = 1u << 6, NO = 1u << 7, SW = 1u << 8, ALL = (1u << 9) - 1
};

unsigned language_mask(std::string_view iso) {
  static constexpr std::pair<std::string_view, unsigned> codes[] = {
      {"en", EN}, {"fr", FR}, {"de", DE}, {"nl", NL}, {"it", IT},
      {"es", ES}, {"pt", PT}, {"no", NO}, {"nb", NO}, {"nn", NO}, {"sw", SW}};
  const std::string lower = ascii_lower(iso);
  for (const auto& [code, mask] : codes)
    if (lower == code) return mask;
  return ALL;
}

// ---------------------------------------------------------------- UTF-8 and characters

struct CodePoint {
  char32_t c = 0;
  std::size_t len = 0;  // 0 at the end of the text
};

// Invalid bytes read as U+FFFD of length 1, so scanning always moves on.
CodePoint decode(std::string_view s, std::size_t i) {
  if (i >= s.size()) return {};
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return {b, 1};
  const std::size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
  if (len == 1 || i + len > s.size()) return {0xFFFD, 1};
  char32_t c = b & (0x3Fu >> (len - 1));
  for (std::size_t k = 1; k < len; ++k) {
    const auto cb = static_cast<unsigned char>(s[i + k]);
    if ((cb & 0xC0) != 0x80) return {0xFFFD, 1};
    c = (c << 6) | (cb & 0x3Fu);
  }
  return {c, len};
}

CodePoint decode_before(std::string_view s, std::size_t i) {
  if (i == 0) return {};
  std::size_t j = i - 1;
  while (j > 0 && i - j < 4 && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) --j;
  const CodePoint cp = decode(s, j);
  return j + cp.len == i ? cp : CodePoint{0xFFFD, 1};
}

bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_ascii_alpha(char32_t c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
// Latin letters, which is every script the extractor reads; º and ª count (n.º, 1º).
bool is_letter(char32_t c) {
  return is_ascii_alpha(c) || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
         c == 0xAA || c == 0xBA;
}
bool is_upper(char32_t c) { return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7); }
bool is_alnum(char32_t c) { return is_letter(c) || is_digit(c); }
// Horizontal space only: a reference does not run across lines.
bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == 0xA0 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F ||
         c == 0x205F || c == 0x3000;
}
// Case folding for Latin-1 letters, and the typographic apostrophe reads as the ASCII one.
char32_t fold(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 0x20;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
  if (c == 0x2019) return '\'';
  return c;
}

std::size_t skip_spaces(std::string_view s, std::size_t i) {
  for (CodePoint cp = decode(s, i); cp.len != 0 && is_space(cp.c); cp = decode(s, i)) i += cp.len;
  return i;
}

// Matches `phrase` at i, case-insensitively; a space in the phrase matches a run of spaces.
// A phrase ending in a letter must end a word. Returns the end, or npos.
std::size_t match_phrase(std::string_view s, std::size_t i, std::string_view phrase) {
  char32_t last = 0;
  for (std::size_t p = 0; p < phrase.size();) {
    const CodePoint pc = decode(phrase, p);
    p += pc.len;
    last = pc.c;
    if (pc.c == ' ') {
      const std::size_t j = skip_spaces(s, i);
      if (j == i) return npos;
      i = j;
      continue;
    }
    const CodePoint tc = decode(s, i);
    if (tc.len == 0 || fold(tc.c) != fold(pc.c)) return npos;
    i += tc.len;
  }
  if (is_letter(last) && is_alnum(decode(s, i).c)) return npos;
  return i;
}

struct Keyword {
  std::string_view word;
  unsigned langs;
};

// The end of the first keyword of `list` (in `langs`) that matches at i, or npos.
template <std::size_t N>
std::size_t match_any(std::string_view s, std::size_t i, const Keyword (&list)[N], unsigned langs) {
  for (const auto& k : list) {
    if ((k.langs & langs) == 0) continue;
    if (const std::size_t e = match_phrase(s, i, k.word); e != npos) return e;
  }
  return npos;
}

bool ascii_digit_at(std::string_view s, std::size_t i) {
  return i < s.size() && s[i] >= '0' && s[i] <= '9';
}

std::size_t digits_end(std::string_view s, std::size_t i) {
  while (ascii_digit_at(s, i)) ++i;
  return i;
}

// ---------------------------------------------------------------- numbers

struct Number {
  std::string norm;
  std::size_t end = 0;
};

// "1,000": an amount, not a list of two sections.
bool thousands_follow(std::string_view s, std::size_t i) {
  return i < s.size() && s[i] == ',' && digits_end(s, i + 1) == i + 4;
}

// The ordinal sign of "1º" / "1°" carries no meaning for the number.
std::size_t skip_ordinal_sign(std::string_view s, std::size_t i) {
  const CodePoint cp = decode(s, i);
  return cp.c == 0xBA || cp.c == 0xB0 ? i + cp.len : i;
}

constexpr std::string_view kLatin[] = {"bis",    "ter",     "quater", "quinquies", "sexies",
                                       "septies", "octies", "novies", "nonies",    "decies"};

bool is_latin(std::string_view word) {
  const std::string lower = ascii_lower(word);
  for (auto l : kLatin)
    if (lower == l) return true;
  return false;
}

// Letters glued to the number: "31a", "4bis", French "1er" (= 1). Returns npos when the
// letters make a word ("4th", "2nd"), which is no section number.
std::size_t take_glued_letters(std::string_view s, std::size_t i, std::string& n) {
  std::size_t j = i;
  while (j < s.size() && is_ascii_alpha(static_cast<unsigned char>(s[j]))) ++j;
  if (j == i) return i;
  if (is_letter(decode(s, j).c)) return npos;
  const std::string letters = ascii_lower(s.substr(i, j - i));
  if (letters == "er" || letters == "re") return j;
  if (letters.size() > 2 && !is_latin(letters)) return npos;
  if (letters == "st" || letters == "nd" || letters == "rd" || letters == "th") return npos;
  n += letters;
  return j;
}

// "4 bis", "17- bis": a Latin suffix after a space or hyphen. German "29 bis 30" is a range,
// so "bis" followed by a number or "§" is left to the list parser.
std::size_t take_spaced_latin(std::string_view s, std::size_t i, std::string& n) {
  std::size_t j = i < s.size() && s[i] == '-' ? i + 1 : i;
  j = skip_spaces(s, j);
  if (j == i) return i;
  for (auto l : kLatin) {
    const std::size_t e = match_phrase(s, j, l);
    if (e == npos) continue;
    const std::size_t next = skip_spaces(s, e);
    if (l == "bis" && (ascii_digit_at(s, next) || decode(s, next).c == 0xA7)) return i;
    n += l;
    return e;
  }
  return i;
}

// A section number at i: "56", "56.1", "31a", "4 bis", "1º".
std::optional<Number> parse_number(std::string_view s, std::size_t i) {
  std::size_t j = digits_end(s, i);
  if (j == i || j - i > 6 || thousands_follow(s, j)) return std::nullopt;
  std::string n(s.substr(i, j - i));
  j = skip_ordinal_sign(s, j);
  for (int level = 0; level < 3 && j < s.size() && s[j] == '.' && ascii_digit_at(s, j + 1); ++level) {
    const std::size_t e = digits_end(s, j + 1);
    if (e - j > 7) return std::nullopt;
    n.append(s.substr(j, e - j));
    j = e;
  }
  j = take_glued_letters(s, j, n);
  if (j == npos) return std::nullopt;
  j = take_spaced_latin(s, j, n);
  return Number{normalize_section_number(n), j};
}

// "(1)(a)(i)", and the French "(1)a)": subdivisions written onto the section number.
std::size_t skip_parens(std::string_view s, std::size_t i) {
  for (bool closed = false;;) {
    const bool open = i < s.size() && s[i] == '(';
    if (!open && !closed) return i;
    std::size_t j = open ? i + 1 : i;
    const std::size_t from = j;
    while (j < s.size() && j - from < 6 && (is_ascii_alpha(static_cast<unsigned char>(s[j])) ||
                                            ascii_digit_at(s, j) || s[j] == '.'))
      ++j;
    if (j == from || j >= s.size() || s[j] != ')') return i;
    if (!open && !is_ascii_alpha(static_cast<unsigned char>(s[from]))) return i;
    i = j + 1;
    closed = true;
  }
}

// ---------------------------------------------------------------- subdivisions

// Words that name a part of a section; what follows them is not a section number.
constexpr Keyword kSubdivisions[] = {
    {"Abs.", DE}, {"Absatz", DE}, {"Absätze", DE}, {"Satz", DE}, {"Sätze", DE}, {"S.", DE},
    {"Nr.", DE | NO}, {"Nrn.", DE}, {"Nummer", DE}, {"Nummern", DE}, {"Buchst.", DE},
    {"Buchstabe", DE}, {"lit.", DE}, {"Halbsatz", DE}, {"Hs.", DE}, {"Alt.", DE},
    {"Alternative", DE}, {"Unterabs.", DE}, {"Unterabsatz", DE}, {"UAbs.", DE}, {"Ziff.", DE},
    {"Ziffer", DE}, {"paragraph", EN}, {"subparagraph", EN}, {"point", EN | FR},
    {"paragraphe", FR}, {"alinéa", FR}, {"al.", FR}, {"lid", NL}, {"onderdeel", NL},
    {"onder", NL}, {"sub", NL}, {"comma", IT}, {"commi", IT}, {"lettera", IT}, {"lettere", IT},
    {"numero", IT}, {"numeri", IT}, {"apartado", ES}, {"apartados", ES}, {"inciso", ES | PT},
    {"numeral", ES}, {"párrafo", ES}, {"literal", ES}, {"n.º", PT}, {"nº", PT | ES},
    {"número", PT}, {"alínea", PT}, {"alíneas", PT}, {"parágrafo", PT}, {"ledd", NO},
    {"punktum", NO}};

// "tweede lid", "første ledd", "primo comma": an ordinal before the subdivision noun.
constexpr Keyword kOrdinals[] = {
    {"eerste", NL}, {"tweede", NL}, {"derde", NL}, {"vierde", NL}, {"vijfde", NL},
    {"zesde", NL}, {"zevende", NL}, {"achtste", NL}, {"negende", NL}, {"tiende", NL},
    {"laatste", NL}, {"første", NO}, {"andre", NO}, {"annet", NO}, {"tredje", NO},
    {"fjerde", NO}, {"femte", NO}, {"siste", NO}, {"primo", IT}, {"secondo", IT},
    {"terzo", IT}, {"quarto", IT}, {"quinto", IT}, {"ultimo", IT}};
constexpr Keyword kOrdinalNouns[] = {{"lid", NL},   {"volzin", NL}, {"zinsnede", NL},
                                     {"ledd", NO},  {"punktum", NO}, {"comma", IT},
                                     {"periodo", IT}};

constexpr Keyword kListSeps[] = {
    {"and", EN}, {"or", EN},  {"und", DE}, {"oder", DE}, {"sowie", DE}, {"et", FR},
    {"ou", FR | PT}, {"en", NL}, {"of", NL}, {"e", IT | PT}, {"o", IT | ES}, {"y", ES},
    {"og", NO}, {"eller", NO}, {"na", SW}, {"au", SW}};
constexpr Keyword kRangeSeps[] = {
    {"to", EN}, {"through", EN}, {"bis", DE}, {"à", FR}, {"tot en met", NL}, {"t/m", NL},
    {"a", IT | ES | PT}, {"al", ES}, {"til", NO}, {"hadi", SW}, {"–", ALL}, {"-", ALL}};

// A subdivision label: "1", "2a", "(3)", "c", "b)", "iv". Words are not labels.
std::size_t parse_unit(std::string_view s, std::size_t i) {
  const bool open = i < s.size() && s[i] == '(';
  const std::size_t from = open ? i + 1 : i;
  std::size_t j = digits_end(s, from);
  const bool numeric = j > from;
  const std::size_t letters_from = j;
  while (j < s.size() && is_ascii_alpha(static_cast<unsigned char>(s[j])) && j - from < 6) ++j;
  const std::string_view letters = s.substr(letters_from, j - letters_from);
  const bool roman = !letters.empty() && letters.find_first_not_of("ivxlcIVXLC") == npos;
  if (j == from || (letters.size() > 2 && !roman) || (numeric && letters.size() > 2)) return npos;
  j = skip_ordinal_sign(s, j);
  if (j < s.size() && s[j] == ')') ++j;
  else if (open) return npos;
  return is_alnum(decode(s, j).c) ? npos : j;
}

// The separator of a list or range at i (after spaces and an optional comma), or npos.
struct Separator {
  std::size_t end = npos;
  bool range = false;
};

Separator parse_separator(std::string_view s, std::size_t i, unsigned langs) {
  std::size_t k = skip_spaces(s, i);
  const bool comma = k < s.size() && s[k] == ',';
  if (comma) k = skip_spaces(s, k + 1);
  if (const std::size_t e = match_any(s, k, kRangeSeps, langs); e != npos)
    return {skip_spaces(s, e), true};
  if (const std::size_t e = match_any(s, k, kListSeps, langs); e != npos)
    return {skip_spaces(s, e), false};
  return {comma ? k : npos, false};
}

// "1, 2 oder 4" after a subdivision word.
std::size_t parse_unit_list(std::string_view s, std::size_t i, unsigned langs) {
  std::size_t end = parse_unit(s, i);
  while (end != npos) {
    const Separator sep = parse_separator(s, end, langs);
    const std::size_t next = sep.end == npos ? npos : parse_unit(s, sep.end);
    if (next == npos) break;
    end = next;
  }
  return end;
}

// German "§ 29 I Nr. 1": an Absatz in Roman numerals.
std::size_t roman_absatz(std::string_view s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && j - i < 5 && (s[j] == 'I' || s[j] == 'V' || s[j] == 'X')) ++j;
  return j == i || is_alnum(decode(s, j).c) ? npos : j;
}

std::size_t match_subdivision(std::string_view s, std::size_t i, unsigned langs) {
  if ((langs & DE) != 0) {
    if (const std::size_t e = roman_absatz(s, i); e != npos) return e;
  }
  if (const std::size_t e = match_any(s, i, kSubdivisions, langs); e != npos) {
    if (const std::size_t u = parse_unit_list(s, skip_spaces(s, e), langs); u != npos) return u;
  }
  if (const std::size_t e = match_any(s, i, kOrdinals, langs); e != npos)
    return match_any(s, skip_spaces(s, e), kOrdinalNouns, langs);
  return npos;
}

// "Abs. 1 Satz 1 Nr. 1", ", eerste lid", ", comma 1": skipped, they stay inside the section.
std::size_t skip_subdivisions(std::string_view s, std::size_t i, unsigned langs) {
  for (;;) {
    std::size_t k = skip_spaces(s, i);
    if (k < s.size() && s[k] == ',') k = skip_spaces(s, k + 1);
    const std::size_t e = match_subdivision(s, k, langs);
    if (e == npos) return i;
    i = e;
  }
}

// ---------------------------------------------------------------- lists and ranges

struct NumberParts {
  std::string_view prefix;  // up to the last '.': "10." of "10.7"
  long n = -1;
  std::string_view suffix;  // "a" of "30a"
};

std::optional<NumberParts> split_number(std::string_view norm) {
  const std::size_t dot = norm.rfind('.');
  NumberParts p;
  p.prefix = dot == npos ? std::string_view{} : norm.substr(0, dot + 1);
  const std::string_view rest = norm.substr(p.prefix.size());
  const std::size_t d = digits_end(rest, 0);
  if (d == 0) return std::nullopt;
  p.n = std::stol(std::string(rest.substr(0, d)));
  p.suffix = rest.substr(d);
  return p;
}

// "56a bis 56g": the letters between two bounds on the same number.
void expand_letters(const NumberParts& lo, const NumberParts& hi, std::vector<std::string>& out) {
  if (lo.suffix.size() > 1 || hi.suffix.size() != 1) return;
  const char first = lo.suffix.empty() ? 'a' : static_cast<char>(lo.suffix[0] + 1);
  const std::string base = std::string(lo.prefix) + std::to_string(lo.n);
  for (char c = first; c < hi.suffix[0] && c >= 'a' && c <= 'z'; ++c) out.push_back(base + c);
}

// Appends the numbers after `lo` up to `hi`: every one the bounds make certain, then `hi`.
// "29 bis 30a" -> 30, 30a; "10.1 to 10.7" -> 10.2 … 10.7. Unknowable or long ranges: `hi`.
void expand_range(const std::string& lo, const std::string& hi, std::vector<std::string>& out) {
  const auto a = split_number(lo);
  const auto b = split_number(hi);
  if (a && b && a->prefix == b->prefix) {
    const long extra = b->suffix.empty() ? 0 : 1;
    if (a->n == b->n) {
      expand_letters(*a, *b, out);
    } else if (a->n < b->n && b->n - a->n + extra <= static_cast<long>(max_range_expansion)) {
      const std::string prefix(a->prefix);
      for (long n = a->n + 1; n < b->n; ++n) out.push_back(prefix + std::to_string(n));
      if (extra != 0) out.push_back(prefix + std::to_string(b->n));
    }
  }
  out.push_back(hi);
}

// ---------------------------------------------------------------- triggers and references

struct Trigger {
  std::string_view word;
  unsigned langs;
  bool list;          // may open a list or range ("sections 4 and 5", "§§ 29 bis 30")
  bool needs_parens;  // Canadian subsections and paragraphs always read "4(1)", "4(1)(a)";
                      // a bare "paragraph 2" is a paragraph of the current article
};

// Longer words first where one is the start of another.
constexpr Trigger kTriggers[] = {
    {"§§", ALL, true, false},           {"§", ALL, true, false},
    {"subsections", EN, true, true},    {"subsection", EN, false, true},
    {"subparagraphs", EN, true, true},  {"subparagraph", EN, false, true},
    {"paragraphs", EN, true, true},     {"paragraph", EN, false, true},
    {"subclauses", EN, true, true},     {"subclause", EN, false, true},
    {"clauses", EN, true, true},        {"clause", EN, false, true},
    {"sections", EN, true, false},      {"section", EN, false, false},
    {"secs.", EN, true, false},         {"sec.", EN, false, false},
    {"ss.", EN, true, false},           {"s.", EN, false, false},
    {"articles", EN | FR, true, false}, {"article", EN | FR, false, false},
    {"arts.", EN | ES | PT, true, false}, {"artt.", IT, true, false},
    {"art.", ALL, true, false},         {"artikelen", NL, true, false},
    {"artikeln", DE, true, false},      {"artikel", DE | NL, true, false},
    {"artikkel", NO, false, false},     {"sous-alinéas", FR, true, true},
    {"sous-alinéa", FR, false, true},   {"alinéas", FR, true, true},
    {"alinéa", FR, false, true},        {"paragraphes", FR, true, true},
    {"paragraphe", FR, false, true},    {"articoli", IT, true, false},
    {"articolo", IT, false, false},     {"artículos", ES, true, false},
    {"artículo", ES, false, false},     {"artigos", PT, true, false},
    {"artigo", PT, false, false},       {"vifungu vya", SW, true, false},
    {"kifungu cha", SW, false, false},  {"ibara za", SW, true, false},
    {"ibara ya", SW, false, false}};

// The numbers of one reference, each once: hostile lists repeat numbers without end.
struct References {
  std::vector<std::string> sections;
  std::unordered_set<std::string> seen;
  std::size_t end = 0;

  void add(std::string n) {
    if (!n.empty() && seen.insert(n).second) sections.push_back(std::move(n));
  }
};

// One item of a list: the number, its written subdivisions. npos when no number is there.
std::size_t parse_item(std::string_view s, std::size_t i, const Trigger& t, unsigned langs,
                       std::string& norm) {
  const auto n = parse_number(s, i);
  if (!n) return npos;
  const std::size_t after = skip_parens(s, n->end);
  if (t.needs_parens && after == n->end) return npos;
  norm = n->norm;
  return skip_subdivisions(s, after, langs);
}

std::optional<References> parse_references(std::string_view s, std::size_t i, const Trigger& t,
                                           unsigned langs) {
  References r;
  std::string prev;
  r.end = parse_item(s, i, t, langs, prev);
  if (r.end == npos) return std::nullopt;
  r.add(prev);
  while (t.list) {
    const Separator sep = parse_separator(s, r.end, langs);
    if (sep.end == npos) break;
    // "subsections 4(1) and (2)": more subdivisions of the same section.
    if (sep.end < s.size() && s[sep.end] == '(') {
      const std::size_t e = skip_parens(s, sep.end);
      if (e == sep.end) break;
      r.end = e;
      continue;
    }
    std::string norm;
    const std::size_t e = parse_item(s, sep.end, t, langs, norm);
    if (e == npos) break;
    if (sep.range) {
      std::vector<std::string> range;
      expand_range(prev, norm, range);
      for (auto& n : range) r.add(std::move(n));
    } else {
      r.add(norm);
    }
    prev = std::move(norm);
    r.end = e;
  }
  return r;
}

// ---------------------------------------------------------------- the instrument named after

enum class NameStyle { capitalised, german, romance, norwegian };

// Where the words after the reference point.
enum class Points {
  named,  // "of the Criminal Code": the instrument named next
  same,   // "of this Act", "dieses Gesetzes": the same instrument
  back,   // "of that Act", "de la même loi": the instrument named last in this text
};

struct Connector {
  std::string_view phrase;
  unsigned langs;
  NameStyle style;
  Points points;
};

// Self references and back references before the general form that starts the same way.
constexpr Connector kConnectors[] = {
    {"of that", EN, NameStyle::capitalised, Points::back},
    {"de la même", FR, NameStyle::romance, Points::back},
    {"du même", FR, NameStyle::romance, Points::back},
    {"della stessa", IT, NameStyle::romance, Points::back},
    {"dello stesso", IT, NameStyle::romance, Points::back},
    {"della medesima", IT, NameStyle::romance, Points::back},
    {"del medesimo", IT, NameStyle::romance, Points::back},
    {"de la misma", ES, NameStyle::romance, Points::back},
    {"del mismo", ES, NameStyle::romance, Points::back},
    {"da mesma", PT, NameStyle::romance, Points::back},
    {"do mesmo", PT, NameStyle::romance, Points::back},
    {"desselben", DE, NameStyle::german, Points::back},
    {"derselben", DE, NameStyle::german, Points::back},
    {"van de onderhavige", NL, NameStyle::romance, Points::same},
    {"of this", EN, NameStyle::capitalised, Points::same},
    {"of these", EN, NameStyle::capitalised, Points::same},
    {"of the", EN, NameStyle::capitalised, Points::named},
    {"of", EN, NameStyle::capitalised, Points::named},
    {"dieses", DE, NameStyle::german, Points::same},
    {"dieser", DE, NameStyle::german, Points::same},
    {"des", DE, NameStyle::german, Points::named},
    {"der", DE, NameStyle::german, Points::named},
    {"de la présente", FR, NameStyle::romance, Points::same},
    {"du présent", FR, NameStyle::romance, Points::same},
    {"de cette", FR, NameStyle::romance, Points::same},
    {"de ce", FR, NameStyle::romance, Points::same},
    {"de la presente", ES, NameStyle::romance, Points::same},
    {"de esta", ES, NameStyle::romance, Points::same},
    {"de este", ES, NameStyle::romance, Points::same},
    {"de la", FR | ES, NameStyle::romance, Points::named},
    {"de l'", FR, NameStyle::romance, Points::named},
    {"du", FR, NameStyle::romance, Points::named},
    {"des", FR, NameStyle::romance, Points::named},
    {"van deze", NL, NameStyle::romance, Points::same},
    {"van dit", NL, NameStyle::romance, Points::same},
    {"van de", NL, NameStyle::romance, Points::named},
    {"van het", NL, NameStyle::romance, Points::named},
    {", van de", NL, NameStyle::romance, Points::named},
    {", van het", NL, NameStyle::romance, Points::named},
    {"del presente", IT | ES, NameStyle::romance, Points::same},
    {"della presente", IT, NameStyle::romance, Points::same},
    {"dello", IT, NameStyle::romance, Points::named},
    {"della", IT, NameStyle::romance, Points::named},
    {"dell'", IT, NameStyle::romance, Points::named},
    {"del", IT | ES, NameStyle::romance, Points::named},
    {"do presente", PT, NameStyle::romance, Points::same},
    {"da presente", PT, NameStyle::romance, Points::same},
    {"deste", PT, NameStyle::romance, Points::same},
    {"desta", PT, NameStyle::romance, Points::same},
    {"do", PT, NameStyle::romance, Points::named},
    {"da", PT, NameStyle::romance, Points::named},
    {"i denne", NO, NameStyle::norwegian, Points::same},
    {"i", NO, NameStyle::norwegian, Points::named},
};

// A word ends at a space or punctuation; '.', '-', '/' and apostrophes inside it belong to it
// ("15.848", "Decreto-Lei", "726/2004", "l’impôt").
std::size_t word_end(std::string_view s, std::size_t i) {
  std::size_t j = i;
  for (;;) {
    const CodePoint cp = decode(s, j);
    if (cp.len == 0) return j;
    if (is_alnum(cp.c) || cp.c == 0xB0) {
      j += cp.len;
      continue;
    }
    const bool joiner = cp.c == '.' || cp.c == '-' || cp.c == '/' || cp.c == '\'' || cp.c == 0x2019;
    if (!joiner || j == i || !is_alnum(decode(s, j + cp.len).c)) return j;
    j += cp.len;
  }
}

std::string lower_word(std::string_view w) {
  std::string out;
  for (std::size_t i = 0; i < w.size();) {
    const CodePoint cp = decode(w, i);
    const char32_t c = fold(cp.c);
    if (c != cp.c && c < 0x80) out += static_cast<char>(c);
    else if (c != cp.c) out += {static_cast<char>(0xC3), static_cast<char>(0x80 | (c & 0x3F))};
    else out.append(w.substr(i, cp.len));
    i += cp.len;
  }
  return out;
}

bool in(std::string_view w, std::initializer_list<std::string_view> words) {
  for (auto x : words)
    if (w == x) return true;
  return false;
}

// Words that make a name a law: the check keeps "der Täter" or "of the Minister" out.
bool names_a_law(std::string_view name) {
  static constexpr std::string_view compound[] = {
      "gesetz", "ordnung", "richtlinie", "abkommen", "vertrag", "verfassung", "statut",
      "kodex",  "wet",     "besluit",    "regeling", "verdrag", "verordening", "richtlijn",
      "lov",    "forskrift"};
  static constexpr std::string_view whole[] = {
      "act", "code", "regulation", "rules", "rule", "order", "convention", "treaty",
      "directive", "constitution", "charter", "decision", "protocol", "agreement", "ordinance",
      "statute", "law", "loi", "règlement", "décret", "ordonnance", "charte", "arrêté", "traité",
      "legge", "codice", "decreto", "regolamento", "costituzione", "direttiva", "trattato",
      "testo", "ley", "código", "reglamento", "constitución", "carta", "directiva", "tratado",
      "lei", "decreto-lei", "decreto-ley", "constituição", "regulamento", "estatuto", "convenio",
      "convenção"};
  for (std::size_t i = 0; i < name.size();) {
    const std::size_t e = word_end(name, i);
    const std::string w = lower_word(name.substr(i, e - i));
    for (auto c : compound)
      if (w.find(c) != npos) return true;
    for (auto x : whole)
      if (w == x || w == std::string(x) + "s") return true;
    i = e == i ? i + 1 : e;
  }
  return false;
}

struct Token {
  std::size_t begin = 0, end = 0;
  std::string_view text;
};

std::optional<Token> token_at(std::string_view s, std::size_t i) {
  const std::size_t b = skip_spaces(s, i);
  // "(EU)", "(EG)": the issuer inside a name.
  if (b < s.size() && s[b] == '(') {
    std::size_t j = b + 1;
    while (j < s.size() && s[j] >= 'A' && s[j] <= 'Z' && j - b <= 5) ++j;
    if (j > b + 2 && j < s.size() && s[j] == ')') return Token{b, j + 1, s.substr(b, j + 1 - b)};
    return std::nullopt;
  }
  const std::size_t e = word_end(s, b);
  if (e == b) return std::nullopt;
  // "Nr." and "No." keep their dot; a sentence's full stop ends the name.
  const std::size_t end = e < s.size() && s[e] == '.' && in(lower_word(s.substr(b, e - b)), {"nr", "no", "n"}) ? e + 1 : e;
  return Token{b, end, s.substr(b, end - b)};
}

bool starts_upper(std::string_view w) { return is_upper(decode(w, 0).c); }
bool has_digit(std::string_view w) { return w.find_first_of("0123456789") != npos; }

// English and the default: capitalised words, and small words only between capitalised ones
// ("Controlled Drugs and Substances Act", "Regulation (EU) No 1234/2013").
std::size_t capitalised_name(std::string_view s, std::size_t i) {
  std::size_t end = npos;
  for (std::size_t pos = i, n = 0; n < 16; ++n) {
    const auto t = token_at(s, pos);
    if (!t) break;
    const bool content = starts_upper(t->text) || (end != npos && (has_digit(t->text) || t->text[0] == '('));
    const bool small = end != npos && in(t->text, {"and", "of", "for", "on", "the", "in", "to", "respecting", "relating"});
    if (!content && !small) break;
    if (content) end = t->end;
    pos = t->end;
  }
  return end;
}

// German: one capitalised word, joined to a second only by a small word or an issuer and
// number ("Einführungsgesetzes zum Gerichtsverfassungsgesetz", "Verordnung (EG) Nr. 726/2004").
// Two capitalised words in a row are a name and the next noun of the sentence.
std::size_t german_name(std::string_view s, std::size_t i) {
  std::size_t end = npos;
  bool after_small = true;
  for (std::size_t pos = i, n = 0; n < 10; ++n) {
    const auto t = token_at(s, pos);
    if (!t) break;
    const bool cap = starts_upper(t->text) && !has_digit(t->text);
    const bool number = end != npos && (has_digit(t->text) || t->text[0] == '(' || in(t->text, {"Nr.", "Nr"}));
    const bool small = end != npos && in(t->text, {"zum", "zur", "zu", "über", "für", "den", "dem", "die", "das", "mit"});
    if (!((cap && after_small) || number || small)) break;
    if (!small) end = t->end;
    after_small = small || number;
    pos = t->end;
  }
  return end;
}

bool is_article(std::string_view w) {
  return in(w, {"de", "du", "des", "la", "le", "les", "l", "d", "del", "della", "dello", "di",
                "da", "do", "dos", "das", "van", "het", "à", "au", "al", "a", "su", "sus",
                "son", "sa", "ses", "leur", "suo", "sua", "seu", "sua", "zijn"});
}
bool is_function_word(std::string_view w) {
  return is_article(w) || in(w, {"sur", "les", "of", "y", "e", "et", "en", "op", "inzake", "tot"});
}
// Words that start the rest of the sentence, not part of a title.
bool is_stop_word(std::string_view w) {
  return in(w, {"ou", "qui", "que", "dont", "si", "lorsque", "aux", "dans", "est", "sont", "ont",
                "devient", "deviennent",
                "pour", "par", "ne", "sauf", "selon", "avec", "sans", "ni", "ce", "cette", "il",
                "elle", "doit", "peut", "être", "soit", "che", "o", "è", "sono", "ai", "alla",
                "alle", "per", "con", "nel", "nella", "nei", "se", "ove", "non", "si", "come",
                "sia", "ed", "sul", "sulla", "sulle", "sui", "es", "para", "por", "no", "cuando", "como", "pese", "debe", "puede",
                "é", "são", "ao", "aos", "com", "em", "na", "nos", "não", "is", "wordt", "worden",
                "aan", "voor", "met", "bij", "niet", "als", "die", "dat", "te", "door", "kan"});
}

// "s’appliquent", "qu’il": a French clause begins.
bool elided_pronoun(std::string_view w) {
  for (std::string_view p : {"s'", "n'", "qu'", "c'", "j'", "m'", "t'"})
    if (w.substr(0, p.size()) == p) return true;
  return false;
}

// ", n. 309" / ", nº 15" continue an Italian, Spanish or Portuguese name past its comma.
std::size_t comma_number(std::string_view s, std::size_t i) {
  std::size_t k = skip_spaces(s, i);
  if (k >= s.size() || s[k] != ',') return npos;
  const auto t = token_at(s, k + 1);
  if (!t) return npos;
  const std::string w = lower_word(t->text);
  return in(w, {"n.", "nº", "n.º", "no."}) ? k + 1 : npos;
}

// French, Dutch, Italian, Spanish, Portuguese: titles run in lower case ("Loi sur les
// douanes", "codice penale", "Wetboek van Strafrecht"), so the name runs to punctuation,
// a word that starts the rest of the sentence, or "et de la…" joining a second instrument.
std::size_t romance_name(std::string_view s, std::size_t i) {
  std::size_t end = npos;
  std::size_t pos = i;
  std::size_t words = 0;
  for (std::size_t n = 0; n < 12; ++n) {
    auto t = token_at(s, pos);
    if (!t && end != npos) {
      const std::size_t k = comma_number(s, pos);
      if (k != npos) t = token_at(s, k);
    }
    if (!t) break;
    const std::string w = lower_word(t->text);
    if (is_stop_word(w) || elided_pronoun(w)) break;
    // A participle after a name of two words starts a clause ("du Code criminel visant…");
    // after the head word it is the title ("Loi réglementant certaines drogues").
    if (words >= 2 && w.size() > 4 && w.compare(w.size() - 3, 3, "ant") == 0) break;
    if (in(w, {"et", "e", "y", "en", "ou", "o", "and", "und"})) {
      const auto next = token_at(s, t->end);
      if (!next) break;
      const std::string nw = lower_word(next->text);
      if (is_article(nw) || nw.rfind("l'", 0) == 0 || nw.rfind("d'", 0) == 0) break;
    }
    if (end == npos && is_function_word(w)) break;
    if (!is_function_word(w)) {
      end = t->end;
      ++words;
    }
    pos = t->end;
  }
  return end;
}

// Norwegian laws are one word: "straffeloven", "legemiddelloven".
std::size_t norwegian_name(std::string_view s, std::size_t i) {
  const auto t = token_at(s, i);
  return t ? t->end : npos;
}

std::size_t name_end(std::string_view s, std::size_t i, NameStyle style) {
  switch (style) {
    case NameStyle::capitalised: return capitalised_name(s, i);
    case NameStyle::german: return german_name(s, i);
    case NameStyle::romance: return romance_name(s, i);
    case NameStyle::norwegian: return norwegian_name(s, i);
  }
  return npos;
}

// "BtMG", "StGB", "TFEU" right after the number. Not: Roman numerals (an Absatz, "§ 29 I"),
// the start of an identifier ("SOR/2019-121"), or a heading in capitals ("SCHEDULE", "PART").
std::size_t abbreviation_end(std::string_view s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && is_ascii_alpha(static_cast<unsigned char>(s[j])) && j - i < 12) ++j;
  const std::string_view w = s.substr(i, j - i);
  const bool capitals = w.find_first_of("abcdefghijklmnopqrstuvwxyz") == npos;
  if (w.size() < 2 || !is_upper(static_cast<unsigned char>(w.front())) ||
      !is_upper(static_cast<unsigned char>(w.back())) || is_alnum(decode(s, j).c) ||
      (j < s.size() && (s[j] == '/' || s[j] == '-')) || w.find_first_not_of("IVXLCDM") == npos ||
      (capitals && (w.size() > 4 || in(w, {"PART", "ITEM", "FORM", "NOTE", "AND", "THE", "OR", "OF"}))))
    return npos;
  return j;
}

enum class Structure { none, inside, schedule };

// What the first word after "of" names when it is a unit of a law, not a law.
Structure structure_word(std::string_view s, std::size_t i) {
  const auto t = token_at(s, i);
  if (!t) return Structure::none;
  const std::string w = lower_word(t->text);
  if (in(w, {"schedule", "schedules", "sch.", "annex", "anlage", "anhang", "annexe", "bijlage",
             "allegato", "anexo"}))
    return Structure::schedule;
  if (in(w, {"part", "division", "subdivision", "chapter", "teil", "abschnitt", "kapitel",
             "partie", "titre", "hoofdstuk", "titel", "capo", "título", "capítulo", "parte"}))
    return Structure::inside;
  return Structure::none;
}

struct Tail {
  std::string instrument;
  std::size_t end = 0;
  bool drop = false;  // the reference points into a schedule
  bool back = false;  // the instrument is the one named last
};

// "loi modifiée du 19 février 1973" is the law "du 19 février 1973" with its amendments:
// the participle after the kind is no part of the name. Nor is a trailing "précitée"
// ("cited above"). Either would keep the citation from resolving to the law.
std::string name_as_cited(std::string name) {
  static constexpr std::string_view amended[] = {
      "modifiée", "modifié", "modifiées", "modifiés", "amended", "modificada", "modificado",
      "modificata", "modificato", "alterada", "alterado", "gewijzigde", "geänderte", "geänderten"};
  static constexpr std::string_view cited[] = {
      "précitée", "précité", "précitées", "précités", "susvisée", "susvisé", "susmentionnée",
      "susmentionné", "citada", "citado", "citata", "citato", "aforementioned"};
  std::vector<std::string> words = split(name, ' ');
  const auto any = [](const std::string& w, const auto& list) {
    const std::string lw = lower_word(w);
    for (std::string_view x : list)
      if (lw == x) return true;
    return false;
  };
  if (words.size() >= 3 && any(words[1], amended)) words.erase(words.begin() + 1);
  while (words.size() >= 3 && any(words.back(), cited)) words.pop_back();
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

Tail parse_tail(std::string_view s, std::size_t i, unsigned langs) {
  const std::size_t k = skip_spaces(s, i);
  if (const std::size_t e = abbreviation_end(s, k); e != npos) return {std::string(s.substr(k, e - k)), e};
  for (const auto& c : kConnectors) {
    if ((c.langs & langs) == 0) continue;
    const std::size_t e = match_phrase(s, c.phrase.front() == ',' ? i : k, c.phrase);
    if (e == npos) continue;
    const std::size_t h = skip_spaces(s, e);
    if (c.points != Points::named) {
      const auto noun = token_at(s, h);
      return {"", noun ? noun->end : e, false, c.points == Points::back};
    }
    const Structure st = structure_word(s, h);
    if (st == Structure::schedule) return {"", h, true};
    if (st == Structure::inside) return {"", i};
    const std::size_t n = name_end(s, h, c.style);
    if (n == npos || !names_a_law(s.substr(h, n - h))) continue;
    // Line breaks and runs of spaces inside a name are layout, not part of it.
    return {name_as_cited(collapse_space(s.substr(h, n - h))), n};
  }
  return {"", i};
}

// ---------------------------------------------------------------- the scan

bool word_before(std::string_view s, std::size_t i) {
  const char32_t c = decode_before(s, i).c;
  return is_alnum(c) || c == '.' || c == '-' || c == '/' || c == '_';
}

// Every number of a list shares the raw text, so a hostile list of a million numbers must
// not copy a megabyte into each of them: long raw text is cut at a character boundary.
std::string bounded_raw(std::string_view raw) {
  if (raw.size() <= max_raw_size) return trim(raw);
  std::size_t cut = max_raw_size;
  while (cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80) --cut;
  return trim(raw.substr(0, cut)) + "…";
}

void emit(std::string_view raw, std::string_view instrument, const std::vector<std::string>& sections,
          std::vector<Citation>& out) {
  const std::string text = bounded_raw(raw);
  for (const auto& n : sections) out.push_back(Citation{text, std::string(instrument), n, "text"});
}

// The end of a run of letters and digits; an apostrophe ends it ("dell'art. 75").
std::size_t alnum_end(std::string_view s, std::size_t i) {
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {  // most letters: no decoding
      if (!is_ascii_alpha(b) && !is_digit(b)) break;
      ++i;
      continue;
    }
    const CodePoint cp = decode(s, i);
    if (!is_alnum(cp.c)) break;
    i += cp.len;
  }
  return i;
}

// Most words cannot start a trigger of the text's languages; a table of their first
// letters spares trying each trigger.
using FirstLetters = std::array<bool, 128>;
FirstLetters trigger_first_letters(unsigned langs) {
  FirstLetters t{};
  for (const auto& trigger : kTriggers) {
    const auto b = static_cast<unsigned char>(trigger.word.front());
    if (b < 0x80 && (trigger.langs & langs) != 0) t[fold(b)] = true;
  }
  return t;
}

bool may_start_trigger(char32_t c, const FirstLetters& first) {
  return c == 0xA7 || (c < 0x80 && first[fold(c)]);
}

// Parses the citation starting at `start`; returns its end, or npos when none starts there.
// `last` is the instrument named last in the text, which "of that Act" points to.
std::size_t scan_citation(std::string_view s, std::size_t start, unsigned langs,
                          std::string& last, std::vector<Citation>& out) {
  const char32_t first = fold(decode(s, start).c);
  for (const auto& t : kTriggers) {
    if ((t.langs & langs) == 0 || fold(decode(t.word, 0).c) != first) continue;
    const std::size_t e = match_phrase(s, start, t.word);
    if (e == npos) continue;
    const auto refs = parse_references(s, skip_spaces(s, e), t, langs);
    if (!refs) return npos;
    const Tail tail = parse_tail(s, refs->end, langs);
    if (tail.drop) return tail.end;
    if (!tail.instrument.empty()) last = tail.instrument;
    emit(s.substr(start, tail.end - start), tail.back ? last : tail.instrument, refs->sections, out);
    return tail.end;
  }
  return npos;
}

}  // namespace

std::vector<Citation> extract_citations(std::string_view text, std::string_view language) {
  return extract_citations(text, language, {});
}

std::vector<Citation> extract_citations(std::string_view text, std::string_view language,
                                        std::string_view named_before) {
  const unsigned langs = language_mask(language);
  const FirstLetters first = trigger_first_letters(langs);
  std::vector<Citation> out;
  std::string last_instrument(named_before);
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80 && !is_ascii_alpha(byte)) {  // most of the text: spaces, digits, signs
      ++i;
      continue;
    }
    if (byte < 0x80 && !first[fold(byte)]) {  // a word no trigger starts
      i = alnum_end(text, i + 1);
      continue;
    }
    const CodePoint cp = decode(text, i);
    if (may_start_trigger(cp.c, first) && !word_before(text, i)) {
      const std::size_t end = scan_citation(text, i, langs, last_instrument, out);
      if (end != npos && end > i) {
        i = end;
        continue;
      }
    }
    // Triggers start words: the rest of this word need not be tried.
    i += cp.len;
    if (is_letter(cp.c)) i = alnum_end(text, i);
  }
  return out;
}

std::string last_named(const std::vector<Citation>& citations, std::string_view before) {
  for (auto it = citations.rbegin(); it != citations.rend(); ++it)
    if (!it->target_instrument.empty()) return it->target_instrument;
  return std::string(before);
}

}  // namespace hrtrack::corpus
