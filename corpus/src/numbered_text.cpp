#include "numbered_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <utility>

#include "languages.hpp"
#include "text.hpp"

namespace hrtrack::corpus::numbered {
namespace {

using languages::fold_case;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_roman(char c) { return c == 'I' || c == 'V' || c == 'X' || c == 'L' || c == 'C'; }
// A letter of any script, for "is this word glued to the next": bytes of multi-byte
// characters count as letters, except the signs and marks numbers carry ("°", "¹", "º").
bool word_byte(std::string_view s, std::size_t i);

// "¹²³⁰⁴⁵⁶⁷⁸⁹": the length in bytes of a superscript digit at s[i], or 0.
std::size_t superscript_digit(std::string_view s, std::size_t i) {
  if (s.compare(i, 2, "\xC2\xB9") == 0 || s.compare(i, 2, "\xC2\xB2") == 0 ||
      s.compare(i, 2, "\xC2\xB3") == 0)
    return 2;
  if (i + 2 < s.size() && s.compare(i, 2, "\xE2\x81") == 0) {
    const auto c = static_cast<unsigned char>(s[i + 2]);
    if (c == 0xB0 || (c >= 0xB4 && c <= 0xB9)) return 3;
  }
  return 0;
}

bool word_byte(std::string_view s, std::size_t i) {
  if (i >= s.size()) return false;
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return is_alpha(s[i]);
  if (superscript_digit(s, i)) return false;
  // Latin-1 signs ("°", "º", "ª", NBSP, "§") and the punctuation block ("—", "“", "…").
  if (c == 0xC2 || c == 0xE2) return false;
  return c >= 0xC3;
}

bool starts_with_any(std::string_view folded, const std::vector<std::string>& words) {
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) { return folded.starts_with(w); });
}

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

// Where one number ends, and where its ordinal mark ("1er", "5°") starts (npos: none).
struct NumberSpan {
  std::size_t end;
  std::size_t ordinal = std::string_view::npos;
};

// The suffix of `words` (folded) that s[i] starts with, followed by no letter: its length.
std::size_t suffix_at(std::string_view s, const std::string& folded_s, std::size_t i,
                      const std::vector<std::string>& words) {
  for (const std::string& w : words)
    if (folded_s.compare(i, w.size(), w) == 0 && !word_byte(s, i + w.size())) return w.size();
  return 0;
}

// One number: "29", "31a", "10.1", "222-37", "L3421-1", "R5143-5-2", "15¹", "4bis",
// "14 bis", "1er", "5°", and for appendices "III" or "A".
NumberSpan number_end(std::string_view s, std::size_t i, bool appendix, const Grammar& g) {
  const std::size_t start = i;
  const std::string folded = fold_case(s);
  // French codes prefix the part: L(égislative), R(églementaire), D(écret), A(rrêté), LO.
  std::size_t letters = i;
  while (letters < s.size() && is_upper(s[letters]) && letters - i < 2) ++letters;
  while (letters > i && letters < s.size() && s[letters] == '*') ++letters;  // "R*5013"
  if (letters > i && letters < s.size() && is_digit(s[letters])) i = letters;
  if (i < s.size() && is_digit(s[i])) {
    while (i < s.size() && is_digit(s[i])) ++i;
    for (;;) {
      if (i + 1 < s.size() && (s[i] == '.' || s[i] == '-') && is_digit(s[i + 1])) {
        ++i;
        while (i < s.size() && is_digit(s[i])) ++i;
      } else if (const std::size_t n = superscript_digit(s, i)) {
        i += n;
      } else {
        break;
      }
    }
  } else {
    if (i < s.size() && is_roman(s[i])) {
      while (i < s.size() && is_roman(s[i])) ++i;
    } else if (appendix && i < s.size() && s[i] >= 'A' && s[i] <= 'Z') {
      ++i;
    }
    // "Section Chief" is no Section C.
    return {i < s.size() && is_alpha(s[i]) ? start : i};
  }
  if (const std::size_t n = suffix_at(s, folded, i, g.ordinal_suffixes)) return {i + n, i};
  // "3A", "10AB": capitals inserted between numbers (common-law codes), when the number
  // ends there ("Section 5Application" is no number).
  std::size_t upper = i;
  while (upper < s.size() && is_upper(s[upper]) && upper - i < 2) ++upper;
  if (upper > i && !word_byte(s, upper)) return {upper};
  std::size_t lower = i;
  while (lower < s.size() && is_lower(s[lower]) && lower - i < 6) ++lower;
  // "31a" and "4bis" keep their letters; "29abc" glued to a longer word is no number.
  if (word_byte(s, lower)) return {lower > i ? start : i};
  i = lower;
  // "14 bis", "26 Bis", "204 quáter".
  if (i + 1 < s.size() && s[i] == ' ')
    if (const std::size_t n = suffix_at(s, folded, i + 1, g.number_suffixes)) i += 1 + n;
  if (const std::size_t n = suffix_at(s, folded, i, g.ordinal_suffixes)) return {i + n, i};
  return {i};
}

// "§§ 40 und 40a", "§§ 3 bis 5": a range or list after a plural sign.
std::size_t plural_end(std::string_view s, std::size_t i, const Grammar& g) {
  static constexpr std::array<std::string_view, 5> joins = {" und ", " bis ", ", ", " - ", " – "};
  for (bool more = true; more;) {
    more = false;
    for (auto j : joins) {
      if (s.compare(i, j.size(), j) != 0) continue;
      const std::size_t e = number_end(s, i + j.size(), false, g).end;
      if (e > i + j.size()) {
        i = e;
        more = true;
      }
      break;
    }
  }
  return i;
}

// The rest after the number without its separator: ".", ":", "-", "–", "—", ".-", ". —".
std::string strip_separator(std::string_view rest, bool label_dot, bool& separated, bool& dash) {
  std::string r = trim(rest);
  separated = label_dot;
  dash = false;
  for (bool again = true; again;) {
    again = false;
    for (std::string_view sep : {".-", ".\xE2\x80\x93", ".\xE2\x80\x94", "\xE2\x80\x93",
                                 "\xE2\x80\x94", "-", ":", "."}) {
      if (r.size() < sep.size() || r.compare(0, sep.size(), sep) != 0) continue;
      // "-" is a separator before a space ("§ 5 - Titel"), not a minus glued to a word.
      if (sep == "-" && r.size() > 1 && r[1] != ' ') continue;
      dash = dash || (sep != "." && sep != ":");
      separated = true;
      r = trim(std::string_view(r).substr(sep.size()));
      again = !r.empty();
      break;
    }
  }
  return r;
}

// Capital letter (Latin or Greek), an opening bracket or quote: how headings start.
bool starts_like_heading(std::string_view s) {
  if (s.empty()) return false;
  const auto c = static_cast<unsigned char>(s[0]);
  if (c == '(' || c == '[' || c == '"') return true;
  if (starts_upper(s)) return true;
  return s.substr(0, 3) == "\xE2\x80\x9E" || s.substr(0, 3) == "\xE2\x80\x9C";
}

// Words that continue a citation rather than start a title: "§ 29 Abs. 1", "§ 36 odst. 1",
// "Art. 3 Nr. 2"; the word is abbreviated or a number follows ("Para 3", not "Para la").
bool continues_citation(std::string_view rest, const Grammar& g) {
  std::size_t e = 0;
  while (e < rest.size() && word_byte(rest, e)) ++e;
  const std::string first = fold_case(rest.substr(0, e));
  if (std::find(g.citation_words.begin(), g.citation_words.end(), first) == g.citation_words.end())
    return false;
  if (e == rest.size() || rest[e] == '.') return true;
  const std::size_t next = skip_spaces(rest, e);
  return next < rest.size() && (is_digit(rest[next]) || rest[next] == '(');
}

bool heading_like(std::string_view rest, std::size_t max_len, const Grammar& g) {
  if (rest.empty()) return true;
  if (rest.size() > max_len || !starts_like_heading(rest) || continues_citation(rest, g))
    return false;
  const char last = rest.back();
  return last != ',' && last != ';';
}

std::size_t word_count(std::string_view s) {
  if (trim(s).empty()) return 0;
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), ' ')) + 1;
}

std::vector<std::string> folded_all(const std::vector<std::string>& words) {
  std::vector<std::string> out;
  for (const auto& w : words) out.push_back(fold_case(w));
  return out;
}

void add_unique(std::vector<std::string>& to, const std::vector<std::string>& words) {
  for (const auto& w : folded_all(words))
    if (std::find(to.begin(), to.end(), w) == to.end()) to.push_back(w);
}

// The grammar of `primary` (one language, or all), with the labels and division words
// of every other language too, since a hint can be wrong and laws quote each other; where
// a word is a label in one and a division in another, the primary language decides.
std::unique_ptr<Grammar> build(const std::vector<const languages::Language*>& primary) {
  auto g = std::make_unique<Grammar>();
  std::set<std::string> own_divisions, labels;
  for (const auto* l : primary)
    for (const auto& [w, rank] : l->structure_words) own_divisions.insert(fold_case(w));
  auto add_labels = [&](const languages::Language& l, bool own) {
    for (const bool appendix : {false, true})
      for (const auto& w : appendix ? l.appendix_labels : l.section_labels) {
        const std::string f = fold_case(w);
        if (!own && own_divisions.count(f)) continue;
        if (labels.insert(f).second) g->labels.push_back({w, f, appendix});
      }
  };
  for (const auto* l : primary) {
    add_labels(*l, true);
    add_unique(g->repealed_markers, l->repealed_markers);
    add_unique(g->note_markers, l->note_markers);
  }
  const auto& all = languages::builtin();
  for (const auto& l : all) add_labels(l, false);
  auto add_divisions = [&](const languages::Language& l) {
    for (const auto& [w, rank] : l.structure_words) {
      const std::string f = fold_case(w);
      const bool known = std::any_of(g->structure_words.begin(), g->structure_words.end(),
                                     [&](const auto& p) { return p.first == f; });
      if (!known && !labels.count(f)) g->structure_words.emplace_back(f, rank);
    }
  };
  for (const auto* l : primary) add_divisions(*l);
  for (const auto& l : all) {
    add_divisions(l);
    add_unique(g->ordinal_suffixes, l.ordinal_suffixes);
    add_unique(g->number_suffixes, l.number_suffixes);
    add_unique(g->citation_words, l.citation_words);
  }
  std::stable_sort(g->labels.begin(), g->labels.end(),
                   [](const Grammar::Label& a, const Grammar::Label& b) { return a.text.size() > b.text.size(); });
  // Longest first too: "bis" before "b", "quáter" before "quater".
  for (auto* list : {&g->ordinal_suffixes, &g->number_suffixes})
    std::stable_sort(list->begin(), list->end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return g;
}

}  // namespace

const Grammar& Grammar::of(std::string_view language) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<Grammar>, std::less<>> built;
  const languages::Language* one = languages::find(language);
  const std::string key = one ? std::string(language) : std::string();
  std::lock_guard lock(mutex);
  auto it = built.find(key);
  if (it != built.end()) return *it->second;
  std::vector<const languages::Language*> langs;
  if (one) {
    langs.push_back(one);
  } else {
    for (const auto& l : languages::builtin()) langs.push_back(&l);
  }
  return *built.emplace(key, build(langs)).first->second;
}

bool starts_upper(std::string_view s) {
  if (s.empty()) return false;
  if (is_upper(s[0])) return true;
  if (static_cast<unsigned char>(s[0]) < 0xC3 || s.size() < 2) return false;
  const std::string one(s.substr(0, 2));
  return fold_case(one) != one;
}

std::optional<Marker> match(std::string_view line, const Grammar& g) {
  const std::string s = trim(line);
  const std::string folded = fold_case(s);
  const std::size_t from = skip_placeholder(s);
  for (const Grammar::Label& w : g.labels) {
    if (folded.compare(from, w.folded.size(), w.folded) != 0) continue;
    std::size_t i = from + w.text.size();
    const bool sign = !word_byte(w.text, 0);  // "§" needs no space before its number
    if (!sign && word_byte(s, i)) continue;
    const std::size_t num = skip_spaces(s, i);
    if (num == i && !sign && w.text.back() != '.') continue;
    const NumberSpan span = number_end(s, num, w.appendix, g);
    std::size_t end = span.end;
    if (end == num) continue;
    if (w.text == "§§") end = plural_end(s, end, g);
    bool dot = false;
    if (end < s.size() && s[end] == '.' && (end + 1 == s.size() || s[end + 1] == ' ')) {
      ++end;
      dot = true;
    }
    Marker m;
    m.label = collapse_space(std::string_view(s).substr(from, end - from));
    m.word = s.substr(from, i - from);
    if (!w.appendix) {
      const std::size_t num_end = span.ordinal != std::string_view::npos ? span.ordinal : end;
      m.number = normalize_section_number(std::string_view(s).substr(num, num_end - num));
    }
    m.rest = strip_separator(std::string_view(s).substr(end), dot, m.separated, m.dash);
    m.line = s;
    return m;
  }
  return std::nullopt;
}

std::optional<Marker> match_heading_line(std::string_view line, const Grammar& g) {
  const std::string s = trim(line);
  // "section 5 of the Act ...", "artículo 30 sustituido por ...": running text.
  if (s.empty() || is_lower(s[0]) || (static_cast<unsigned char>(s[0]) >= 0xC3 && !starts_upper(s)))
    return std::nullopt;
  auto m = match(s, g);
  if (!m) return std::nullopt;
  if (heading_like(m->rest, 200, g)) return m;
  // "ARTICULO 14.- Será reprimido ...": a separator, then a sentence.
  if (m->separated && starts_like_heading(m->rest) && !continues_citation(m->rest, g)) return m;
  return std::nullopt;
}

bool rest_is_body(const Marker& m, bool heading) {
  if (m.rest.empty()) return false;
  const std::size_t words = word_count(m.rest);
  if (m.dash) return words >= 4;
  if (heading) return m.rest.size() > 250;
  const char last = m.rest.back();
  return m.separated && words >= 4 && (last == '.' || last == ':' || last == ';' || words > 15);
}

std::optional<Marker> match_bare_number(std::string_view line) {
  const std::string s = trim(line);
  std::size_t i = 0;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == 0 || i > 4 || i + 1 >= s.size() || s[i] != '.' || s[i + 1] != ' ') return std::nullopt;
  std::string rest = trim(std::string_view(s).substr(i + 1));
  if (rest.empty() || !heading_like(rest, 80, Grammar::of(""))) return std::nullopt;
  const char last = rest.back();
  if (last == '.' || last == ':') return std::nullopt;  // a sentence, not a title
  Marker m;
  m.label = s.substr(0, i + 1);
  m.rest = rest;
  return m;
}

namespace {

// The token after a division word: "3", "II", "Ier", "1er", "A", "Α΄", "PRVNÍ" (a word in
// capitals).
bool division_number(std::string_view t) {
  if (t.empty()) return false;
  if (is_digit(t[0])) return true;
  std::size_t i = 0;
  while (i < t.size() && is_roman(t[i])) ++i;
  if (i > 0 && (i == t.size() || t.substr(i) == "er" || t.substr(i) == "re" || t.substr(i) == "." ||
                t.substr(i) == ":"))
    return true;
  if (t.size() == 1 && is_upper(t[0])) return true;
  // Greek numerals carry a keraia: "Α΄", "ΙΒ΄".
  if (t.find("\xCE\x84") != std::string_view::npos || t.find("\xCA\xB9") != std::string_view::npos ||
      t.find('\'') != std::string_view::npos || t.find("\xE2\x80\x99") != std::string_view::npos)
    return starts_upper(t);
  // An ordinal spelt out in capitals: "ČÁST PRVNÍ", "TITULO PRIMERO".
  return fold_case(t) != t && t.size() >= 3 && std::none_of(t.begin(), t.end(), [](char c) { return is_lower(c); });
}

// "1.", "2¹.": a number as the first word of "1. peatükk".
bool numbered_word(std::string_view w) {
  if (w.size() < 2 || w.back() != '.' || !is_digit(w[0])) return false;
  for (std::size_t i = 0; i + 1 < w.size();) {
    if (is_digit(w[i])) ++i;
    else if (const std::size_t n = superscript_digit(w, i)) i += n;
    else return false;
  }
  return true;
}

}  // namespace

int structure_rank(std::string_view line, const Grammar& g) {
  const std::string s = trim(line);
  if (s.empty() || s.size() > 150 || is_lower(s[0])) return 0;
  const auto raw = split(collapse_space(s), ' ');
  if (raw.size() < 2) return 0;
  std::vector<std::string> words;
  for (const auto& w : raw) words.push_back(fold_case(w));
  const char last = s.back();
  for (const auto& [kind, rank] : g.structure_words) {
    // "Chapter 3", "PART II", "Chapitre Ier : ...", "Partie législative" (keyword first) or
    // "Erster Abschnitt", "1. peatükk" (ordinal first).
    if (words[0] == kind || words[0] == kind + ":") {
      if (division_number(raw[1])) return rank;
      if (raw.size() <= 3 && last != '.' && last != ',' && last != ';' && !is_digit(last)) return rank;
    }
    const std::string& w0 = words[0];
    const bool ordinal = (w0.size() > 3 && (w0.ends_with("er") || w0.ends_with("es") ||
                                            w0.ends_with("te") || w0.back() == '.')) ||
                         numbered_word(raw[0]);
    if (words[1] == kind && ordinal) return rank;
  }
  return 0;
}

bool title_like(std::string_view line) {
  const std::string t = trim(line);
  if (t.empty() || t.size() > 150 || word_count(t) > 15 || !starts_upper(t) || opens_item(t)) return false;
  const char last = t.back();
  return last != '.' && last != ':' && last != ';' && last != ',';
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

bool note_marker(std::string_view text, const Grammar& g) {
  return starts_with_any(fold_case(trim(text)), g.note_markers);
}

std::vector<std::string> take_trailing_notes(std::string& text, const Grammar& g) {
  std::vector<std::string> notes;
  for (;;) {
    const std::string t = trim(text);
    if (t.size() < 3 || (t.back() != ']' && t.back() != ')')) break;
    const char open = t.back() == ']' ? '[' : '(';
    // The bracket that opens the last group, nesting counted.
    int depth = 0;
    std::size_t at = std::string::npos;
    for (std::size_t i = t.size(); i-- > 0;) {
      if (t[i] == t.back()) ++depth;
      else if (t[i] == open && --depth == 0) {
        at = i;
        break;
      }
    }
    if (at == std::string::npos || at == 0) break;  // the whole text: a note paragraph, not a tail
    const std::string group = t.substr(at);
    if (!note_marker(group, g) && !note_marker(group.substr(1), g)) break;
    notes.insert(notes.begin(), group);
    text = trim(std::string_view(t).substr(0, at));
  }
  return notes;
}

namespace {

// A section number as integers for "does it continue the numbering": "L3421-5" -> [3421, 5],
// "15¹" -> [15, 1], "7bis" -> [7, 2], "33a" -> [33, 1]; the letters before the first digit
// apart ("l").
struct NumberKey {
  std::string prefix;
  std::vector<long> parts;
};

NumberKey key_of(std::string_view n) {
  static constexpr std::array<std::string_view, 10> latin = {
      "bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "nonies", "decies", "quáter"};
  NumberKey k;
  std::size_t i = 0;
  while (i < n.size() && !is_digit(n[i])) k.prefix += n[i++];
  while (i < n.size()) {
    if (is_digit(n[i])) {
      long v = 0;
      while (i < n.size() && is_digit(n[i]) && v < 1'000'000) v = v * 10 + (n[i++] - '0');
      k.parts.push_back(v);
    } else if (const std::size_t len = superscript_digit(n, i)) {
      const auto c = static_cast<unsigned char>(n[i + len - 1]);
      const long v = len == 2 ? (c == 0xB9 ? 1 : c - 0xB0) : c - 0xB0;
      k.parts.push_back(v);
      i += len;
    } else if (is_lower(n[i])) {
      std::size_t e = i;
      while (e < n.size() && (is_lower(n[e]) || static_cast<unsigned char>(n[e]) >= 0xC3)) ++e;
      const std::string_view w = n.substr(i, e - i);
      long v = w.size() == 1 ? w[0] - 'a' + 1 : 0;
      for (std::size_t j = 0; j < latin.size(); ++j)
        if (w == latin[j]) v = j == 9 ? 4 : static_cast<long>(j) + 2;
      k.parts.push_back(v);
      i = e;
    } else {
      ++i;
    }
  }
  return k;
}

// True when `next` may follow `last` in one numbering: the next number at some level with
// the levels after it starting afresh (4 -> 5, 4 -> 4-1, 4 -> 4bis, L3421-5 -> L3422-1).
bool continues_numbering(std::string_view last, std::string_view next) {
  const NumberKey a = key_of(last), b = key_of(next);
  if (a.parts.empty() || b.parts.empty() || a.prefix != b.prefix) return true;  // cannot tell
  std::size_t i = 0;
  while (i < a.parts.size() && i < b.parts.size() && a.parts[i] == b.parts[i]) ++i;
  if (i == b.parts.size()) return false;  // the same number, or a shorter one
  if (i == a.parts.size()) return true;   // 4 -> 4-1, 4 -> 4bis
  if (b.parts[i] != a.parts[i] + 1) return false;
  for (std::size_t j = i + 1; j < b.parts.size(); ++j)
    if (b.parts[j] > 1) return false;
  return true;
}

bool closes_with_colon(std::string_view text) {
  const std::string t = trim(text);
  return !t.empty() && t.back() == ':';
}

}  // namespace

void SectionBuilder::section(const Marker& m, int level, std::string_view form) {
  const std::string number = m.number.empty() ? normalize_section_number(m.label) : m.number;
  if (current_ && (colon_ || quoting_)) {
    const bool own_form = !quoted_form_.empty() && form == form_ && form != quoted_form_;
    if (!continues_numbering(current_->number, number) && !own_form) {
      if (!quoting_) quoted_form_ = std::string(form);
      quoting_ = true;
      paragraph(m.line.empty() ? m.label + (m.rest.empty() ? "" : " " + m.rest) : m.line);
      return;
    }
  }
  close();
  if (level > 0)
    while (!path_.empty() && path_.back().first >= level) path_.pop_back();
  ParsedSection s;
  s.label = collapse_space(m.label);
  s.number = number;
  s.heading = collapse_space(m.rest);
  for (auto& [lvl, title] : path_) s.path.push_back(title);
  current_ = std::move(s);
  form_ = std::string(form);
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
  colon_ = closes_with_colon(t);
}

void SectionBuilder::continue_paragraph(std::string_view text) {
  if (current_ && current_->text.empty() && !current_->heading.empty()) {
    // "Art. 10. — Será reprimido con" / "reclusión o prisión ...": the label's rest was
    // the start of the first sentence, not a title.
    current_->text = std::exchange(current_->heading, std::string());
  }
  if (!current_ || current_->text.empty()) return paragraph(text);
  const char last = current_->text.back();
  if (last == '.' || last == ':' || last == ';') return paragraph(text);
  const std::string t = collapse_space(text);
  if (t.empty()) return;
  current_->text += ' ';
  current_->text += t;
  colon_ = closes_with_colon(t);
}

void SectionBuilder::note(std::string text) {
  if (current_ && !text.empty()) current_->notes.push_back(std::move(text));
}

bool SectionBuilder::awaiting_title() const {
  return current_ && current_->heading.empty() && current_->text.empty() && !quoting_;
}

void SectionBuilder::set_heading(std::string heading) {
  if (current_) current_->heading = collapse_space(heading);
}

// Publishers keep repealed units as a number with a bare marker: "§ 25 (weggefallen)",
// "Article 5 (abrogé)", "§ 283. –", or only a note "(Artículo derogado por ...)".
bool SectionBuilder::repealed(const ParsedSection& s) const {
  auto marked = [&](std::string_view text) {
    const std::string t = fold_case(trim(text));
    if (t.empty()) return false;
    for (const std::string& m : grammar_->repealed_markers) {
      if (t == m) return true;
      const bool bracketed = m[0] == '(' || m[0] == '[';
      if (bracketed && t.size() < 300 && t.starts_with(m)) return true;
    }
    return false;
  };
  if (marked(s.heading) || marked(s.text)) return true;
  if (!s.text.empty()) return false;
  return std::any_of(s.notes.begin(), s.notes.end(), marked);
}

void SectionBuilder::close() {
  colon_ = false;
  quoting_ = false;
  quoted_form_.clear();
  if (!current_) return;
  if (repealed(*current_)) current_->in_force = InForce::repealed;
  done_.push_back(std::move(*current_));
  current_.reset();
}

std::vector<ParsedSection> SectionBuilder::finish() {
  close();
  // A table of contents: the same number again, once without text and once with it.
  std::map<std::string, int> with_text;
  for (const auto& s : done_)
    if (!s.text.empty()) ++with_text[s.number];
  std::vector<ParsedSection> out;
  for (auto& s : done_)
    if (!s.text.empty() || !with_text.count(s.number)) out.push_back(std::move(s));
  done_.clear();
  return out;
}

}  // namespace hrtrack::corpus::numbered
