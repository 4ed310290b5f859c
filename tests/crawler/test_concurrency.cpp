// Bodies are parsed on the import pipeline's threads while transfers go on, and recorded by
// one writer: the catalogue must be what one import after the other would have made, a
// parse failure on a parser thread must keep its raw bytes and the last good version, and
// the transfer loop must not spin while the importer is behind.
#include <catch2/catch.hpp>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

#include "crawl_support.hpp"
#include "hrtrack/corpus/import.hpp"
#include "shared.hpp"

using namespace hrtrack;
using Outcome = crawler::SourceResult::Outcome;
namespace fs = std::filesystem;

namespace {

const std::string kHost = "laws-lois.justice.gc.ca";

// The CDSA's dated English texts, oldest first (28 files, many of them different texts).
std::vector<fs::path> cdsa_history() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(test::legislation("history/CA")))
    if (e.path().filename().string().rfind("eng_acts_C-38.8@", 0) == 0) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Every dated CDSA text as its own source on one site, each answered after a different
// delay, so that transfers finish (and are parsed) out of the order they were listed.
struct HistorySite {
  test::Site site;
  std::vector<crawler::Source> sources;
  std::map<std::string, std::string> body_of;  // official URL -> body

  HistorySite() {
    const auto files = cdsa_history();
    for (std::size_t i = 0; i < files.size(); ++i) {
      const std::string path = "/history/" + files[i].filename().string();
      const std::string url = "https://" + kHost + path;
      body_of[url] = test::read_file(files[i]);
      site.put(path, {body_of[url], "application/xml", "\"h" + std::to_string(i) + "\"", ""});
      const int delay_ms = static_cast<int>((i * 7) % 5) * 15;
      site.behave(path, [delay_ms](const httplib::Request&, httplib::Response&, int) {
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        return false;
      });
      sources.push_back(test::source_at("CA/h" + std::to_string(i), url, "justice-canada", "en",
                                        "CA/eng_acts_C-38.8.xml", "CA"));
    }
  }
};

crawler::Config parallel_config(const test::Site& site) {
  auto config = test::test_config();
  config.host_override[kHost] = site.base();
  config.connections_per_host = 4;
  return config;
}

// Each version as the catalogue holds it: id (the order it was recorded in), date, text,
// raw bytes, source, and its section diff against the version it follows.
std::vector<std::string> catalogue_of(const corpus::Store& store) {
  std::vector<std::string> out;
  for (const auto& in : store.instruments()) {
    for (const auto& v : store.versions(in.id)) {
      std::string row = in.identifier + " " + std::to_string(v.id) + " " + v.language + " " + v.date + " " +
                        v.text_sha256 + " " + v.sha256 + " " + v.source + ":";
      for (const auto& c : store.changes(v.id)) row += " " + std::string(corpus::to_string(c.kind)) + " " + c.number;
      out.push_back(std::move(row));
    }
  }
  return out;
}

double cpu_seconds(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

}  // namespace

TEST_CASE("bodies parsed in parallel are recorded in the order they arrived, as one import after the other", "[crawler]") {
  HistorySite h;
  test::TempDir dir;
  auto store = std::move(corpus::Store::open(dir.path() / "data").value());
  const auto r = crawler::Crawler(*store, parallel_config(h.site)).crawl(test::registry_of(h.sources));
  REQUIRE(r.failed == 0);
  REQUIRE(r.results.size() == h.sources.size());
  CHECK(r.versions_new >= 10);
  // The transfers did finish out of their listed order (else this test proves little).
  std::vector<std::string> listed, arrived;
  for (const auto& s : h.sources) listed.push_back(s.url);
  for (const auto& x : r.results) arrived.push_back(x.url);
  CHECK(arrived != listed);

  // The fetch log holds the results' order: each source recorded after the one before.
  const auto log = store->fetches(1000);
  REQUIRE(log.size() == r.results.size());
  for (std::size_t i = 0; i < log.size(); ++i) CHECK(log[log.size() - 1 - i].url == r.results[i].url);

  // One import after the other, in the order the bodies arrived, makes the same catalogue:
  // the same versions with the same ids, dates, texts and diffs.
  test::TempDir serial_dir;
  auto serial = std::move(corpus::Store::open(serial_dir.path() / "data").value());
  for (const auto& x : r.results) {
    corpus::ImportOptions options;
    options.format = corpus::format_from("justice-canada");
    options.jurisdiction = "CA";
    options.language = "en";
    REQUIRE(corpus::Importer(*serial).import_bytes(h.body_of.at(x.url), x.url, options));
  }
  CHECK(catalogue_of(*store) == catalogue_of(*serial));
  CHECK(store->totals().sections == serial->totals().sections);
}

TEST_CASE("a parse failure on a parser thread keeps its raw bytes and the last good version", "[crawler]") {
  HistorySite h;
  test::TempDir dir;
  auto store = std::move(corpus::Store::open(dir.path() / "data").value());
  const auto config = parallel_config(h.site);
  // A good cannabis act first.
  const std::string path = "/eng/XML/C-24.5.xml";
  h.site.put(path, {test::read_file(test::legislation("CA/eng_acts_C-24.5.xml")), "application/xml", "\"c1\"", ""});
  const auto cannabis = test::source_at("CA/cannabis", "https://" + kHost + path, "justice-canada", "en",
                                        "CA/eng_acts_C-24.5.xml", "CA");
  REQUIRE(crawler::Crawler(*store, config).crawl(test::registry_of({cannabis})).versions_new == 1);
  const auto act = store->find_instrument("C-24.5");
  REQUIRE(act);
  const auto good = store->versions(act->id);
  REQUIRE(good.size() == 1);

  // Then a broken one, in the middle of 28 good bodies being parsed on other threads.
  const std::string broken = "<Statute><Body><Section>broken in transit";
  h.site.put(path, {broken, "application/xml", "\"c2\"", ""});
  auto sources = h.sources;
  sources.insert(sources.begin() + static_cast<std::ptrdiff_t>(sources.size() / 2), cannabis);
  const auto r = crawler::Crawler(*store, config).crawl(test::registry_of(sources));
  const auto& x = test::result_of(r, "CA/cannabis");
  CHECK(x.outcome == Outcome::failed);
  CHECK_FALSE(x.error.empty());
  CHECK(r.failed == 1);
  CHECK(r.fetched + r.failed == static_cast<int>(sources.size()));
  // The last good version is still the act's only version ...
  const auto after = store->versions(act->id);
  REQUIRE(after.size() == 1);
  CHECK(after[0].id == good[0].id);
  CHECK(after[0].text_sha256 == good[0].text_sha256);
  // ... and the broken bytes were stored before the parse failed, so they can be looked at
  // (or re-parsed by a better parser) without a re-fetch; the fetch log names them.
  const std::string sha = corpus::sha256_hex(broken);
  const auto stored = store->get_blob(sha);
  REQUIRE(stored);
  CHECK(stored.value() == broken);
  bool logged = false;
  for (const auto& f : store->fetches(1000))
    if (f.url == cannabis.url && f.outcome == "failed") logged = f.sha256 == sha;
  CHECK(logged);
  // Every other body became what it would have alone.
  for (const auto& s : h.sources) CHECK(test::result_of(r, s.id).outcome != Outcome::failed);
}

TEST_CASE("while the importer is behind, the transfer loop waits instead of spinning", "[crawler]") {
  HistorySite h;
  test::TempDir dir;
  auto store = std::move(corpus::Store::open(dir.path() / "data").value());
  auto config = parallel_config(h.site);
  config.import_queue = 1;  // every transfer waits for the importer
  const double thread_before = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
  const double process_before = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
  const auto r = crawler::Crawler(*store, config).crawl(test::registry_of(h.sources));
  const double transfer_loop = cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - thread_before;  // the calling thread
  const double process = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - process_before;
  CHECK(r.failed == 0);
  INFO("transfer loop " << transfer_loop << " s of CPU, the whole process " << process << " s");
  // Parsing 28 versions of the CDSA is the work; a polling loop would take a core's share.
  CHECK(transfer_loop < 0.2 * process);
}

TEST_CASE("a raw source is stored byte for byte, logged with its hash, and not parsed", "[crawler]") {
  test::TempDir dir;
  auto store = std::move(corpus::Store::open(dir.path() / "data").value());
  test::Site site;
  auto config = parallel_config(site);
  const std::string body = "not a legal document \x01\x02\xff, stored as it came";
  site.put("/raw.bin", {body, "application/octet-stream", "\"r1\"", ""});
  const auto source = test::source_at("CA/raw", "https://" + kHost + "/raw.bin", "raw", "en", "CA/raw.bin", "CA");
  const auto r = crawler::Crawler(*store, config).crawl(test::registry_of({source}));
  const auto& x = test::result_of(r, "CA/raw");
  CHECK(x.outcome == Outcome::stored);
  CHECK(store->totals().versions == 0);
  const std::string sha = corpus::sha256_hex(body);
  const auto stored = store->get_blob(sha);
  REQUIRE(stored);
  CHECK(stored.value() == body);
  const auto log = store->fetches(10);
  REQUIRE(log.size() == 1);
  CHECK(log[0].sha256 == sha);
  CHECK(log[0].outcome == "stored");
  // Its ETag earns a 304 next time.
  CHECK(crawler::Crawler(*store, config).crawl(test::registry_of({source})).not_modified == 1);
}
