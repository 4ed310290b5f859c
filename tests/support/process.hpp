#pragma once
// Runs the real hrtrack binary (or any program) for end-to-end tests.
#include <string>
#include <vector>

namespace hrtrack::test {

struct Run {
  int status = -1;  // exit status; -1 when killed by a signal
  std::string out, err;
};

// Runs `argv` (argv[0] a path) to completion with stdin closed; captures both streams.
Run run(const std::vector<std::string>& argv);

// The hrtrack binary under test: $HRTRACK_BIN (set by ctest).
std::string hrtrack_bin();

}  // namespace hrtrack::test
