#pragma once
// Where the tests find the project's shared data (../shared by default, or $HRTRACK_SHARED),
// and small helpers every module's tests use.
#include <filesystem>
#include <string>

namespace hrtrack::test {

// The shared/ folder: $HRTRACK_SHARED, else ../shared beside the source tree.
std::filesystem::path shared_dir();
// shared/legislation/<relative>.
std::filesystem::path legislation(const std::string& relative);
// Whole file as bytes; throws if it cannot be read (a test set-up failure).
std::string read_file(const std::filesystem::path& p);
// For "refused in bounded time" checks: `seconds` in a plain build, ten times that under
// AddressSanitizer (CI), which slows memory-bound code about that much.
double time_bound(double seconds);

// A fresh empty folder under the system temp dir, removed when it goes out of scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace hrtrack::test
