// libFuzzer: the sources loader (sources/*.toml) on arbitrary text, as one registry file
// "XX.toml". A registry is data a contributor edits by hand: whatever it holds, the loader
// returns a registry that keeps its promises or problems a person can act on, never a crash.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "hrtrack/corpus/clock.hpp"
#include "hrtrack/corpus/parse.hpp"
#include "hrtrack/crawler/sources.hpp"
#include "fuzz_data.hpp"

using namespace hrtrack;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = crawler::parse_sources(text, "XX.toml");
  if (!r) {
    // One problem per line, each "XX.toml:LINE: what", with nothing a terminal would act on.
    const std::string& m = r.error().message;
    if (m.empty()) fuzz::fail("an error without a message", text);
    std::size_t start = 0;
    while (start <= m.size()) {
      const auto end = std::min(m.find('\n', start), m.size());
      const std::string_view line(m.data() + start, end - start);
      if (line.rfind("XX.toml:", 0) != 0) fuzz::fail("a problem that does not name its file and line", text);
      if (std::any_of(line.begin(), line.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; }))
        fuzz::fail("a control character in a problem", text);
      start = end + 1;
    }
    return 0;
  }
  // A registry that loads keeps its promises.
  if (r->jurisdictions.size() != 1 || r->jurisdictions[0].code != "XX") fuzz::fail("the file's jurisdiction is not XX", text);
  for (const auto& s : r->sources) {
    if (s.id.empty() || s.jurisdiction != "XX") fuzz::fail("a source without an id or jurisdiction", text);
    if (s.url.rfind("http://", 0) != 0 && s.url.rfind("https://", 0) != 0) fuzz::fail("a source URL not http(s)", text);
    if (std::any_of(s.url.begin(), s.url.end(), [](char c) { return static_cast<unsigned char>(c) <= ' '; }))
      fuzz::fail("a source URL with a space or control character", text);
    if (!s.raw() && !corpus::format_from(s.format)) fuzz::fail("a source of an unknown format", text);
    if (!s.as_of.empty() && !corpus::is_calendar_date(s.as_of)) fuzz::fail("an as_of that is not a date", text);
    const std::filesystem::path mirror(s.mirror);
    if (mirror.is_absolute() || std::any_of(mirror.begin(), mirror.end(), [](const auto& e) { return e == ".."; }))
      fuzz::fail("a mirror path that leaves the mirror folder", text);
    if (s.language.size() != 2) fuzz::fail("a language that is not ISO 639-1", text);
  }
  return 0;
}
