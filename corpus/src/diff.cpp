// Word-level diff: common prefix and suffix trimmed, then a longest-common-subsequence
// table over the middle. The table is bounded; past the bound the middle is reported as
// one replacement, which is still exact, only coarser.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "hrtrack/corpus/store.hpp"

namespace hrtrack::corpus {
namespace {

constexpr std::size_t kMaxCells = 4'000'000;

std::vector<std::string_view> words_of(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')) ++i;
    const std::size_t b = i;
    while (i < s.size() && !(s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')) ++i;
    if (i > b) out.push_back(s.substr(b, i - b));
  }
  return out;
}

void emit(std::vector<WordEdit>& out, char op, std::string_view word) {
  if (!out.empty() && out.back().op == op) {
    out.back().words += ' ';
    out.back().words += word;
  } else {
    out.push_back({op, std::string(word)});
  }
}

}  // namespace

std::vector<WordEdit> word_diff(std::string_view before, std::string_view after) {
  const auto a = words_of(before);
  const auto b = words_of(after);
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         a[a.size() - 1 - suf] == b[b.size() - 1 - suf])
    ++suf;

  std::vector<WordEdit> out;
  for (std::size_t i = 0; i < pre; ++i) emit(out, '=', a[i]);
  const std::size_t n = a.size() - pre - suf, m = b.size() - pre - suf;
  if (n * m > kMaxCells || n == 0 || m == 0) {
    for (std::size_t i = 0; i < n; ++i) emit(out, '-', a[pre + i]);
    for (std::size_t j = 0; j < m; ++j) emit(out, '+', b[pre + j]);
  } else {
    // lcs[i][j]: LCS length of a[pre+i..] and b[pre+j..].
    std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
    for (std::size_t i = n; i-- > 0;)
      for (std::size_t j = m; j-- > 0;)
        at(i, j) = a[pre + i] == b[pre + j] ? at(i + 1, j + 1) + 1
                                            : std::max(at(i + 1, j), at(i, j + 1));
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[pre + i] == b[pre + j]) {
        emit(out, '=', a[pre + i]);
        ++i, ++j;
      } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
        emit(out, '-', a[pre + i++]);  // removals before insertions, as readers expect
      } else {
        emit(out, '+', b[pre + j++]);
      }
    }
  }
  for (std::size_t i = a.size() - suf; i < a.size(); ++i) emit(out, '=', a[i]);
  return out;
}

}  // namespace hrtrack::corpus
