#pragma once
// A data folder with real legislation imported and indexed, for the index tests.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "hrtrack/corpus/import.hpp"
#include "hrtrack/index/index.hpp"
#include "shared.hpp"

namespace hrtrack::test {

// Imports shared/legislation/<relative> (files or folders) into the data folder `dir`.
inline void import_into(const std::filesystem::path& dir, const std::vector<std::string>& relative) {
  auto store = corpus::Store::open(dir);
  REQUIRE(store.ok());
  std::vector<std::filesystem::path> paths;
  for (const auto& r : relative) paths.push_back(legislation(r));
  const auto report = corpus::Importer(**store).import_paths(paths, {});
  INFO((report.failures.empty() ? "" : report.failures.front().reason));
  REQUIRE(report.failures.empty());
}

// One incremental indexing run.
inline index::IndexReport index_once(const std::filesystem::path& dir, bool rebuild = false) {
  auto store = corpus::Store::open(dir);
  REQUIRE(store.ok());
  auto indexer = index::Indexer::open(dir, index::Thesaurus::builtin());
  INFO((indexer ? "" : indexer.error().message));
  REQUIRE(indexer.ok());
  auto report = rebuild ? (*indexer)->rebuild(**store) : (*indexer)->update(**store);
  INFO((report ? "" : report.error().message));
  REQUIRE(report.ok());
  return report.value();
}

class Corpus {
 public:
  explicit Corpus(const std::vector<std::string>& relative) {
    import_into(tmp_.path(), relative);
    index_once(tmp_.path());
  }
  const std::filesystem::path& dir() const { return tmp_.path(); }

 private:
  TempDir tmp_;
};

}  // namespace hrtrack::test
