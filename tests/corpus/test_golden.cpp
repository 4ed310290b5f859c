// Golden files: how every document in shared/legislation parses (identity, date and where
// it came from, each section's number, heading and a digest of its text), checked in under
// tests/corpus/golden/ and compared here. A parser change that reads any of them
// differently fails this test until the golden files are regenerated and the difference
// read in review:   HRTRACK_UPDATE_GOLDEN=1 ./test_corpus "[golden]"
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "hrtrack/corpus/import.hpp"
#include "hrtrack/corpus/store.hpp"
#include "shared.hpp"

using namespace hrtrack::corpus;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kGolden = HRTRACK_GOLDEN_DIR;

bool is_document(const fs::path& p) {
  const std::string name = p.filename().string();
  return fs::is_regular_file(p) && name.rfind("README", 0) != 0 && name.rfind("MANIFEST", 0) != 0 &&
         p.extension() != ".tsv";
}

// The parsed document as the golden file records it: one line per section, so that a
// review diff shows which sections a change moved.
json describe(const std::string& relative, const std::string& bytes) {
  auto r = parse_document(bytes, import_context(relative, {}));
  if (!r) return {{"file", relative}, {"error", r.error().message}};
  const ParsedDocument& d = r.value();
  json sections = json::array();
  for (const auto& s : d.sections) {
    std::string line = s.number + " | " + s.heading + " | " + sha256_hex(s.text).substr(0, 12);
    if (s.in_force != InForce::unknown && s.in_force != InForce::yes)
      line += " | " + std::string(to_string(s.in_force));
    if (!s.notes.empty()) line += " | notes " + std::to_string(s.notes.size());
    sections.push_back(line);
  }
  return {{"file", relative},          {"format", std::string(to_string(d.format))},
          {"jurisdiction", d.jurisdiction}, {"identifier", d.identifier},
          {"aliases", d.aliases},      {"title", d.title},
          {"language", d.language},    {"type", std::string(to_string(d.type))},
          {"date", d.date},            {"date_source", d.date_source},
          {"part", d.part},            {"amends", d.amends},
          {"sections", sections}};
}

// The first difference, in words: which field, or which section line.
std::string first_difference(const json& want, const json& got) {
  for (const auto& [key, value] : want.items()) {
    if (!got.contains(key)) return "no '" + key + "' now";
    if (got[key] == value) continue;
    if (key == "sections" && value.is_array() && got[key].is_array()) {
      const auto& a = value;
      const auto& b = got[key];
      for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i)
        if (i >= a.size() || i >= b.size() || a[i] != b[i])
          return "section line " + std::to_string(i) + ": was '" + (i < a.size() ? a[i].get<std::string>() : "") +
                 "', now '" + (i < b.size() ? b[i].get<std::string>() : "") + "' (" +
                 std::to_string(a.size()) + " sections before, " + std::to_string(b.size()) + " now)";
    }
    return key + ": was " + value.dump() + ", now " + got[key].dump();
  }
  for (const auto& [key, value] : got.items())
    if (!want.contains(key)) return "new '" + key + "': " + value.dump();
  return "";
}

}  // namespace

TEST_CASE("golden: every document in shared/legislation parses as recorded", "[golden]") {
  const fs::path root = hrtrack::test::legislation("");
  const bool update = std::getenv("HRTRACK_UPDATE_GOLDEN") != nullptr;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (is_document(e.path())) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() > 100);
  std::set<fs::path> expected;
  for (const auto& f : files) {
    const std::string relative = fs::relative(f, root).generic_string();
    const fs::path golden = kGolden / (relative + ".json");
    expected.insert(golden);
    const json got = describe(relative, hrtrack::test::read_file(f));
    if (update) {
      fs::create_directories(golden.parent_path());
      std::ofstream(golden, std::ios::binary) << got.dump(1) << '\n';
      continue;
    }
    INFO(relative);
    std::ifstream in(golden, std::ios::binary);
    if (!in) {
      FAIL_CHECK("no golden file " << golden.filename() << ": run with HRTRACK_UPDATE_GOLDEN=1");
      continue;
    }
    const json want = json::parse(in, nullptr, false);
    CHECK(first_difference(want, got) == "");
  }
  // A golden file for a document that is gone is stale.
  for (const auto& e : fs::recursive_directory_iterator(kGolden))
    if (e.is_regular_file() && !expected.count(e.path())) {
      if (update) fs::remove(e.path());
      else FAIL_CHECK("stale golden file (no such document): " << e.path().filename());
    }
}

TEST_CASE("golden: the runner notices a changed section", "[golden]") {
  const std::string md = "---\ntitle: Gesetz zur Probe (ProbG)\n---\n# Gesetz zur Probe (ProbG)\n\n## § 1 Zweck\n\nText.\n";
  const json before = describe("probe.md", md);
  std::string changed = md;
  changed.replace(changed.find("Text."), 5, "Anderer Text.");
  const json after = describe("probe.md", changed);
  CHECK(first_difference(before, before) == "");
  const std::string diff = first_difference(before, after);
  CHECK(diff.find("section line 0") != std::string::npos);
  CHECK(first_difference(before, describe("probe.md", "")) != "");  // now a failure
}
