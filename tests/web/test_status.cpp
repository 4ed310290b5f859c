// A failure's code decides the HTTP status a client sees.
#include <catch2/catch.hpp>

#include "handlers.hpp"

using hrtrack::Code;
using hrtrack::web::http_status;

TEST_CASE("each failure code has its HTTP status", "[status]") {
  CHECK(http_status(Code::kInvalidArgument) == 400);
  CHECK(http_status(Code::kNotFound) == 404);
  CHECK(http_status(Code::kReadOnly) == 403);
  CHECK(http_status(Code::kNoLegalText) == 422);
  CHECK(http_status(Code::kBusy) == 503);
  CHECK(http_status(Code::kCorruption) == 500);
  CHECK(http_status(Code::kIOError) == 500);
}
