#pragma once
// The seam between hrtrack and the operating system (LevelDB's Env): clocks, randomness and
// the file operations a store needs. Code that writes through an Env can be tested against
// a disk that fills up or fails (tests/support/fault_env.hpp).
//
// Thread safety: Env::posix() may be used from any thread. Failures are Status values with
// Code::kIOError (kNotFound for a missing file, kReadOnly for a refused write) and a message
// naming the path and the system's reason.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "hrtrack/base/status.hpp"

namespace hrtrack::base {

// A file being written, in order. Data reaches the disk only after sync().
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status append(std::string_view data) = 0;
  virtual Status sync() = 0;
  virtual Status close() = 0;  // also run by the destructor, without its result
};

class Env {
 public:
  virtual ~Env() = default;

  // The process-wide default over POSIX calls.
  static Env& posix();

  virtual std::chrono::system_clock::time_point now() = 0;
  virtual std::chrono::steady_clock::time_point steady_now() = 0;
  // 64 random bits from the system's generator.
  virtual std::uint64_t random() = 0;

  // Creates or truncates `path`.
  virtual Result<std::unique_ptr<WritableFile>> new_writable_file(const std::filesystem::path& path) = 0;
  virtual Result<std::string> read_file(const std::filesystem::path& path) = 0;
  virtual Status rename_file(const std::filesystem::path& from, const std::filesystem::path& to) = 0;
  virtual Status remove_file(const std::filesystem::path& path) = 0;
  virtual Status create_dirs(const std::filesystem::path& dir) = 0;
  virtual bool file_exists(const std::filesystem::path& path) = 0;
  // Makes the folder's entries (a rename into it) durable.
  virtual Status sync_dir(const std::filesystem::path& dir) = 0;
};

// Writes `data` to `path` so that a reader, or a crash, sees the old file or the new one and
// never a part: a temporary file beside it, written, synced when `durable`, renamed over
// `path`. On failure the temporary file is removed and `path` is as it was.
Status write_file_atomic(Env& env, const std::filesystem::path& path, std::string_view data, bool durable = true);

}  // namespace hrtrack::base
