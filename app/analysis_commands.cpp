#include "cli.hpp"

namespace hrtrack::app {

void add_analysis_commands(CLI::App&, Options&) {}

}  // namespace hrtrack::app
