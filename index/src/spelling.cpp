#include "spelling.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <map>
#include <mutex>
#include <tuple>

namespace hrtrack::index {
namespace {

std::vector<char32_t> code_points(std::string_view word) {
  std::vector<char32_t> out;
  for (Xapian::Utf8Iterator u(word.data(), word.size()), end; u != end; ++u) out.push_back(static_cast<char32_t>(*u));
  return out;
}

std::uint64_t letter_set(const char32_t* w, std::size_t n) {
  std::uint64_t set = 0;
  for (std::size_t i = 0; i < n; ++i) set |= std::uint64_t{1} << (static_cast<std::uint32_t>(w[i]) * 2654435761U >> 26);
  return set;
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

Vocabulary::Vocabulary(const Xapian::Database& db) : by_length_(kMaxLetters + 1) {
  for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w) {
    if (w.get_termfreq() < kMinFrequency) continue;
    const auto cps = code_points(*w);
    if (cps.empty() || cps.size() > kMaxLetters) continue;
    by_length_[cps.size()].push_back({static_cast<std::uint32_t>(letters_.size()), w.get_termfreq(),
                                      letter_set(cps.data(), cps.size())});
    letters_.insert(letters_.end(), cps.begin(), cps.end());
    ++count_;
  }
}

std::string Vocabulary::suggest(std::string_view word) const {
  const auto w = code_points(word);
  if (w.empty() || w.size() > kMaxLetters) return {};
  const std::size_t bound = w.size() <= 4 ? 1 : 2;
  const std::uint64_t set = letter_set(w.data(), w.size());
  // (distance, -frequency): the best so far.
  std::tuple<std::size_t, std::int64_t> best{bound + 1, 0};
  const Entry* found = nullptr;
  std::size_t found_length = 0;
  const std::size_t lo = w.size() > bound ? w.size() - bound : 1;
  for (std::size_t len = lo; len <= std::min(kMaxLetters, w.size() + bound); ++len)
    for (const auto& e : by_length_[len]) {
      // An edit adds or removes at most two letters of the set (a substitution: one each).
      if (static_cast<std::size_t>(std::popcount(e.letters ^ set)) > 2 * std::get<0>(best)) continue;
      const std::size_t d = distance<kMaxLetters>(w.data(), w.size(), letters_.data() + e.offset, len, std::get<0>(best));
      if (d == 0) return {};
      if (d > bound) continue;
      const std::tuple<std::size_t, std::int64_t> score{d, -static_cast<std::int64_t>(e.frequency)};
      if (score < best) {
        best = score;
        found = &e;
        found_length = len;
      }
    }
  if (!found) return {};
  std::string out;
  for (std::size_t i = 0; i < found_length; ++i) Xapian::Unicode::append_utf8(out, letters_[found->offset + i]);
  return out;
}

std::shared_ptr<const Vocabulary> Vocabulary::of(const Xapian::Database& db) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<const Vocabulary>> loaded;
  // The uuid names the database (a rebuild makes a new one), the revision its commit.
  const std::string key = db.get_uuid() + ":" + std::to_string(db.get_revision());
  std::lock_guard lock(mutex);
  for (auto it = loaded.begin(); it != loaded.end();) it = it->second.expired() ? loaded.erase(it) : std::next(it);
  if (auto v = loaded[key].lock()) return v;
  auto v = std::make_shared<const Vocabulary>(db);
  loaded[key] = v;
  return v;
}

}  // namespace hrtrack::index
