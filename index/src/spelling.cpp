#include "spelling.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <tuple>

#include "revision_cache.hpp"
#include "schema.hpp"

namespace hrtrack::index {
namespace {

// A length's block, all integers little-endian:
//   the alphabet: a varint of its size, then each letter's code point as a varint, the
//     most used letters first (a letter's code is its place)
//   a varint of the number of sections, then each section: the words whose letters' codes
//     all fit in `bits` bits (most words take 4 or 5: their letters are among the 16 or 32
//     most used):
//     varint bits, varint words, varint runs
//     the runs: the words' frequencies, most frequent first: each a varint of the gap from
//       the previous (the first: the frequency itself) and a varint of its number of words
//     each word's letter set (letter_set()), 3 bytes
//     each word's letters' codes, `bits` bits each, packed from the lowest bit of each byte
// Only the letter sets are read for every word; the letters of the few that pass them are
// decoded. "1" was a text format (one `word\tfrequency\n` a line), "2" and "3" earlier blocks.
constexpr std::string_view kFormat = "4";
constexpr std::string_view kStored = "lengths";  // after the prefix: the format of the blocks
constexpr std::uint32_t kMaxCodePoint = 0x10FFFF;
constexpr unsigned kMaxBits = 21;  // enough for a code of every code point
constexpr std::size_t kSetBytes = 3;
constexpr std::size_t kPadding = 8;  // zero bytes after a parsed block: whole words read past the end

std::string key(std::size_t length) { return std::string(schema::kVocabularyKey) + std::to_string(length); }

std::vector<char32_t> code_points(std::string_view word) {
  std::vector<char32_t> out;
  for (Xapian::Utf8Iterator u(word.data(), word.size()), end; u != end; ++u) out.push_back(static_cast<char32_t>(*u));
  return out;
}

// A word's letter set, from its letters' codes, in 24 bits: a bit each for the 17 most used
// letters, three the others share, and a bit each for the four most used appearing twice.
// An edit adds at most one letter and removes at most one, so it sets at most one bit and
// clears at most one. Stored in the blocks: changing it changes kFormat.
constexpr std::uint32_t kOwnBits = 17, kSharedBits = 3, kTwiceBits = 4;
std::uint32_t letter_set(const std::uint32_t* codes, std::size_t n) {
  std::uint32_t set = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t code = codes[i];
    if (code < kTwiceBits && (set >> code & 1)) set |= std::uint32_t{1} << (kOwnBits + kSharedBits + code);
    set |= std::uint32_t{1} << (code < kOwnBits ? code : kOwnBits + code % kSharedBits);
  }
  return set;
}

// The edit distance of a word of n <= 64 letters, given by where each letter is in it
// (peq[code]: bit i set when its letter i has that code), and a word of the m letters
// codes[]: Hyyro's form of Myers' bit-parallel algorithm, a few operations a letter, on the
// codes as stored (no decoding to code points).
std::size_t distance(const std::uint64_t* peq, std::size_t n, const std::uint32_t* codes, std::size_t m) {
  const std::uint64_t last = std::uint64_t{1} << (n - 1);
  std::uint64_t pv = ~std::uint64_t{0}, mv = 0;
  std::size_t score = n;
  for (std::size_t j = 0; j < m; ++j) {
    const std::uint64_t eq = peq[codes[j]];
    const std::uint64_t xv = eq | mv;
    const std::uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
    std::uint64_t ph = mv | ~(xh | pv);
    std::uint64_t mh = pv & xh;
    if (ph & last) ++score;
    else if (mh & last) --score;
    ph = ph << 1 | 1;  // the first row: j edits from nothing
    mh <<= 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
  }
  return score;
}

// x without its k lowest bits set: not zero when popcount(x) > k. std::popcount is a library
// call on the baseline x86-64, and this runs for every word of nearly the length looked up
// (k is 1 or 2 there; this form measured fastest).
template <class T>
T without_lowest(T x, int k) {
  x &= x - 1;
  if (k >= 2) x &= x - 1;
  for (int i = 2; i < k; ++i) x &= x - 1;
  return x;
}

unsigned bits_for(std::size_t alphabet) { return alphabet <= 2 ? 1U : static_cast<unsigned>(std::bit_width(alphabet - 1)); }

void put_varint(std::string& out, std::uint64_t v) {
  for (; v >= 0x80; v >>= 7) out.push_back(static_cast<char>((v & 0x7F) | 0x80));
  out.push_back(static_cast<char>(v));
}

// False at the end of `in` or past 32 bits.
bool get_varint(std::string_view in, std::size_t& at, std::uint32_t& v) {
  std::uint64_t out = 0;
  for (unsigned shift = 0; at < in.size() && shift <= 28; shift += 7) {
    const auto byte = static_cast<unsigned char>(in[at++]);
    out |= std::uint64_t{byte & 0x7FU} << shift;
    if (!(byte & 0x80)) {
      if (out > UINT32_MAX) return false;
      v = static_cast<std::uint32_t>(out);
      return true;
    }
  }
  return false;
}

std::uint64_t le64(const unsigned char* p) {
  std::uint64_t v = 0;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

struct Word {
  std::vector<char32_t> letters;
  std::uint32_t frequency;
};

// The block of `words` (all of `length` letters, in byte order).
std::string encode(std::size_t length, std::vector<Word> words) {
  std::stable_sort(words.begin(), words.end(), [](const Word& a, const Word& b) { return a.frequency > b.frequency; });
  std::vector<std::pair<std::size_t, char32_t>> uses;  // (letters - its uses, letter): most used first
  {
    std::vector<char32_t> all;
    for (const auto& w : words) all.insert(all.end(), w.letters.begin(), w.letters.end());
    std::sort(all.begin(), all.end());
    for (std::size_t i = 0, j = 0; i < all.size(); i = j) {
      for (j = i; j < all.size() && all[j] == all[i];) ++j;
      uses.emplace_back(all.size() - (j - i), all[i]);
    }
    std::sort(uses.begin(), uses.end());
  }
  std::vector<std::pair<char32_t, std::uint32_t>> codes;  // (letter, code), by letter
  for (std::size_t i = 0; i < uses.size(); ++i) codes.emplace_back(uses[i].second, static_cast<std::uint32_t>(i));
  std::sort(codes.begin(), codes.end());
  const auto code_of = [&](char32_t c) { return std::lower_bound(codes.begin(), codes.end(), std::make_pair(c, std::uint32_t{0}))->second; };

  std::array<std::vector<const Word*>, kMaxBits + 1> sections;
  for (const auto& w : words) {
    std::uint32_t highest = 0;
    for (const char32_t c : w.letters) highest = std::max(highest, code_of(c));
    sections[bits_for(std::size_t{highest} + 1)].push_back(&w);
  }

  std::string out;
  put_varint(out, uses.size());
  for (const auto& u : uses) put_varint(out, u.second);
  put_varint(out, static_cast<std::size_t>(std::count_if(sections.begin(), sections.end(), [](const auto& s) { return !s.empty(); })));
  for (unsigned bits = 1; bits <= kMaxBits; ++bits) {
    const auto& section = sections[bits];
    if (section.empty()) continue;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> runs;
    for (const Word* w : section)
      if (runs.empty() || runs.back().first != w->frequency) runs.emplace_back(w->frequency, 1);
      else ++runs.back().second;
    put_varint(out, bits);
    put_varint(out, section.size());
    put_varint(out, runs.size());
    std::uint32_t previous = 0;
    for (const auto& [frequency, count] : runs) {
      put_varint(out, previous ? previous - frequency : frequency);
      put_varint(out, count);
      previous = frequency;
    }
    for (const Word* w : section) {
      std::array<std::uint32_t, Vocabulary::kMaxLetters> word_codes{};
      for (std::size_t i = 0; i < length; ++i) word_codes[i] = code_of(w->letters[i]);
      const std::uint32_t set = letter_set(word_codes.data(), length);
      for (std::size_t byte = 0; byte < kSetBytes; ++byte) out.push_back(static_cast<char>(set >> (8 * byte) & 0xFF));
    }
    std::string packed((section.size() * length * bits + 7) / 8, '\0');
    std::size_t at = 0;  // in bits
    for (const Word* w : section)
      for (const char32_t c : w->letters) {
        const std::uint32_t code = code_of(c);
        for (unsigned b = 0; b < bits; ++b, ++at)
          if (code >> b & 1) packed[at / 8] = static_cast<char>(static_cast<unsigned char>(packed[at / 8]) | 1U << (at % 8));
      }
    out += packed;
  }
  return out;
}

}  // namespace

// Calls f(word, its length in letters, its frequency) for each word of the spelling table
// frequent enough to suggest and short enough to compare.
template <class F>
void each_word(const Xapian::Database& db, F f) {
  for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w) {
    if (w.get_termfreq() < Vocabulary::kMinFrequency) continue;
    const std::string word = *w;
    const auto length = static_cast<std::size_t>(std::distance(Xapian::Utf8Iterator(word), Xapian::Utf8Iterator()));
    if (length > 0 && length <= Vocabulary::kMaxLetters) f(word, length, w.get_termfreq());
  }
}

namespace {

// The words of the spelling table by length (only `length`'s unless 0).
std::array<std::vector<Word>, Vocabulary::kMaxLetters + 1> words_by_length(const Xapian::Database& db, std::size_t length = 0) {
  std::array<std::vector<Word>, Vocabulary::kMaxLetters + 1> words;
  each_word(db, [&](const std::string& word, std::size_t n, Xapian::doccount frequency) {
    if (length == 0 || n == length) words[n].push_back({code_points(word), frequency});
  });
  return words;
}

}  // namespace

void Vocabulary::store(Xapian::WritableDatabase& db) {
  const auto words = words_by_length(db);
  for (std::size_t length = 1; length <= kMaxLetters; ++length) db.set_metadata(key(length), encode(length, words[length]));
  db.set_metadata(std::string(schema::kVocabularyKey) + std::string(kStored), std::string(kFormat));
}

bool Vocabulary::stored(const Xapian::Database& db) {
  return db.get_metadata(std::string(schema::kVocabularyKey) + std::string(kStored)) == kFormat;
}

Vocabulary::Vocabulary(const Xapian::Database& db) {
  if (stored(db)) return;
  // An index made before the indexer stored these blocks.
  const auto words = words_by_length(db);
  for (std::size_t length = 1; length <= kMaxLetters; ++length) {
    auto& l = lengths_[length];
    l.block = encode(length, words[length]);
    parse(l, length);
    l.loaded = true;
  }
}

bool Vocabulary::parse(Length& l, std::size_t length) {
  const std::string_view block = l.block;
  std::size_t at = 0;
  std::uint32_t letters = 0, sections = 0;
  // Each takes a byte at least: bounds what a damaged block can make us allocate.
  if (!get_varint(block, at, letters) || letters > block.size() || letters > kMaxCodePoint + 1) return false;
  l.alphabet.clear();
  l.codes.clear();
  for (std::uint32_t i = 0, c = 0; i < letters; ++i) {
    if (!get_varint(block, at, c) || c > kMaxCodePoint) return false;
    l.alphabet.push_back(static_cast<char32_t>(c));
    l.codes.emplace_back(static_cast<char32_t>(c), i);
  }
  std::sort(l.codes.begin(), l.codes.end());
  if (!get_varint(block, at, sections) || sections > kMaxBits) return false;
  l.sections.assign(sections, {});
  for (auto& s : l.sections) {
    std::uint32_t bits = 0, count = 0, runs = 0;
    if (!get_varint(block, at, bits) || !get_varint(block, at, count) || !get_varint(block, at, runs) || bits == 0 ||
        bits > kMaxBits || runs > block.size())
      return false;
    s.bits = bits;
    s.count = count;
    std::uint64_t words = 0;
    for (std::uint32_t i = 0, frequency = 0, gap = 0, n = 0; i < runs; ++i) {
      if (!get_varint(block, at, gap) || !get_varint(block, at, n) || gap == 0 || n == 0) return false;
      if (i == 0) frequency = gap;
      else if (gap >= frequency) return false;
      else frequency -= gap;
      s.runs.emplace_back(frequency, n);
      words += n;
    }
    const std::uint64_t sets = std::uint64_t{kSetBytes} * count, codes = (std::uint64_t{count} * length * bits + 7) / 8;
    if (words != count || block.size() - at < sets || block.size() - at - sets < codes) return false;
    s.letter_sets = at;
    s.codes = at + sets;
    at = s.codes + codes;
  }
  if (at != block.size()) return false;
  l.block.append(kPadding, '\0');
  return true;
}

void Vocabulary::load(const Xapian::Database& db, std::size_t length) const {
  auto& l = lengths_[length];
  if (l.loaded) return;
  l.block = db.get_metadata(key(length));
  if (!parse(l, length)) {
    // Absent or damaged: the spelling table has the words, slowly.
    l = Length{};
    l.block = encode(length, words_by_length(db, length)[length]);
    parse(l, length);
  }
  l.loaded = true;
}

std::string Vocabulary::suggest(const Xapian::Database& db, std::string_view word) const {
  const auto w = code_points(word);
  if (w.empty() || w.size() > kMaxLetters) return {};
  const std::size_t n = w.size(), bound = n <= 4 ? 1 : 2;
  // (distance, -frequency, length): the best so far; among equals, the first in byte order
  // (the order of the words' code points).
  using Score = std::tuple<std::size_t, std::int64_t, std::size_t>;
  Score best{bound + 1, 0, 0};
  std::array<char32_t, kMaxLetters> candidate{}, found{};
  std::size_t found_length = 0;

  // False when `word` itself is among the length's words.
  const auto search = [&](const Length& l, std::size_t length, std::size_t delta) {
    // The word in this length's codes: its letter set (a letter no word of the length has
    // takes a shared bit, which can only make the filter let more words through), and
    // where each letter is in it.
    std::array<std::uint32_t, kMaxLetters> word_codes{};
    std::vector<std::uint64_t> peq(l.alphabet.size());
    for (std::size_t i = 0; i < n; ++i) {
      const auto it = std::lower_bound(l.codes.begin(), l.codes.end(), std::make_pair(w[i], std::uint32_t{0}));
      const bool known = it != l.codes.end() && it->first == w[i];
      word_codes[i] = known ? it->second : kOwnBits;
      if (known) peq[it->second] |= std::uint64_t{1} << i;
    }
    const std::uint32_t set = letter_set(word_codes.data(), n);
    const auto* block = reinterpret_cast<const unsigned char*>(l.block.data());
    std::array<std::uint32_t, kMaxLetters> codes{};
    for (const auto& s : l.sections) {
      const std::uint64_t mask = (std::uint64_t{1} << s.bits) - 1;
      std::size_t i = 0;
      // An edit adds at most one letter and takes away at most one.
      int limit = static_cast<int>(std::min(std::get<0>(best), bound));
      for (const auto& [frequency, words] : s.runs) {
        const Score lowest{delta, -static_cast<std::int64_t>(frequency), length};
        // Words come most frequent first: none after these can beat the best.
        if (delta == std::get<0>(best) && lowest > best) break;
        for (const std::size_t end = i + words; i < end; ++i) {
          const auto e = static_cast<std::uint32_t>(le64(block + s.letter_sets + kSetBytes * i) & 0xFFFFFF);
          if (without_lowest(e & ~set, limit) | without_lowest(set & ~e, limit)) continue;
          bool valid = true;
          std::size_t bit = i * length * s.bits;
          for (std::size_t k = 0; k < length; ++k, bit += s.bits) {
            codes[k] = static_cast<std::uint32_t>(le64(block + s.codes + bit / 8) >> (bit % 8) & mask);
            valid = valid && codes[k] < l.alphabet.size();
          }
          if (!valid) continue;
          const std::size_t d = distance(peq.data(), n, codes.data(), length);
          if (d == 0) return false;
          if (d > static_cast<std::size_t>(limit)) continue;
          for (std::size_t k = 0; k < length; ++k) candidate[k] = l.alphabet[codes[k]];
          const Score score{d, -static_cast<std::int64_t>(frequency), length};
          if (score < best || (score == best && std::lexicographical_compare(candidate.begin(), candidate.begin() + length,
                                                                              found.begin(), found.begin() + length))) {
            best = score;
            found = candidate;
            found_length = length;
            limit = static_cast<int>(d);
          }
        }
      }
    }
    return true;
  };

  std::lock_guard lock(mutex_);
  // Nearest lengths first: a word `delta` letters longer or shorter is at least `delta`
  // edits away, so once the best is closer than that no longer length can beat it.
  for (std::size_t delta = 0; delta <= bound && delta <= std::get<0>(best); ++delta)
    for (const bool longer : {false, true}) {
      if ((longer && delta == 0) || (!longer && delta >= n)) continue;
      const std::size_t length = longer ? n + delta : n - delta;
      if (length > kMaxLetters) continue;
      load(db, length);
      if (!search(lengths_[length], length, delta)) return {};
    }
  if (!found_length) return {};
  std::string out;
  for (std::size_t i = 0; i < found_length; ++i) Xapian::Unicode::append_utf8(out, found[i]);
  return out;
}

std::shared_ptr<const Vocabulary> Vocabulary::of(const Xapian::Database& db) { return per_revision<Vocabulary>(db); }

}  // namespace hrtrack::index
