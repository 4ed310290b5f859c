#pragma once
// The import pipeline: raw bytes stored first, then parsed, then recorded in one
// transaction. Used by `hrtrack import` and by the crawler after each transfer.
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hrtrack/corpus/parse.hpp"
#include "hrtrack/corpus/store.hpp"

namespace hrtrack::corpus {

// What an input file may hold at most, unless the caller says otherwise.
constexpr std::size_t kMaxInputBytes = 256u << 20;

struct ImportOptions {
  std::optional<Format> format;  // overrides detection
  std::string jurisdiction;      // for documents that do not say
  std::string language;          // for documents that do not say
  std::string as_of;             // YYYY-MM-DD, for documents that carry no date (else: undated)
  std::string identifier;        // overrides the document's own, which becomes an alias
  std::string as_of_source;      // where as_of came from, for the version's date_source ("--as-of" when empty)
  std::string source_commit;     // the git commit the bytes were read from (Version::source_commit)
  std::size_t max_bytes = kMaxInputBytes;  // a larger input file is refused before it is read
};

struct ImportFailure {
  std::string source;
  std::string reason;  // one line, naming the source
  Code code = Code::kInvalidArgument;  // what kind of failure (kNoLegalText: nothing to import)
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

// Called after each file: (files done, files total, source). From import_paths' writer
// thread, one call at a time, while import_paths waits.
using ImportProgress = std::function<void(int, int, const std::string&)>;

// One document made ready to record: its raw bytes stored, parsed, its text hashed.
struct PreparedDocument {
  std::string source;
  Result<ParsedDocument> doc = Error{};  // the error names the source
  std::string raw_sha, text_sha;         // raw_sha is set once the bytes are stored
  std::string source_commit;             // ImportOptions::source_commit
};

// What an import tells a parser beyond the bytes: the options, and the hints the path
// gives (a jurisdiction folder, a date in the file name), as fallbacks for what the
// document does not say.
ParseContext import_context(const std::string& source, const ImportOptions& options);

// The parser threads' half of an import: stores the raw bytes (before anything is parsed),
// then parses and hashes. Safe on any thread: it writes only the blob file, never the
// catalogue. Never throws for a bad document. `stored_sha` is the hash of `bytes` when the
// caller has already stored them with Store::write_blob (they are not hashed again).
PreparedDocument prepare_document(const Store& store, std::string_view bytes, const std::string& source,
                                  const ImportOptions& options, std::string_view stored_sha = {});

class Importer {
 public:
  explicit Importer(Store& store) : store_(store) {}

  // One document: store the bytes, parse, record. The error names the source.
  Result<ImportOutcome> import_bytes(std::string_view bytes, const std::string& source,
                                     const ImportOptions& options) const;

  // The writer's half: records a prepared document in one transaction (a document that
  // failed to prepare returns its error and records nothing).
  Result<ImportOutcome> record(const PreparedDocument& prepared) const;

  // Files and folders (recursive). Folders are walked in sorted order; in a folder, files
  // that no parser recognises are skipped, not failed. A named file always counts.
  // Documents are parsed in parallel and recorded in the order given.
  ImportReport import_paths(const std::vector<std::filesystem::path>& paths,
                            const ImportOptions& options, const ImportProgress& progress = {}) const;

 private:
  Store& store_;
};

// Import work split in two: a prepare step (read, store the raw bytes, parse, hash) on
// parser threads, in parallel and in any order, and the record step it returns, on one
// writer thread, strictly in the order the work was submitted: versions and their diffs
// depend on that order, and the Store takes one writer. Used by import_paths and by the
// crawler, which submits each document as its transfer finishes.
//
// Memory: at most `window` items are being prepared or wait for the writer; submitted
// items beyond that wait unprepared (the submitter bounds them, e.g. with pending()).
// Exceptions thrown by a step are kept (the first one) and rethrown by finish(); the
// other items are still recorded.
// Thread safety: submit() and finish() from one thread; pending() from any.
class ImportPipeline {
 public:
  using RecordStep = std::function<void()>;
  using PrepareStep = std::function<RecordStep()>;
  struct Options {
    int threads = 0;  // parser threads; 0: one per core, 1 to 8
    int window = 0;   // 0: four per parser thread; never fewer than the threads
    // Called on the writer thread after each record step (e.g. to wake a producer that
    // waits for pending() to fall).
    std::function<void()> on_recorded;
    // Called on the writer thread when nothing has been ready to record for `idle_after`
    // (e.g. to commit a group of writes rather than hold the catalogue's lock while idle),
    // and once more before the writer stops.
    std::function<void()> on_idle;
    std::chrono::milliseconds idle_after{20};
  };

  explicit ImportPipeline(Options options);
  ImportPipeline() : ImportPipeline(Options{}) {}
  ~ImportPipeline();  // finish(), exceptions dropped
  ImportPipeline(const ImportPipeline&) = delete;
  ImportPipeline& operator=(const ImportPipeline&) = delete;

  // Queues one item; never blocks.
  void submit(PrepareStep prepare);
  // Queues an item with nothing to prepare (a 304, a failed transfer): it is recorded in its
  // turn without a trip through a parser thread.
  void submit_ready(RecordStep record);
  // Items submitted and not yet recorded.
  std::size_t pending() const;
  // Waits until every submitted item is recorded, stops the threads, rethrows the first
  // exception a step threw. Nothing may be submitted afterwards.
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A whole file's bytes, read with one allocation and no stream buffer in between (it was a
// double copy through std::ostringstream). Refused at once, before anything is read: what is
// not a regular file (a FIFO would block for ever, /dev/zero never ends) and a file larger
// than `max_bytes`; a file that grows beyond it while read is refused too. The error names
// the file (escaped, see escape_name) and the reason.
Result<std::string> read_file(const std::filesystem::path& p, std::size_t max_bytes = kMaxInputBytes);

// Hints a path gives: a parent folder named by an ISO code ("CA/", "DE/") and a date in
// the name ("btmg_1981.bundestag@2012-08-02.md").
std::string jurisdiction_hint(const std::filesystem::path& p);
std::string date_hint(const std::filesystem::path& p);

}  // namespace hrtrack::corpus
