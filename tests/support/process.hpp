#pragma once
// Runs the real hrtrack binary (or any program) for end-to-end tests.
#include <spawn.h>

#include <string>
#include <vector>

#include "shared.hpp"

namespace hrtrack::test {

struct Run {
  int status = -1;  // exit status; -1 when killed by a signal
  std::string out, err;
};

// Runs `argv` (argv[0] a path) to completion with stdin closed; captures both streams.
Run run(const std::vector<std::string>& argv);

// Starts `argv` (argv[0] a path) with `actions` (destroyed here); throws if it cannot.
pid_t spawn_process(const std::vector<std::string>& argv, posix_spawn_file_actions_t& actions);

// The hrtrack binary under test: $HRTRACK_BIN (set by ctest).
std::string hrtrack_bin();
// hrtrack_bin() --data DATA ARGS..., run to completion.
Run run_hrtrack(const std::string& data, std::vector<std::string> args);
// The same on a temporary data folder.
inline Run cli(const TempDir& data, std::vector<std::string> args) {
  return run_hrtrack(data.path().string(), std::move(args));
}

}  // namespace hrtrack::test
