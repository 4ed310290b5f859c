// robots.txt, character sets and zip archives: the pieces the crawl pipeline trusts.
#include <catch2/catch.hpp>

#include "crawl_support.hpp"
#include "hrtrack/crawler/address.hpp"
#include "hrtrack/crawler/archive.hpp"
#include "hrtrack/crawler/charset.hpp"
#include "hrtrack/crawler/robots.hpp"
#include "shared.hpp"

using namespace hrtrack;
using crawler::RobotsRules;

TEST_CASE("robots.txt: our group wins over '*', longest match, Allow on a tie, wildcards", "[crawler]") {
  const std::string text =
      "User-agent: *\nDisallow: /\n\n"
      "User-agent: Googlebot\nUser-agent: hrtrack\nDisallow: /private/\nAllow: /private/open$\n"
      "Disallow: /*.pdf$\nCrawl-delay: 2.5\n";
  const auto r = RobotsRules::parse(text, "hrtrack");
  CHECK(r.allowed("/eng/XML/C-38.8.xml"));
  CHECK_FALSE(r.allowed("/private/x"));
  CHECK(r.allowed("/private/open"));
  CHECK_FALSE(r.allowed("/private/open/more"));
  CHECK_FALSE(r.allowed("/a/b.pdf"));
  CHECK(r.allowed("/a/b.pdf?x"));
  CHECK(r.crawl_delay_seconds() == Approx(2.5));
  const auto other = RobotsRules::parse(text, "SomeBot");
  CHECK_FALSE(other.allowed("/eng/XML/C-38.8.xml"));
  CHECK_FALSE(RobotsRules::disallow_all().allowed("/x"));
  CHECK(RobotsRules::parse("# nothing\n", "hrtrack").allowed("/x"));
}

TEST_CASE("charset: XML keeps its declaration, UTF-8 bodies survive a wrong header, legacy text is converted", "[crawler]") {
  const std::string bom_xml = test::read_file(test::legislation("CA/eng_acts_C-38.8.xml"));
  auto a = crawler::decode_text(bom_xml, "application/xml; charset=iso-8859-1", true);
  REQUIRE(a);
  CHECK_FALSE(a->converted);
  CHECK(a->bytes == bom_xml);

  // "Betäubungsmittel" in UTF-8 under a header claiming latin-1: kept as UTF-8.
  auto b = crawler::decode_text("Bet\xC3\xA4ubungsmittel", "text/plain; charset=ISO-8859-1", false);
  REQUIRE(b);
  CHECK(b->bytes == "Bet\xC3\xA4ubungsmittel");

  // The same word in latin-1, as the header says: converted.
  auto c = crawler::decode_text("Bet\xE4ubungsmittel", "text/plain; charset=ISO-8859-1", false);
  REQUIRE(c);
  CHECK(c->converted);
  CHECK(c->bytes == "Bet\xC3\xA4ubungsmittel");

  // No header: an HTML meta charset, then windows-1252 ("\x96" is an en dash there).
  auto d = crawler::decode_text("<meta charset=\"iso-8859-15\"><p>\xA4", "text/html", false);
  REQUIRE(d);
  CHECK(d->bytes.find("\xE2\x82\xAC") != std::string::npos);  // the euro sign of latin-9
  auto e = crawler::decode_text("a \x96 b", "", false);
  REQUIRE(e);
  CHECK(e->bytes == "a \xE2\x80\x93 b");

  CHECK_FALSE(crawler::decode_text("\xFF\xFF", "text/plain; charset=x-no-such-charset", false));
  CHECK(crawler::charset_of("text/html; charset=\"UTF-8\"") == "UTF-8");
}

TEST_CASE("zip: the XML inside is returned; a zip bomb and a zip without XML are refused", "[crawler]") {
  const std::string xml = test::read_file(test::legislation("DE/btmg_1981.gii.xml"));
  const auto zip = test::zip_of({{"bild.gif", "GIF89a"}, {"BJNR106810981.xml", xml}});
  REQUIRE(crawler::looks_like_zip(zip));
  auto got = crawler::xml_from_zip(zip, {});
  REQUIRE(got);
  CHECK(*got == xml);

  crawler::UnzipLimits small;
  small.max_entry_bytes = 1 << 20;
  const auto bomb = test::zip_of({{"bomb.xml", std::string(64u << 20, ' ')}});
  CHECK(bomb.size() < 200'000);
  auto refused = crawler::xml_from_zip(bomb, small);
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("zip bomb"));

  CHECK_FALSE(crawler::xml_from_zip(test::zip_of({{"readme.txt", "x"}}), {}));
  CHECK_FALSE(crawler::xml_from_zip("PK\x03\x04 not really", {}));
}

TEST_CASE("addresses: what is internal, and where a redirect may go", "[crawler]") {
  using crawler::Reach;
  using crawler::reach_of;
  CHECK(reach_of("93.184.216.34") == Reach::public_internet);
  CHECK(reach_of("2606:2800:220:1:248:1893:25c8:1946") == Reach::public_internet);
  for (const char* ip : {"127.0.0.1", "127.255.0.9", "::1", "::ffff:127.0.0.1"}) CHECK(reach_of(ip) == Reach::loopback);
  for (const char* ip : {"10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1", "fd00::1", "::ffff:10.0.0.1"})
    CHECK(reach_of(ip) == Reach::private_network);
  CHECK(reach_of("172.32.0.1") == Reach::public_internet);
  for (const char* ip : {"169.254.169.254", "fe80::1", "fe80::1%eth0", "::ffff:169.254.169.254"})
    CHECK(reach_of(ip) == Reach::link_local);
  for (const char* ip : {"0.0.0.0", "::", "224.0.0.1", "255.255.255.255", "ff02::1", "2001:db8::1", "not an address", ""})
    CHECK(reach_of(ip) == Reach::reserved);
  CHECK(crawler::may_redirect(Reach::public_internet, Reach::public_internet));
  CHECK(crawler::may_redirect(Reach::loopback, Reach::public_internet));
  CHECK(crawler::may_redirect(Reach::loopback, Reach::loopback));
  CHECK_FALSE(crawler::may_redirect(Reach::public_internet, Reach::loopback));
  CHECK_FALSE(crawler::may_redirect(Reach::public_internet, Reach::private_network));
  CHECK_FALSE(crawler::may_redirect(Reach::loopback, Reach::link_local));
  CHECK_FALSE(crawler::may_redirect(Reach::reserved, Reach::reserved));
}
