// The catalogue and the import pipeline: versions, change detection, diffs, citations,
// and bad input that must never change what is stored.
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>

#include "hrtrack/corpus/import.hpp"
#include "hrtrack/corpus/store.hpp"
#include "shared.hpp"
#include "store_fixture.hpp"

using namespace hrtrack::corpus;
using hrtrack::test::legislation;
using hrtrack::test::TempDir;
using hrtrack::test::open_store;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> history(const std::string& prefix) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(legislation("history/CA")))
    if (e.path().filename().string().rfind(prefix, 0) == 0) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

void write(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

}  // namespace

TEST_CASE("a document imported twice is one version", "[store]") {
  TempDir dir;
  auto store = open_store(dir.path());
  Importer importer(*store);
  const auto file = legislation("CA/eng_acts_C-38.8.xml");
  auto first = importer.import_paths({file}, {});
  REQUIRE(first.failures.empty());
  CHECK(first.instruments_new == 1);
  auto again = importer.import_paths({file}, {});
  CHECK(again.versions_new == 0);
  CHECK(again.versions_unchanged == 1);
  CHECK(store->totals().versions == 1);
  // The raw bytes are kept, content-addressed: the version can be re-parsed without a re-fetch.
  const auto in = store->find_instrument("C-38.8");
  REQUIRE(in);
  const auto v = store->versions(in->id);
  REQUIRE(v.size() == 1);
  auto raw = store->get_blob(v[0].sha256);
  REQUIRE(raw.ok());
  CHECK(*raw == hrtrack::test::read_file(file));
}

TEST_CASE("English and French texts are two language versions of one instrument", "[store]") {
  TempDir dir;
  auto store = open_store(dir.path());
  Importer importer(*store);
  auto r = importer.import_paths({legislation("CA/eng_acts_C-38.8.xml"), legislation("CA/fra_lois_C-38.8.xml"),
                                  legislation("CA/fra_reglements_DORS-2025-242.xml")}, {});
  REQUIRE(r.failures.empty());
  CHECK(store->totals().instruments == 2);
  const auto cdsa = store->find_instrument("C-38.8");
  REQUIRE(cdsa);
  CHECK(store->versions(cdsa->id, "en").size() == 1);
  CHECK(store->versions(cdsa->id, "fr").size() == 1);
  CHECK(cdsa->titles.size() == 2);
  // The French regulation number is an alias of the instrument.
  const auto csr = store->find_instrument("DORS/2025-242");
  REQUIRE(csr);
  CHECK(csr->identifier == "SOR/2025-242");
}

TEST_CASE("the CDSA history: ss. 10.1 to 10.7 arrive with pit-date 2022-11-17", "[store][history]") {
  TempDir dir;
  auto store = open_store(dir.path());
  Importer importer(*store);
  const auto files = history("eng_acts_C-38.8@");
  REQUIRE(files.size() == 28);
  auto r = importer.import_paths(files, {});
  REQUIRE(r.failures.empty());
  const auto in = store->find_instrument("C-38.8");
  REQUIRE(in);
  const auto versions = store->versions(in->id, "en");
  // 28 publications, some republishing an unchanged text under the same pit-date.
  CHECK(versions.size() + static_cast<std::size_t>(r.versions_unchanged) == 28);
  CHECK(r.versions_unchanged >= 1);

  const Version* arrival = nullptr;
  for (const auto& v : versions)
    for (const auto& c : store->changes(v.id))
      if (c.number == "10.2" && c.kind == SectionChange::Kind::added) arrival = &v;
  REQUIRE(arrival);
  CHECK(arrival->date == "2022-11-17");
  std::set<std::string> added;
  for (const auto& c : store->changes(arrival->id))
    if (c.kind == SectionChange::Kind::added) added.insert(c.number);
  for (const char* n : {"10.1", "10.2", "10.3", "10.4", "10.5", "10.6", "10.7"}) CHECK(added.count(n));

  // As of a date before, the section is not there; after, it is.
  auto before = store->version_as_of(in->id, "en", "2022-11-16");
  auto after = store->version_as_of(in->id, "en", "2022-11-17");
  REQUIRE(before);
  REQUIRE(after);
  CHECK_FALSE(store->section(before->id, "10.2"));
  CHECK(store->section(after->id, "10.2"));
  // Section 8 was repealed by the same act (2022, c. 15, s. 18): a word-level change.
  bool s8_changed = false;
  for (const auto& c : store->changes(arrival->id))
    if (c.number == "8" && c.kind == SectionChange::Kind::changed) {
      s8_changed = true;
      bool saw_removal = false, saw_insert = false;
      for (const auto& w : c.words) {
        saw_removal |= w.op == '-';
        saw_insert |= w.op == '+' && w.words.find("Repealed") != std::string::npos;
      }
      CHECK(saw_removal);
      CHECK(saw_insert);
    }
  CHECK(s8_changed);
}

TEST_CASE("a version imported out of order slots in between and re-bases the next diff", "[store][history]") {
  TempDir dir;
  auto store = open_store(dir.path());
  Importer importer(*store);
  const auto files = history("eng_acts_C-38.8@");
  // Newest and oldest first, then one from the middle (pit 2022-11-17).
  REQUIRE(importer.import_paths({files.back(), files.front()}, {}).failures.empty());
  const auto in = store->find_instrument("C-38.8");
  auto mid = std::find_if(files.begin(), files.end(), [](const fs::path& p) {
    return p.filename().string().find("@2022-12-09") != std::string::npos;
  });
  REQUIRE(mid != files.end());
  REQUIRE(importer.import_paths({*mid}, {}).failures.empty());
  const auto v = store->versions(in->id, "en");
  REQUIRE(v.size() == 3);
  CHECK(v[1].date == "2022-11-17");
  // 10.2 was added by the middle version, so the newest version's diff no longer lists it.
  for (const auto& c : store->changes(v[2].id)) CHECK(c.number != "10.2");
  bool mid_adds = false;
  for (const auto& c : store->changes(v[1].id)) mid_adds |= c.number == "10.2" && c.kind == SectionChange::Kind::added;
  CHECK(mid_adds);
}

TEST_CASE("citations are stored and resolved within and across instruments", "[store][citations]") {
  TempDir dir;
  auto store = open_store(dir.path());
  Importer importer(*store);
  REQUIRE(importer.import_paths({legislation("DE/btmg_1981.gii.xml"), legislation("DE/stgb.gii.xml")}, {}).failures.empty());
  const auto btmg = store->find_instrument("BtMG");
  REQUIRE(btmg);
  // § 31a refers to § 29: "Hat das Verfahren ein Vergehen nach § 29 Abs. 1, 2 oder 4 zum Gegenstand".
  bool found = false;
  for (const auto& c : store->citations_to(btmg->id, "29")) found |= c.from == "BtMG#31a";
  CHECK(found);
  const auto v = store->version_as_of(btmg->id, "de", "");
  REQUIRE(v);
  bool resolved = false;
  for (const auto& c : store->citations_from(v->id))
    if (c.from == "BtMG#31a" && c.target == "BtMG#29") resolved = true;
  CHECK(resolved);
  // One section's citations (a section page): exactly those of the whole version from it.
  std::vector<std::string> of_31a, all_from_31a;
  for (const auto& c : store->citations_from(v->id, "31a")) of_31a.push_back(c.from + ">" + c.target);
  for (const auto& c : store->citations_from(v->id))
    if (c.from == "BtMG#31a") all_from_31a.push_back(c.from + ">" + c.target);
  CHECK_FALSE(of_31a.empty());
  CHECK(of_31a == all_from_31a);
}

TEST_CASE("bad input: a clear error naming the file, and nothing stored changes", "[store][bad-input]") {
  TempDir dir;
  TempDir inputs;
  auto store = open_store(dir.path());
  Importer importer(*store);
  REQUIRE(importer.import_paths({legislation("CA/eng_acts_C-38.8.xml")}, {}).failures.empty());
  const auto before = store->totals();
  const auto revision = store->revision();

  const std::string good = hrtrack::test::read_file(legislation("CA/eng_acts_C-38.8.xml"));
  struct Case { const char* name; std::string bytes; const char* reason; };
  const std::vector<Case> cases = {
      {"truncated.xml", good.substr(0, good.size() / 2), "malformed XML"},
      {"malformed.xml", "<Statute><Body></Statute>", "malformed XML"},
      {"empty.xml", "", "empty file"},
      {"laughs.xml",
       "<?xml version=\"1.0\"?><!DOCTYPE Statute [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">"
       "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]><Statute>&c;</Statute>", "entit"},
      {"xxe.xml", "<?xml version=\"1.0\"?><!DOCTYPE Statute [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Statute>&x;</Statute>",
       "entit"},
      {"latin1.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Statute><Body>Bet\xe4ubungsmittel</Body></Statute>", "malformed XML"},
      {"unknown.xml", "<?xml version=\"1.0\"?><recipe><step>boil</step></recipe>", "unknown format"},
      {"wrong.md", "---\ntitle: x\n---\n# \xff\xfe\n", "not valid UTF-8"},
  };
  std::vector<fs::path> paths;
  for (const auto& c : cases) {
    write(inputs.path() / c.name, c.bytes);
    paths.push_back(inputs.path() / c.name);
  }
  paths.push_back(legislation("DE/kcang.gii.xml"));  // the rest of the import goes on
  const auto report = importer.import_paths(paths, {});
  REQUIRE(report.failures.size() == cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO(report.failures[i].reason);
    CHECK(report.failures[i].reason.find(cases[i].name) != std::string::npos);
    CHECK(report.failures[i].reason.find(cases[i].reason) != std::string::npos);
    CHECK(report.failures[i].reason.find('\n') == std::string::npos);
  }
  CHECK(report.versions_new == 1);
  const auto after = store->totals();
  CHECK(after.versions == before.versions + 1);
  CHECK(store->revision() == revision + 1);
  CHECK(store->find_instrument("C-38.8"));
}

TEST_CASE("a kill in the middle of an import leaves whole documents only", "[store][crash]") {
  TempDir dir;
  { open_store(dir.path()); }  // create the schema before the child starts
  for (int round = 0; round < 5; ++round) {
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      auto s = Store::open(dir.path());
      if (!s) _exit(3);
      Importer importer(**s);
      importer.import_paths({legislation("CA"), legislation("DE")}, {});
      _exit(0);
    }
    usleep(static_cast<useconds_t>(150'000 + round * 200'000));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);

    auto store = open_store(dir.path());
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((dir.path() / "catalogue.sqlite3").c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))) == "ok");
    sqlite3_finalize(st);
    // Every version has all of its sections and its raw bytes.
    sqlite3_prepare_v2(db, "SELECT count(*) FROM version v WHERE section_count != "
                           "(SELECT count(*) FROM section s WHERE s.version_id = v.id)", -1, &st, nullptr);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(sqlite3_column_int(st, 0) == 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    for (const auto& in : store->instruments())
      for (const auto& v : store->versions(in.id)) CHECK(store->get_blob(v.sha256).ok());
  }
}

TEST_CASE("word diff marks removals before insertions", "[store][diff]") {
  const auto d = word_diff("no person shall possess a substance", "no person shall knowingly possess a drug");
  std::string s;
  for (const auto& e : d) s += std::string(1, e.op) + "[" + e.words + "]";
  CHECK(s == "=[no person shall]+[knowingly]=[possess a]-[substance]+[drug]");
}

TEST_CASE("a newer catalogue schema is refused, not damaged", "[store]") {
  TempDir dir;
  { open_store(dir.path()); }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir.path() / "catalogue.sqlite3").c_str(), &db) == SQLITE_OK);
  sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto s = Store::open(dir.path());
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message.find("newer") != std::string::npos);
}

TEST_CASE("records and events for higher modules; a failed transaction leaves nothing", "[store][records]") {
  TempDir dir;
  auto store = open_store(dir.path());
  REQUIRE(store->put_record("answer", "CA/possession", R"({"status":"restricted"})").ok());
  REQUIRE(store->put_record("answer", "CA/needle-exchange", R"({"status":"silent"})").ok());
  REQUIRE(store->put_record("answer", "DE/possession", R"({"status":"restricted"})").ok());
  CHECK(store->records("answer", "CA/").size() == 2);
  CHECK(store->record("answer", "DE/possession")->json == R"({"status":"restricted"})");
  REQUIRE(store->put_record("answer", "CA/possession", R"({"status":"contrary"})").ok());
  CHECK(store->record("answer", "CA/possession")->json == R"({"status":"contrary"})");

  auto failed = store->transaction([&]() -> hrtrack::Status {
    REQUIRE(store->put_record("answer", "US/possession", "{}").ok());
    REQUIRE(store->append_event("status", "US/possession", "{}").ok());
    return hrtrack::Error{"analysis failed half-way"};
  });
  CHECK_FALSE(failed.ok());
  CHECK_FALSE(store->record("answer", "US/possession"));
  CHECK(store->events().empty());

  REQUIRE(store->append_event("status", "CA/possession", R"({"to":"contrary"})").ok());
  REQUIRE(store->append_event("review", "CA/possession", R"({"by":"ana"})").ok());
  CHECK(store->events().size() == 2);
  CHECK(store->events("review").size() == 1);
  CHECK(store->events().front().kind == "review");  // newest first
  REQUIRE(store->delete_records("answer", "CA/").ok());
  CHECK(store->records("answer").size() == 1);
}

TEST_CASE("BtMG renderings that differ only in formatting create no new version", "[store][history]") {
  TempDir dir;
  auto store = open_store(dir.path());
  Importer importer(*store);
  const auto r = importer.import_paths({legislation("history/DE")}, {});
  REQUIRE(r.failures.empty());
  REQUIRE(r.files == 9);
  // 08-03 (front matter only), 09-11 (header notes only) and 10-18 ("(zu § 1 Abs. 1)" moved
  // into the Anlage heading) change nothing in the law.
  CHECK(r.versions_unchanged == 3);
  const auto btmg = store->find_instrument("BtMG");
  REQUIRE(btmg);
  std::vector<std::string> dates;
  for (const auto& v : store->versions(btmg->id)) dates.push_back(v.date);
  CHECK(dates == std::vector<std::string>{"2012-08-02", "2012-08-06", "2012-12-02", "2013-01-11",
                                          "2018-11-08", "2022-02-13"});
}
