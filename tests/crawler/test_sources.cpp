// The sources registry: it covers the shared legislation, and a mistake names its line.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "hrtrack/crawler/sources.hpp"
#include "shared.hpp"

using namespace hrtrack;

namespace {

struct ManifestRow {
  std::string file, official_url;
};

std::vector<ManifestRow> manifest() {
  std::istringstream in(test::read_file(test::legislation("MANIFEST.tsv")));
  std::vector<ManifestRow> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream row(line);
    for (std::string c; std::getline(row, c, '\t');) cols.push_back(c);
    if (cols.size() < 10) continue;
    out.push_back({cols[1], cols[9]});
  }
  return out;
}

void write(const std::filesystem::path& p, const std::string& text) { std::ofstream(p) << text; }

// "history/FR/code-penal@1994-03-01.md" -> "FR/code-penal.md", as the crawler's replay reads it.
std::string history_mirror(const std::string& file) {
  const auto slash = file.rfind('/'), at = file.find('@', slash);
  if (at == std::string::npos || file.size() < at + 11) return file;
  return file.substr(8, at - 8) + file.substr(at + 11);
}

}  // namespace

TEST_CASE("the registry lists every file of the shared legislation, with http(s) URLs", "[crawler]") {
  auto reg = crawler::load_sources(crawler::default_sources_dir());
  INFO((reg ? "" : reg.error().message));
  REQUIRE(reg);
  std::map<std::string, const crawler::Source*> by_mirror;
  for (const auto& s : reg->sources) by_mirror[s.mirror] = &s;
  int covered = 0;
  std::set<std::string> history_only_covered;
  for (const auto& row : manifest()) {
    if (row.file.rfind("../", 0) == 0) continue;
    INFO(row.file);
    CHECK(std::filesystem::exists(test::legislation(row.file)));
    if (row.file.rfind("history/", 0) == 0) {
      // A dated copy replays as the source whose mirror is its name without "@date".
      const auto mirror = history_mirror(row.file);
      INFO(mirror);
      REQUIRE(by_mirror.count(mirror) == 1);  // (each version may have an official URL of its own)
      if (by_mirror[mirror]->history_only) history_only_covered.insert(mirror);
      continue;
    }
    REQUIRE(by_mirror.count(row.file) == 1);
    CHECK_FALSE(by_mirror[row.file]->history_only);
    if (!row.official_url.empty()) CHECK(by_mirror[row.file]->official_url == row.official_url);
    ++covered;
  }
  // Every source is a current file of the manifest, or (history_only) the dated copies of one
  // the mirror does not hold.
  for (const auto& mirror : history_only_covered) CHECK_FALSE(std::filesystem::exists(test::legislation(mirror)));
  CHECK(covered + static_cast<int>(history_only_covered.size()) == static_cast<int>(reg->sources.size()));
  for (const auto& s : reg->sources) {
    INFO(s.id);
    CHECK((s.url.rfind("https://", 0) == 0 || s.url.rfind("http://", 0) == 0));
  }
  std::set<std::string> codes;
  for (const auto& j : reg->jurisdictions) codes.insert(j.code);
  CHECK(codes == std::set<std::string>{"AR", "CA", "CZ", "DE", "EE", "EU", "FR", "GB", "GR", "IT", "LU", "NL", "TZ",
                                        "US", "US-DC", "UY", "ZA"});
}

TEST_CASE("malformed sources name the file and line of each problem", "[crawler]") {
  test::TempDir dir;
  // Each line's comment gives its line number in the file, aligned.
  // clang-format off
  write(dir.path() / "CA.toml",
        "code = \"CA\"\nname = \"Canada\"\nlanguages = [\"en\"]\n"
        "[[source]]\n"                                   // 4
        "id = \"a\"\nurl = \"ftp://x/y\"\n"              // 5, 6: bad URL
        "format = \"pdf\"\nlanguage = \"en\"\n"          // 7: unknown format
        "mirror = \"CA/a.xml\"\n"
        "[[source]]\n"                                   // 10: missing url
        "id = \"b\"\nformat = \"akn\"\nlanguage = \"en\"\nmirror = \"CA/b.xml\"\n"
        "[[source]]\n"                                   // 15: duplicate id
        "id = \"b\"\nurl = \"https://h/b\"\nformat = \"akn\"\nlanguage = \"en\"\nmirror = \"../b.xml\"\n"
        "[[source]]\n"                                   // 21
        "id = \"c\"\nurl = \"https://h/c\"\nformat = \"akn\"\nlanguage = \"en\"\nmirror = \"CA/c.xml\"\n"
        "history_only = \"yes\"\n"                       // 27: not a boolean
        "[[source]]\n"                                   // 28
        "id = \"d\"\nurl = \"https://h/d\"\nformat = \"akn\"\nlanguage = \"\"\nmirror = \"CA/d.xml\"\n");  // 32: empty
  write(dir.path() / "DE.toml", "code = \"DE\"\nname = \"Germany\nlanguages = [\"de\"]\n");  // 2: syntax
  // clang-format on
  auto reg = crawler::load_sources(dir.path());
  REQUIRE_FALSE(reg);
  const std::string& m = reg.error().message;
  const std::string ca = (dir.path() / "CA.toml").string(), de = (dir.path() / "DE.toml").string();
  CHECK_THAT(m, Catch::Contains(ca + ":6: bad URL 'ftp://x/y'"));
  CHECK_THAT(m, Catch::Contains(ca + ":7: unknown format 'pdf'"));
  CHECK_THAT(m, Catch::Contains(ca + ":10: missing field 'url'"));
  CHECK_THAT(m, Catch::Contains(ca + ":15: duplicate id 'b'"));
  CHECK_THAT(m, Catch::Contains(ca + ":20: mirror '../b.xml'"));
  CHECK_THAT(m, Catch::Contains(ca + ":27: 'history_only' must be true or false"));
  CHECK_THAT(m, Catch::Contains(ca + ":32: 'language' is empty"));
  CHECK_THAT(m, Catch::Contains(de + ":2:"));
}

TEST_CASE("a subnational code, a history-only source and the DC Council format load", "[crawler]") {
  test::TempDir dir;
  write(dir.path() / "US-DC.toml",
        "code = \"US-DC\"\nname = \"District of Columbia\"\nlanguages = [\"en\"]\n"
        "[[source]]\nid = \"US-DC/dccode-7-403\"\nurl = \"https://h/7-403.xml\"\nformat = \"dccouncil\"\n"
        "language = \"en\"\nmirror = \"US-DC/dccode-7-403.xml\"\n"
        "[[source]]\nid = \"US-DC/old\"\nurl = \"https://h/old.xml\"\nformat = \"markdown\"\n"
        "language = \"en\"\nmirror = \"US-DC/old.md\"\nhistory_only = true\n");
  auto reg = crawler::load_sources(dir.path());
  INFO((reg ? "" : reg.error().message));
  REQUIRE(reg);
  REQUIRE(reg->sources.size() == 2);
  CHECK(reg->jurisdictions.front().code == "US-DC");
  CHECK(reg->sources[0].format == "dccouncil");
  CHECK_FALSE(reg->sources[0].history_only);
  CHECK(reg->sources[1].history_only);
}

TEST_CASE("per-source overrides: an identifier, and no mirror for a live-only source", "[crawler]") {
  test::TempDir dir;
  write(dir.path() / "XX.toml",
        "code = \"XX\"\nname = \"Test\"\nlanguages = [\"en\"]\n"
        "[[source]]\nid = \"XX/act\"\nurl = \"https://h/act.md\"\nformat = \"markdown\"\n"
        "language = \"en\"\nidentifier = \"Drugs Act\"\nas_of = \"2020-01-02\"\n");
  auto reg = crawler::load_sources(dir.path());
  INFO((reg ? "" : reg.error().message));
  REQUIRE(reg);
  REQUIRE(reg->sources.size() == 1);
  CHECK(reg->sources[0].identifier == "Drugs Act");
  CHECK(reg->sources[0].mirror.empty());
  CHECK(reg->sources[0].as_of == "2020-01-02");
}

TEST_CASE("--only keeps the named jurisdictions and rejects unknown ones", "[crawler]") {
  auto reg = crawler::load_sources(crawler::default_sources_dir());
  REQUIRE(reg);
  auto de = crawler::select_jurisdictions(*reg, {"DE"});
  REQUIRE(de);
  CHECK(de->jurisdictions.size() == 1);
  for (const auto& s : de->sources) CHECK(s.jurisdiction == "DE");
  CHECK_FALSE(crawler::select_jurisdictions(*reg, {"XX"}));
}

TEST_CASE("sources: dates are calendar dates, codes ISO 3166 codes, URLs without control characters", "[crawler]") {
  test::TempDir dir;
  write(dir.path() / "ca.toml", "code = \"ca\"\nname = \"Canada\"\nlanguages = [\"en\"]\n");
  write(dir.path() / "x.toml", "code = \"<b>\"\nname = \"X\"\nlanguages = [\"en\"]\n");
  write(dir.path() / "DE.toml",
        "code = \"DE\"\nname = \"Germany\"\nlanguages = [\"de\"]\n"
        "[[source]]\nid = \"DE/a\"\nurl = \"https://h/a\\u001b[2J\"\nformat = \"gii\"\nlanguage = \"de\"\n"  // 5, 6
        "as_of = \"2022-02-30\"\n");                                                                     // 9
  auto reg = crawler::load_sources(dir.path());
  REQUIRE_FALSE(reg);
  const std::string& m = reg.error().message;
  CHECK_THAT(m, Catch::Contains("ca.toml:1: code 'ca' must be upper case ('CA')"));
  CHECK_THAT(m, Catch::Contains("x.toml:1: '<b>' is not a jurisdiction code"));
  CHECK_THAT(m, Catch::Contains("DE.toml:6: bad URL 'https://h/a\\x1b[2J'"));
  CHECK_THAT(m, Catch::Contains("DE.toml:9: as_of must be a date YYYY-MM-DD, not '2022-02-30'"));
  CHECK(m.find('\x1b') == std::string::npos);
}
