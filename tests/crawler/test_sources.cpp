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

}  // namespace

TEST_CASE("the registry lists every file of the shared legislation, with http(s) URLs", "[crawler]") {
  auto reg = crawler::load_sources(crawler::default_sources_dir());
  INFO((reg ? "" : reg.error().message));
  REQUIRE(reg);
  std::map<std::string, const crawler::Source*> by_mirror;
  for (const auto& s : reg->sources) by_mirror[s.mirror] = &s;
  int covered = 0;
  for (const auto& row : manifest()) {
    if (row.file.rfind("history/", 0) == 0 || row.file.rfind("../", 0) == 0) continue;
    INFO(row.file);
    REQUIRE(by_mirror.count(row.file) == 1);
    if (!row.official_url.empty()) CHECK(by_mirror[row.file]->official_url == row.official_url);
    CHECK(std::filesystem::exists(test::legislation(row.file)));
    ++covered;
  }
  CHECK(covered == static_cast<int>(reg->sources.size()));
  for (const auto& s : reg->sources) {
    INFO(s.id);
    CHECK((s.url.rfind("https://", 0) == 0 || s.url.rfind("http://", 0) == 0));
  }
  std::set<std::string> codes;
  for (const auto& j : reg->jurisdictions) codes.insert(j.code);
  CHECK(codes == std::set<std::string>{"CA", "DE", "EU", "GB", "IT", "NL", "TZ", "US", "UY", "ZA"});
}

TEST_CASE("malformed sources name the file and line of each problem", "[crawler]") {
  test::TempDir dir;
  write(dir.path() / "CA.toml",
        "code = \"CA\"\nname = \"Canada\"\nlanguages = [\"en\"]\n"
        "[[source]]\n"                                   // 4
        "id = \"a\"\nurl = \"ftp://x/y\"\n"              // 5, 6: bad URL
        "format = \"pdf\"\nlanguage = \"en\"\n"          // 7: unknown format
        "mirror = \"CA/a.xml\"\n"
        "[[source]]\n"                                   // 10: missing url
        "id = \"b\"\nformat = \"akn\"\nlanguage = \"en\"\nmirror = \"CA/b.xml\"\n"
        "[[source]]\n"                                   // 15: duplicate id
        "id = \"b\"\nurl = \"https://h/b\"\nformat = \"akn\"\nlanguage = \"en\"\nmirror = \"../b.xml\"\n");
  write(dir.path() / "DE.toml", "code = \"DE\"\nname = \"Germany\nlanguages = [\"de\"]\n");  // 2: syntax
  auto reg = crawler::load_sources(dir.path());
  REQUIRE_FALSE(reg);
  const std::string& m = reg.error().message;
  const std::string ca = (dir.path() / "CA.toml").string(), de = (dir.path() / "DE.toml").string();
  CHECK_THAT(m, Catch::Contains(ca + ":6: bad URL 'ftp://x/y'"));
  CHECK_THAT(m, Catch::Contains(ca + ":7: unknown format 'pdf'"));
  CHECK_THAT(m, Catch::Contains(ca + ":10: missing field 'url'"));
  CHECK_THAT(m, Catch::Contains(ca + ":15: duplicate id 'b'"));
  CHECK_THAT(m, Catch::Contains(ca + ":20: mirror '../b.xml'"));
  CHECK_THAT(m, Catch::Contains(de + ":2:"));
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
