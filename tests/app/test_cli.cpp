// End-to-end: the real hrtrack binary, as a user runs it.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "process.hpp"
#include "shared.hpp"

using hrtrack::test::legislation;
using hrtrack::test::cli;
using hrtrack::test::run;
using hrtrack::test::TempDir;

namespace {


int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST_CASE("every subcommand has --help", "[app]") {
  TempDir data;
  for (const char* cmd : {"inspect", "import", "instruments", "show", "history", "diff"}) {
    INFO(cmd);
    auto r = cli(data, {cmd, "--help"});
    CHECK(r.status == 0);
    CHECK(r.out.find("Usage") != std::string::npos);
  }
  CHECK(cli(data, {}).status == 1);
  CHECK(cli(data, {"no-such-command"}).status == 1);
}

TEST_CASE("import, then show a section as in force on a date", "[app]") {
  TempDir data;
  auto r = cli(data, {"import", legislation("history/CA").string()});
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("new versions") != std::string::npos);

  auto show = cli(data, {"show", "C-38.8#10.2", "--as-of", "2023-01-01", "--lang", "en"});
  REQUIRE(show.status == 0);
  CHECK(show.out.find("Warnings and referrals") != std::string::npos);
  CHECK(show.out.find("version of 2022-11-17") != std::string::npos);

  auto too_early = cli(data, {"show", "C-38.8#10.2", "--as-of", "2022-01-01"});
  CHECK(too_early.status == 1);
  CHECK(lines(too_early.err) == 1);
  CHECK(too_early.err.find("no such section") != std::string::npos);

  auto json = cli(data, {"show", "C-38.8#4", "--lang", "fr", "--json"});
  REQUIRE(json.status == 0);
  const auto j = nlohmann::json::parse(json.out);
  CHECK(j["id"] == "C-38.8#4");
  CHECK(j["language"] == "fr");
  CHECK(j["text"].get<std::string>().rfind("(1) Sauf dans les cas autorisés", 0) == 0);
}

TEST_CASE("history and diff show what changed and when", "[app]") {
  TempDir data;
  REQUIRE(cli(data, {"import", legislation("history/CA").string()}).status == 0);
  auto h = cli(data, {"history", "C-38.8", "--lang", "en", "--json"});
  REQUIRE(h.status == 0);
  const auto hj = nlohmann::json::parse(h.out);
  CHECK(hj["versions"].size() == 14);  // 28 publications, 14 distinct texts

  auto d = cli(data, {"diff", "C-38.8", "--from", "2022-11-16", "--to", "2022-11-17", "--lang", "en", "--json"});
  REQUIRE(d.status == 0);
  const auto dj = nlohmann::json::parse(d.out);
  bool added = false;
  for (const auto& c : dj["changes"]) added |= c["section"] == "10.2" && c["kind"] == "added";
  CHECK(added);
  auto text = cli(data, {"diff", "C-38.8", "--from", "2022-11-16", "--to", "2022-11-17", "--lang", "en"});
  CHECK(text.out.find("added 10.2  Warnings and referrals") != std::string::npos);
}

TEST_CASE("bad input: one line per failed file, the rest imported, exit 2", "[app]") {
  TempDir data, inputs;
  std::ofstream(inputs.path() / "broken.xml") << "<Statute><Body>";
  std::ofstream(inputs.path() / "empty.xml");
  auto r = cli(data, {"import", (inputs.path() / "broken.xml").string(), (inputs.path() / "empty.xml").string(),
                          legislation("DE/btmg_1981.gii.xml").string()});
  CHECK(r.status == 2);
  CHECK(lines(r.err) == 2);
  CHECK(r.err.find("broken.xml") != std::string::npos);
  CHECK(r.err.find("empty.xml: empty file") != std::string::npos);
  auto listed = cli(data, {"instruments", "--json"});
  REQUIRE(listed.status == 0);
  CHECK(nlohmann::json::parse(listed.out).size() == 1);
}

TEST_CASE("user errors: exit 1 with one line", "[app]") {
  TempDir data;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"show", "C-38.8"},
           {"show", "NOPE#1"},
           {"history", "NOPE"},
           {"diff", "NOPE", "--from", "2020-01-01", "--to", "2021-01-01"},
           {"import", "--as-of", "yesterday", "x.xml"},
           {"import", "--format", "pdf", "x.xml"}}) {
    auto r = cli(data, args);
    INFO(args.front() << ": " << r.err);
    CHECK(r.status == 1);
    CHECK(lines(r.err) == 1);
  }
}

TEST_CASE("search on an empty index says to run hrtrack index, not just 0 results", "[app]") {
  TempDir data;
  REQUIRE(cli(data, {"index"}).status == 0);  // nothing imported: an index with no documents
  auto r = cli(data, {"search", "Spritzen"});
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.err.find("is empty: run 'hrtrack index'") != std::string::npos);

  REQUIRE(cli(data, {"import", legislation("DE/btmg_1981.gii.xml").string()}).status == 0);
  REQUIRE(cli(data, {"index"}).status == 0);
  r = cli(data, {"search", "Spritzen"});
  CHECK(r.status == 0);
  CHECK(r.err.find("is empty") == std::string::npos);
}

TEST_CASE("inspect tells how a file will be read, before anything is stored", "[app]") {
  TempDir data;
  auto r = cli(data, {"inspect", legislation("EE/npals.md").string(), legislation("DE/btmg_1981.bundestag.md").string()});
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("instrument  NPALS (EE, act)") != std::string::npos);
  CHECK(r.out.find("2026-04-01 from front matter: effective_from") != std::string::npos);
  CHECK(r.out.find("no date found: will be stored undated") != std::string::npos);  // the BtMG rendering
  CHECK_FALSE(std::filesystem::exists(data.path() / "catalogue.sqlite3"));

  auto json = cli(data, {"inspect", "--json", legislation("CZ/zakon-167-1998.md").string(),
                         legislation("US-DC/dccode-title48-index.xml").string()});
  CHECK(json.status == 2);  // one file cannot be imported: named, with the reason
  const auto j = nlohmann::json::parse(json.out);
  REQUIRE(j.size() == 2);
  CHECK(j[0]["identifier"] == "Zákon 167/1998 Sb.");
  CHECK(j[0]["language"] == "cs");
  CHECK(j[0]["date_source"] == "front matter: last_updated");
  CHECK(j[1]["error"].get<std::string>().find("no legal text") != std::string::npos);
}
