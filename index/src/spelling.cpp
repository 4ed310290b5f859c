#include "spelling.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <tuple>

#include "revision_cache.hpp"
#include "schema.hpp"

namespace hrtrack::index {
namespace {

std::vector<char32_t> code_points(std::string_view word) {
  std::vector<char32_t> out;
  for (Xapian::Utf8Iterator u(word.data(), word.size()), end; u != end; ++u) out.push_back(static_cast<char32_t>(*u));
  return out;
}

std::uint64_t bit(std::uint32_t h) { return std::uint64_t{1} << (h * 2654435761U >> 26); }

// The sets of a word's letters and of its pairs of letters, each hashed to 64 bits.
std::pair<std::uint64_t, std::uint64_t> letter_sets(const char32_t* w, std::size_t n) {
  std::uint64_t letters = 0, pairs = 0;
  for (std::size_t i = 0; i < n; ++i) {
    letters |= bit(static_cast<std::uint32_t>(w[i]));
    if (i > 0) pairs |= bit(static_cast<std::uint32_t>(w[i - 1]) * 1031U + static_cast<std::uint32_t>(w[i]));
  }
  return {letters, pairs};
}

// Levenshtein distance of a and b (at most kMaxLetters each), or more than `bound` as soon
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

}  // namespace

namespace {

constexpr std::string_view kStored = "lengths";  // after the prefix: the lists are there

std::string key(std::size_t length) { return std::string(schema::kVocabularyKey) + std::to_string(length); }

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

void Vocabulary::store(Xapian::WritableDatabase& db) {
  std::array<std::string, kMaxLetters + 1> lists;
  each_word(db, [&](const std::string& word, std::size_t length, Xapian::doccount frequency) {
    lists[length] += word + "\t" + std::to_string(frequency) + "\n";
  });
  for (std::size_t length = 1; length <= kMaxLetters; ++length) db.set_metadata(key(length), lists[length]);
  db.set_metadata(std::string(schema::kVocabularyKey) + std::string(kStored), "1");
}

bool Vocabulary::stored(const Xapian::Database& db) {
  return db.get_metadata(std::string(schema::kVocabularyKey) + std::string(kStored)) == "1";
}

Vocabulary::Vocabulary(const Xapian::Database& db) {
  if (stored(db)) return;
  // An index made before the indexer stored the lists.
  each_word(db, [&](const std::string& word, std::size_t length, Xapian::doccount frequency) {
    add(lengths_[length], word, frequency);
  });
  for (auto& l : lengths_) l.loaded = true;
}

void Vocabulary::add(Length& l, std::string_view word, std::uint32_t frequency) {
  const std::size_t offset = l.letters.size();
  for (Xapian::Utf8Iterator u(word.data(), word.size()), stop; u != stop; ++u) l.letters.push_back(static_cast<char32_t>(*u));
  const auto [letters, pairs] = letter_sets(l.letters.data() + offset, l.letters.size() - offset);
  l.entries.push_back({static_cast<std::uint32_t>(offset), frequency, letters, pairs});
}

void Vocabulary::load(const Xapian::Database& db, std::size_t length) const {
  auto& l = lengths_[length];
  if (l.loaded) return;
  const std::string list = db.get_metadata(key(length));
  for (std::size_t at = 0; at < list.size();) {
    const std::size_t tab = list.find('\t', at), end = list.find('\n', at);
    if (tab == std::string::npos || end == std::string::npos || tab > end) break;
    std::uint32_t frequency = 0;
    std::from_chars(list.data() + tab + 1, list.data() + end, frequency);
    add(l, std::string_view(list).substr(at, tab - at), frequency);
    at = end + 1;
  }
  l.loaded = true;
}

std::string Vocabulary::suggest(const Xapian::Database& db, std::string_view word) const {
  const auto w = code_points(word);
  if (w.empty() || w.size() > kMaxLetters) return {};
  const std::size_t bound = w.size() <= 4 ? 1 : 2;
  const auto [set, pairs] = letter_sets(w.data(), w.size());
  // (distance, -frequency): the best so far.
  std::tuple<std::size_t, std::int64_t> best{bound + 1, 0};
  const char32_t* found = nullptr;
  std::size_t found_length = 0;
  const std::size_t lo = w.size() > bound ? w.size() - bound : 1;
  std::lock_guard lock(mutex_);
  for (std::size_t len = lo; len <= std::min(kMaxLetters, w.size() + bound); ++len) {
    load(db, len);
    const auto& l = lengths_[len];
    for (const auto& e : l.entries) {
      // An edit brings in at most one letter and takes away at most one, and at most two
      // pairs of letters each way.
      const auto limit = static_cast<int>(std::min(std::get<0>(best), bound));
      if (std::popcount(e.letters & ~set) > limit || std::popcount(set & ~e.letters) > limit ||
          std::popcount(e.pairs & ~pairs) > 2 * limit || std::popcount(pairs & ~e.pairs) > 2 * limit)
        continue;
      const char32_t* letters = l.letters.data() + e.offset;
      const std::size_t d = distance<kMaxLetters>(w.data(), w.size(), letters, len, std::get<0>(best));
      if (d == 0) return {};
      if (d > bound) continue;
      const std::tuple<std::size_t, std::int64_t> score{d, -static_cast<std::int64_t>(e.frequency)};
      if (score < best) {
        best = score;
        found = letters;
        found_length = len;
      }
    }
  }
  if (!found) return {};
  std::string out;
  for (std::size_t i = 0; i < found_length; ++i) Xapian::Unicode::append_utf8(out, found[i]);
  return out;
}

std::shared_ptr<const Vocabulary> Vocabulary::of(const Xapian::Database& db) { return per_revision<Vocabulary>(db); }

}  // namespace hrtrack::index
