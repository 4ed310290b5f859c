#pragma once
// A Store opened on a folder, for the corpus tests; the test stops when it cannot be.
#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>

#include "hrtrack/corpus/store.hpp"

namespace hrtrack::test {

inline std::unique_ptr<corpus::Store> open_store(const std::filesystem::path& dir) {
  auto s = corpus::Store::open(dir);
  REQUIRE(s.ok());
  return std::move(s).value();
}

}  // namespace hrtrack::test
