#include "hrtrack/corpus/clock.hpp"

#include "hrtrack/base/env.hpp"

namespace hrtrack::corpus {

std::string today_utc() { return base::utc_date(base::Env::posix().now()); }
std::string now_utc() { return base::utc_timestamp(base::Env::posix().now()); }

}  // namespace hrtrack::corpus
