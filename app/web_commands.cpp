#include "cli.hpp"

namespace hrtrack::app {

void add_web_commands(CLI::App&, Options&) {}

}  // namespace hrtrack::app
