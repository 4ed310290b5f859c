#pragma once
// What the harnesses over a data folder share: a folder imported and indexed from a few
// real documents of shared/legislation, built once per process, and a way to stop on a
// broken invariant that libFuzzer reports with the input that broke it.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hrtrack/corpus/store.hpp"

namespace hrtrack::fuzz {

// Prints `what` (and the input, shortened, when given) on stderr and aborts: libFuzzer
// saves the input as a crash.
[[noreturn]] void fail(std::string_view what, std::string_view input = {});

// Imports shared/legislation/<relative> (files or folders) into the data folder `dir` and
// indexes it. Aborts when any document fails: the harness would test nothing real.
void import_and_index(const std::filesystem::path& dir, const std::vector<std::string>& relative);

// The catalogue of `dir`, opened for writing; aborts if it cannot be.
std::unique_ptr<corpus::Store> open_store(const std::filesystem::path& dir);

// True when `iso` is a date YYYY-MM-DD that exists in the calendar.
bool is_calendar_date(std::string_view iso);

}  // namespace hrtrack::fuzz
