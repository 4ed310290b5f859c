// Hostile documents: each is refused with a clear error, in bounded time, without crashing.
#include <catch2/catch.hpp>

#include <chrono>

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
