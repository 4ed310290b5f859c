#include "child.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace hrtrack::test {

namespace {

pid_t spawn_with(const std::vector<std::string>& argv, posix_spawn_file_actions_t& fa) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("cannot run " + argv[0]);
  return pid;
}

}  // namespace

pid_t spawn(const std::vector<std::string>& argv, const std::filesystem::path& in,
            const std::filesystem::path& out) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  return spawn_with(argv, fa);
}

pid_t spawn_on(const std::vector<std::string>& argv, int fd) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  for (int i = 0; i < 3; ++i) posix_spawn_file_actions_adddup2(&fa, fd, i);
  posix_spawn_file_actions_addclose(&fa, fd);
  return spawn_with(argv, fa);
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

Ending kill_after(pid_t pid, std::chrono::steady_clock::duration delay) {
  std::this_thread::sleep_for(delay);
  // A child that has exited stays a zombie until waited for, so this cannot hit another
  // process; wait_for then tells a kill from an exit.
  kill(pid, SIGKILL);
  return wait_for(pid);
}

}  // namespace hrtrack::test
