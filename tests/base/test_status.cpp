#include <catch2/catch.hpp>

#include "hrtrack/base/status.hpp"

using namespace hrtrack;

TEST_CASE("an Error says what kind of failure it is; a message alone is an invalid argument", "[status]") {
  const Error plain{"x.xml: line 3: bad tag"};
  CHECK(plain.code == Code::kInvalidArgument);
  CHECK(plain.message == "x.xml: line 3: bad tag");
  const Error missing{Code::kNotFound, "no section 4"};
  CHECK(missing.code == Code::kNotFound);
  Result<int> r = Error{Code::kBusy, "locked"};
  REQUIRE_FALSE(r);
  CHECK(r.code() == Code::kBusy);
  Status s = Error{Code::kReadOnly, "read-only"};
  CHECK_FALSE(s.ok());
  CHECK(s.code() == Code::kReadOnly);
  CHECK(Status().ok());
  CHECK(to_string(Code::kNoLegalText) == "no legal text");
  CHECK(to_string(Code::kIOError) == "I/O error");
}
