#include <catch2/catch.hpp>
TEST_CASE("crawler module builds", "[crawler]") { SUCCEED(); }
