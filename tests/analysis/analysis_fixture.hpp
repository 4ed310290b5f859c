#pragma once
// A data folder with the real CA, DE and US legislation imported and indexed, shared by the
// tests that only read it (import takes seconds; doing it once keeps the suite fast).
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hrtrack/analysis/analysis.hpp"
#include "hrtrack/corpus/import.hpp"
#include "hrtrack/crawler/crawler.hpp"
#include "hrtrack/index/index.hpp"
#include "shared.hpp"

namespace hrtrack::test {

struct ImportedCorpus {
  TempDir dir;
  std::unique_ptr<corpus::Store> store;
};

// Imports `folders` (under shared/legislation) into a fresh temp data folder and indexes
// them, as `hrtrack import` and `hrtrack index` do.
inline std::unique_ptr<ImportedCorpus> import_corpus(const std::vector<std::string>& folders) {
  auto c = std::make_unique<ImportedCorpus>();
  auto store = corpus::Store::open(c->dir.path());
  if (!store) throw std::runtime_error(store.error().message);
  c->store = std::move(store.value());
  std::vector<std::filesystem::path> paths;
  for (const auto& f : folders) paths.push_back(legislation(f));
  corpus::Importer(*c->store).import_paths(paths, {});
  auto indexer = index::Indexer::open(c->dir.path(), index::Thesaurus::builtin());
  if (!indexer) throw std::runtime_error(indexer.error().message);
  if (auto r = (*indexer)->update(*c->store); !r) throw std::runtime_error(r.error().message);
  return c;
}

// CA, DE and US, imported once for the whole test run.
inline ImportedCorpus& dev_corpus() {
  static auto c = import_corpus({"CA", "DE", "US"});
  return *c;
}

// The jurisdictions the development labels code (shared/eval/labels-dev.json).
inline std::vector<std::string> labelled_jurisdictions() {
  const auto labels = nlohmann::json::parse(read_file(shared_dir() / "eval" / "labels-dev.json"));
  std::vector<std::string> out;
  for (const auto& j : labels["jurisdictions"]) out.push_back(j["jurisdiction"].get<std::string>());
  return out;
}

// The sources of sources/*.toml of the labelled jurisdictions read from the mirror
// (shared/legislation), their history replayed first: for those jurisdictions, the store
// `hrtrack crawl --mirror DIR --replay-history` builds; once for the whole test run. What
// fails to import is missing from it, as from a user's store. It has no index, so the
// analysis reads every section in force (indexing all the versions would be most of the
// test's time under the sanitizers); that index and Store candidates code alike is tested
// on dev_corpus().
inline ImportedCorpus& labels_corpus() {
  static auto c = [] {
    auto c = std::make_unique<ImportedCorpus>();
    auto store = corpus::Store::open(c->dir.path());
    if (!store) throw std::runtime_error(store.error().message);
    c->store = std::move(store.value());
    auto all = crawler::load_sources(crawler::default_sources_dir());
    if (!all) throw std::runtime_error(all.error().message);
    auto registry = crawler::select_jurisdictions(*all, labelled_jurisdictions());
    if (!registry) throw std::runtime_error(registry.error().message);
    crawler::Config config;
    config.mirror = legislation("");
    config.replay_history = true;
    crawler::Crawler(*c->store, config).crawl(*registry);
    return c;
  }();
  return *c;
}

// An engine that does not write records (tests that read only); its candidates come from
// the corpus's index.
inline std::unique_ptr<analysis::Engine> reading_engine(ImportedCorpus& c) {
  analysis::EngineConfig config;
  config.data_dir = c.dir.path();
  config.persist = false;
  return std::move(analysis::Engine::open(*c.store, config).value());
}

}  // namespace hrtrack::test
