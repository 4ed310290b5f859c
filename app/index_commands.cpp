#include "cli.hpp"

namespace hrtrack::app {

void add_index_commands(CLI::App&, Options&) {}

}  // namespace hrtrack::app
