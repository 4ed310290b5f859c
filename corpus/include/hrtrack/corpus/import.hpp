#pragma once
// The import pipeline: raw bytes stored first, then parsed, then recorded in one
// transaction. Used by `hrtrack import` and by the crawler after each transfer.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hrtrack/corpus/parse.hpp"
#include "hrtrack/corpus/store.hpp"

namespace hrtrack::corpus {

struct ImportOptions {
  std::optional<Format> format;  // overrides detection
  std::string jurisdiction;      // for documents that do not say
  std::string language;          // for documents that do not say
  std::string as_of;             // YYYY-MM-DD, for documents that carry no date (else: today)
};

struct ImportFailure {
  std::string source;
  std::string reason;  // one line, naming the source
};

struct ImportReport {
  int files = 0;
  int skipped = 0;  // files in a folder that are not legal documents (README, manifests)
  int instruments_new = 0;
  int versions_new = 0;
  int versions_unchanged = 0;
  long long sections = 0;  // sections in new versions
  long long bytes = 0;
  std::vector<ImportOutcome> outcomes;
  std::vector<ImportFailure> failures;
};

// Called after each file: (files done, files total, source).
using ImportProgress = std::function<void(int, int, const std::string&)>;

class Importer {
 public:
  explicit Importer(Store& store) : store_(store) {}

  // One document: store the bytes, parse, record. The error names the source.
  Result<ImportOutcome> import_bytes(std::string_view bytes, const std::string& source,
                                     const ImportOptions& options) const;

  // Files and folders (recursive). Folders are walked in sorted order; in a folder, files
  // that no parser recognises are skipped, not failed. A named file always counts.
  ImportReport import_paths(const std::vector<std::filesystem::path>& paths,
                            const ImportOptions& options, const ImportProgress& progress = {}) const;

 private:
  Store& store_;
};

// Hints a path gives: a parent folder named by an ISO code ("CA/", "DE/") and a date in
// the name ("btmg_1981.bundestag@2012-08-02.md").
std::string jurisdiction_hint(const std::filesystem::path& p);
std::string date_hint(const std::filesystem::path& p);

}  // namespace hrtrack::corpus
