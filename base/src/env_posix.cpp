#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>

#include "hrtrack/base/env.hpp"

namespace hrtrack::base {
namespace fs = std::filesystem;
namespace {

Error os_error(const fs::path& path, std::string_view what, int err) {
  const Code code = err == ENOENT ? Code::kNotFound : (err == EROFS || err == EACCES || err == EPERM) ? Code::kReadOnly
                                                                                                        : Code::kIOError;
  return Error{code, path.string() + ": " + std::string(what) + ": " + std::strerror(err)};
}

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(fs::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixWritableFile() override { (void)close(); }

  Status append(std::string_view data) override {
    while (!data.empty()) {
      const ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return os_error(path_, "cannot write", errno);
      }
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
  }
  Status sync() override {
    if (::fdatasync(fd_) != 0) return os_error(path_, "cannot sync", errno);
    return {};
  }
  Status close() override {
    if (fd_ < 0) return {};
    const int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) return os_error(path_, "cannot close", errno);
    return {};
  }

 private:
  fs::path path_;
  int fd_;
};

class PosixEnv final : public Env {
 public:
  std::chrono::system_clock::time_point now() override { return std::chrono::system_clock::now(); }
  std::chrono::steady_clock::time_point steady_now() override { return std::chrono::steady_clock::now(); }
  std::uint64_t random() override {
    static thread_local std::mt19937_64 gen{(static_cast<std::uint64_t>(std::random_device{}()) << 32) ^
                                            std::random_device{}()};
    return gen();
  }

  Result<std::unique_ptr<WritableFile>> new_writable_file(const fs::path& path) override {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return os_error(path, "cannot create", errno);
    return std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd));
  }
  Result<std::string> read_file(const fs::path& path) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return os_error(path, "cannot read", errno);
    std::string out;
    char buf[1 << 16];
    while (true) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const int err = errno;
        ::close(fd);
        return os_error(path, "cannot read", err);
      }
      if (n == 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
  }
  Status rename_file(const fs::path& from, const fs::path& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return os_error(to, "cannot rename " + from.string() + " to it", errno);
    return {};
  }
  Status remove_file(const fs::path& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return os_error(path, "cannot remove", errno);
    return {};
  }
  Status create_dirs(const fs::path& dir) override {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return os_error(dir, "cannot create the folder", ec.value());
    return {};
  }
  bool file_exists(const fs::path& path) override { return ::access(path.c_str(), F_OK) == 0; }
  Status sync_dir(const fs::path& dir) override {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return os_error(dir, "cannot open the folder", errno);
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) return os_error(dir, "cannot sync the folder", err);
    return {};
  }
};

}  // namespace

Env& Env::posix() {
  static PosixEnv env;
  return env;
}

Status write_file_atomic(Env& env, const fs::path& path, std::string_view data, bool durable) {
  static std::atomic<unsigned> counter{0};
  const fs::path tmp = path.parent_path() / (path.filename().string() + ".tmp" + std::to_string(::getpid()) + "." +
                                             std::to_string(counter++));
  auto file = env.new_writable_file(tmp);
  if (!file) return file.error();
  Status st = (*file)->append(data);
  if (st && durable) st = (*file)->sync();
  if (Status closed = (*file)->close(); st && !closed) st = closed;
  if (st) st = env.rename_file(tmp, path);
  if (!st) {
    (void)env.remove_file(tmp);
    return st;
  }
  if (durable) return env.sync_dir(path.parent_path().empty() ? fs::path(".") : path.parent_path());
  return {};
}

}  // namespace hrtrack::base
