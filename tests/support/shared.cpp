#include "shared.hpp"

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace hrtrack::test {

std::filesystem::path shared_dir() {
  if (const char* env = std::getenv("HRTRACK_SHARED"); env && *env) return env;
#ifdef HRTRACK_SHARED_DEFAULT
  return HRTRACK_SHARED_DEFAULT;
#else
  return std::filesystem::current_path() / ".." / "shared";
#endif
}

std::filesystem::path legislation(const std::string& relative) {
  return shared_dir() / "legislation" / relative;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("hrtrack-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

double time_bound(double seconds) {
#if defined(__SANITIZE_ADDRESS__)
  return 10 * seconds;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return 10 * seconds;
#endif
#endif
  return seconds;
}

}  // namespace hrtrack::test
