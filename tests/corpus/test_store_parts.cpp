// A code published one section per file (the D.C. Code): its files are parts of one
// instrument, and importing them composes that instrument's versions.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
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

// The section numbers the folder's parts of `identifier` hold, read by the parser itself.
std::set<std::string> part_numbers(const fs::path& folder, const std::string& identifier) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(folder)) {
    ParseContext ctx;
    ctx.source = e.path().string();
    auto r = parse_document(hrtrack::test::read_file(e.path()), ctx);
    if (r && r->part && r->identifier == identifier)
      for (const auto& s : r->sections) out.insert(s.number);
  }
  return out;
}

std::string section_text(const Store& store, std::int64_t version_id, const std::string& number) {
  auto s = store.section(version_id, number);
  return s ? s->body.text : std::string("<missing>");
}

std::string parsed_text(const std::string& relative) {
  ParseContext ctx;
  ctx.source = relative;
  auto r = parse_document(hrtrack::test::read_file(legislation(relative)), ctx);
  REQUIRE(r.ok());
  return r->sections.at(0).text;
}

}  // namespace

TEST_CASE("the D.C. Code's section files and their history are one instrument", "[store][parts][dccouncil]") {
  TempDir dir;
  auto store = open_store(dir.path());
  Importer importer(*store);
  const std::vector<fs::path> paths = {legislation("history/US-DC"), legislation("US-DC")};
  const ImportReport first = importer.import_paths(paths, {});
  // The title index is the one file refused: it holds no legal text.
  REQUIRE(first.failures.size() == 1);
  CHECK(first.failures[0].code == hrtrack::Code::kNoLegalText);
  CHECK_THAT(first.failures[0].source, Catch::Contains("dccode-title48-index.xml"));

  const auto instruments = store->instruments("US-DC");
  std::set<std::string> ids;
  for (const auto& in : instruments) ids.insert(in.identifier);
  CHECK(ids == std::set<std::string>{"D.C. Code", "D.C. Law 22-288", "D.C. Law 23-182"});

  const auto code = store->find_instrument("D.C. Code");
  REQUIRE(code);
  CHECK(code->jurisdiction == "US-DC");
  // Any section file's name, and the Code's other name, find it.
  for (const char* alias : {"dccode-48-1103.01", "dccode-7-3201", "D.C. Official Code"}) {
    const auto found = store->find_instrument(alias);
    REQUIRE(found);
    CHECK(found->id == code->id);
  }

  // The latest version holds every section of the folder, in the code's order.
  const auto latest = store->version_as_of(code->id, "en", "");
  REQUIRE(latest);
  const auto sections = store->sections(latest->id);
  std::set<std::string> numbers;
  for (const auto& s : sections) numbers.insert(s.body.number);
  CHECK(numbers == part_numbers(legislation("US-DC"), "D.C. Code"));
  CHECK(sections.size() == numbers.size());
  const auto position = [&](const std::string& n) {
    return std::find_if(sections.begin(), sections.end(), [&](const Section& s) { return s.body.number == n; }) -
           sections.begin();
  };
  CHECK(position("7-403") < position("7-3201"));
  CHECK(position("48-904.03") < position("48-904.03a"));
  CHECK(position("48-904.03a") < position("48-904.04"));
  CHECK(position("48-904.10") < position("48-905.01"));
  CHECK(position("48-931.02") < position("48-1001"));
  // The latest text of a section is its current file's.
  CHECK(section_text(*store, latest->id, "48-1103.01") == parsed_text("US-DC/dccode-48-1103.01.xml"));

  // The history: dated versions, the oldest the earliest codified edition, each holding the
  // sections in force then.
  const auto versions = store->versions(code->id, "en");
  REQUIRE(versions.size() > 5);
  // Current files are dated by their latest amendment: the oldest version holds the sections
  // unamended since then.
  CHECK(versions.front().date < "2019-01-04");
  CHECK(std::any_of(versions.begin(), versions.end(), [](const Version& v) { return v.date == "2019-01-04"; }));
  for (std::size_t i = 1; i < versions.size(); ++i) CHECK(versions[i - 1].date < versions[i].date);
  const auto in_2020 = store->version_as_of(code->id, "en", "2020-06-30");
  REQUIRE(in_2020);
  CHECK(section_text(*store, in_2020->id, "48-1103.01") ==
        parsed_text("history/US-DC/dccode-48-1103.01@2019-01-04.xml"));
  CHECK(section_text(*store, in_2020->id, "48-1103.01") != section_text(*store, latest->id, "48-1103.01"));
  // A section whose history starts later is there from its first edition on.
  CHECK(section_text(*store, in_2020->id, "48-1001") == parsed_text("history/US-DC/dccode-48-1001@2019-01-04.xml"));
  const auto in_2024 = store->version_as_of(code->id, "en", "2024-04-01");
  REQUIRE(in_2024);
  CHECK(section_text(*store, in_2024->id, "48-1001") == parsed_text("history/US-DC/dccode-48-1001@2024-03-26.xml"));
  CHECK(section_text(*store, in_2024->id, "48-1103.01") == parsed_text("US-DC/dccode-48-1103.01.xml"));
  // Each version's diff says what changed against the one before.
  CHECK_FALSE(store->changes(versions.back().id).empty());

  // The same files again: nothing new.
  const auto totals = store->totals();
  const ImportReport again = importer.import_paths(paths, {});
  CHECK(again.versions_new == 0);
  CHECK(again.instruments_new == 0);
  CHECK(store->totals().versions == totals.versions);
  CHECK(store->totals().sections == totals.sections);
}

TEST_CASE("a section file imported alone lands in the whole code at its date", "[store][parts][dccouncil]") {
  TempDir dir;
  auto store = open_store(dir.path());
  Importer importer(*store);
  importer.import_paths({legislation("US-DC")}, {});
  const auto code = store->find_instrument("D.C. Code");
  REQUIRE(code);
  const auto latest = store->version_as_of(code->id, "en", "");
  REQUIRE(latest);
  const auto in_force = store->version_as_of(code->id, "en", "2019-01-04");
  REQUIRE(in_force);
  const auto had = store->section(in_force->id, "48-1103");
  const ImportReport one = importer.import_paths({legislation("history/US-DC/dccode-48-1103@2019-01-04.xml")}, {});
  REQUIRE(one.failures.empty());
  CHECK(one.versions_new == 1);
  const auto at = store->version_as_of(code->id, "en", "2019-01-04");
  REQUIRE(at);
  CHECK(at->date == "2019-01-04");
  // The version in force then, with this one section replaced or added: no section lost.
  CHECK(store->sections(at->id).size() == store->sections(in_force->id).size() + (had ? 0 : 1));
  CHECK(section_text(*store, at->id, "48-1103") == parsed_text("history/US-DC/dccode-48-1103@2019-01-04.xml"));
  // A later version with its own text of the section keeps it.
  CHECK(section_text(*store, latest->id, "48-1103") == parsed_text("US-DC/dccode-48-1103.xml"));
}

TEST_CASE("recorded one at a time in a crawl's order, the parts give the folder import's code",
          "[store][parts][dccouncil]") {
  TempDir a_dir, b_dir;
  auto folder = open_store(a_dir.path());
  Importer(*folder).import_paths({legislation("history/US-DC"), legislation("US-DC")}, {});

  // The mirror crawl's order: history files by codified date, then the current files.
  std::vector<std::pair<std::string, fs::path>> order;
  for (const auto& e : fs::directory_iterator(legislation("history/US-DC")))
    order.emplace_back(date_hint(e.path()), e.path());
  std::sort(order.begin(), order.end());
  std::vector<fs::path> current;
  for (const auto& e : fs::directory_iterator(legislation("US-DC"))) current.push_back(e.path());
  std::sort(current.begin(), current.end());
  for (const auto& p : current) order.emplace_back("~", p);
  auto crawl = open_store(b_dir.path());
  Importer one_by_one(*crawl);
  for (const auto& [date, p] : order) (void)one_by_one.import_bytes(hrtrack::test::read_file(p), p.string(), {});

  const auto a = folder->find_instrument("D.C. Code");
  const auto b = crawl->find_instrument("D.C. Code");
  REQUIRE(a);
  REQUIRE(b);
  // Every version of the folder import is there, with the same sections and texts.
  for (const auto& v : folder->versions(a->id, "en")) {
    // An undated version (a section file without a history note) sorts first; as_of ""
    // means "the latest", so it is compared with the other store's first version.
    const auto w = v.date.empty() ? std::optional<Version>(crawl->versions(b->id, "en").front())
                                  : crawl->version_as_of(b->id, "en", v.date);
    REQUIRE(w);
    INFO(v.date);
    CHECK(w->text_sha256 == v.text_sha256);
  }
  const auto latest = crawl->version_as_of(b->id, "en", "");
  REQUIRE(latest);
  CHECK(latest->text_sha256 == folder->version_as_of(a->id, "en", "")->text_sha256);
}
