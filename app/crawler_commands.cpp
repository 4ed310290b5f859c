#include "cli.hpp"

namespace hrtrack::app {

void add_crawler_commands(CLI::App&, Options&) {}

}  // namespace hrtrack::app
