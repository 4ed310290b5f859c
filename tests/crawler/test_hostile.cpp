// Hostile or broken publishers (issue 14, items 9-12), against a real HTTP server on
// 127.0.0.1: redirects off the source's host or to internal addresses, trickles and long
// Retry-After waits, decompression bombs, and failed bodies piling up. Each probe is refused
// or bounded, and nothing stored before is lost.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "crawl_support.hpp"
#include "shared.hpp"

using namespace hrtrack;
using Outcome = crawler::SourceResult::Outcome;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kHost = "laws-lois.justice.gc.ca";
const std::string kCdsaFile = "CA/eng_acts_C-38.8.xml";

struct Fixture {
  test::TempDir dir;
  std::unique_ptr<corpus::Store> store = std::move(corpus::Store::open(dir.path() / "data").value());
  test::Site site;
  crawler::Config config = test::test_config();

  Fixture() { config.host_override[kHost] = site.base(); }

  crawler::Source source(const std::string& id, const std::string& path) {
    return test::source_at(id, "https://" + kHost + path, "justice-canada", "en", kCdsaFile, "CA");
  }
  crawler::CrawlReport crawl(std::vector<crawler::Source> sources) {
    return crawler::Crawler(*store, config).crawl(test::registry_of(std::move(sources)));
  }
};

// This process's peak resident memory since the last reset_peak(), in bytes.
void reset_peak() { std::ofstream("/proc/self/clear_refs") << "5"; }
long long peak_rss() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  return -1;
}
long long rss() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  return -1;
}

bool sanitized() { return test::time_bound(1) > 1; }

}  // namespace

TEST_CASE("a gzip bomb is stopped at the body cap without holding twice the cap", "[crawler][hostile]") {
  Fixture f;
  const std::size_t cap = 64u << 20;
  f.config.max_body_bytes = cap;
  const std::string bomb = test::gzip_bomb(4 * cap);  // 256 MB of zeros in 1 MB
  f.site.behave("/bomb.xml", [&bomb](const httplib::Request&, httplib::Response& res, int) {
    res.set_header("Content-Encoding", "gzip");
    res.set_content(bomb, "application/octet-stream");
    return true;
  });
  const long long before = rss();
  reset_peak();
  const auto r = f.crawl({f.source("CA/bomb", "/bomb.xml")});
  const long long grown = peak_rss() - before;
  CHECK(test::result_of(r, "CA/bomb").outcome == Outcome::failed);
  CHECK_THAT(test::result_of(r, "CA/bomb").error, Catch::Contains("after decompression"));
  WARN("peak growth " << grown / (1 << 20) << " MB for a cap of " << cap / (1 << 20) << " MB");
  if (!sanitized()) CHECK(grown < static_cast<long long>(cap + cap / 4));
}

namespace {

// A page that redirects every request to `to`.
void redirect(test::Site& site, const std::string& path, const std::string& to) {
  site.behave(path, [to](const httplib::Request&, httplib::Response& res, int) {
    res.set_redirect(to);
    return true;
  });
}

std::vector<corpus::FetchRecord> fetches_of(const corpus::Store& store, const std::string& source_id) {
  std::vector<corpus::FetchRecord> out;
  for (auto& f : store.fetches(1000))
    if (f.source_id == source_id) out.push_back(f);
  std::reverse(out.begin(), out.end());  // oldest first
  return out;
}

}  // namespace

TEST_CASE("a redirect to another server on 127.0.0.1 is refused as another host, and logged", "[crawler][hostile]") {
  Fixture f;
  test::Site other;  // an internal service the publisher must not reach through us
  other.put("/secret", {test::read_file(test::legislation(kCdsaFile)), "application/xml", "", ""});
  redirect(f.site, "/doc.xml", other.base() + "/secret");
  const auto r = f.crawl({f.source("CA/doc", "/doc.xml")});
  const auto& x = test::result_of(r, "CA/doc");
  // Before: followed, the other server's robots.txt never asked, its reply stored as a version.
  CHECK(x.outcome == Outcome::failed);
  CHECK_THAT(x.error, Catch::Contains("leaves the source's host " + kHost));
  CHECK(other.hits("/secret") == 0);
  CHECK(other.hits("/robots.txt") == 0);
  CHECK(test::versions_of(*f.store).empty());
  const auto log = fetches_of(*f.store, "CA/doc");
  REQUIRE(log.size() == 2);
  CHECK(log[0].http_status == 302);
  CHECK(log[0].outcome == "redirect");
  CHECK(log[0].error == "to " + other.base() + "/secret");
  CHECK(log[1].outcome == "failed");
}

TEST_CASE("a redirect to a host the source lists is followed, under that host's robots.txt", "[crawler][hostile]") {
  Fixture f;
  test::Site mirror;
  const std::string listed = "mirror.example";
  f.config.host_override[listed] = mirror.base();
  mirror.robots("User-agent: *\nDisallow: /private/\n");
  mirror.put("/doc.xml", {test::read_file(test::legislation(kCdsaFile)), "application/xml", "\"m1\"", ""});
  mirror.put("/private/doc.xml", {test::read_file(test::legislation(kCdsaFile)), "application/xml", "", ""});
  redirect(f.site, "/doc.xml", mirror.base() + "/doc.xml");
  redirect(f.site, "/hidden.xml", mirror.base() + "/private/doc.xml");
  auto doc = f.source("CA/doc", "/doc.xml");
  auto hidden = f.source("CA/hidden", "/hidden.xml");
  doc.redirect_hosts = hidden.redirect_hosts = {listed};
  const auto r = f.crawl({doc, hidden});
  const auto& d = test::result_of(r, "CA/doc");
  INFO(d.error);
  CHECK(d.outcome == Outcome::new_version);
  CHECK(mirror.hits("/robots.txt") == 1);  // before: never asked
  const auto& h = test::result_of(r, "CA/hidden");
  CHECK(h.outcome == Outcome::failed);
  CHECK_THAT(h.error, Catch::Contains("disallowed by robots.txt of " + mirror.base()));
  CHECK(mirror.hits("/private/doc.xml") == 0);  // before: fetched
  const auto log = fetches_of(*f.store, "CA/doc");
  REQUIRE(log.size() == 2);
  CHECK(log[0].url == "https://" + kHost + "/doc.xml");
  CHECK(log[0].http_status == 302);
  CHECK(log[1].url == "https://" + kHost + "/doc.xml");  // the source's URL keeps the validators
  CHECK(log[1].http_status == 200);
  CHECK(log[1].etag == "\"m1\"");
  // And the conditional GET follows the same way: a 304 at the end of it.
  const auto again = f.crawl({doc});
  CHECK(test::result_of(again, "CA/doc").outcome == Outcome::not_modified);
}

TEST_CASE("a redirect to a link-local address is refused before connecting, even to a listed host",
          "[crawler][hostile]") {
  Fixture f;
  // The cloud metadata service: what a server-side request forgery goes for.
  redirect(f.site, "/doc.xml", "http://169.254.169.254/latest/meta-data/");
  auto doc = f.source("CA/doc", "/doc.xml");
  doc.redirect_hosts = {"169.254.169.254"};
  const auto start = Clock::now();
  const auto r = f.crawl({doc});
  const auto& x = test::result_of(r, "CA/doc");
  CHECK(x.outcome == Outcome::failed);
  CHECK_THAT(x.error, Catch::Contains("169.254.169.254 is a link-local address, and the source is on a loopback one"));
  CHECK(x.attempts == 1);  // not retried
  CHECK(Clock::now() - start < std::chrono::duration<double>(test::time_bound(1)));
  // Within the source's own kind of address (a loopback source, tests) a hop is fine.
  redirect(f.site, "/moved.xml", f.site.base() + "/doc2.xml");
  f.site.put("/doc2.xml", {test::read_file(test::legislation(kCdsaFile)), "application/xml", "", ""});
  CHECK(test::result_of(f.crawl({f.source("CA/moved", "/moved.xml")}), "CA/moved").outcome == Outcome::new_version);
}

namespace {

// A body that never ends, `bytes` every 100 ms, until the server stops.
void trickle(test::Site& site, const std::string& path, std::size_t bytes) {
  test::Site* s = &site;
  site.behave(path, [s, bytes](const httplib::Request&, httplib::Response& res, int) {
    // (not a type httplib would compress: its compressor holds bytes back)
    res.set_chunked_content_provider("application/octet-stream", [s, bytes](size_t, httplib::DataSink& sink) {
      if (s->stopping) return false;
      std::this_thread::sleep_for(milliseconds(100));
      const std::string piece(bytes, ' ');
      return sink.write(piece.data(), piece.size());
    });
    return true;
  });
}

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

TEST_CASE("a 2 KB/s trickle fails on the minimum rate and never holds up its host's other sources beyond the budget",
          "[crawler][hostile]") {
  Fixture f;
  f.config.source_budget = milliseconds(1500);
  f.config.min_bytes_per_second = 10'000;
  f.config.rate_window = milliseconds(500);
  trickle(f.site, "/drip.xml", 200);  // 2 KB/s: above the old low-speed limit of 1 KB/s
  f.site.put("/other.xml", {test::read_file(test::legislation(kCdsaFile)), "application/xml", "", ""});
  const auto start = Clock::now();
  const auto r = f.crawl({f.source("CA/drip", "/drip.xml"), f.source("CA/other", "/other.xml")});
  const double took = since(start);
  const auto& drip = test::result_of(r, "CA/drip");
  CHECK(drip.outcome == Outcome::failed);
  CHECK_THAT(drip.error, Catch::Contains("body slower than 10000 bytes/s over 500 ms"));
  CHECK(test::result_of(r, "CA/other").outcome == Outcome::new_version);
  // One connection per host: the other source went in as soon as an attempt of the drip was
  // given up (before: after its 5 s timeout; the whole crawl took 15 s).
  const auto other = f.site.arrivals("/other.xml"), dripped = f.site.arrivals("/drip.xml");
  REQUIRE(other.size() == 1);
  REQUIRE_FALSE(dripped.empty());
  CHECK(other[0] - dripped[0] < 1000);
  CHECK(took < test::time_bound(3));
}

TEST_CASE("a Retry-After beyond the source's budget fails it at once, to be asked again next crawl",
          "[crawler][hostile]") {
  Fixture f;
  f.config.source_budget = milliseconds(2000);
  f.site.behave("/busy.xml", [](const httplib::Request&, httplib::Response& res, int) {
    res.status = 503;
    res.set_header("Retry-After", "3");  // within the old limit: waited out, twice
    return true;
  });
  const auto start = Clock::now();
  const auto r = f.crawl({f.source("CA/busy", "/busy.xml")});
  CHECK(since(start) < test::time_bound(1));
  const auto& x = test::result_of(r, "CA/busy");
  CHECK(x.outcome == Outcome::failed);
  CHECK_THAT(x.error, Catch::Contains("HTTP 503: Retry-After 3 s is beyond the source's budget"));
  CHECK_THAT(x.error, Catch::Contains("asked again next crawl"));
  CHECK(f.site.hits("/busy.xml") == 1);
}

TEST_CASE("an endless body at a good rate fails when the source's budget is spent, without retries",
          "[crawler][hostile]") {
  Fixture f;
  f.config.source_budget = milliseconds(1500);
  trickle(f.site, "/endless.xml", 5000);  // 50 KB/s, above every minimum, for ever
  const auto start = Clock::now();
  const auto r = f.crawl({f.source("CA/endless", "/endless.xml")});
  const double took = since(start);
  const auto& x = test::result_of(r, "CA/endless");
  CHECK(x.outcome == Outcome::failed);
  CHECK_THAT(x.error, Catch::Contains("out of time: the source's budget of 1500 ms"));
  CHECK(x.attempts == 1);
  CHECK(took >= 1.4);
  CHECK(took < test::time_bound(2.5));  // before: 5 s per attempt, 3 attempts
}

namespace {

// The blob files under <data>/blobs.
std::set<std::string> blob_files(const std::filesystem::path& data) {
  std::set<std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(data / "blobs"))
    if (e.is_regular_file()) out.insert(e.path().parent_path().filename().string() + e.path().filename().string());
  return out;
}

}  // namespace

TEST_CASE("failed bodies are kept only as each source's last failure, and swept by its next success",
          "[crawler][hostile]") {
  Fixture f;
  const auto data = f.dir.path() / "data";
  const auto doc = f.source("CA/doc", "/doc.xml");
  std::vector<std::string> failed;
  for (int i = 0; i < 3; ++i) {
    const std::string broken = "<Statute><Body><Section>broken " + std::to_string(i);
    f.site.put("/doc.xml", {broken, "application/xml", "", ""});
    const auto r = f.crawl({doc});
    REQUIRE(test::result_of(r, "CA/doc").outcome == Outcome::failed);
    failed.push_back(corpus::sha256_hex(broken));
    // The newest failure is kept, for diagnosis; the ones before it are gone (before: all kept).
    const auto blobs = blob_files(data);
    CHECK(blobs.count(failed.back()) == 1);
    for (std::size_t k = 0; k + 1 < failed.size(); ++k) CHECK(blobs.count(failed[k]) == 0);
    CHECK(f.store->get_blob(failed.back()).value() == broken);
  }
  // A failure of another source is its own, and stays.
  f.site.put("/other.xml", {"<Statute>other", "application/xml", "", ""});
  REQUIRE(test::result_of(f.crawl({f.source("CA/other", "/other.xml")}), "CA/other").outcome == Outcome::failed);
  const std::string other = corpus::sha256_hex("<Statute>other");

  const std::string good = test::read_file(test::legislation(kCdsaFile));
  f.site.put("/doc.xml", {good, "application/xml", "", ""});
  const auto r = f.crawl({doc});
  REQUIRE(test::result_of(r, "CA/doc").outcome == Outcome::new_version);
  CHECK(r.swept.removed == 1);
  const auto blobs = blob_files(data);
  for (const auto& sha : failed) CHECK(blobs.count(sha) == 0);
  CHECK(blobs.count(corpus::sha256_hex(good)) == 1);
  CHECK(blobs.count(other) == 1);
  // The fetch log still says what came, and when.
  int logged_failures = 0;
  for (const auto& x : f.store->fetches(100)) logged_failures += x.source_id == "CA/doc" && x.outcome == "failed";
  CHECK(logged_failures == 3);
}
