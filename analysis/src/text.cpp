#include "text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <utility>

#include "hrtrack/base/hash.hpp"

namespace hrtrack::analysis::text {
namespace {

constexpr std::size_t kMaxGap = 12;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// A UTF-8 lead or continuation byte counts as part of a word: every letter outside ASCII
// (ä, é, ø, ß) must stay inside its word.
bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

// A capital letter's small letter, for the scripts the corpus's languages are written in
// (Latin-1, Latin Extended-A, Greek, Cyrillic); anything else as it is. Stemmer-less
// languages (Czech, Estonian, Greek) must still match their patterns case-insensitively.
char32_t fold_case(char32_t c) {
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
  if (c >= 0x100 && c <= 0x17F) {
    // Pairs: capital even, small odd, except 0x139..0x148 and 0x179..0x17E (capital odd).
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c & 1) ? c + 1 : c;
    if (c == 0x178) return 0xFF;
    if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F) return c;
    return (c & 1) ? c : c + 1;
  }
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 0x20;
  if (c == 0x386) return 0x3AC;
  if (c >= 0x388 && c <= 0x38A) return c + 0x25;
  if (c == 0x38C) return 0x3CC;
  if (c == 0x38E || c == 0x38F) return c + 0x3F;
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  return c;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += char(c);
  } else if (c < 0x800) {
    out += char(0xC0 | (c >> 6));
    out += char(0x80 | (c & 0x3F));
  } else {
    out += char(0xE0 | (c >> 12));
    out += char(0x80 | ((c >> 6) & 0x3F));
    out += char(0x80 | (c & 0x3F));
  }
}

// True when the two bytes at s[i] are a capital letter of a two-byte script.
bool is_two_byte_capital(std::string_view s, std::size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0xC3 || c > 0xDF || i + 1 >= s.size()) return false;
  const unsigned char n = static_cast<unsigned char>(s[i + 1]);
  const auto cp = static_cast<char32_t>(((c & 0x1F) << 6) | (n & 0x3F));
  return fold_case(cp) != cp;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Words that end with a full stop without ending a sentence.
bool is_abbreviation(std::string_view word) {
  static constexpr std::string_view kKnown[] = {
      "abs", "art", "nr", "ss", "sec", "ch", "cf", "vgl", "bzw", "etc", "ziff", "lit", "gem",
      "no", "para", "subs", "inc", "ltd", "co", "dr", "mr", "st", "ca", "bgbl", "evtl", "sog",
      "resp", "par", "al", "arts", "seq", "pp", "vol", "u", "s", "z", "b", "d", "h", "i", "e"};
  if (word.size() <= 1) return true;
  bool digits = true;
  for (char c : word) digits = digits && (c >= '0' && c <= '9');
  if (digits) return true;
  std::string lower;
  for (char c : word) lower += (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
  for (auto k : kKnown)
    if (lower == k) return true;
  return false;
}

std::string_view word_before(std::string_view text, std::size_t dot) {
  std::size_t b = dot;
  while (b > 0 && is_word_byte(static_cast<unsigned char>(text[b - 1]))) --b;
  return text.substr(b, dot - b);
}

// A full stop followed by a space and a capital (or an opening bracket) ends a sentence.
bool ends_sentence_at(std::string_view line, std::size_t i) {
  const char c = line[i];
  if (c != '.' && c != '!' && c != '?') return false;
  if (i + 2 >= line.size() || line[i + 1] != ' ') return false;
  const unsigned char next = static_cast<unsigned char>(line[i + 2]);
  const bool capital = (next >= 'A' && next <= 'Z') || next == 0xC3 || is_two_byte_capital(line, i + 2) || next == '(' || next == '"';
  return capital && (c != '.' || !is_abbreviation(word_before(line, i)));
}

bool line_closes_sentence(std::string_view line) {
  line = trim(line);
  if (line.empty()) return true;
  const char last = line.back();
  return last == '.' || last == '!' || last == '?';
}

// "(2)" or "(3.1)" at the start of a line: a new subsection always starts a new sentence.
bool opens_subsection(std::string_view line) {
  line = trim(line);
  return line.size() >= 3 && line[0] == '(' && line[1] >= '0' && line[1] <= '9';
}

// Skips "(1)", "(a)", "1.", "a)", "§ 3" style labels at the start of a sentence.
std::size_t skip_label(std::string_view text, std::size_t b, std::size_t e) {
  for (int round = 0; round < 3; ++round) {
    while (b < e && is_space(text[b])) ++b;
    std::size_t p = b;
    if (p < e && text[p] == '(') {
      std::size_t close = text.find(')', p);
      if (close != std::string_view::npos && close < e && close - p <= 6) { b = close + 1; continue; }
      return b;
    }
    std::size_t q = p;
    while (q < e && q - p < 4 && is_word_byte(static_cast<unsigned char>(text[q])) &&
           static_cast<unsigned char>(text[q]) < 0x80)
      ++q;
    if (q > p && q < e && (text[q] == '.' || text[q] == ')') && q + 1 < e && text[q + 1] == ' ' &&
        (q - p <= 2 || std::string_view(text.substr(p, q - p)).find_first_not_of("0123456789") ==
                           std::string_view::npos)) {
      b = q + 1;
      continue;
    }
    return b;
  }
  return b;
}

// Trims [b, e) to a span (labels and white space off); false when nothing is left.
bool trim_span(std::string_view text, std::size_t& b, std::size_t& e) {
  b = skip_label(text, b, e);
  while (e > b && is_space(text[e - 1])) --e;
  return e > b;
}

// The enumeration in sentence [b, e): the end of its lead-in (a colon followed by a line
// break) and the ends of its items (semicolons followed by white space). Empty when the
// sentence is not a lead-in with items separated by semicolons.
std::vector<std::size_t> enumeration(std::string_view text, std::size_t b, std::size_t e) {
  std::size_t colon = std::string_view::npos;
  for (std::size_t i = b; i < e && colon == std::string_view::npos; ++i) {
    if (text[i] != ':') continue;
    std::size_t j = i + 1;
    while (j < e && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r')) ++j;
    if (j < e && text[j] == '\n') colon = i;
  }
  if (colon == std::string_view::npos) return {};
  std::vector<std::size_t> cuts{colon + 1};
  for (std::size_t i = colon + 1; i + 1 < e; ++i)
    if (text[i] == ';' && is_space(text[i + 1])) cuts.push_back(i + 1);
  if (cuts.size() < 2) return {};
  cuts.push_back(e);
  return cuts;
}

void push_span(std::vector<Span>& out, std::string_view text, std::size_t b, std::size_t e) {
  if (!trim_span(text, b, e)) return;
  out.push_back({b, e});
  const auto cuts = enumeration(text, b, e);
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    std::size_t ib = cuts[k], ie = cuts[k + 1];
    if (trim_span(text, ib, ie)) out.push_back({ib, ie, b, cuts.front()});
  }
}

}  // namespace

std::vector<Span> sentences(std::string_view text) {
  std::vector<Span> out;
  std::size_t start = 0, pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    const std::size_t line_end = nl == std::string_view::npos ? text.size() : nl;
    const std::string_view line = text.substr(pos, line_end - pos);
    if (opens_subsection(line) && start < pos) {
      push_span(out, text, start, pos);
      start = pos;
    }
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (!ends_sentence_at(line, i)) continue;
      push_span(out, text, start, pos + i + 1);
      start = pos + i + 2;
    }
    if (line_closes_sentence(line) || nl == std::string_view::npos) {
      push_span(out, text, start, line_end);
      start = line_end + 1;
    }
    pos = line_end + 1;
  }
  if (start < text.size()) push_span(out, text, start, text.size());
  return out;
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xAD) {
      ++i;  // soft hyphen: invisible, inside a word
      continue;
    }
    if (!is_word_byte(c)) {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
      continue;
    }
    if (c >= 'A' && c <= 'Z') {
      cur += char(c + 32);
    } else if (c >= 0xC2 && c <= 0xDF && i + 1 < s.size() && (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80) {
      // Two-byte letters (Latin-1, Latin Extended-A, Greek, Cyrillic) fold to small letters.
      const unsigned char n = static_cast<unsigned char>(s[i + 1]);
      append_utf8(cur, fold_case(static_cast<char32_t>(((c & 0x1F) << 6) | (n & 0x3F))));
      ++i;
    } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80) {
      // General punctuation (dashes, quotes, ellipsis) separates words.
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
      i += 2;
    } else {
      cur += char(c);
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

Pattern Pattern::compile(std::string_view source) {
  Pattern p;
  p.source_ = std::string(source);
  std::size_t i = 0;
  while (i < source.size()) {
    while (i < source.size() && source[i] == ' ') ++i;
    std::size_t j = source.find(' ', i);
    if (j == std::string_view::npos) j = source.size();
    const std::string_view raw = source.substr(i, j - i);
    i = j;
    if (raw.empty()) continue;
    if (raw == "...") {
      p.tokens_.push_back({true, {}});
      continue;
    }
    // One written token may fold into several words ("drug-checking"): the first
    // alternative decides the split; alternatives are kept for single-word tokens.
    std::vector<std::string_view> alts;
    std::size_t a = 0;
    while (a <= raw.size()) {
      std::size_t bar = raw.find('|', a);
      if (bar == std::string_view::npos) bar = raw.size();
      alts.push_back(raw.substr(a, bar - a));
      a = bar + 1;
    }
    const auto first = words(alts.front());
    if (alts.size() == 1 && first.size() > 1) {
      const bool lead = raw.front() == '*', tail = raw.back() == '*';
      for (std::size_t k = 0; k < first.size(); ++k) {
        Alternative alt{Alternative::Kind::exact, first[k]};
        if (k == 0 && lead) alt.kind = Alternative::Kind::suffix;
        if (k + 1 == first.size() && tail) alt.kind = Alternative::Kind::prefix;
        p.tokens_.push_back({false, {alt}});
      }
      continue;
    }
    Token token;
    for (auto alt_raw : alts) {
      const bool lead = !alt_raw.empty() && alt_raw.front() == '*';
      const bool tail = alt_raw.size() > 1 && alt_raw.back() == '*';
      const auto w = words(alt_raw);
      if (w.empty()) continue;
      Alternative alt{Alternative::Kind::exact, w.front()};
      if (lead && tail) alt.kind = Alternative::Kind::infix;
      else if (lead) alt.kind = Alternative::Kind::suffix;
      else if (tail) alt.kind = Alternative::Kind::prefix;
      token.alternatives.push_back(std::move(alt));
    }
    if (!token.alternatives.empty()) p.tokens_.push_back(std::move(token));
  }
  while (!p.tokens_.empty() && p.tokens_.back().gap) p.tokens_.pop_back();
  while (!p.tokens_.empty() && p.tokens_.front().gap) p.tokens_.erase(p.tokens_.begin());
  if (!p.tokens_.empty()) {
    const auto& alts = p.tokens_.front().alternatives;
    p.any_first_byte_ = std::any_of(alts.begin(), alts.end(), [](const Alternative& a) {
      return a.text.empty() || a.kind == Alternative::Kind::suffix || a.kind == Alternative::Kind::infix;
    });
    for (const auto& a : alts)
      if (!a.text.empty()) p.first_bytes_.set(static_cast<unsigned char>(a.text.front()));
  }
  return p;
}

bool Pattern::token_matches(const Token& token, const std::string& word) {
  for (const auto& alt : token.alternatives) {
    const std::string& t = alt.text;
    switch (alt.kind) {
      case Alternative::Kind::exact:
        if (word == t) return true;
        break;
      case Alternative::Kind::prefix:
        if (word.compare(0, t.size(), t) == 0) return true;
        break;
      case Alternative::Kind::suffix:
        if (word.size() >= t.size() && word.compare(word.size() - t.size(), t.size(), t) == 0) return true;
        break;
      case Alternative::Kind::infix:
        if (word.find(t) != std::string::npos) return true;
        break;
    }
  }
  return false;
}

bool Pattern::match_from(const std::vector<std::string>& w, std::size_t wi, std::size_t ti) const {
  if (ti == tokens_.size()) return true;
  const Token& token = tokens_[ti];
  if (token.gap) {
    for (std::size_t skip = 0; skip <= kMaxGap && wi + skip <= w.size(); ++skip)
      if (match_from(w, wi + skip, ti + 1)) return true;
    return false;
  }
  return wi < w.size() && token_matches(token, w[wi]) && match_from(w, wi + 1, ti + 1);
}

bool Pattern::matches(const std::vector<std::string>& w) const {
  if (tokens_.empty()) return false;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (!any_first_byte_ && (w[i].empty() || !first_bytes_[static_cast<unsigned char>(w[i].front())])) continue;
    if (token_matches(tokens_.front(), w[i]) && match_from(w, i + 1, 1)) return true;
  }
  return false;
}

bool any_matches(const std::vector<Pattern>& patterns, const std::vector<std::string>& w) {
  for (const auto& p : patterns)
    if (p.matches(w)) return true;
  return false;
}

namespace {

// One UTF-8 code point at s[i]: its value and length; length 1 and the byte for invalid input.
std::pair<char32_t, std::size_t> code_point(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n <= 1 || i + n > s.size()) return {c, 1};
  char32_t cp = c & (0x7F >> n);
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return {c, 1};
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  return {cp, n};
}

enum class Kind { other, space, dash, hyphen, invisible, apostrophe, quote };

Kind kind_of(char32_t c) {
  switch (c) {
    case U' ': case U'\t': case U'\n': case U'\r': case U'\f': case U'\v': case 0x00A0: case 0x1680:
    case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000: return Kind::space;
    case U'-': case 0x2010: case 0x2011: return Kind::hyphen;
    case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
      return Kind::dash;
    case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF: return Kind::invisible;
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x02BC: case 0x02B9: case 0x0374:
    case 0x0384: case 0x00B4: return Kind::apostrophe;
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x00AB: case 0x00BB: case 0x2039:
    case 0x203A: return Kind::quote;
    default: return c >= 0x2000 && c <= 0x200A ? Kind::space : Kind::other;
  }
}

}  // namespace

std::string quote_form(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;  // a space is owed before the next character kept
  for (std::size_t i = 0; i < s.size();) {
    const auto [c, n] = code_point(s, i);
    const Kind k = kind_of(c);
    const std::size_t start = i;
    i += n;
    if (k == Kind::space) {
      space = true;
      continue;
    }
    if (k == Kind::invisible) continue;
    if (k == Kind::hyphen || k == Kind::dash) {
      // A hyphen right after a word and before a line break: the word goes on on the next line.
      std::size_t j = i;
      bool line_break = false;
      while (j < s.size()) {
        const auto [d, m] = code_point(s, j);
        if (kind_of(d) != Kind::space) break;
        line_break = line_break || d == U'\n' || d == U'\r';
        j += m;
      }
      if (k == Kind::hyphen && line_break && !space && !out.empty()) i = j;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    if (k == Kind::apostrophe) out += '\'';
    else if (k == Kind::quote) out += '"';
    else out.append(s.substr(start, n));
  }
  return out;
}

std::string fingerprint(std::string_view bytes) {
  // Not FNV's offset basis (a digit short): stored answers and reviews hold fingerprints made
  // from this seed, and a new seed would flag every one of them as changed.
  constexpr std::uint64_t kStoredSeed = 1469598103934665603ULL;
  return base::Fnv1a(kStoredSeed).add(bytes).hex();
}

}  // namespace hrtrack::analysis::text
