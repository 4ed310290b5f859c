// Indexing: incremental runs, rebuilds, one writer at a time, readers never blocked,
// provision tags; on the real CDSA history.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include <xapian.h>

#include "index_fixture.hpp"
#include "common_words.hpp"
#include "schema.hpp"

using namespace hrtrack::index;
using hrtrack::test::import_into;
using hrtrack::test::index_once;
using hrtrack::test::TempDir;

namespace {

const std::string kCdsa2019 = "history/CA/eng_acts_C-38.8@2021-02-26.xml";  // in force 2019-09-19, 94 sections
const std::string kCdsa2022 = "history/CA/eng_acts_C-38.8@2022-12-09.xml";  // 2022-11-17, 101 sections
const std::string kCdsaNow = "CA/eng_acts_C-38.8.xml";                      // 2026-06-05, 102 sections

SearchResult search(const std::filesystem::path& dir, const SearchRequest& r) {
  auto searcher = Searcher::open(dir, Thesaurus::builtin());
  REQUIRE(searcher.ok());
  auto result = (*searcher)->search(r);
  REQUIRE(result.ok());
  return std::move(result).value();
}

SearchResult search(const std::filesystem::path& dir, const std::string& query, const std::string& as_of = "") {
  SearchRequest r;
  r.query = query;
  r.as_of = as_of;
  r.limit = 100;
  return search(dir, r);
}

}  // namespace

TEST_CASE("incremental: a version slotted in between re-indexes only what changed", "[index]") {
  TempDir tmp;
  import_into(tmp.path(), {kCdsa2019, kCdsaNow});
  const auto first = index_once(tmp.path());
  CHECK(first.added == 94 + 102);
  CHECK(first.updated == 0);
  CHECK(first.versions_indexed == 2);
  // As of 2023 the 2019 text is still in force: no version in between yet.
  CHECK(search(tmp.path(), "section:C-38.8#4", "2023-01-01").hits.at(0).version_date == "2019-09-19");

  const auto revision = Xapian::Database((tmp.path() / "index").string()).get_revision();
  const auto again = index_once(tmp.path());
  CHECK(again.added + again.updated + again.deleted == 0);
  CHECK(again.unchanged == 94 + 102);
  // Nothing changed, so nothing was written: servers keep what they derived from the index.
  CHECK(Xapian::Database((tmp.path() / "index").string()).get_revision() == revision);

  // The 2022 version arrives late: it is new, and the 2019 version now ends in 2022.
  import_into(tmp.path(), {kCdsa2022});
  const auto third = index_once(tmp.path());
  CHECK(third.added == 101);
  CHECK(third.updated == 94);
  CHECK(third.deleted == 0);
  CHECK(third.unchanged == 102);
  CHECK(third.versions_indexed == 2);
  const auto hit = search(tmp.path(), "section:C-38.8#4", "2023-01-01").hits.at(0);
  CHECK(hit.version_date == "2022-11-17");
  CHECK(hit.in_force_to == "2026-06-05");
  CHECK(search(tmp.path(), "section:C-38.8#4", "2020-01-01").hits.at(0).in_force_to == "2022-11-17");
}

TEST_CASE("rebuild: a fresh index swapped in, same documents, the live one searchable meanwhile", "[index]") {
  TempDir tmp;
  import_into(tmp.path(), {kCdsaNow, "DE/btmg_1981.gii.xml"});
  const auto first = index_once(tmp.path());
  auto reader = Searcher::open(tmp.path(), Thesaurus::builtin());
  REQUIRE(reader.ok());
  const auto before = (*reader)->size();

  const auto rebuilt = index_once(tmp.path(), /*rebuild=*/true);
  CHECK(rebuilt.rebuilt);
  CHECK(rebuilt.added == first.added);
  CHECK_FALSE(std::filesystem::exists(tmp.path() / "index.new"));
  // A reader opened before the swap follows it to the new index.
  SearchRequest r;
  r.query = "Spritzen";
  auto result = (*reader)->search(r);
  REQUIRE(result.ok());
  REQUIRE_FALSE(result->hits.empty());
  CHECK(result->hits.front().id == "BtMG#29");
  CHECK((*reader)->size() == before);
  // And the next incremental run finds nothing to do.
  CHECK(index_once(tmp.path()).unchanged == first.added);
}

TEST_CASE("one writer: a second gets 'index busy'; readers search meanwhile", "[index]") {
  TempDir tmp;
  import_into(tmp.path(), {kCdsaNow, "CA/fra_lois_C-38.8.xml"});
  index_once(tmp.path());
  import_into(tmp.path(), {"DE/btmg_1981.gii.xml"});

  auto store = hrtrack::corpus::Store::open(tmp.path());
  REQUIRE(store.ok());
  auto writer = Indexer::open(tmp.path(), Thesaurus::builtin());
  REQUIRE(writer.ok());

  auto second = Indexer::open(tmp.path(), Thesaurus::builtin());
  REQUIRE_FALSE(second.ok());
  CHECK_THAT(second.error().message, Catch::StartsWith("index busy: another hrtrack is writing the index"));

  // The first writer indexes BtMG in a thread while a reader keeps searching.
  std::atomic<bool> done = false;
  hrtrack::Result<IndexReport> report = hrtrack::Error{"not run"};
  std::thread t([&] {
    report = (*writer)->update(**store);
    done = true;
  });
  auto reader = Searcher::open(tmp.path(), Thesaurus::builtin());
  REQUIRE(reader.ok());
  int searches = 0, failures = 0;
  do {
    SearchRequest r;
    r.query = "supervised consumption";
    auto result = (*reader)->search(r);
    ++searches;
    if (!result || result->hits.empty() || result->hits.front().id != "C-38.8#56.1") ++failures;
  } while (!done);
  t.join();
  CHECK(searches > 0);
  CHECK(failures == 0);
  REQUIRE(report.ok());
  CHECK(report->added == 50);
  // After the commit the reader sees BtMG without being reopened by hand.
  SearchRequest r;
  r.query = "Spritzen";
  auto after = (*reader)->search(r);
  REQUIRE(after.ok());
  CHECK(after->total == 1);

  // Once the first writer is gone, the lock is free.
  writer->reset();
  CHECK(Indexer::open(tmp.path(), Thesaurus::builtin()).ok());
}

TEST_CASE("provision tags: set on every version of a section, kept by later runs and rebuilds", "[index]") {
  TempDir tmp;
  import_into(tmp.path(), {kCdsa2019, kCdsaNow, "CA/fra_lois_C-38.8.xml"});
  index_once(tmp.path());
  {
    auto writer = Indexer::open(tmp.path(), Thesaurus::builtin());
    REQUIRE(writer.ok());
    auto n = (*writer)->tag("C-38.8#56.1", "consumption-rooms");
    REQUIRE(n.ok());
    CHECK(*n == 3);  // 2019 en, 2026 en, 2026 fr
    CHECK_FALSE((*writer)->tag("C-38.8", "x").ok());
    CHECK_FALSE((*writer)->tag("C-38.8#56.1", "two words").ok());
  }
  auto tagged = search(tmp.path(), "provision:consumption-rooms");
  REQUIRE(tagged.hits.size() == 2);  // in force today: en and fr
  for (const auto& h : tagged.hits) CHECK(h.id == "C-38.8#56.1");

  // A version indexed later gets the tag too; so does a rebuilt index.
  import_into(tmp.path(), {kCdsa2022});
  index_once(tmp.path());
  CHECK(search(tmp.path(), "provision:consumption-rooms", "2023-01-01").hits.size() == 1);
  index_once(tmp.path(), /*rebuild=*/true);
  CHECK(search(tmp.path(), "provision:consumption-rooms", "2023-01-01").hits.size() == 1);

  {
    auto writer = Indexer::open(tmp.path(), Thesaurus::builtin());
    REQUIRE(writer.ok());
    auto n = (*writer)->tag("C-38.8#56.1", "consumption-rooms", /*on=*/false);
    REQUIRE(n.ok());
    CHECK(*n == 4);
  }
  CHECK(search(tmp.path(), "provision:consumption-rooms").hits.empty());
}

TEST_CASE("no index yet: searching says to run 'hrtrack index'", "[index]") {
  TempDir tmp;
  auto searcher = Searcher::open(tmp.path(), Thesaurus::builtin());
  REQUIRE_FALSE(searcher.ok());
  CHECK_THAT(searcher.error().message, Catch::Contains("run 'hrtrack index' first"));
}

TEST_CASE("ranking: the normalised weights are used once a run has made every document with them", "[index]") {
  TempDir tmp;
  import_into(tmp.path(), {kCdsaNow});
  index_once(tmp.path());
  const std::string db_dir = index_dir(tmp.path()).string();
  const std::string key(schema::kLayoutKey), current(index_layout());
  CHECK(Xapian::Database(db_dir).get_metadata(key) == current);
  const auto normalised = search(tmp.path(), "possession");
  REQUIRE_FALSE(normalised.hits.empty());

  // As an interrupted run that changes the layout leaves it: the mark cleared. Searches
  // then rank with Xapian's BM25 and still find the same sections.
  {
    Xapian::WritableDatabase db(db_dir);
    db.set_metadata(key, "");
    db.commit();
  }
  const auto fallback = search(tmp.path(), "possession");
  CHECK(fallback.total == normalised.total);
  CHECK(fallback.hits.size() == normalised.hits.size());
  // The next run finishes the job and sets the mark again.
  index_once(tmp.path());
  CHECK(Xapian::Database(db_dir).get_metadata(key) == current);
  const auto again = search(tmp.path(), "possession");
  REQUIRE(again.hits.size() == normalised.hits.size());
  for (std::size_t i = 0; i < again.hits.size(); ++i) CHECK(again.hits[i].id == normalised.hits[i].id);
}

TEST_CASE("phrases: the word pairs find what checking positions alone finds", "[index]") {
  TempDir tmp;
  import_into(tmp.path(), {kCdsaNow, "CA/fra_lois_C-38.8.xml", "DE/btmg_1981.gii.xml"});
  index_once(tmp.path());
  const std::string db_dir = index_dir(tmp.path()).string();
  {
    Xapian::Database db(db_dir);
    // Pairs of common words only ("for the purpose of"); a rarer word's own list is enough.
    REQUIRE(is_common_word("Zpurpos"));
    CHECK(db.get_termfreq(schema::pair_term("Zthe", "Zpurpos")) > 0);
    CHECK(db.get_termfreq(schema::pair_term("Zpurpos", "Zof")) > 0);
    REQUIRE_FALSE(is_common_word("Zsupervis"));
    CHECK(db.get_termfreq(schema::pair_term("Zsupervis", "Zconsumpt")) == 0);
  }
  const std::vector<std::string> phrases{"\"supervised consumption site\"", "\"personal use\"", "\"geringe Menge\"",
                                         "\"Einmalspritzen an Betäubungsmittelabhängige\"", "\"Spritzen an\"", "\"consommation supervisée\"",
                                         "possession \"for the purpose of\"", "\"the the\"", "\"site consumption\"",
                                         "\"of the\"", "\"purpose of the\" Act"};
  std::map<std::string, std::set<std::string>> with_pairs;
  for (const auto& p : phrases)
    for (const auto& h : search(tmp.path(), p).hits) with_pairs[p].insert(h.id + "/" + h.language);
  CHECK(with_pairs["\"supervised consumption site\""].count("C-38.8#56.1/en") == 1);
  CHECK(with_pairs["\"site consumption\""].empty());  // the words, but never in this order
  CHECK(with_pairs["\"Spritzen an\""].count("BtMG#29/de") == 1);  // a compound's part (Einmalspritzen)
  // The same searches with the pairs not used (as an index whose last run did not finish).
  {
    Xapian::WritableDatabase db(db_dir);
    db.set_metadata(std::string(schema::kLayoutKey), "");
    db.commit();
  }
  for (const auto& p : phrases) {
    std::set<std::string> without;
    for (const auto& h : search(tmp.path(), p).hits) without.insert(h.id + "/" + h.language);
    INFO(p);
    CHECK(without == with_pairs[p]);
  }
}

TEST_CASE("concepts: the ranking the indexer stores is the ranking the concept's words give", "[index]") {
  TempDir tmp;
  import_into(tmp.path(), {kCdsa2019, "CA/fra_lois_C-38.8.xml", "DE/btmg_1981.gii.xml"});
  index_once(tmp.path());
  const std::string db_dir = index_dir(tmp.path()).string();
  const std::string mark(schema::kRankKey);
  auto ranked = [&](const std::string& query) {
    SearchRequest r;
    r.query = query;
    r.all_versions = true;
    r.limit = 1000;
    return search(tmp.path(), r);
  };
  auto set_metadata = [&](const std::string& key, const std::string& value) {
    Xapian::WritableDatabase db(db_dir);
    db.set_metadata(key, value);
    db.commit();
  };
  auto same = [](const SearchResult& a, const SearchResult& b) {
    REQUIRE(a.hits.size() == b.hits.size());
    CHECK(a.total == b.total);
    for (std::size_t i = 0; i < a.hits.size(); ++i) {
      CHECK(a.hits[i].id + "/" + a.hits[i].language == b.hits[i].id + "/" + b.hits[i].language);
      CHECK(a.hits[i].weight == Approx(b.hits[i].weight));
    }
  };
  const std::vector<std::string> queries{"concept:possession", "concept:voluntary-treatment", "concept:needle-exchange",
                                         "concept:consumption-rooms Betäubungsmittel", "concept:substitution OR methadone"};
  std::vector<SearchResult> stored;
  CHECK(Xapian::Database(db_dir).get_metadata(mark) == "1");
  for (const auto& q : queries) stored.push_back(ranked(q));
  REQUIRE_FALSE(stored.front().hits.empty());

  // Outdated (as between a run's first change and its end): the words rank, the same way.
  set_metadata(mark, "");
  for (std::size_t i = 0; i < queries.size(); ++i) {
    INFO(queries[i]);
    same(stored[i], ranked(queries[i]));
  }
  // A run that changes documents stores them again (this one so many that the index is
  // compacted after it, which must keep the docids the ranks name).
  import_into(tmp.path(), {kCdsaNow});
  CHECK(index_once(tmp.path()).added > 0);
  CHECK(Xapian::Database(db_dir).get_metadata(mark) == "1");
  const auto after = ranked("concept:possession");
  set_metadata(mark, "");
  same(after, ranked("concept:possession"));
  set_metadata(mark, "1");
  // A damaged ranking is not used: the words rank instead.
  set_metadata(std::string(schema::kRankKey) + "possession", "12345");
  same(after, ranked("concept:possession"));
}
