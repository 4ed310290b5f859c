// The crawler against a misbehaving server on 127.0.0.1: each fault ends as the outcome a
// user expects, and nothing stored before is lost.
#include <catch2/catch.hpp>

#include <iconv.h>

#include <chrono>
#include <set>

#include "crawl_support.hpp"
#include "hrtrack/corpus/parse.hpp"
#include "shared.hpp"

using namespace hrtrack;
using Outcome = crawler::SourceResult::Outcome;
using std::chrono::milliseconds;

namespace {

const std::string kCdsaPath = "/eng/XML/C-38.8.xml";
const std::string kCdsaUrl = "https://laws-lois.justice.gc.ca" + kCdsaPath;

struct Fixture {
  test::TempDir dir;
  std::unique_ptr<corpus::Store> store = std::move(corpus::Store::open(dir.path() / "data").value());
  test::Site site;
  crawler::Config config = test::test_config();

  Fixture() { config.host_override["laws-lois.justice.gc.ca"] = site.base(); }

  crawler::Source cdsa(const std::string& path = kCdsaPath) {
    return test::source_at("CA/cdsa", "https://laws-lois.justice.gc.ca" + path, "justice-canada", "en",
                           "CA/eng_acts_C-38.8.xml", "CA");
  }
  void serve_cdsa(const std::string& path = kCdsaPath, const std::string& file = "CA/eng_acts_C-38.8.xml") {
    site.put(path, {test::read_file(test::legislation(file)), "application/xml", "\"v1\"", ""});
  }
  crawler::CrawlReport crawl(std::vector<crawler::Source> sources) {
    return crawler::Crawler(*store, config).crawl(test::registry_of(std::move(sources)));
  }
  // A good version of the CDSA already in the catalogue, as before every fault.
  std::vector<std::string> seed() {
    serve_cdsa("/seed.xml");
    auto r = crawl({test::source_at("CA/seed", "https://laws-lois.justice.gc.ca/seed.xml", "justice-canada",
                                    "en", "CA/eng_acts_C-38.8.xml", "CA")});
    REQUIRE(r.versions_new == 1);
    return test::versions_of(*store);
  }
};

// UTF-8 -> windows-1252 (characters it lacks become '?'), with glibc's iconv.
std::string to_cp1252(const std::string& utf8) {
  iconv_t cd = iconv_open("WINDOWS-1252//TRANSLIT", "UTF-8");
  REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size(), '\0');
  char* in = const_cast<char*>(utf8.data());
  char* dst = out.data();
  std::size_t in_left = utf8.size(), out_left = out.size();
  iconv(cd, &in, &in_left, &dst, &out_left);
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

}  // namespace

TEST_CASE("a 500 then 200 is retried and imported", "[crawler]") {
  Fixture f;
  const auto before = f.seed();
  f.serve_cdsa();
  f.site.behave(kCdsaPath, [](const httplib::Request&, httplib::Response& res, int hit) {
    if (hit > 1) return false;
    res.status = 500;
    return true;
  });
  const auto r = f.crawl({f.cdsa()});
  const auto& x = test::result_of(r, "CA/cdsa");
  CHECK(x.outcome == Outcome::unchanged);  // same text as the seed: no new version
  CHECK(x.attempts == 2);
  CHECK(f.site.hits(kCdsaPath) == 2);
  CHECK(test::versions_of(*f.store) == before);
}

TEST_CASE("a 429 with Retry-After is honoured", "[crawler]") {
  Fixture f;
  f.serve_cdsa();
  f.site.behave(kCdsaPath, [](const httplib::Request&, httplib::Response& res, int hit) {
    if (hit > 1) return false;
    res.status = 429;
    res.set_header("Retry-After", "1");
    return true;
  });
  const auto r = f.crawl({f.cdsa()});
  CHECK(test::result_of(r, "CA/cdsa").outcome == Outcome::new_version);
  const auto t = f.site.arrivals(kCdsaPath);
  REQUIRE(t.size() == 2);
  CHECK(t[1] - t[0] >= 950);
}

TEST_CASE("a Retry-After beyond the limit gives up without waiting", "[crawler]") {
  Fixture f;
  const auto before = f.seed();
  f.site.behave(kCdsaPath, [](const httplib::Request&, httplib::Response& res, int) {
    res.status = 503;
    res.set_header("Retry-After", "3600");
    return true;
  });
  const auto start = std::chrono::steady_clock::now();
  const auto r = f.crawl({f.cdsa()});
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  const auto& x = test::result_of(r, "CA/cdsa");
  CHECK(x.outcome == Outcome::failed);
  CHECK_THAT(x.error, Catch::Contains("Retry-After"));
  CHECK(test::versions_of(*f.store) == before);
}

TEST_CASE("a 404 fails at once, without retries", "[crawler]") {
  Fixture f;
  const auto before = f.seed();
  const auto r = f.crawl({f.cdsa("/gone.xml")});
  const auto& x = test::result_of(r, "CA/cdsa");
  CHECK(x.outcome == Outcome::failed);
  CHECK(x.error == "HTTP 404");
  CHECK(f.site.hits("/gone.xml") == 1);
  CHECK(r.failed == 1);
  CHECK(test::versions_of(*f.store) == before);
  CHECK(f.store->fetches(1).front().outcome == "failed");
}

TEST_CASE("a slow drip fails on the minimum rate", "[crawler]") {
  Fixture f;
  const auto before = f.seed();
  f.config.retries = 0;
  test::Site* site = &f.site;
  f.site.behave("/drip.xml", [site](const httplib::Request&, httplib::Response& res, int) {
    res.set_chunked_content_provider("application/xml", [site](size_t, httplib::DataSink& sink) {
      if (site->stopping) return false;
      std::this_thread::sleep_for(milliseconds(200));
      return sink.write("<Statute>  ", 10);
    });
    return true;
  });
  const auto start = std::chrono::steady_clock::now();
  const auto r = f.crawl({f.cdsa("/drip.xml")});
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
  const auto& x = test::result_of(r, "CA/cdsa");
  CHECK(x.outcome == Outcome::failed);
  CHECK_THAT(x.error, Catch::Contains("body slower than 1000 bytes/s over 1000 ms"));
  CHECK(test::versions_of(*f.store) == before);
}

TEST_CASE("a reset connection is retried, then fails", "[crawler]") {
  Fixture f;
  const auto before = f.seed();
  test::ResetServer reset;
  f.config.host_override["reset.example"] = reset.base();
  f.config.obey_robots = false;  // else robots.txt is what fails, and the host is skipped
  const auto r = f.crawl({test::source_at("CA/reset", "https://reset.example/x.xml", "justice-canada", "en",
                                          "CA/eng_acts_C-38.8.xml", "CA")});
  const auto& x = test::result_of(r, "CA/reset");
  CHECK(x.outcome == Outcome::failed);
  CHECK(x.attempts == 3);
  CHECK(reset.accepted() == 3);
  CHECK(test::versions_of(*f.store) == before);
}

TEST_CASE("a truncated body (Content-Length larger than sent) is never imported", "[crawler]") {
  Fixture f;
  const auto before = f.seed();
  const std::string doc = test::read_file(test::legislation("CA/eng_acts_C-38.8.xml"));
  f.site.behave(kCdsaPath, [doc](const httplib::Request&, httplib::Response& res, int) {
    res.set_content_provider(doc.size(), "application/octet-stream",
                             [doc](size_t, size_t, httplib::DataSink& sink) {
                               sink.write(doc.data(), doc.size() / 2);
                               return false;  // hang up half way
                             });
    return true;
  });
  const auto r = f.crawl({f.cdsa()});
  const auto& x = test::result_of(r, "CA/cdsa");
  CHECK(x.outcome == Outcome::failed);
  CHECK(x.attempts == 3);
  CHECK(test::versions_of(*f.store) == before);
}

TEST_CASE("a redirect loop stops at the redirect limit, without retries", "[crawler]") {
  Fixture f;
  const auto before = f.seed();
  f.site.behave("/loop.xml", [](const httplib::Request&, httplib::Response& res, int) {
    res.set_redirect("/loop.xml");
    return true;
  });
  const auto r = f.crawl({f.cdsa("/loop.xml")});
  const auto& x = test::result_of(r, "CA/cdsa");
  CHECK(x.outcome == Outcome::failed);
  CHECK_THAT(x.error, Catch::Contains("redirect"));
  CHECK(f.site.hits("/loop.xml") == 1 + static_cast<int>(f.config.max_redirects));
  CHECK(test::versions_of(*f.store) == before);
}

TEST_CASE("a redirect to another scheme than http(s) is refused", "[crawler]") {
  Fixture f;
  f.site.behave("/ftp.xml", [](const httplib::Request&, httplib::Response& res, int) {
    res.set_redirect("ftp://127.0.0.1/x.xml");
    return true;
  });
  const auto r = f.crawl({f.cdsa("/ftp.xml")});
  CHECK(test::result_of(r, "CA/cdsa").outcome == Outcome::failed);
  CHECK(f.site.hits("/ftp.xml") == 1);
}

TEST_CASE("an oversized body is aborted at the size limit", "[crawler]") {
  Fixture f;
  const auto before = f.seed();
  f.config.max_body_bytes = 1 << 20;
  f.site.put("/big.xml", {std::string(3u << 20, 'x'), "application/octet-stream", "", ""});
  const auto r = f.crawl({f.cdsa("/big.xml")});
  const auto& x = test::result_of(r, "CA/cdsa");
  CHECK(x.outcome == Outcome::failed);
  CHECK_THAT(x.error, Catch::Contains("larger than 1048576 bytes"));
  CHECK(test::versions_of(*f.store) == before);
}

TEST_CASE("a gzip bomb is aborted at the decompressed size limit", "[crawler]") {
  Fixture f;
  const auto before = f.seed();
  f.config.max_body_bytes = 8u << 20;
  const std::string bomb = test::gzip_of(std::string(64u << 20, ' '));
  REQUIRE(bomb.size() < 100'000);
  f.site.behave("/bomb.xml", [bomb](const httplib::Request&, httplib::Response& res, int) {
    res.set_header("Content-Encoding", "gzip");
    res.set_content(bomb, "application/octet-stream");  // not a type httplib would compress again
    return true;
  });
  const auto r = f.crawl({f.cdsa("/bomb.xml")});
  const auto& x = test::result_of(r, "CA/cdsa");
  CHECK(x.outcome == Outcome::failed);
  CHECK_THAT(x.error, Catch::Contains("after decompression"));
  CHECK(x.attempts == 1);
  CHECK(test::versions_of(*f.store) == before);
}

TEST_CASE("gii's xml.zip is unpacked and imported; a zip bomb is refused", "[crawler]") {
  Fixture f;
  f.config.host_override["www.gesetze-im-internet.de"] = f.site.base();
  f.config.unzip.max_entry_bytes = 4u << 20;
  const std::string xml = test::read_file(test::legislation("DE/btmg_1981.gii.xml"));
  f.site.put("/btmg_1981/xml.zip", {test::zip_of({{"BJNR106810981.xml", xml}}), "application/zip", "\"z\"", ""});
  f.site.put("/bomb/xml.zip", {test::zip_of({{"bomb.xml", std::string(64u << 20, ' ')}}), "application/zip", "", ""});
  auto src = [](const std::string& id, const std::string& slug) {
    return test::source_at(id, "https://www.gesetze-im-internet.de/" + slug + "/xml.zip", "gii", "de",
                           "DE/btmg_1981.gii.xml", "DE");
  };
  const auto r = f.crawl({src("DE/btmg", "btmg_1981"), src("DE/bomb", "bomb")});
  CHECK(test::result_of(r, "DE/btmg").outcome == Outcome::new_version);
  const auto& bomb = test::result_of(r, "DE/bomb");
  CHECK(bomb.outcome == Outcome::failed);
  CHECK_THAT(bomb.error, Catch::Contains("zip bomb"));
  auto btmg = f.store->find_instrument("BtMG");
  REQUIRE(btmg);
  CHECK(f.store->versions(btmg->id).size() == 1);
}

TEST_CASE("a wrong charset header does not garble a UTF-8 document; legacy text is converted", "[crawler]") {
  Fixture f;
  f.config.host_override["www.gesetze-im-internet.de"] = f.site.base();
  f.site.put("/btmg_1981/xml.zip", {test::read_file(test::legislation("DE/btmg_1981.gii.xml")),
                                    "text/xml; charset=ISO-8859-1", "", ""});
  // The markdown rendering, re-encoded as windows-1252 and labelled so.
  const std::string md = test::read_file(test::legislation("DE/btmvv_1998.bundestag.md"));
  const std::string cp1252 = to_cp1252(md);
  REQUIRE(cp1252.find("\xA7") != std::string::npos);  // "§" as one byte
  f.site.put("/btmvv.md", {cp1252, "text/markdown; charset=windows-1252", "", ""});
  auto md_source = test::source_at("DE/btmvv.md", "https://www.gesetze-im-internet.de/btmvv.md", "markdown", "de",
                                   "DE/btmvv_1998.bundestag.md", "DE");
  const auto r = f.crawl({test::source_at("DE/btmg", "https://www.gesetze-im-internet.de/btmg_1981/xml.zip", "gii",
                                          "de", "DE/btmg_1981.gii.xml", "DE"),
                          md_source});
  REQUIRE(test::result_of(r, "DE/btmg").outcome == Outcome::new_version);
  INFO(test::result_of(r, "DE/btmvv.md").error);
  REQUIRE(test::result_of(r, "DE/btmvv.md").outcome == Outcome::new_version);
  auto btmg = f.store->find_instrument("BtMG");
  REQUIRE(btmg);
  const auto v = f.store->versions(btmg->id).back();
  bool umlaut = false;
  for (const auto& s : f.store->sections(v.id))
    if (s.body.text.find("Bet\xC3\xA4ubungsmittel") != std::string::npos) umlaut = true;
  CHECK(umlaut);
  bool converted = false;
  for (const auto& in : f.store->instruments("DE"))
    for (const auto& ver : f.store->versions(in.id))
      if (ver.format == "markdown")
        for (const auto& s : f.store->sections(ver.id))
          if (s.body.text.find("\xC3\xA4") != std::string::npos) converted = true;
  CHECK(converted);
}

TEST_CASE("robots.txt: Disallow is obeyed, fetched once per host, Crawl-delay spaces requests", "[crawler]") {
  Fixture f;
  f.site.robots("User-agent: *\nDisallow: /private/\n\nUser-agent: hrtrack\nDisallow: /private/\nCrawl-delay: 1\n");
  f.serve_cdsa();
  f.serve_cdsa("/eng/XML/C-24.5.xml", "CA/eng_acts_C-24.5.xml");
  f.serve_cdsa("/private/x.xml");
  auto cannabis = test::source_at("CA/cannabis", "https://laws-lois.justice.gc.ca/eng/XML/C-24.5.xml",
                                  "justice-canada", "en", "CA/eng_acts_C-24.5.xml", "CA");
  auto hidden = f.cdsa("/private/x.xml");
  hidden.id = "CA/hidden";
  const auto r = f.crawl({f.cdsa(), cannabis, hidden});
  CHECK(test::result_of(r, "CA/cdsa").outcome == Outcome::new_version);
  CHECK(test::result_of(r, "CA/cannabis").outcome == Outcome::new_version);
  const auto& h = test::result_of(r, "CA/hidden");
  CHECK(h.outcome == Outcome::failed);
  CHECK_THAT(h.error, Catch::Contains("robots.txt"));
  CHECK(f.site.hits("/private/x.xml") == 0);
  CHECK(f.site.hits("/robots.txt") == 1);
  const auto a = f.site.arrivals(kCdsaPath), b = f.site.arrivals("/eng/XML/C-24.5.xml");
  REQUIRE(a.size() == 1);
  REQUIRE(b.size() == 1);
  CHECK(std::abs(a[0] - b[0]) >= 950);
}

TEST_CASE("an unreachable robots.txt (5xx) keeps the crawler off the host", "[crawler]") {
  Fixture f;
  const auto before = f.seed();
  f.site.behave("/robots.txt", [](const httplib::Request&, httplib::Response& res, int) {
    res.status = 500;
    return true;
  });
  f.serve_cdsa();
  // A fresh host name, so the seed's robots.txt answer is not reused.
  f.config.host_override["www.justice.example"] = f.site.base();
  const auto r = f.crawl({test::source_at("CA/x", "https://www.justice.example" + kCdsaPath, "justice-canada",
                                          "en", "CA/eng_acts_C-38.8.xml", "CA")});
  const auto& x = test::result_of(r, "CA/x");
  CHECK(x.outcome == Outcome::failed);
  CHECK_THAT(x.error, Catch::Contains("unreachable"));
  CHECK(f.site.hits(kCdsaPath) == 0);
  CHECK(test::versions_of(*f.store) == before);
}

TEST_CASE("ETag and Last-Modified: a re-crawl of unchanged sources downloads no bodies", "[crawler]") {
  Fixture f;
  f.serve_cdsa();  // ETag
  f.site.put("/eng/XML/C-24.5.xml", {test::read_file(test::legislation("CA/eng_acts_C-24.5.xml")), "application/xml",
                                     "", "Wed, 21 Oct 2015 07:28:00 GMT"});  // Last-Modified only
  auto cannabis = test::source_at("CA/cannabis", "https://laws-lois.justice.gc.ca/eng/XML/C-24.5.xml",
                                  "justice-canada", "en", "CA/eng_acts_C-24.5.xml", "CA");
  const auto first = f.crawl({f.cdsa(), cannabis});
  CHECK(first.versions_new == 2);
  const auto before = test::versions_of(*f.store);
  const int bodies = f.site.bodies_sent();
  for (int round = 0; round < 2; ++round) {
    const auto again = f.crawl({f.cdsa(), cannabis});
    CHECK(again.not_modified == 2);
    CHECK(again.bytes == 0);
    CHECK(again.failed == 0);
  }
  CHECK(f.site.bodies_sent() == bodies);
  CHECK(f.site.not_modified_sent() == 4);
  CHECK(test::versions_of(*f.store) == before);
  for (const auto& ua : f.site.user_agents()) CHECK_THAT(ua, Catch::StartsWith("hrtrack/") && Catch::Contains("https://example.org/hrtrack-tests"));
}

TEST_CASE("a body that fails to parse keeps the last good version and is fetched again next time", "[crawler]") {
  Fixture f;
  f.serve_cdsa();
  REQUIRE(f.crawl({f.cdsa()}).versions_new == 1);
  const auto before = test::versions_of(*f.store);
  f.site.put(kCdsaPath, {"<Statute><Body><Section>broken", "application/xml", "\"v2\"", ""});
  const auto bad = f.crawl({f.cdsa()});
  CHECK(test::result_of(bad, "CA/cdsa").outcome == Outcome::failed);
  CHECK(test::versions_of(*f.store) == before);
  // The failed body's ETag must not earn a 304: the next crawl downloads and retries.
  const int bodies = f.site.bodies_sent();
  f.crawl({f.cdsa()});
  CHECK(f.site.bodies_sent() == bodies + 1);
}

// A real gii file with no legal text (gesetze-im-internet bulk, xml/_lhaft_bkprot.xml): a
// protocol to a treaty, of which the site publishes only metadata and a footnote. 1,053 of
// the 6,786 gii files are like it.
const std::string kNoLegalTextGii =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" ?><!DOCTYPE dokumente SYSTEM "
    "\"http://www.gesetze-im-internet.de/dtd/1.01/gii-norm.dtd\">\n"
    "<dokumente builddate=\"20131008093836\" doknr=\"BJNR207240980\"><norm builddate=\"20131008093836\" "
    "doknr=\"BJNR207240980\"><metadaten><jurabk>\u00d6lHaft\u00dcbkProt</jurabk><ausfertigung-datum "
    "manuell=\"ja\">1976-11-19</ausfertigung-datum><fundstelle typ=\"amtlich\"><periodikum>BGBl II"
    "</periodikum><zitstelle>1980, 724</zitstelle></fundstelle><langue>Protokoll zum Internationalen "
    "\u00dcbereinkommen von 1969 \u00fcber die\nzivilrechtliche Haftung f\u00fcr \u00d6lverschmutzungssch"
    "\u00e4den</langue></metadaten><textdaten><text format=\"decorated\"/><fussnoten><Content><P>G v. "
    "9.6.1980 II 721 <BR/>Inkraft gem. Bek. v. 19.2.1981 II 122 mWv 8.4.1981</P></Content></fussnoten>"
    "</textdaten></norm>\n</dokumente>\n";

TEST_CASE("a body with no legal text is reported as such, kept, and not downloaded again until it or the parsers change",
          "[crawler]") {
  Fixture f;
  f.config.host_override["www.gesetze-im-internet.de"] = f.site.base();
  const std::string path = "/oelhaftuebkprot/xml.xml";
  const auto treaty = test::source_at("DE/oelhaftuebkprot", "https://www.gesetze-im-internet.de" + path, "gii",
                                      "de", "DE/btmahv.gii.xml", "DE");
  f.site.put(path, {kNoLegalTextGii, "application/xml", "\"n1\"", ""});

  const auto first = f.crawl({treaty});
  const auto& r = test::result_of(first, "DE/oelhaftuebkprot");
  CHECK(r.outcome == Outcome::no_legal_text);
  CHECK_THAT(r.error, Catch::Contains("no legal text"));
  CHECK(first.failed == 0);  // real failures are not hidden among these
  CHECK(first.no_legal_text == 1);
  CHECK(first.fetched == 1);
  CHECK(test::versions_of(*f.store).empty());
  // The raw bytes and the validators are kept.
  const auto logged = f.store->fetches(1);
  REQUIRE(logged.size() == 1);
  CHECK(logged[0].outcome == "no-legal-text");
  CHECK(logged[0].etag == "\"n1\"");
  CHECK(logged[0].parsers == corpus::kParsersRevision);
  CHECK(f.store->get_blob(logged[0].sha256).value() == kNoLegalTextGii);

  // Unchanged: a 304, no body, no failure.
  const int bodies = f.site.bodies_sent();
  const auto again = f.crawl({treaty});
  CHECK(again.not_modified == 1);
  CHECK(again.failed == 0);
  CHECK(f.site.bodies_sent() == bodies);

  // Catalogued by older parsers: the body is read again in full, whatever its validators.
  corpus::FetchRecord older = logged[0];
  older.time.clear();
  older.parsers = corpus::kParsersRevision - 1;
  REQUIRE(f.store->record_fetch(older));
  const auto reread = f.crawl({treaty});
  CHECK(f.site.bodies_sent() == bodies + 1);
  CHECK(test::result_of(reread, "DE/oelhaftuebkprot").outcome == Outcome::no_legal_text);
  CHECK(f.crawl({treaty}).not_modified == 1);  // and the new parsers' verdict earns 304s again

  // The bytes change (the law's text is published): downloaded and imported.
  f.site.put(path, {test::read_file(test::legislation("DE/btmahv.gii.xml")), "application/xml", "\"n2\"", ""});
  const auto changed = f.crawl({treaty});
  CHECK(test::result_of(changed, "DE/oelhaftuebkprot").outcome == Outcome::new_version);
  CHECK(changed.versions_new == 1);
  CHECK(changed.no_legal_text == 0);
}

TEST_CASE("many hosts in parallel, at most one connection per host", "[crawler]") {
  test::TempDir dir;
  auto store = std::move(corpus::Store::open(dir.path() / "data").value());
  std::vector<std::unique_ptr<test::Site>> sites;
  std::vector<crawler::Source> sources;
  auto config = test::test_config();
  const std::vector<std::string> files = {"CA/eng_acts_C-38.8.xml", "CA/eng_acts_C-24.5.xml",
                                          "CA/fra_lois_C-38.8.xml", "CA/fra_lois_C-24.5.xml"};
  for (int h = 0; h < 3; ++h) {
    sites.push_back(std::make_unique<test::Site>());
    sites.back()->slow(150);
    const std::string host = "host" + std::to_string(h) + ".example";
    config.host_override[host] = sites.back()->base();
    for (const auto& file : files) {
      const std::string path = "/" + file;
      sites.back()->put(path, {test::read_file(test::legislation(file)), "application/xml", "", ""});
      sources.push_back(test::source_at(host + path, "https://" + host + path, "justice-canada",
                                        file.find("fra") != std::string::npos ? "fr" : "en", file, "CA"));
    }
  }
  const auto start = std::chrono::steady_clock::now();
  const auto r = crawler::Crawler(*store, config).crawl(test::registry_of(sources));
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(r.failed == 0);
  CHECK(r.fetched == 12);
  for (const auto& s : sites) CHECK(s->max_in_flight() == 1);
  // Hosts are crawled side by side: the span of each host's requests overlaps the others'.
  std::vector<std::pair<long long, long long>> spans;
  for (const auto& s : sites) {
    std::vector<long long> t;
    for (const auto& file : files) t.push_back(s->arrivals("/" + file).at(0));
    spans.emplace_back(*std::min_element(t.begin(), t.end()), *std::max_element(t.begin(), t.end()));
  }
  for (std::size_t i = 1; i < spans.size(); ++i) {
    CHECK(spans[i].first < spans[0].second);
    CHECK(spans[0].first < spans[i].second);
  }
  CHECK(seconds < 10);  // loose: sanitizer builds import slowly
}
