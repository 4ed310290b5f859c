// hrtrack: tracks national drug legislation against the Harm Reduction Convention.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>

#include "cli.hpp"
#include "hrtrack/corpus/clock.hpp"

namespace hrtrack::app {

void need_data_folder(const Options& o) {
  std::error_code ec;
  if (!o.create && !std::filesystem::is_directory(o.data, ec))
    throw UserError("--data " + corpus::escape_name(o.data) +
                    ": no such data folder (give the folder an import or crawl made)");
}

std::unique_ptr<corpus::Store> open_store(const Options& o) {
  need_data_folder(o);
  auto store = corpus::Store::open(o.data);
  if (!store) throw UserError(store.error().message);
  return std::move(store.value());
}

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) != 0; }

namespace {

// Strings that are not valid UTF-8 (read from a catalogue written before names were
// escaped) are printed escaped, not allowed to stop the whole output.
void escape_invalid(nlohmann::json& j) {
  if (j.is_string()) {
    try {
      (void)j.dump();
    } catch (const nlohmann::json::type_error&) {
      j = corpus::escape_name(j.get_ref<const std::string&>());
    }
  } else if (j.is_structured()) {
    for (auto& x : j) escape_invalid(x);
  }
}

}  // namespace

void print_json(const nlohmann::json& j) {
  try {
    std::cout << j.dump(2) << '\n';
  } catch (const nlohmann::json::type_error&) {
    nlohmann::json copy = j;
    escape_invalid(copy);
    std::cout << copy.dump(2) << '\n';
  }
}

std::string date_problem(const std::string& value) {
  if (corpus::is_calendar_date(value)) return {};
  return "expected a date as YYYY-MM-DD, got '" + corpus::escape_name(value) + "'";
}

void check_date(const std::string& value, const char* option) {
  if (auto why = date_problem(value); !why.empty()) throw UserError(std::string(option) + ": " + why);
}

std::string jurisdiction_of(const std::string& value, const char* option) {
  auto code = corpus::jurisdiction_code(value);
  if (!code) throw UserError(std::string(option) + ": " + code.error().message);
  return *code;
}

void check_inputs(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    for (CLI::Option* opt : sub->get_options()) {
      const std::string name = opt->get_name(false, true);
      if (name == "--as-of" || name == "--from" || name == "--to") {
        opt->check(CLI::Validator([](std::string& v) { return date_problem(v); }, "DATE"));
      } else if (name == "--jurisdiction" || name == "jurisdiction") {
        opt->transform(CLI::Validator(
            [](std::string& v) {
              auto code = corpus::jurisdiction_code(v);
              if (!code) return code.error().message;
              v = *code;
              return std::string();
            },
            "CODE"));
      }
    }
    check_inputs(*sub);
  }
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
  add_fsck_command(app, o);
  check_inputs(app);
  // The commands that make a data folder when there is none; every other one reads a
  // folder and says so when --data names one that does not exist.
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    const std::string name = sub->get_name();
    if (name == "import" || name == "crawl" || name == "run" || name == "analyst")
      sub->preparse_callback([&o](std::size_t) { o.create = true; });
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ValidationError& e) {
    // One line, like every other user error (CLI11 would add a hint about --help).
    std::cerr << "hrtrack: " << e.what() << '\n';
    return kUserError;
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
