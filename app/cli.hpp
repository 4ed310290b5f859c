#pragma once
// What every subcommand shares: the data folder, exit codes, output helpers.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "hrtrack/corpus/store.hpp"

namespace hrtrack::app {

// Exit statuses: 0 success, 1 a user error (one line on stderr), 2 some inputs failed.
enum Exit { kOk = 0, kUserError = 1, kSomeFailed = 2 };

// A mistake the user can fix: printed as one line, exit 1.
struct UserError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Options {
  std::string data;  // --data, else $HRTRACK_DATA, else ./hrtrack-data
  bool create = false;  // the command makes the data folder when it does not exist
  bool json = false;
  int exit = kOk;    // set by a subcommand that had partial failures
};

// The catalogue of --data. A folder that does not exist is a UserError unless o.create.
std::unique_ptr<corpus::Store> open_store(const Options& o);
// The same check, for commands that read the folder without the catalogue (search).
void need_data_folder(const Options& o);
bool stderr_is_terminal();
// Pretty JSON on stdout; a string that is not valid UTF-8 is printed escaped
// (corpus::escape_name) rather than failing the whole output.
void print_json(const nlohmann::json& j);

// Input checks. main.cpp attaches them to every option named --as-of, --from, --to (a
// calendar date) and jurisdiction / --jurisdiction (an ISO 3166 code, upper-cased), so no
// command can forget one; these are for values that come another way (a file, a list).
// "" when `value` is a calendar date YYYY-MM-DD, else why not (one line).
std::string date_problem(const std::string& value);
// Validates a date; throws UserError naming the option.
void check_date(const std::string& value, const char* option);
// The code upper-cased; throws UserError naming the option when it is not an ISO 3166 code.
std::string jurisdiction_of(const std::string& value, const char* option);

// Subcommand groups, each in its own file.
void add_corpus_commands(CLI::App& app, Options& o);
void add_index_commands(CLI::App& app, Options& o);    // index, search
void add_crawler_commands(CLI::App& app, Options& o);  // crawl
void add_analysis_commands(CLI::App& app, Options& o);  // analyze, explain, review, timeline, evaluate
void add_web_commands(CLI::App& app, Options& o);       // serve, run
void add_fsck_command(CLI::App& app, Options& o);       // fsck

}  // namespace hrtrack::app
