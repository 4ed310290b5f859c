// Language identification by function words: cheap, deterministic and good enough to
// pick a stemmer, or a label grammar, for a statute that does not declare its language.
// The words of each language are data: `function_words` in languages/<code>.toml.
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hrtrack/corpus/parse.hpp"
#include "languages.hpp"
#include "text.hpp"

namespace hrtrack::corpus {

std::string detect_language(std::string_view text) {
  const auto& langs = languages::builtin();
  static const auto index = [&langs] {
    std::unordered_multimap<std::string, std::size_t> m;
    for (std::size_t i = 0; i < langs.size(); ++i)
      for (const std::string& w : langs[i].function_words) m.emplace(languages::fold_case(w), i);
    return m;
  }();
  std::vector<int> score(langs.size(), 0);
  int words = 0;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    ++words;
    auto [b, e] = index.equal_range(word);
    for (auto it = b; it != e; ++it) ++score[it->second];
    word.clear();
  };
  for (std::size_t i = 0; i < text.size() && i < 50'000; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c >= 'a' && c <= 'z') || c >= 0x80) word += static_cast<char>(c);
    else if (c >= 'A' && c <= 'Z') word += static_cast<char>(c - 'A' + 'a');
    else flush();
  }
  flush();
  if (langs.empty()) return {};
  std::size_t best = 0;
  for (std::size_t i = 1; i < score.size(); ++i)
    if (score[i] > score[best]) best = i;
  // Too little evidence: leave it unknown rather than guess.
  if (words < 20 || score[best] < 5) return {};
  return langs[best].code;
}

}  // namespace hrtrack::corpus
