// Hostile documents and names: each is refused with a clear error, in bounded time, without
// crashing, or made safe.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <fstream>

#include "hrtrack/corpus/clock.hpp"
#include "hrtrack/corpus/import.hpp"
#include "hrtrack/corpus/parse.hpp"
#include "shared.hpp"

using namespace hrtrack::corpus;

namespace {

std::string refused(const std::string& bytes, const std::string& source,
                    std::optional<Format> format = std::nullopt) {
  const auto start = std::chrono::steady_clock::now();
  ParseContext ctx;
  ctx.source = source;
  auto r = parse_document(bytes, ctx, format);
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < hrtrack::test::time_bound(5.0));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.rfind(source + ":", 0) == 0);
  CHECK(r.error().message.find('\n') == std::string::npos);
  return r.error().message;
}

}  // namespace

TEST_CASE("billion laughs is refused, never expanded", "[hostile]") {
  std::string doc = "<?xml version=\"1.0\"?><!DOCTYPE akomaNtoso [<!ENTITY l0 \"ha\">";
  for (int i = 1; i <= 10; ++i) {
    doc += "<!ENTITY l" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) doc += "&l" + std::to_string(i - 1) + ";";
    doc += "\">";
  }
  doc += "]><akomaNtoso><act><body><section><num>1</num><content><p>&l10;</p></content></section></body></act></akomaNtoso>";
  const auto why = refused(doc, "laughs.xml");
  CHECK(why.find("entit") != std::string::npos);
}

TEST_CASE("external entities are neither fetched nor read", "[hostile]") {
  const auto why = refused(
      "<?xml version=\"1.0\"?><!DOCTYPE dokumente [<!ENTITY x SYSTEM \"http://127.0.0.1:1/x\">"
      "<!ENTITY y SYSTEM \"file:///etc/passwd\">]><dokumente><norm>&x;&y;</norm></dokumente>",
      "xxe.xml");
  CHECK(why.find("entit") != std::string::npos);
}

TEST_CASE("deeply nested elements (10^5) are refused", "[hostile]") {
  std::string doc = "<akomaNtoso>";
  for (int i = 0; i < 100'000; ++i) doc += "<p>";
  refused(doc, "deep.xml");
}

TEST_CASE("a 100 MB single text node is refused", "[hostile]") {
  std::string doc = "<Statute><Body><Section><Label>1</Label><Text>";
  doc.append(100u << 20, 'a');
  doc += "</Text></Section></Body></Statute>";
  refused(doc, "huge.xml");
}

TEST_CASE("invalid UTF-8 is refused for XML and for text formats", "[hostile]") {
  refused("<?xml version=\"1.0\" encoding=\"UTF-8\"?><dokumente><norm>\xff\xfe</norm></dokumente>", "bad.xml");
  refused("# § 1 Zweck\n\n\xc3\x28 ungültig\n", "bad.md", Format::markdown);
}

TEST_CASE("truncated and empty documents are refused", "[hostile]") {
  refused("", "empty.xml");
  refused("<Statute><Body><Section><Label>1</Lab", "cut.xml");
  refused("<?xml version=\"1.0\"?>", "prolog.xml");
}

TEST_CASE("names from outside are escaped losslessly: valid UTF-8 kept, other bytes and controls as \\xHH",
          "[hostile]") {
  CHECK(escape_name("CA/eng_acts_C-38.8.xml") == "CA/eng_acts_C-38.8.xml");
  CHECK(escape_name("Bet\xC3\xA4ubungsmittel \xE2\x80\x94 \xF0\x9F\x98\x80") ==
        "Bet\xC3\xA4ubungsmittel \xE2\x80\x94 \xF0\x9F\x98\x80");
  CHECK(escape_name("caf\xe9.md") == "caf\\xe9.md");
  CHECK(escape_name("a\x1b[31mb\x7f") == "a\\x1b[31mb\\x7f");
  CHECK(escape_name("c1 \xC2\x9B") == "c1 \\xc2\\x9b");  // a C1 control: CSI to some terminals
  CHECK(escape_name("back\\slash") == "back\\\\slash");
  CHECK(escape_name("\xED\xA0\x80") == "\\xed\\xa0\\x80");  // a surrogate
  CHECK(escape_name("\xC0\xAF") == "\\xc0\\xaf");            // an overlong '/'
  CHECK(escape_name("\xF4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // beyond U+10FFFF
  CHECK(escape_name("cut \xE2\x80") == "cut \\xe2\\x80");
  // Lossless over every byte and over the escapes' own characters.
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  all += "\\x41 \\\\ \\";
  CHECK(unescape_name(escape_name(all)) == all);
  const std::string escaped = escape_name(all);
  CHECK(std::none_of(escaped.begin(), escaped.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }));
}

TEST_CASE("jurisdiction codes: ISO 3166-1 or -2 shape, upper-cased", "[hostile]") {
  CHECK(jurisdiction_code("CA").value() == "CA");
  CHECK(jurisdiction_code("us-dc").value() == "US-DC");
  CHECK(jurisdiction_code("GB-ENG").value() == "GB-ENG");
  CHECK(jurisdiction_code("FR-75").value() == "FR-75");
  for (const char* bad : {"", "C", "CAN", "C1", "../../x", "<b>", "US-", "US-ABCD", "US_DC", "U\xe9", "CA\n"}) {
    INFO(bad);
    const auto r = jurisdiction_code(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find('\n') == std::string::npos);
  }
}

TEST_CASE("calendar dates: leap years, month lengths, ranges", "[hostile]") {
  for (const char* good : {"2024-02-29", "2000-02-29", "2022-12-31", "0001-01-01", "9999-12-31"}) CHECK(is_calendar_date(good));
  for (const char* bad : {"2022-13-45", "2022-02-30", "2023-02-29", "1900-02-29", "2022-04-31", "2022-00-01",
                          "2022-01-00", "0000-01-01", "2022-1-1", "2022/01/01", "2022-01-01x", "２０２２-01-01", ""})
    CHECK_FALSE(is_calendar_date(bad));
}

TEST_CASE("read_file refuses what is not a regular file, and what is over the limit, before reading",
          "[hostile]") {
  hrtrack::test::TempDir dir;
  const auto fifo = dir.path() / "pipe.xml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const auto start = std::chrono::steady_clock::now();
  auto r = read_file(fifo);  // before: blocked until a writer came
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("a FIFO, not a regular file"));
  auto zero = read_file("/dev/zero");
  REQUIRE_FALSE(zero.ok());
  CHECK_THAT(zero.error().message, Catch::Contains("a character device"));
  const auto file = dir.path() / "doc.xml";
  { std::ofstream(file) << std::string(1000, 'x'); }
  CHECK(read_file(file, 1000).ok());
  auto over = read_file(file, 999);
  REQUIRE_FALSE(over.ok());
  CHECK_THAT(over.error().message, Catch::Contains("1000 bytes, more than the limit of 999 bytes"));
}
