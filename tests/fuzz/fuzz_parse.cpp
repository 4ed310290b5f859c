// libFuzzer: every parser, on arbitrary bytes. The first byte picks the format (0: detect
// from the content, as an import does); the rest is the document.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hrtrack/corpus/parse.hpp"

using namespace hrtrack::corpus;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr Format kFormats[] = {Format::justice_canada, Format::gii, Format::akn, Format::uslm,
                                        Format::bwb, Format::markdown, Format::html, Format::text};
  const std::size_t pick = data[0] % (std::size(kFormats) + 1);
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  ParseContext ctx;
  ctx.source = "fuzz";
  std::optional<Format> format;
  if (pick > 0) format = kFormats[pick - 1];
  auto r = parse_document(bytes, ctx, format);
  if (r) {
    // What the store would do next must hold up too.
    (void)normalized_text(*r);
    for (const auto& s : r->sections) (void)normalize_section_number(s.label);
  }
  return 0;
}
