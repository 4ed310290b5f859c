// A disk that fills up while a new version is stored: the last good version stays whole
// and the error says what failed and why (the Env seam, tests/support/fault_env.hpp).
#include <catch2/catch.hpp>

#include <filesystem>

#include "fault_env.hpp"
#include "hrtrack/corpus/import.hpp"
#include "hrtrack/corpus/store.hpp"
#include "shared.hpp"

using namespace hrtrack::corpus;
using hrtrack::test::legislation;
namespace fs = std::filesystem;

namespace {

int temporary_files(const fs::path& dir) {
  int n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir / "blobs"))
    if (e.path().filename().string().find(".tmp") != std::string::npos) ++n;
  return n;
}

}  // namespace

TEST_CASE("a full disk while a blob and a version are written keeps the last good version", "[store][fault]") {
  hrtrack::test::TempDir dir;
  hrtrack::test::FaultEnv env;
  auto opened = Store::open(dir.path(), env);
  REQUIRE(opened.ok());
  Store& store = *opened.value();
  Importer importer(store);
  const auto good = legislation("history/CA/eng_acts_C-38.8@2021-02-26.xml");
  const auto next = legislation("history/CA/eng_acts_C-38.8@2022-11-24.xml");
  REQUIRE(importer.import_paths({good}, {}).failures.empty());
  const auto in = store.find_instrument("C-38.8");
  REQUIRE(in);
  const auto before = store.versions(in->id, "en");
  REQUIRE(before.size() == 1);
  const auto sections_before = store.sections(before[0].id);

  // Room for a few kilobytes: the new document's raw bytes (hundreds of KB) do not fit.
  env.fill_disk(4096);
  const auto full = importer.import_paths({next}, {});
  REQUIRE(full.failures.size() == 1);
  CHECK(full.versions_new == 0);
  const std::string& why = full.failures[0].reason;
  CHECK(why.find(next.filename().string()) != std::string::npos);  // which document
  CHECK(why.find("No space left on device") != std::string::npos);  // and why
  CHECK(env.writes_refused() >= 1);

  // The last good version is intact: the same version, its sections, its raw bytes.
  const auto after = store.versions(in->id, "en");
  REQUIRE(after.size() == 1);
  CHECK(after[0].id == before[0].id);
  CHECK(after[0].sha256 == before[0].sha256);
  CHECK(store.sections(after[0].id).size() == sections_before.size());
  auto raw = store.get_blob(after[0].sha256);
  REQUIRE(raw.ok());
  CHECK(*raw == hrtrack::test::read_file(good));
  CHECK(temporary_files(dir.path()) == 0);  // the partial write was removed
  CHECK(store.fsck().ok());

  // With room again, the same import succeeds.
  env.free_disk();
  const auto again = importer.import_paths({next}, {});
  CHECK(again.failures.empty());
  CHECK(again.versions_new == 1);
  CHECK(store.versions(in->id, "en").size() == 2);
}

TEST_CASE("a blob that cannot be written is an I/O error naming the file", "[store][fault]") {
  hrtrack::test::TempDir dir;
  hrtrack::test::FaultEnv env;
  auto opened = Store::open(dir.path(), env);
  REQUIRE(opened.ok());
  env.fail_renames(true);
  auto sha = opened.value()->put_blob("raw bytes of a fetch");
  REQUIRE_FALSE(sha.ok());
  CHECK(sha.code() == hrtrack::Code::kIOError);
  CHECK(sha.error().message.find((dir.path() / "blobs").string()) != std::string::npos);
  CHECK(temporary_files(dir.path()) == 0);
}
