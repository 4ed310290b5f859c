#pragma once
// An Env that fails as a real disk does, for tests (after LevelDB's FaultInjectionTestEnv):
// it passes every call to the POSIX Env until told to fail, then
//  - fill_disk(n): appends beyond n more bytes fail with ENOSPC ("No space left on device"),
//    the bytes that fit having been written, as write(2) does;
//  - fail_syncs(true): file and folder syncs fail with EIO;
//  - fail_renames(true): renames fail with EIO.
// Not thread-safe: the tests drive it from one thread.
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>

#include "hrtrack/base/env.hpp"

namespace hrtrack::test {

class FaultEnv final : public base::Env {
 public:
  explicit FaultEnv(base::Env& target = base::Env::posix()) : target_(target) {}

  void fill_disk(std::uint64_t bytes_left) { space_ = bytes_left; }
  void free_disk() { space_ = std::numeric_limits<std::uint64_t>::max(); }
  void fail_syncs(bool on) { fail_syncs_ = on; }
  void fail_renames(bool on) { fail_renames_ = on; }
  int writes_refused() const { return refused_; }

  std::chrono::system_clock::time_point now() override { return target_.now(); }
  std::chrono::steady_clock::time_point steady_now() override { return target_.steady_now(); }
  std::uint64_t random() override { return target_.random(); }

  Result<std::unique_ptr<base::WritableFile>> new_writable_file(const std::filesystem::path& path) override {
    auto f = target_.new_writable_file(path);
    if (!f) return f.error();
    return std::unique_ptr<base::WritableFile>(new File(*this, path, std::move(f).value()));
  }
  Result<std::string> read_file(const std::filesystem::path& path) override { return target_.read_file(path); }
  Status rename_file(const std::filesystem::path& from, const std::filesystem::path& to) override {
    if (fail_renames_) return refuse(to, EIO);
    return target_.rename_file(from, to);
  }
  Status remove_file(const std::filesystem::path& path) override { return target_.remove_file(path); }
  Status create_dirs(const std::filesystem::path& dir) override { return target_.create_dirs(dir); }
  bool file_exists(const std::filesystem::path& path) override { return target_.file_exists(path); }
  Status sync_dir(const std::filesystem::path& dir) override {
    if (fail_syncs_) return refuse(dir, EIO);
    return target_.sync_dir(dir);
  }

 private:
  class File final : public base::WritableFile {
   public:
    File(FaultEnv& env, std::filesystem::path path, std::unique_ptr<base::WritableFile> f)
        : env_(env), path_(std::move(path)), f_(std::move(f)) {}
    Status append(std::string_view data) override {
      const bool full = data.size() > env_.space_;
      const auto n = full ? static_cast<std::size_t>(env_.space_) : data.size();
      if (auto st = f_->append(data.substr(0, n)); !st) return st;
      env_.space_ -= n;
      if (full) return env_.refuse(path_, ENOSPC);
      return {};
    }
    Status sync() override {
      if (env_.fail_syncs_) return env_.refuse(path_, EIO);
      return f_->sync();
    }
    Status close() override { return f_->close(); }

   private:
    FaultEnv& env_;
    std::filesystem::path path_;
    std::unique_ptr<base::WritableFile> f_;
  };

  Error refuse(const std::filesystem::path& path, int err) {
    ++refused_;
    return Error{Code::kIOError, path.string() + ": " + std::strerror(err)};
  }

  base::Env& target_;
  std::uint64_t space_ = std::numeric_limits<std::uint64_t>::max();
  bool fail_syncs_ = false;
  bool fail_renames_ = false;
  int refused_ = 0;
};

}  // namespace hrtrack::test
