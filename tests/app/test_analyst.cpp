// `hrtrack analyst add NAME`: the password typed at a terminal is not echoed; piped in, it
// is the first line of stdin and no prompt is written.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "child.hpp"
#include "hrtrack/corpus/store.hpp"
#include "hrtrack/web/analysts.hpp"
#include "process.hpp"
#include "shared.hpp"

namespace {

namespace fs = std::filesystem;
using hrtrack::test::TempDir;

std::vector<std::string> add_analyst(const TempDir& data, const std::string& name) {
  return {hrtrack::test::hrtrack_bin(), "--data", data.path().string(), "analyst", "add", name};
}

bool signs_in(const TempDir& data, const std::string& name, const std::string& password) {
  auto store = hrtrack::corpus::Store::open(data.path());
  REQUIRE(store);
  return hrtrack::web::check_analyst(**store, name, password);
}

// Reads what the terminal shows until `expected` appears or the child closes it.
std::string read_until(int master, const std::string& expected, std::string& seen) {
  char buf[4096];
  while (seen.find(expected) == std::string::npos) {
    pollfd p{master, POLLIN, 0};
    if (poll(&p, 1, 30'000) <= 0) break;  // under ASan a start can take seconds
    const ssize_t n = read(master, buf, sizeof buf);
    if (n <= 0) break;  // EIO: the child has closed the terminal
    seen.append(buf, static_cast<std::size_t>(n));
  }
  return seen;
}

}  // namespace

TEST_CASE("analyst add: a piped password is the first line of stdin, with no prompt", "[app][analyst]") {
  TempDir data, files;
  const fs::path in = files.path() / "stdin", out = files.path() / "out";
  auto add = [&](const std::string& name, const std::string& input) {
    std::ofstream(in, std::ios::binary) << input;
    const auto ending = hrtrack::test::wait_for(hrtrack::test::spawn(add_analyst(data, name), in, out));
    return std::make_pair(ending.status, hrtrack::test::read_file(out));
  };
  const auto [status, output] = add("ana", "correct horse battery\nnot the password\n");
  CHECK(status == 0);
  CHECK(output == "Analyst ana can now sign in.\n");
  CHECK(signs_in(data, "ana", "correct horse battery"));
  CHECK_FALSE(signs_in(data, "ana", "correct horse battery\n"));

  // A Windows line end is not part of the password; seven characters are too few.
  const auto [short_status, short_output] = add("bob", "1234567\r\n");
  CHECK(short_status == 1);
  CHECK(short_output.find("at least 8 characters") != std::string::npos);
  CHECK(add("bob", "").first == 1);
  CHECK(add("bob", "12345678\r\n").first == 0);
  CHECK(signs_in(data, "bob", "12345678"));
}

TEST_CASE("analyst add: at a terminal the password is asked twice and never echoed", "[app][analyst]") {
  TempDir data;
  int master = -1, slave = -1;
  REQUIRE(openpty(&master, &slave, nullptr, nullptr, nullptr) == 0);
  const pid_t pid = hrtrack::test::spawn_on(add_analyst(data, "ana"), slave);
  close(slave);
  std::string seen;
  read_until(master, "Password: ", seen);
  REQUIRE(seen.find("Password: ") != std::string::npos);
  const std::string line = "correct horse battery\n";
  REQUIRE(write(master, line.data(), line.size()) == static_cast<ssize_t>(line.size()));
  read_until(master, "Again: ", seen);
  REQUIRE(write(master, line.data(), line.size()) == static_cast<ssize_t>(line.size()));
  read_until(master, "can now sign in", seen);
  const auto ending = hrtrack::test::wait_for(pid);
  close(master);
  INFO(seen);
  CHECK(ending.status == 0);
  CHECK(seen.find("correct horse") == std::string::npos);
  CHECK(seen.find("Analyst ana can now sign in.") != std::string::npos);
  CHECK(signs_in(data, "ana", "correct horse battery"));
}
