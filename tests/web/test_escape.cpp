// The escaping helpers and analysts' passwords: what keeps hostile text inert and
// accounts safe.
#include <catch2/catch.hpp>

#include "hrtrack/web/analysts.hpp"
#include "hrtrack/web/escape.hpp"
#include "hrtrack/web/http.hpp"
#include "shared.hpp"

using namespace hrtrack::web;

TEST_CASE("html escapes markup and quotes for text and attributes", "[web]") {
  CHECK(html("<script>alert('x')</script>") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  CHECK(html("a \"b\" & c") == "a &quot;b&quot; &amp; c");
  CHECK(html("Straße § 29 — café") == "Straße § 29 — café");
}

TEST_CASE("html replaces invalid UTF-8 and control characters", "[web]") {
  // A lone lead byte must not swallow the quote after it.
  CHECK(html("a\xC3\"") == "a\xEF\xBF\xBD&quot;");
  CHECK(html(std::string("x\0y", 3)) == "x\xEF\xBF\xBDy");
  CHECK(html("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  CHECK(html("tab\tand\nline") == "tab\tand\nline");
}

TEST_CASE("url_component keeps # / & ? as data", "[web]") {
  CHECK(url_component("C-38.8#56.1") == "C-38.8%2356.1");
  CHECK(url_component("SOR/2025-242") == "SOR%2F2025-242");
  CHECK(url_component("a b&c=d?") == "a%20b%26c%3Dd%3F");
  CHECK(url_component("ü") == "%C3%BC");
  CHECK(url_decode(url_component("C.R.C., c. 1041#3 ü")) == "C.R.C., c. 1041#3 ü");
  CHECK(url_decode("a+b%2") == "a b%2");
}

TEST_CASE("json_for_script cannot close the script element", "[web]") {
  const std::string out = json_for_script(R"({"name":"</script><script>alert(1)</script><!--"})");
  CHECK(out.find('<') == std::string::npos);
  CHECK(out.find('>') == std::string::npos);
  CHECK(out.find("\\u003c/script\\u003e") != std::string::npos);
  CHECK(json_for_script("\"\xE2\x80\xA8\"") == "\"\\u2028\"");
}

TEST_CASE("markdown escapes markup characters and keeps one line", "[web]") {
  CHECK(markdown("*a* [b](c) <d>\nnext") == "\\*a\\* \\[b\\](c) \\<d\\> next");
  CHECK(markdown("C-38.8#4") == "C-38.8\\#4");
}

TEST_CASE("csv_field quotes and defuses formulas", "[web]") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"x\"") == "\"say \"\"x\"\"\"");
  CHECK(csv_field("=HYPERLINK(1)") == "'=HYPERLINK(1)");
  CHECK(csv_field("-1,2") == "\"'-1,2\"");
}

TEST_CASE("parse_query decodes pairs and repeated keys", "[web]") {
  const auto q = parse_query("j=CA&j=DE&q=%22personal+use%22&empty=&flag");
  CHECK(q.count("j") == 2);
  CHECK(q.find("q")->second == "\"personal use\"");
  CHECK(q.find("empty")->second.empty());
  CHECK(q.count("flag") == 1);
  Request r;
  r.headers["cookie"] = "a=1; hrsid=abc; b=2";
  CHECK(r.cookie("hrsid") == "abc");
  CHECK(r.cookie("nope").empty());
}

TEST_CASE("passwords are salted, slow hashes that verify", "[web]") {
  const auto a = hash_password("correct horse", 1000);
  const auto b = hash_password("correct horse", 1000);
  CHECK(a.salt_hex != b.salt_hex);
  CHECK(a.hash_hex != b.hash_hex);
  CHECK(a.hash_hex.size() == 64);
  CHECK(verify_password("correct horse", a));
  CHECK_FALSE(verify_password("correct horsE", a));
  CHECK(random_hex(16).size() == 32);
}

TEST_CASE("analysts are stored with hashed passwords", "[web]") {
  hrtrack::test::TempDir dir;
  auto store = hrtrack::corpus::Store::open(dir.path());
  REQUIRE(store);
  auto& s = *store.value();
  CHECK_FALSE(add_analyst(s, "bad name", "longenough", 1000).ok());
  CHECK_FALSE(add_analyst(s, "ana", "short", 1000).ok());
  REQUIRE(add_analyst(s, "ana", "s3cret-pass", 1000).ok());
  REQUIRE(add_analyst(s, "ana2", "other-pass", 1000).ok());
  CHECK(check_analyst(s, "ana", "s3cret-pass"));
  CHECK_FALSE(check_analyst(s, "ana", "wrong-pass"));
  CHECK_FALSE(check_analyst(s, "nobody", "s3cret-pass"));
  const auto rec = s.record("analyst", "ana");
  REQUIRE(rec);
  CHECK(rec->json.find("s3cret") == std::string::npos);
  REQUIRE(remove_analyst(s, "ana").ok());
  CHECK(analysts(s) == std::vector<std::string>{"ana2"});
}
