// Language identification by function words: cheap, deterministic and good enough to
// pick a stemmer for a statute that does not declare its language.
#include <array>
#include <string>
#include <string_view>
#include <unordered_map>

#include "hrtrack/corpus/parse.hpp"
#include "text.hpp"

namespace hrtrack::corpus {
namespace {

struct Profile {
  const char* language;
  std::array<const char*, 12> words;
};

// Words frequent in legal prose of each language and rare in the others.
constexpr std::array<Profile, 9> kProfiles = {{
    {"en", {"the", "and", "of", "shall", "any", "or", "is", "be", "by", "which", "under", "this"}},
    {"de", {"der", "die", "und", "das", "des", "nicht", "mit", "von", "ist", "wird", "oder", "einer"}},
    {"fr", {"le", "la", "les", "et", "du", "est", "une", "dans", "pour", "sur", "sont", "au"}},
    {"nl", {"het", "een", "van", "en", "niet", "voor", "wordt", "zijn", "op", "bij", "deze", "ingevolge"}},
    {"it", {"il", "gli", "della", "delle", "che", "per", "sono", "nel", "dei", "alla", "con", "degli"}},
    {"es", {"el", "los", "las", "del", "que", "por", "con", "para", "una", "se", "como", "sus"}},
    {"pt", {"os", "da", "do", "das", "dos", "que", "com", "para", "não", "em", "pelo", "uma"}},
    {"no", {"og", "som", "ikke", "for", "av", "med", "til", "er", "det", "eller", "skal", "etter"}},
    {"sw", {"na", "ya", "wa", "kwa", "katika", "cha", "za", "hii", "ni", "kama", "au", "vya"}},
}};

}  // namespace

std::string detect_language(std::string_view text) {
  static const auto index = [] {
    std::unordered_multimap<std::string_view, int> m;
    for (int i = 0; i < static_cast<int>(kProfiles.size()); ++i)
      for (const char* w : kProfiles[static_cast<std::size_t>(i)].words) m.emplace(w, i);
    return m;
  }();
  std::array<int, kProfiles.size()> score{};
  int words = 0;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    ++words;
    auto [b, e] = index.equal_range(word);
    for (auto it = b; it != e; ++it) ++score[static_cast<std::size_t>(it->second)];
    word.clear();
  };
  for (std::size_t i = 0; i < text.size() && i < 50'000; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c >= 'a' && c <= 'z') || c >= 0x80) word += static_cast<char>(c);
    else if (c >= 'A' && c <= 'Z') word += static_cast<char>(c - 'A' + 'a');
    else flush();
  }
  flush();
  std::size_t best = 0;
  for (std::size_t i = 1; i < score.size(); ++i)
    if (score[i] > score[best]) best = i;
  // Too little evidence: leave it unknown rather than guess.
  if (words < 20 || score[best] < 5) return {};
  return kProfiles[best].language;
}

}  // namespace hrtrack::corpus
