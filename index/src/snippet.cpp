#include "snippet.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>

#include "language.hpp"

namespace hrtrack::index {
namespace {

// Looked for inside compounds only from this length on, as the indexer does: shorter stems
// are found inside too many unrelated words.
constexpr std::size_t kMinCompoundPart = 5;
// A compound part followed by this many letters or fewer ends the word: the letters are its
// inflection ("Einmal<mark>spritzen</mark>", not "Einmal<mark>spritz</mark>en").
constexpr int kInflection = 3;
// A window with this many different query words (or all of them) ends the search.
constexpr int kEnoughTerms = 4;

// The letters the language's Snowball stemmer writes without their accents, so a stem can be
// found in the word it came from: German drops the umlauts and writes ß as ss, Dutch drops
// umlauts and acute accents.
std::string_view folded(unsigned ch, std::string_view lang) {
  if (lang == "de") {
    switch (ch) {
      case 0xE4: return "a";
      case 0xF6: return "o";
      case 0xFC: return "u";
      case 0xDF: return "ss";
      default: return {};
    }
  }
  if (lang == "nl") {
    switch (ch) {
      case 0xE4: case 0xE1: return "a";
      case 0xEB: case 0xE9: return "e";
      case 0xEF: case 0xED: return "i";
      case 0xF6: case 0xF3: return "o";
      case 0xFC: case 0xFA: return "u";
      default: return {};
    }
  }
  return {};
}

unsigned char ascii_lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c + 32) : c; }

// Lower case without accents, for the quick test of whether a word could stem to a query
// word: stemmers change suffixes, and some drop accents (German, Dutch, Spanish), never the
// first letters otherwise.
unsigned base_letter(unsigned ch) {
  ch = ch < 0x80 ? ascii_lower(static_cast<unsigned char>(ch)) : Xapian::Unicode::tolower(ch);
  if (ch < 0xDF || ch > 0xFF) return ch;
  static constexpr char kBase[] = "saaaaaaaceeeeiiiidnooooo/ouuuuyty";  // U+00DF..U+00FF
  return static_cast<unsigned char>(kBase[ch - 0xDF]);
}

// The first two letters of a word, as base_letter() writes them.
std::uint64_t start_of(std::string_view word) {
  // Most words start with two ASCII letters: no decoding then.
  if (!word.empty() && static_cast<unsigned char>(word[0]) < 0x80) {
    const std::uint64_t first = ascii_lower(static_cast<unsigned char>(word[0]));
    if (word.size() == 1) return first << 32;
    if (static_cast<unsigned char>(word[1]) < 0x80) return first << 32 | ascii_lower(static_cast<unsigned char>(word[1]));
  }
  Xapian::Utf8Iterator u(word.data(), word.size()), end;
  if (u == end) return 0;
  const std::uint64_t first = base_letter(*u);
  ++u;
  return first << 32 | (u == end ? 0 : base_letter(*u));
}

// start_of()'s bit in a table of pairs of ASCII letters; past the table when not ASCII.
std::size_t ascii_pair(std::uint64_t start) {
  const std::uint64_t first = start >> 32, second = start & 0xFFFFFFFF;
  return first < 128 && second < 128 ? static_cast<std::size_t>(first * 128 + second) : std::size_t{128 * 128};
}

// Two bytes as one number.
std::size_t byte_pair(unsigned char a, unsigned char b) { return std::size_t{a} << 8 | b; }

// What a byte of the text is: the ASCII letters, digits and '_' are word bytes; a byte from
// 0x80 on starts (or continues) a character that Xapian classifies.
enum ByteClass : unsigned char { kSpace, kWordByte, kNonAscii };
constexpr std::array<ByteClass, 256> kByteClass = [] {
  std::array<ByteClass, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[static_cast<std::size_t>(c)] = c >= 0x80 ? kNonAscii
                                     : (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                                         ? kWordByte
                                         : kSpace;
  return t;
}();

// Xapian's view of the characters up to U+07FF (accented Latin letters, Greek, Cyrillic...),
// read from Xapian once: most non-ASCII characters of a text are among them, and are then
// looked up here, without decoding them through Xapian.
struct TwoByteChars {
  std::array<bool, 0x800> word{};
  std::array<unsigned, 0x800> lower{};
  TwoByteChars() {
    for (unsigned ch = 0; ch < 0x800; ++ch) {
      word[ch] = Xapian::Unicode::is_wordchar(ch);
      lower[ch] = Xapian::Unicode::tolower(ch);
    }
  }
};
const TwoByteChars& two_byte_chars() {
  static const TwoByteChars chars;
  return chars;
}

// The character starting `s` (not empty) as Xapian reads it, and its length in bytes.
unsigned char_at(std::string_view s, std::size_t* length) {
  *length = 1;
  if (s.empty()) return 0;
  if (s.size() >= 2) {
    const auto lead = static_cast<unsigned char>(s[0]), next = static_cast<unsigned char>(s[1]);
    if (lead >= 0xC2 && lead <= 0xDF && (next & 0xC0) == 0x80) {
      *length = 2;
      return (lead & 0x1Fu) << 6 | (next & 0x3Fu);
    }
  }
  Xapian::Utf8Iterator u(s.data(), s.size());
  const unsigned ch = *u;
  *length = s.size() - (++u).left();
  return ch;
}

bool is_word_char(unsigned ch) { return ch < 0x800 ? two_byte_chars().word[ch] : Xapian::Unicode::is_wordchar(ch); }
unsigned lower_char(unsigned ch) { return ch < 0x800 ? two_byte_chars().lower[ch] : Xapian::Unicode::tolower(ch); }

// Each run of white space as one space.
void append_text(std::string& out, std::string_view s) {
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
}

struct Found {
  std::size_t begin, end;  // bytes in the text
  int term;
};

}  // namespace

SnippetMaker::SnippetMaker(const Xapian::Query& query) {
  for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
    const std::string& term = *t;
    // "Z" + stem; "ZXH..." and the boolean terms carry a prefix in capitals.
    if (term.size() < 2 || term[0] != 'Z' || (term[1] >= 'A' && term[1] <= 'Z')) continue;
    if (!stem_index_.emplace(term.substr(1), static_cast<int>(stems_.size())).second) continue;
    stems_.push_back(term.substr(1));
    const std::uint64_t start = start_of(stems_.back());
    if (const auto bit = ascii_pair(start); bit < ascii_starts_.size()) ascii_starts_.set(bit);
    else starts_.insert(start);
    if (stems_.back().size() >= kMinCompoundPart) {
      parts_.push_back(static_cast<int>(stems_.size()) - 1);
      if (part_starts_.empty()) part_starts_.resize((1 << 16) / 64);
      const std::size_t pair = byte_pair(static_cast<unsigned char>(stems_.back()[0]), static_cast<unsigned char>(stems_.back()[1]));
      part_starts_[pair / 64] |= std::uint64_t{1} << pair % 64;
    }
  }
  std::stable_sort(parts_.begin(), parts_.end(), [&](int a, int b) {
    return stems_[static_cast<std::size_t>(a)].size() > stems_[static_cast<std::size_t>(b)].size();
  });
  for (std::size_t rank = 0; rank < parts_.size(); ++rank) {
    const auto& s = stems_[static_cast<std::size_t>(parts_[rank])];
    parts_by_start_.emplace_back(byte_pair(static_cast<unsigned char>(s[0]), static_cast<unsigned char>(s[1])), rank);
  }
  std::sort(parts_by_start_.begin(), parts_by_start_.end());
}

bool SnippetMaker::may_start_part(unsigned char a, unsigned char b) const {
  const std::size_t pair = byte_pair(a, b);
  return (part_starts_[pair / 64] >> pair % 64 & 1) != 0;
}

bool SnippetMaker::may_hold_part(std::string_view ascii_word) const {
  for (std::size_t at = 0; at + kMinCompoundPart <= ascii_word.size(); ++at)
    if (may_start_part(ascii_lower(static_cast<unsigned char>(ascii_word[at])),
                       ascii_lower(static_cast<unsigned char>(ascii_word[at + 1]))))
      return true;
  return false;
}

bool SnippetMaker::may_stem_to_query_word(std::uint64_t start) const {
  auto known = [&](std::uint64_t s) {
    const auto bit = ascii_pair(s);
    return bit < ascii_starts_.size() ? ascii_starts_.test(bit) : starts_.count(s) > 0;
  };
  // A one-letter stem (no second letter) stands for every word starting with its letter.
  return known(start) || known(start & ~std::uint64_t{0xFFFFFFFF});
}

SnippetMaker::Language& SnippetMaker::language(const std::string& lang) {
  auto it = languages_.find(lang);
  if (it != languages_.end()) return it->second;
  return languages_.emplace(lang, Language{lang, stemmer_for(lang), compounds(lang), {}}).first->second;
}

SnippetMaker::WordMatch SnippetMaker::match(const Language& lang, std::string_view word, bool ascii) {
  std::string lower(word);
  if (!ascii) lower = Xapian::Unicode::tolower(lower);
  else
    for (char& c : lower) c = static_cast<char>(ascii_lower(static_cast<unsigned char>(c)));
  const std::string stem = lang.stemmer(lower);
  if (auto it = stem_index_.find(stem); it != stem_index_.end()) return {it->second, 0, word.size()};
  return compound_part(lang, word, ascii);
}

SnippetMaker::WordMatch SnippetMaker::compound_part(const Language& lang, std::string_view word, bool ascii) {
  if (!lang.compounds || parts_.empty() || word.size() <= kMinCompoundPart) return {};
  // The word lower-cased and folded as its stemmer would, with where each byte came from;
  // an ASCII word is not copied: it is lower-cased byte by byte as it is read.
  if (!ascii) {
    fold_.clear();
    from_.clear();
    for (std::size_t at = 0; at < word.size();) {
      if (const auto c = static_cast<unsigned char>(word[at]); c < 0x80) {
        fold_ += static_cast<char>(ascii_lower(c));
        from_.push_back(at++);
        continue;
      }
      std::size_t length = 0;
      const unsigned ch = lower_char(char_at(word.substr(at), &length));
      const std::size_t size = fold_.size();
      if (const std::string_view f = folded(ch, lang.iso); !f.empty()) fold_ += f;
      else Xapian::Unicode::append_utf8(fold_, ch);
      from_.insert(from_.end(), fold_.size() - size, at);
      at += length;
    }
  }
  const std::size_t size = ascii ? word.size() : fold_.size();
  auto byte = [&](std::size_t i) {
    return ascii ? ascii_lower(static_cast<unsigned char>(word[i])) : static_cast<unsigned char>(fold_[i]);
  };
  // The longest part (the first of parts_ among equally long ones), where it first occurs.
  std::size_t best = parts_.size(), best_at = 0;
  for (std::size_t at = 0; at + kMinCompoundPart <= size; ++at) {
    if (!may_start_part(byte(at), byte(at + 1))) continue;
    // The parts starting with these two bytes, best first.
    const std::size_t pair = byte_pair(byte(at), byte(at + 1));
    for (auto p = std::lower_bound(parts_by_start_.begin(), parts_by_start_.end(), std::pair{pair, std::size_t{0}});
         p != parts_by_start_.end() && p->first == pair && p->second < best; ++p) {
      const auto& s = stems_[static_cast<std::size_t>(parts_[p->second])];
      if (s.size() >= size || at + s.size() > size) continue;
      std::size_t same = 2;
      while (same < s.size() && byte(at + same) == static_cast<unsigned char>(s[same])) ++same;
      if (same < s.size()) continue;
      best = p->second;
      best_at = at;
    }
  }
  if (best == parts_.size()) return {};
  auto from = [&](std::size_t i) { return ascii ? i : i < from_.size() ? from_[i] : word.size(); };
  WordMatch part{parts_[best], from(best_at), from(best_at + stems_[static_cast<std::size_t>(parts_[best])].size())};
  // Followed by an inflection only: the word's end is the part's.
  int rest = 0;
  if (ascii) rest = static_cast<int>(std::min<std::size_t>(word.size() - part.end, kInflection + 1));
  else
    for (Xapian::Utf8Iterator u(word.data() + part.end, word.size() - part.end); u != Xapian::Utf8Iterator() && rest <= kInflection; ++u) ++rest;
  if (rest <= kInflection) part.end = word.size();
  return part;
}

SnippetMaker::Snippet SnippetMaker::make(const std::string& text, const std::string& lang, std::size_t length) {
  std::vector<Found> found;
  // The best window so far: found[first..last], and how many different words it holds.
  std::size_t first = 0, last = 0, lo = 0;
  int best_distinct = 0, best_score = 0, distinct = 0;
  std::vector<int> count(stems_.size());
  const int enough = std::min(static_cast<int>(stems_.size()), kEnoughTerms);
  std::size_t stop_at = std::string::npos;  // once enough is found, read to the window's end
  if (!stems_.empty()) {
    auto& language = this->language(lang);
    const bool look_for_parts = language.compounds && !parts_.empty();
    const std::size_t scan = std::min(text.size(), kScanBytes);
    const std::string_view all(text.data(), scan);
    // Words as runs of letters and digits: ASCII looked at byte by byte, the rest as Unicode
    // characters.
    auto word_char_at = [&](std::size_t at, std::size_t* next) {
      const ByteClass c = kByteClass[static_cast<unsigned char>(all[at])];
      if (c != kNonAscii) {
        *next = at + 1;
        return c == kWordByte;
      }
      std::size_t length = 0;
      const bool word = is_word_char(char_at(all.substr(at), &length));
      *next = at + length;
      return word;
    };
    for (std::size_t at = 0, next = 0; at < scan;) {
      if (!word_char_at(at, &next)) {
        at = next;
        continue;
      }
      const std::size_t begin = at;
      if (begin >= stop_at) break;
      // ASCII word bytes in a tight loop, the other characters one by one.
      bool ascii = true;
      for (;;) {
        while (at < scan && kByteClass[static_cast<unsigned char>(all[at])] == kWordByte) ++at;
        if (at == scan || kByteClass[static_cast<unsigned char>(all[at])] == kSpace) break;
        ascii = false;
        if (!word_char_at(at, &next)) break;
        at = next;
      }
      const std::string_view word = all.substr(begin, at - begin);
      // Most words cannot be a query word: only those that start like one are stemmed (and
      // kept), the others are only looked into for compound parts.
      WordMatch m;
      if (may_stem_to_query_word(start_of(word))) {
        auto seen = language.seen.find(word);
        if (seen == language.seen.end())
          seen = language.seen.emplace(std::string(word), match(language, word, ascii)).first;
        m = seen->second;
      } else if (look_for_parts && (!ascii || may_hold_part(word))) {
        m = compound_part(language, word, ascii);
      }
      if (m.term < 0) continue;
      found.push_back({begin + m.begin, begin + m.end, m.term});
      if (count[static_cast<std::size_t>(m.term)]++ == 0) ++distinct;
      while (lo + 1 < found.size() && found.back().end - found[lo].begin > length) {
        if (--count[static_cast<std::size_t>(found[lo].term)] == 0) --distinct;
        ++lo;
      }
      const int score = distinct * 1024 + static_cast<int>(std::min<std::size_t>(found.size() - lo, 1023));
      if (score > best_score) {
        best_score = score;
        best_distinct = distinct;
        first = lo;
        last = found.size() - 1;
      }
      if (best_distinct >= enough && stop_at == std::string::npos) stop_at = found[first].begin + length;
    }
  }

  std::size_t start = 0, stop = std::min(text.size(), length);
  if (!found.empty()) {
    const std::size_t span_begin = found[first].begin, span_end = found[last].end;
    const std::size_t slack = length > span_end - span_begin ? length - (span_end - span_begin) : 0;
    start = span_begin - std::min(span_begin, slack / 3);
    stop = std::max(span_end, std::min(text.size(), start + length));
    if (start > 0) {
      const auto space = text.find_first_of(" \n\t\r", start);
      start = space < span_begin ? space + 1 : span_begin;
    }
    if (stop < text.size()) {
      const auto space = text.find_last_of(" \n\t\r", stop);
      if (space != std::string::npos && space >= span_end) stop = space;
    }
  } else if (stop < text.size()) {
    const auto space = text.find_last_of(" \n\t\r", stop);
    if (space != std::string::npos && space > 0) stop = space;
  }
  while (stop < text.size() && (static_cast<unsigned char>(text[stop]) & 0xC0) == 0x80) ++stop;

  Snippet out;
  out.text = start > 0 ? "…" : "";
  std::size_t at = start;
  for (const auto& f : found) {
    if (f.begin < at || f.end > stop) continue;
    append_text(out.text, std::string_view(text).substr(at, f.begin - at));
    const std::size_t from = out.text.size();
    append_text(out.text, std::string_view(text).substr(f.begin, f.end - f.begin));
    out.marks.push_back({from, out.text.size() - from});
    at = f.end;
  }
  append_text(out.text, std::string_view(text).substr(at, stop - at));
  while (!out.text.empty() && out.text.back() == ' ') out.text.pop_back();
  if (stop < text.size()) out.text += "…";
  return out;
}

}  // namespace hrtrack::index
