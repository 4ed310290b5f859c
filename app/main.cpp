// hrtrack: tracks national drug legislation against the Harm Reduction Convention.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli.hpp"

namespace hrtrack::app {

std::unique_ptr<corpus::Store> open_store(const Options& o) {
  auto store = corpus::Store::open(o.data);
  if (!store) throw UserError(store.error().message);
  return std::move(store.value());
}

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) != 0; }

void print_json(const nlohmann::json& j) { std::cout << j.dump(2) << '\n'; }

void check_date(const std::string& value, const char* option) {
  const bool shaped = value.size() == 10 && value[4] == '-' && value[7] == '-';
  if (!shaped || value.find_first_not_of("0123456789-") != std::string::npos)
    throw UserError(std::string(option) + ": expected a date as YYYY-MM-DD, got '" + value + "'");
}

}  // namespace hrtrack::app

int main(int argc, char** argv) {
  using namespace hrtrack::app;
  CLI::App app{"hrtrack: national drug legislation, tracked against the Harm Reduction Convention"};
  app.require_subcommand(1);
  Options o;
  const char* env = std::getenv("HRTRACK_DATA");
  o.data = env && *env ? env : "./hrtrack-data";
  app.add_option("--data", o.data, "Data folder (default ./hrtrack-data, or $HRTRACK_DATA)");
  add_corpus_commands(app, o);
  add_index_commands(app, o);
  add_crawler_commands(app, o);
  add_analysis_commands(app, o);
  add_web_commands(app, o);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kOk : kUserError;
  } catch (const UserError& e) {
    std::cerr << "hrtrack: " << e.what() << '\n';
    return kUserError;
  } catch (const std::exception& e) {
    std::cerr << "hrtrack: internal error: " << e.what() << '\n';
    return kSomeFailed + 1;
  }
  return o.exit;
}
