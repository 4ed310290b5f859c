#include "snippet.hpp"

#include <algorithm>
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

// Lower case without accents, for the quick test of whether a word could stem to a query
// word: stemmers change suffixes, and some drop accents (German, Dutch, Spanish), never the
// first letters otherwise.
unsigned base_letter(unsigned ch) {
  ch = Xapian::Unicode::tolower(ch);
  if (ch < 0xDF || ch > 0xFF) return ch;
  static constexpr char kBase[] = "saaaaaaaceeeeiiiidnooooo/ouuuuyty";  // U+00DF..U+00FF
  return static_cast<unsigned char>(kBase[ch - 0xDF]);
}

// The first two letters of a word, as base_letter() writes them.
std::uint64_t start_of(std::string_view word) {
  Xapian::Utf8Iterator u(word.data(), word.size()), end;
  if (u == end) return 0;
  const std::uint64_t first = base_letter(*u);
  ++u;
  return first << 32 | (u == end ? 0 : base_letter(*u));
}

bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// HTML-escaped, each run of white space as one space.
void append_text(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case ' ': case '\n': case '\t': case '\r':
        if (!out.empty() && out.back() != ' ') out += ' ';
        break;
      default: out += c;
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
    starts_.insert(start_of(stems_.back()));
    if (stems_.back().size() >= kMinCompoundPart) parts_.push_back(static_cast<int>(stems_.size()) - 1);
  }
}

SnippetMaker::Language& SnippetMaker::language(const std::string& lang) {
  auto it = languages_.find(lang);
  if (it != languages_.end()) return it->second;
  return languages_.emplace(lang, Language{lang, stemmer_for(lang), compounds(lang), {}}).first->second;
}

SnippetMaker::WordMatch SnippetMaker::match(const Language& lang, std::string_view word) const {
  // Most words of a text cannot be a query word: only those that start like one are stemmed.
  const std::uint64_t start = start_of(word);
  if (starts_.count(start) || starts_.count(start & ~std::uint64_t{0xFFFFFFFF})) {
    const std::string stem = lang.stemmer(Xapian::Unicode::tolower(std::string(word)));
    if (auto it = stem_index_.find(stem); it != stem_index_.end()) return {it->second, 0, word.size()};
  }
  if (!lang.compounds || parts_.empty() || word.size() <= kMinCompoundPart) return {};
  // The word lower-cased and folded as its stemmer would, with where each byte came from.
  std::string fold;
  std::vector<std::size_t> from;
  for (Xapian::Utf8Iterator u(word.data(), word.size()); u != Xapian::Utf8Iterator(); ++u) {
    const std::size_t at = word.size() - u.left();
    const unsigned ch = Xapian::Unicode::tolower(*u);
    std::string_view f = folded(ch, lang.iso);
    std::string plain;
    if (f.empty()) {
      Xapian::Unicode::append_utf8(plain, ch);
      f = plain;
    }
    fold += f;
    from.insert(from.end(), f.size(), at);
  }
  from.push_back(word.size());
  WordMatch best;
  for (int i : parts_) {
    const auto& s = stems_[static_cast<std::size_t>(i)];
    if (s.size() >= fold.size()) continue;
    if (best.term >= 0 && stems_[static_cast<std::size_t>(best.term)].size() >= s.size()) continue;
    const auto at = fold.find(s);
    if (at == std::string::npos) continue;
    best = {i, from[at], from[at + s.size()]};
  }
  if (best.term >= 0) {
    int rest = 0;
    for (Xapian::Utf8Iterator u(word.data() + best.end, word.size() - best.end); u != Xapian::Utf8Iterator(); ++u) ++rest;
    if (rest <= kInflection) best.end = word.size();
  }
  return best;
}

std::string SnippetMaker::make(const std::string& text, const std::string& lang, std::size_t length) {
  std::vector<Found> found;
  // The best window so far: found[first..last], and how many different words it holds.
  std::size_t first = 0, last = 0, lo = 0;
  int best_distinct = 0, best_score = 0, distinct = 0;
  std::vector<int> count(stems_.size());
  const int enough = std::min(static_cast<int>(stems_.size()), kEnoughTerms);
  std::size_t stop_at = std::string::npos;  // once enough is found, read to the window's end
  if (!stems_.empty()) {
    auto& language = this->language(lang);
    const std::size_t scan = std::min(text.size(), kScanBytes);
    const std::string_view all(text.data(), scan);
    // Words as runs of letters and digits; ASCII is looked at byte by byte, the rest as
    // Unicode characters.
    auto word_char_at = [&](std::size_t at, std::size_t* next) {
      const auto c = static_cast<unsigned char>(all[at]);
      if (c < 0x80) {
        *next = at + 1;
        return is_word_byte(c);
      }
      Xapian::Utf8Iterator u(all.data() + at, scan - at);
      const bool word = Xapian::Unicode::is_wordchar(*u);
      ++u;
      *next = scan - u.left();
      return word;
    };
    for (std::size_t at = 0, next = 0; at < scan;) {
      if (!word_char_at(at, &next)) {
        at = next;
        continue;
      }
      const std::size_t begin = at;
      if (begin >= stop_at) break;
      while (at < scan && word_char_at(at, &next)) at = next;
      const std::string_view word = all.substr(begin, at - begin);
      auto seen = language.seen.find(word);
      if (seen == language.seen.end()) seen = language.seen.emplace(std::string(word), match(language, word)).first;
      const WordMatch m = seen->second;
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

  std::string out = start > 0 ? "…" : "";
  std::size_t at = start;
  for (const auto& f : found) {
    if (f.begin < at || f.end > stop) continue;
    append_text(out, std::string_view(text).substr(at, f.begin - at));
    out += "<mark>";
    append_text(out, std::string_view(text).substr(f.begin, f.end - f.begin));
    out += "</mark>";
    at = f.end;
  }
  append_text(out, std::string_view(text).substr(at, stop - at));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (stop < text.size()) out += "…";
  return out;
}

}  // namespace hrtrack::index
