#pragma once
// The catalogue: SQLite (WAL, foreign keys, numbered migrations) for jurisdictions,
// instruments, versions, sections, citations and diffs; raw bytes content-addressed
// under blobs/, so any version can be re-parsed without a re-fetch.
//
// Thread safety: one Store per thread. Several processes may open the same folder; SQLite
// serialises writers (a writer waits up to 5 s, then gets an "is busy" error).
// Durability: each import is one transaction (or part of a write group); a kill in the
// middle leaves the catalogue as it was before that document (or group).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hrtrack/base/env.hpp"
#include "hrtrack/corpus/model.hpp"
#include "hrtrack/corpus/parse.hpp"
#include "hrtrack/corpus/result.hpp"

namespace hrtrack::corpus {

// One word-level edit: kept ('='), removed ('-') or inserted ('+') words.
struct WordEdit {
  char op = '=';
  std::string words;
};

// How one section differs between a version and the one before it.
struct SectionChange {
  enum class Kind { added, removed, changed };
  Kind kind = Kind::changed;
  std::string number;
  std::string heading;
  std::vector<WordEdit> words;  // changed sections only
};
std::string_view to_string(SectionChange::Kind k);

// What one import did.
struct ImportOutcome {
  enum class Kind { new_instrument, new_version, unchanged };
  Kind kind = Kind::unchanged;
  std::string jurisdiction;
  std::string identifier;
  std::string language;
  std::string date;
  std::int64_t instrument_id = 0;
  std::int64_t version_id = 0;  // the new version, or the existing one that matched
  int sections = 0;
  int added = 0, removed = 0, changed = 0;  // against the previous version
};
std::string_view to_string(ImportOutcome::Kind k);

// A citation as stored, with its source section and the target resolved where possible.
struct StoredCitation {
  std::string from;  // "C-38.8#4"
  Citation citation;
  std::optional<std::int64_t> target_instrument_id;
  std::string target;  // "C-38.8#2" when resolved, else the raw target as named
};

// One HTTP fetch (or mirror read) by the crawler, as recorded in the catalogue.
struct FetchRecord {
  std::string source_id;   // the instrument id in sources/*.toml
  std::string url;
  std::string time;        // ISO 8601 UTC, set by the store when empty
  int http_status = 0;     // 0 when no response (timeout, refused, mirror read)
  long long bytes = 0;     // body bytes received
  double seconds = 0;
  std::string etag, last_modified;  // validators for the next conditional GET
  std::string sha256;      // of the body, when one was stored
  std::string outcome;     // "changed", "unchanged", "not-modified", "no-legal-text", "failed", ...
  std::string error;       // why it failed (or holds no legal text), one line
  int parsers = 0;         // kParsersRevision of the parsers that read the body; 0 when none did
};

// A record kept for a higher module (analysis answers, reviews): JSON text by kind and key.
struct Record {
  std::string kind, key, json, updated_at;
};

// An entry of the append-only event log (status changes, reviews) behind the change feeds.
struct Event {
  std::int64_t id = 0;
  std::string time;  // ISO 8601 UTC
  std::string kind, key, json;
};

// Blobs removed by a sweep.
struct BlobSweep {
  int removed = 0;
  long long bytes = 0;
  bool skipped = false;  // another hrtrack was writing blobs: nothing was removed this time
};

// What Store::fsck found and repaired.
struct FsckReport {
  std::vector<std::string> problems;  // not repaired: SQLite integrity, foreign keys, missing blobs
  BlobSweep failed_bodies;            // bodies of failed fetches superseded (sweep_failed_bodies)
  BlobSweep unreferenced;             // blob files no catalogue row names
  int temporary_files = 0;            // left by interrupted blob writes
};

class Store {
 public:
  // Opens (creating if needed) the data folder: catalogue.sqlite3 and blobs/.
  // Runs pending schema migrations. Errors name the folder and the reason.
  // A catalogue this process may not write (read-only mount or permissions) is opened
  // read-only (read_only()): reads work, writes fail with SQLite's "readonly database".
  static Result<std::unique_ptr<Store>> open(const std::filesystem::path& data_dir);
  // The same, writing blob files through `env` (which must outlive the Store): a disk that
  // fills up or fails makes put_blob/write_blob fail with Code::kIOError, naming the file,
  // and leaves every stored blob and version as it was.
  static Result<std::unique_ptr<Store>> open(const std::filesystem::path& data_dir, base::Env& env);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::filesystem::path& dir() const;
  int schema_version() const;
  bool read_only() const;

  // Raw bytes, content-addressed by sha256 (hex). Written atomically (temp + rename);
  // storing the same bytes twice is a no-op. Returns the hash.
  Result<std::string> put_blob(std::string_view bytes);
  // The file half of put_blob, without touching the catalogue: safe to call from any
  // thread (the import pipeline writes blobs from its parser threads). record() adds the
  // catalogue row.
  Result<std::string> write_blob(std::string_view bytes) const;
  // The catalogue row of a blob write_blob stored (put_blob's other half), by its hash.
  Status register_blob(std::string_view sha256, std::int64_t size);
  Result<std::string> get_blob(std::string_view sha256) const;
  // Flushes blobs and the catalogue to disk (after a batch of imports).
  void sync() const;

  // Blob housekeeping. A Store that writes blobs holds <data>/blobs.lock shared from its
  // first write_blob until it is destroyed (a blob is written before it is recorded); a
  // sweep takes the lock exclusively, without waiting, so it never removes what another
  // process wrote and has not recorded yet. Call a sweep when this Store has recorded every
  // blob it wrote (it gives up its own shared hold).
  //
  // The raw bytes of a fetch that produced no version (failed, or no legal text) are kept
  // only while that fetch is its source's newest fetch with a body: for diagnosis, until the
  // source's next body (a success, or a newer failure) supersedes them. This removes the
  // superseded ones (never a blob a version or a successful fetch names). The fetch log
  // keeps their hashes. Skipped (not an error) while another process writes blobs.
  Result<BlobSweep> sweep_failed_bodies();
  // Checks the catalogue (SQLite's integrity and foreign-key checks) and repairs the blob
  // folder: superseded failed bodies, blob files no row names and temporary files are
  // removed. A damaged catalogue is reported and nothing is removed. Errors: another process
  // is writing blobs.
  Result<FsckReport> fsck();

  Status put_jurisdiction(const Jurisdiction& j);
  std::vector<Jurisdiction> jurisdictions() const;

  // Records a parsed document whose raw bytes are already stored under `raw_sha256`.
  // A new Version is created only when the normalised text differs from the version in
  // force at the document's date; then its section diff against that version is stored
  // (and the next version's diff is recomputed when the new one slots in between).
  // `text_sha256` is sha256(normalized_text(doc)) when the caller computed it already.
  // An amending document (doc.amends naming an instrument held in the same jurisdiction, by
  // identifier or alias) is recorded as itself, and the amended instrument gains a derived
  // version at the document's date: the version in force then with the instructions applied
  // (amendments::apply). Recording either side in any order gives the same derived versions:
  // each record re-derives them all in date order, removing those that no longer follow and
  // adding those missing. An amendment in force on or before the date of a version from a
  // document of the instrument itself (a consolidated text) is taken to be in that text and
  // derives nothing; such a version is never rewritten.
  // A part (doc.part: some sections of a code published one section per file) is recorded
  // as the whole instrument at its date: the version in force then with the part's sections
  // replacing the same-numbered ones and new numbers added, in natural number order; the
  // new version's raw bytes and source are the part's. A part older than versions already
  // stored is carried into each later version that still holds the text it replaced (or
  // lacks its number, as the version before it did); a later version with its own text of
  // that section keeps it. Those versions' sections are rewritten (new section ids) and
  // their diffs recomputed. Limits: a later version that went back to the replaced text is
  // taken for one that inherited it; and parts recorded newest first can leave a version
  // whose text, once older parts were carried into it, equals the one before it (an empty
  // diff). Importer::import_paths orders a batch's parts by date, so neither arises there.
  // `source_commit`: the commit of a git source the document was read from (kept with a new
  // version as Version::source_commit).
  Result<ImportOutcome> record(const ParsedDocument& doc, std::string_view raw_sha256,
                               std::string_view source, std::string_view text_sha256 = {},
                               std::string_view source_commit = {});

  // Catalogue queries.
  std::vector<Instrument> instruments(std::string_view jurisdiction = {}) const;
  // By identifier or alias, exact, then case-insensitive.
  std::optional<Instrument> find_instrument(std::string_view name) const;
  std::optional<Instrument> instrument(std::int64_t id) const;
  // Versions oldest first; `language` empty for all languages.
  std::vector<Version> versions(std::int64_t instrument_id, std::string_view language = {}) const;
  std::optional<Version> version(std::int64_t version_id) const;
  // The latest version with date <= as_of (as_of empty: the latest).
  std::optional<Version> version_as_of(std::int64_t instrument_id, std::string_view language,
                                       std::string_view as_of) const;
  std::vector<Section> sections(std::int64_t version_id) const;
  std::optional<Section> section(std::int64_t version_id, std::string_view number) const;
  // The stored diff of a version against the one before it.
  std::vector<SectionChange> changes(std::int64_t version_id) const;
  // The diff between any two versions (of the same instrument and language).
  std::vector<SectionChange> diff(std::int64_t from_version, std::int64_t to_version) const;
  // What an instrument's own documents say they amend: the amended instrument's identifier
  // where the catalogue holds it (same jurisdiction), else the name as given (an ELI path).
  // The versions derived from them carry date_source "consolidated from <identifier> (in
  // force <date>)" and Version::derived.
  std::vector<std::string> amends(std::int64_t instrument_id) const;
  // The citations a version's sections make (only section `number`'s when given), in order.
  std::vector<StoredCitation> citations_from(std::int64_t version_id, std::string_view number = {}) const;
  // Sections (of the latest versions) whose citations point at instrument#number.
  std::vector<StoredCitation> citations_to(std::int64_t instrument_id, std::string_view number) const;

  // The crawler's fetch log.
  Status record_fetch(const FetchRecord& f);
  // The newest fetch of `url` that returned a body or a 304: its validators drive the next
  // conditional GET.
  std::optional<FetchRecord> last_good_fetch(std::string_view url) const;
  // The newest fetch of `url` that returned a body and did not fail: what its parse came to
  // (its outcome) and which parsers read it.
  std::optional<FetchRecord> last_body_fetch(std::string_view url) const;
  // Newest first.
  std::vector<FetchRecord> fetches(int limit = 100) const;

  // Records for higher modules, which must not link SQLite themselves. Keys are compared
  // as text; `key_prefix` selects a range ("CA/" for a jurisdiction's answers).
  Status put_record(std::string_view kind, std::string_view key, std::string_view json);
  std::optional<Record> record(std::string_view kind, std::string_view key) const;
  std::vector<Record> records(std::string_view kind, std::string_view key_prefix = {}) const;
  Status delete_records(std::string_view kind, std::string_view key_prefix);
  // The event log: appended, never rewritten. Newest first, ids greater than `after_id`.
  Result<std::int64_t> append_event(std::string_view kind, std::string_view key, std::string_view json);
  std::vector<Event> events(std::string_view kind = {}, std::int64_t after_id = 0, int limit = 100) const;
  // Runs `body` in one transaction: all of its writes land, or none (when it returns an
  // error or throws). Nested calls join the outer transaction.
  Status transaction(const std::function<Status()>& body);

  // A write group: the writes between begin_group() and commit_group() (records, fetch log
  // entries) land in one transaction, durable once the group commits; a kill before loses
  // the group and leaves the catalogue as it was before it. A record() that fails on a
  // catalogue error inside the group rolls the whole group back (in_group() turns false;
  // the caller reports the group's documents as failed). One commit for a group of
  // documents instead of one each: per-document commits rewrote the same index pages into
  // the WAL again and again (4.4 times the catalogue's size in a bulk import). The group
  // holds the catalogue's write lock: commit it before waiting for anything.
  Status begin_group();
  Status commit_group();
  void rollback_group();  // on an error within the group: none of its writes land
  bool in_group() const;

  struct Totals {
    std::int64_t jurisdictions = 0, instruments = 0, versions = 0, sections = 0, citations = 0;
  };
  Totals totals() const;

  // Increases with every write; the web layer uses it as an ETag.
  std::int64_t revision() const;

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// sha256 of `bytes`, as 64 lower-case hex digits.
std::string sha256_hex(std::string_view bytes);

// The word-level diff of two texts (split on white space).
std::vector<WordEdit> word_diff(std::string_view before, std::string_view after);

}  // namespace hrtrack::corpus
