#include "hrtrack/corpus/clock.hpp"

#include <ctime>

namespace hrtrack::corpus {
namespace {

std::string format_utc(const char* format) {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

}  // namespace

std::string today_utc() { return format_utc("%Y-%m-%d"); }
std::string now_utc() { return format_utc("%Y-%m-%dT%H:%M:%SZ"); }

}  // namespace hrtrack::corpus
