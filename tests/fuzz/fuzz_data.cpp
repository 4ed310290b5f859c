#include "fuzz_data.hpp"

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "hrtrack/corpus/import.hpp"
#include "hrtrack/index/index.hpp"
#include "shared.hpp"

namespace hrtrack::fuzz {

void fail(std::string_view what, std::string_view input) {
  std::cerr << "\n== INVARIANT BROKEN: " << what << '\n';
  if (!input.empty()) std::cerr << "== input (" << input.size() << " bytes): " << input.substr(0, 2000) << '\n';
  std::abort();
}

std::unique_ptr<corpus::Store> open_store(const std::filesystem::path& dir) {
  auto store = corpus::Store::open(dir);
  if (!store) fail("cannot open the catalogue in " + dir.string() + ": " + store.error().message);
  return std::move(store).value();
}

void import_and_index(const std::filesystem::path& dir, const std::vector<std::string>& relative) {
  const auto store = open_store(dir);
  std::vector<std::filesystem::path> paths;
  for (const auto& r : relative) paths.push_back(test::legislation(r));
  const auto report = corpus::Importer(*store).import_paths(paths, {});
  if (!report.failures.empty()) fail("set-up: import failed: " + report.failures.front().reason);
  if (report.versions_new == 0) fail("set-up: nothing imported from " + test::shared_dir().string());
  auto indexer = index::Indexer::open(dir, index::Thesaurus::builtin());
  if (!indexer) fail("set-up: " + indexer.error().message);
  if (auto r = (*indexer)->update(*store); !r) fail("set-up: indexing failed: " + r.error().message);
}

bool is_calendar_date(std::string_view iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return false;
  int parts[3] = {0, 0, 0};
  for (std::size_t i = 0; i < iso.size(); ++i) {
    if (i == 4 || i == 7) continue;
    if (iso[i] < '0' || iso[i] > '9') return false;
    int& part = parts[i < 4 ? 0 : i < 7 ? 1 : 2];
    part = part * 10 + (iso[i] - '0');
  }
  namespace chr = std::chrono;
  return chr::year_month_day{chr::year{parts[0]}, chr::month{static_cast<unsigned>(parts[1])},
                             chr::day{static_cast<unsigned>(parts[2])}}
      .ok();
}

}  // namespace hrtrack::fuzz
