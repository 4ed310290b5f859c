#pragma once
// A child process the end-to-end tests can feed, wait for, or kill at a chosen moment.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace hrtrack::test {

// Starts argv (argv[0] a path) with stdin read from `in` and stdout and stderr both
// written to `out`. Throws when it cannot be started.
pid_t spawn(const std::vector<std::string>& argv, const std::filesystem::path& in,
            const std::filesystem::path& out);

// Starts argv with stdin, stdout and stderr all on the open descriptor `fd` (a terminal).
pid_t spawn_on(const std::vector<std::string>& argv, int fd);

struct Ending {
  bool killed = false;  // ended by SIGKILL
  int status = -1;      // the exit status when it exited
};

// Waits for the child to end.
Ending wait_for(pid_t pid);

// Waits for the child to end, at most until `deadline`; SIGKILLs it then (a hang).
Ending wait_until(pid_t pid, std::chrono::steady_clock::time_point deadline);

// Waits `delay`, then SIGKILLs the child unless it has already ended; reports which.
Ending kill_after(pid_t pid, std::chrono::steady_clock::duration delay);

}  // namespace hrtrack::test
