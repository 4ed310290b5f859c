#include "child.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <stdexcept>
#include <thread>

#include "process.hpp"

namespace hrtrack::test {

pid_t spawn(const std::vector<std::string>& argv, const std::filesystem::path& in,
            const std::filesystem::path& out) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  return spawn_process(argv, fa);
}

pid_t spawn_on(const std::vector<std::string>& argv, int fd) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  for (int i = 0; i < 3; ++i) posix_spawn_file_actions_adddup2(&fa, fd, i);
  posix_spawn_file_actions_addclose(&fa, fd);
  return spawn_process(argv, fa);
}

Ending wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw std::runtime_error("waitpid failed");
  Ending e;
  e.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  e.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return e;
}

Ending wait_until(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      Ending e;
      e.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
      e.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      return e;
    }
    if (r < 0 && errno != EINTR) throw std::runtime_error("waitpid failed");
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(pid, SIGKILL);
      return wait_for(pid);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

Ending kill_after(pid_t pid, std::chrono::steady_clock::duration delay) {
  std::this_thread::sleep_for(delay);
  // A child that has exited stays a zombie until waited for, so this cannot hit another
  // process; wait_for then tells a kill from an exit.
  kill(pid, SIGKILL);
  return wait_for(pid);
}

}  // namespace hrtrack::test
