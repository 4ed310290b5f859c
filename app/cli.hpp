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
  bool json = false;
  int exit = kOk;    // set by a subcommand that had partial failures
};

std::unique_ptr<corpus::Store> open_store(const Options& o);
bool stderr_is_terminal();
void print_json(const nlohmann::json& j);
// Validates a YYYY-MM-DD option; throws UserError naming the option.
void check_date(const std::string& value, const char* option);

// Subcommand groups, each in its own file.
void add_corpus_commands(CLI::App& app, Options& o);
void add_index_commands(CLI::App& app, Options& o);    // index, search
void add_crawler_commands(CLI::App& app, Options& o);  // crawl
void add_analysis_commands(CLI::App& app, Options& o);  // analyze, explain, review, timeline, evaluate
void add_web_commands(CLI::App& app, Options& o);       // serve, run

}  // namespace hrtrack::app
