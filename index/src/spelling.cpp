#include "spelling.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <tuple>

#include "revision_cache.hpp"
#include "schema.hpp"

namespace hrtrack::index {
namespace {

// A length's block, all integers little-endian:
//   varint words, varint letters of the alphabet, varint runs
//   the alphabet: its code points ascending, each as a varint of the gap from the previous
//   the runs: the words' frequencies, most frequent first: each a varint of the gap from
//     the previous (the first: the frequency itself) and a varint of its number of words
//   each word's letter set (letter_set()), 4 bytes
//   each word's letters, each the index of its code point in the alphabet, in `bits` bits
//     (the fewest that hold every index), packed from the lowest bit of each byte up
// Words of equal frequency keep the spelling table's (byte) order. Only the letter sets
// are read for every word; the letters of the few that pass them are decoded.
// "1" was a text format: one `word\tfrequency\n` a line.
constexpr std::string_view kFormat = "2";
constexpr std::string_view kStored = "lengths";  // after the prefix: the format of the blocks
constexpr std::uint32_t kMaxCodePoint = 0x10FFFF;

std::string key(std::size_t length) { return std::string(schema::kVocabularyKey) + std::to_string(length); }

std::vector<char32_t> code_points(std::string_view word) {
  std::vector<char32_t> out;
  for (Xapian::Utf8Iterator u(word.data(), word.size()), end; u != end; ++u) out.push_back(static_cast<char32_t>(*u));
  return out;
}

// The set of a word's letters in 32 bits: a-z one bit each, the others hashed to the last
// six. Stored in the blocks: changing it changes kFormat.
std::uint32_t letter_set(const char32_t* w, std::size_t n) {
  std::uint32_t set = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<std::uint32_t>(w[i]);
    set |= c >= 'a' && c <= 'z' ? std::uint32_t{1} << (c - 'a') : std::uint32_t{1} << (26 + (c * 2654435761U >> 16) % 6);
  }
  return set;
}

// The set of a word's pairs of adjacent letters, hashed to 64 bits.
std::uint64_t pair_set(const char32_t* w, std::size_t n) {
  std::uint64_t pairs = 0;
  for (std::size_t i = 1; i < n; ++i)
    pairs |= std::uint64_t{1} << ((static_cast<std::uint32_t>(w[i - 1]) * 1031U + static_cast<std::uint32_t>(w[i])) * 2654435761U >> 26);
  return pairs;
}

// Levenshtein distance of a and b (at most kMax letters each), or more than `bound` as soon
// as it must be.
template <std::size_t kMax>
std::size_t distance(const char32_t* a, std::size_t n, const char32_t* b, std::size_t m, std::size_t bound) {
  std::array<std::size_t, kMax + 1> prev{}, cur{};
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= m; ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > bound) return bound + 1;
    std::swap(prev, cur);
  }
  return prev[m];
}

// popcount(x) > k, for small k: std::popcount is a library call on the baseline x86-64.
template <class T>
bool more_bits(T x, int k) {
  for (int i = 0; i < k && x; ++i) x &= x - 1;
  return x != 0;
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

std::uint32_t le32(const std::string& s, std::size_t at) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data() + at);
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
}

struct Word {
  std::vector<char32_t> letters;
  std::uint32_t frequency;
};

// The block of `words` (all of `length` letters, in byte order).
std::string encode(std::size_t length, std::vector<Word> words) {
  std::stable_sort(words.begin(), words.end(), [](const Word& a, const Word& b) { return a.frequency > b.frequency; });
  std::vector<char32_t> alphabet;
  for (const auto& w : words) alphabet.insert(alphabet.end(), w.letters.begin(), w.letters.end());
  std::sort(alphabet.begin(), alphabet.end());
  alphabet.erase(std::unique(alphabet.begin(), alphabet.end()), alphabet.end());
  std::vector<std::pair<std::uint32_t, std::uint32_t>> runs;
  for (const auto& w : words)
    if (runs.empty() || runs.back().first != w.frequency) runs.emplace_back(w.frequency, 1);
    else ++runs.back().second;

  std::string out;
  put_varint(out, words.size());
  put_varint(out, alphabet.size());
  put_varint(out, runs.size());
  char32_t previous = 0;
  for (const char32_t c : alphabet) put_varint(out, c - std::exchange(previous, c));
  std::uint32_t previous_frequency = 0;
  for (const auto& [frequency, count] : runs) {
    put_varint(out, previous_frequency ? previous_frequency - frequency : frequency);
    put_varint(out, count);
    previous_frequency = frequency;
  }
  for (const auto& w : words) {
    const std::uint32_t set = letter_set(w.letters.data(), w.letters.size());
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>(set >> shift & 0xFF));
  }
  const unsigned bits = bits_for(alphabet.size());
  std::string codes((words.size() * length * bits + 7) / 8, '\0');
  std::size_t at = 0;  // in bits
  for (const auto& w : words)
    for (const char32_t c : w.letters) {
      const auto code = static_cast<std::uint32_t>(std::lower_bound(alphabet.begin(), alphabet.end(), c) - alphabet.begin());
      for (unsigned b = 0; b < bits; ++b, ++at)
        if (code >> b & 1) codes[at / 8] = static_cast<char>(static_cast<unsigned char>(codes[at / 8]) | 1U << (at % 8));
    }
  return out + codes;
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
  std::uint32_t count = 0, letters = 0, runs = 0;
  // Each takes a byte at least: bounds what a damaged header can make us allocate.
  if (!get_varint(block, at, count) || !get_varint(block, at, letters) || !get_varint(block, at, runs) ||
      count > block.size() || letters > block.size() || runs > block.size() || letters > kMaxCodePoint + 1 ||
      (count > 0 && letters == 0))
    return false;
  l.count = count;
  l.alphabet.clear();
  for (std::uint32_t i = 0, c = 0, gap = 0; i < letters; ++i) {
    if (!get_varint(block, at, gap) || (i > 0 && gap == 0) || gap > kMaxCodePoint - c) return false;
    c += gap;
    l.alphabet.push_back(static_cast<char32_t>(c));
  }
  l.runs.clear();
  std::uint64_t words = 0;
  for (std::uint32_t i = 0, frequency = 0, gap = 0, n = 0; i < runs; ++i) {
    if (!get_varint(block, at, gap) || !get_varint(block, at, n) || gap == 0 || n == 0) return false;
    if (i == 0) frequency = gap;
    else if (gap >= frequency) return false;
    else frequency -= gap;
    l.runs.emplace_back(frequency, n);
    words += n;
  }
  if (words != count) return false;
  l.bits = bits_for(letters);
  l.letter_sets = at;
  l.codes = at + std::size_t{4} * count;
  return block.size() - at >= std::size_t{4} * count &&
         block.size() - l.codes == (std::uint64_t{count} * length * l.bits + 7) / 8;
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
  const std::uint32_t set = letter_set(w.data(), n);
  const std::uint64_t pairs = pair_set(w.data(), n);
  // (distance, -frequency, length, index in its length's block): the best so far. Within a
  // length and a frequency the index follows byte order, so this is the order the contract
  // gives.
  using Score = std::tuple<std::size_t, std::int64_t, std::size_t, std::size_t>;
  Score best{bound + 1, 0, 0, 0};
  std::array<char32_t, kMaxLetters> candidate{}, found{};
  std::size_t found_length = 0;

  // False when `word` itself is in the length's words.
  const auto search = [&](const Length& l, std::size_t length, std::size_t delta) {
    const auto* codes = reinterpret_cast<const unsigned char*>(l.block.data() + l.codes);
    const std::size_t code_bytes = l.block.size() - l.codes;
    std::size_t i = 0;
    for (const auto& [frequency, words] : l.runs)
      for (const std::size_t end = i + words; i < end; ++i) {
        // Words come most frequent first: none after this one can beat the best.
        if (delta == std::get<0>(best) && Score{delta, -static_cast<std::int64_t>(frequency), length, i} >= best)
          return true;
        // An edit brings in at most one letter and takes away at most one, and at most two
        // pairs of letters each way.
        const auto limit = static_cast<int>(std::min(std::get<0>(best), bound));
        const std::uint32_t e = le32(l.block, l.letter_sets + 4 * i);
        if (more_bits(e & ~set, limit) || more_bits(set & ~e, limit)) continue;
        bool valid = true;
        std::size_t bit = i * length * l.bits;
        for (std::size_t k = 0; k < length; ++k, bit += l.bits) {
          std::uint32_t window = 0;  // the four bytes from the code's first: bits <= 21
          for (std::size_t b = 0; b < 4 && bit / 8 + b < code_bytes; ++b) window |= std::uint32_t{codes[bit / 8 + b]} << (8 * b);
          const std::uint32_t code = window >> (bit % 8) & ((std::uint32_t{1} << l.bits) - 1);
          valid = valid && code < l.alphabet.size();
          candidate[k] = valid ? l.alphabet[code] : 0;
        }
        if (!valid) continue;
        const std::uint64_t p = pair_set(candidate.data(), length);
        if (more_bits(p & ~pairs, 2 * limit) || more_bits(pairs & ~p, 2 * limit)) continue;
        const std::size_t d = distance<kMaxLetters>(w.data(), n, candidate.data(), length, std::get<0>(best));
        if (d == 0) return false;
        if (d > bound) continue;
        const Score score{d, -static_cast<std::int64_t>(frequency), length, i};
        if (score < best) {
          best = score;
          found = candidate;
          found_length = length;
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
