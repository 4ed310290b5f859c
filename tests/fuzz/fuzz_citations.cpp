// libFuzzer: the citation extractor on arbitrary text, in every language it reads.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hrtrack/corpus/citations.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr const char* kLanguages[] = {"", "en", "fr", "de", "nl", "it", "es", "pt", "no", "sw"};
  const char* language = kLanguages[data[0] % std::size(kLanguages)];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  for (const auto& c : hrtrack::corpus::extract_citations(text, language))
    if (c.raw.size() > text.size() + 1) __builtin_trap();  // a citation quotes the text it came from
  return 0;
}
