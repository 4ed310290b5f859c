// The Env seam: the POSIX default, and the fault-injecting Env the other modules' tests use.
#include <catch2/catch.hpp>

#include <filesystem>

#include "fault_env.hpp"
#include "hrtrack/base/env.hpp"
#include "shared.hpp"

using namespace hrtrack;
namespace fs = std::filesystem;

namespace {

int files_in(const fs::path& dir) {
  int n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

}  // namespace

TEST_CASE("an atomic write replaces the file whole", "[env]") {
  test::TempDir dir;
  base::Env& env = base::Env::posix();
  const fs::path file = dir.path() / "answer.json";
  REQUIRE(base::write_file_atomic(env, file, "first").ok());
  REQUIRE(base::write_file_atomic(env, file, "second, longer").ok());
  auto back = env.read_file(file);
  REQUIRE(back.ok());
  CHECK(*back == "second, longer");
  CHECK(files_in(dir.path()) == 1);
  auto missing = env.read_file(dir.path() / "nothing");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.code() == Code::kNotFound);
  CHECK(missing.error().message.find("nothing") != std::string::npos);
}

TEST_CASE("a full disk or a failing sync leaves the old file and no temporary one", "[env][fault]") {
  test::TempDir dir;
  test::FaultEnv env;
  const fs::path file = dir.path() / "blob";
  REQUIRE(base::write_file_atomic(env, file, "the last good bytes").ok());

  env.fill_disk(4);
  const Status full = base::write_file_atomic(env, file, "new bytes that do not fit");
  REQUIRE_FALSE(full.ok());
  CHECK(full.code() == Code::kIOError);
  CHECK(full.error().message.find("No space left on device") != std::string::npos);
  CHECK(env.read_file(file).value() == "the last good bytes");
  CHECK(files_in(dir.path()) == 1);

  env.free_disk();
  env.fail_syncs(true);
  const Status unsynced = base::write_file_atomic(env, file, "new bytes");
  REQUIRE_FALSE(unsynced.ok());
  CHECK(unsynced.code() == Code::kIOError);
  CHECK(env.read_file(file).value() == "the last good bytes");
  CHECK(files_in(dir.path()) == 1);

  env.fail_syncs(false);
  env.fail_renames(true);
  CHECK_FALSE(base::write_file_atomic(env, file, "new bytes").ok());
  CHECK(files_in(dir.path()) == 1);
  CHECK(env.writes_refused() == 3);

  env.fail_renames(false);
  CHECK(base::write_file_atomic(env, file, "new bytes").ok());
  CHECK(env.read_file(file).value() == "new bytes");
}

TEST_CASE("the default Env's clocks and randomness work", "[env]") {
  base::Env& env = base::Env::posix();
  const auto a = env.steady_now();
  CHECK(env.steady_now() >= a);
  CHECK(env.now().time_since_epoch().count() > 0);
  CHECK(env.random() != env.random());
}
