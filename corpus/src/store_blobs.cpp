// The Store's content-addressed blobs (blobs/<2 hex>/<sha256>): writing through the Env,
// reading, the lock that keeps a sweep from removing what a writer has not recorded yet,
// the sweep of superseded failure bodies, and fsck.
#include "hrtrack/corpus/store.hpp"

#include "store_impl.hpp"

namespace hrtrack::corpus {
using namespace store_detail;  // NOLINT(google-build-using-namespace): the Store's own helpers

Result<std::string> Store::put_blob(std::string_view bytes) {
  auto sha = write_blob(bytes);
  if (!sha) return sha;
  if (auto st = register_blob(*sha, static_cast<std::int64_t>(bytes.size())); !st) return st.error();
  return sha;
}

Status Store::register_blob(std::string_view sha256, std::int64_t size) {
  try {
    auto s = impl_->cached("INSERT OR IGNORE INTO blob(sha256, size, stored_at) VALUES (?, ?, ?)");
    s->bind(1, sha256).bind(2, size).bind(3, now_utc()).run();
  } catch (const sql::Failure& f) {
    return f.error("catalogue: ");
  }
  return {};
}

Result<std::string> Store::write_blob(std::string_view bytes) const {
  if (auto st = impl_->hold_writer_lock(); !st) return st.error();
  const std::string sha = sha256_hex(bytes);
  const fs::path dir = impl_->dir / "blobs" / sha.substr(0, 2);
  const fs::path file = dir / sha.substr(2);
  base::Env& env = *impl_->env;
  if (!env.file_exists(file)) {
    if (auto st = env.create_dirs(dir); !st) return st.error();
    // Temp file + rename: a kill never leaves a half-written blob under its hash. No fsync
    // per blob: Store::sync() makes a batch durable against power loss in one call.
    if (auto st = base::write_file_atomic(env, file, bytes, /*durable=*/false); !st)
      return Error{st.code(), "cannot store the raw bytes: " + st.error().message};
  }
  return sha;
}

Result<std::string> Store::get_blob(std::string_view sha256) const {
  if (sha256.size() != 64) return Error{"not a sha256: " + std::string(sha256)};
  const fs::path file = impl_->dir / "blobs" / std::string(sha256.substr(0, 2)) /
                        std::string(sha256.substr(2));
  // Written by the store itself: no input limit applies.
  auto bytes = read_file(file, std::numeric_limits<std::size_t>::max());
  if (!bytes) return Error{Code::kNotFound, file.string() + ": blob missing"};
  return bytes;
}

void Store::sync() const {
  sqlite3_wal_checkpoint_v2(impl_->db.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  const int fd = ::open(impl_->dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::syncfs(fd);
  ::close(fd);
}

namespace {

constexpr const char* kFailure = "('failed', 'no-legal-text')";

fs::path blob_path(const fs::path& dir, std::string_view sha) {
  return dir / "blobs" / std::string(sha.substr(0, 2)) / std::string(sha.substr(2));
}

bool hex_name(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

Status Store::Impl::hold_writer_lock() {
  std::lock_guard lock(lock_mutex);
  if (lock_shared) return {};
  if (lock_fd < 0) lock_fd = ::open((dir / "blobs.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd < 0) return Error{Code::kIOError, (dir / "blobs.lock").string() + ": " + std::strerror(errno)};
  // Waits while a sweep (hrtrack fsck) runs.
  while (::flock(lock_fd, LOCK_SH) != 0)
    if (errno != EINTR) return Error{Code::kIOError, (dir / "blobs.lock").string() + ": " + std::strerror(errno)};
  lock_shared = true;
  return {};
}

bool Store::Impl::try_sweep_lock() {
  std::lock_guard lock(lock_mutex);
  if (lock_fd < 0) lock_fd = ::open((dir / "blobs.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd < 0) return false;
  // Converting a shared lock drops it first (flock(2)); this Store's blobs are all recorded
  // when a sweep is asked for, so nothing is left unguarded.
  const bool exclusive = ::flock(lock_fd, LOCK_EX | LOCK_NB) == 0;
  lock_shared = false;
  return exclusive;
}

void Store::Impl::release_sweep_lock() {
  std::lock_guard lock(lock_mutex);
  if (lock_fd >= 0) ::flock(lock_fd, LOCK_UN);
  lock_shared = false;
}

std::vector<std::string> Store::Impl::superseded_failure_bodies() {
  // Kept: each source's newest fetch with a body, when it failed (for diagnosis); every blob
  // a version or a fetch that did not fail names. The rest of the failed bodies go.
  const std::string sql =
      std::string("SELECT DISTINCT sha256 FROM fetch WHERE sha256 != '' AND outcome IN ") + kFailure +
      " AND sha256 NOT IN (SELECT sha256 FROM fetch WHERE id IN"
      " (SELECT MAX(id) FROM fetch WHERE sha256 != '' GROUP BY source_id))"
      " AND sha256 NOT IN (SELECT sha256 FROM version)"
      " AND sha256 NOT IN (SELECT sha256 FROM fetch WHERE sha256 != '' AND outcome NOT IN " + kFailure + ")";
  sql::Stmt q(db.get(), sql);
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  return out;
}

Result<BlobSweep> Store::Impl::remove_blobs(const std::vector<std::string>& shas) {
  BlobSweep out;
  if (shas.empty()) return out;
  std::vector<std::string> gone;
  try {
    sql::Transaction tx(db.get());
    sql::Stmt del(db.get(), "DELETE FROM blob WHERE sha256 = ?");
    for (const auto& sha : shas) {
      del.reset();
      del.bind(1, sha).run();
      gone.push_back(sha);
    }
    tx.commit();
  } catch (const sql::Failure& f) {
    return f.error("catalogue: ");
  }
  // Files after the commit: a kill in between leaves files without rows, which the next
  // sweep (hrtrack fsck) removes.
  for (const auto& sha : gone) {
    std::error_code ec;
    const fs::path file = blob_path(dir, sha);
    const auto size = fs::file_size(file, ec);
    if (!ec && fs::remove(file, ec)) {
      ++out.removed;
      out.bytes += static_cast<long long>(size);
    }
  }
  return out;
}

Result<BlobSweep> Store::sweep_failed_bodies() {
  if (!impl_->try_sweep_lock()) {
    BlobSweep skipped;
    skipped.skipped = true;
    return skipped;
  }
  struct Unlock {
    Impl& impl;
    ~Unlock() { impl.release_sweep_lock(); }
  } unlock{*impl_};
  try {
    return impl_->remove_blobs(impl_->superseded_failure_bodies());
  } catch (const sql::Failure& f) {
    return f.error("catalogue: ");
  }
}

Result<FsckReport> Store::fsck() {
  if (!impl_->try_sweep_lock())
    return Error{Code::kBusy, impl_->dir.string() + ": another hrtrack is writing blobs (an import or a crawl): run fsck when it has finished"};
  struct Unlock {
    Impl& impl;
    ~Unlock() { impl.release_sweep_lock(); }
  } unlock{*impl_};
  FsckReport out;
  try {
    sql::Stmt integrity(impl_->db.get(), "PRAGMA integrity_check");
    while (integrity.step())
      if (const auto line = integrity.text(0); line != "ok") out.problems.push_back("catalogue: " + line);
    sql::Stmt keys(impl_->db.get(), "PRAGMA foreign_key_check");
    while (keys.step())
      out.problems.push_back("catalogue: a row of " + keys.text(0) + " (rowid " + keys.text(1) + ") names a missing " +
                             keys.text(2));
    if (!out.problems.empty()) return out;  // a damaged catalogue: nothing is removed on its word

    auto failed = impl_->remove_blobs(impl_->superseded_failure_bodies());
    if (!failed) return failed.error();
    out.failed_bodies = *failed;

    std::set<std::string> rows;
    {
      sql::Stmt q(impl_->db.get(), "SELECT sha256 FROM blob");
      while (q.step()) rows.insert(q.text(0));
    }
    // Files no row names (a kill between writing a blob and recording it; a document that
    // failed to parse), and temporary files of interrupted writes.
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(impl_->dir / "blobs", ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      const fs::path& file = it->path();
      const std::string name = file.filename().string(), prefix = file.parent_path().filename().string();
      const bool temporary = name.find(".tmp") != std::string::npos;
      const std::string sha = prefix + name;
      const bool blob = !temporary && prefix.size() == 2 && sha.size() == 64 && hex_name(sha);
      if (blob && rows.count(sha)) continue;
      if (!temporary && !blob) continue;  // not ours: left alone
      std::error_code rm;
      const auto size = it->file_size(rm);
      if (!fs::remove(file, rm)) continue;
      ++(temporary ? out.temporary_files : out.unreferenced.removed);
      if (!temporary) out.unreferenced.bytes += static_cast<long long>(size);
    }
    // What the catalogue names and the folder lacks cannot be repaired here.
    sql::Stmt versions(impl_->db.get(),
                       "SELECT DISTINCT v.sha256, i.identifier FROM version v JOIN instrument i ON i.id = v.instrument_id "
                       "WHERE v.derived = 0");
    while (versions.step()) {
      const std::string sha = versions.text(0);
      if (sha.size() == 64 && !fs::exists(blob_path(impl_->dir, sha), ec))
        out.problems.push_back("blobs: the raw bytes of a version of " + versions.text(1) + " (" + sha +
                               ") are missing: import or crawl it again");
    }
  } catch (const sql::Failure& f) {
    return f.error("catalogue: ");
  }
  return out;
}

}  // namespace hrtrack::corpus

