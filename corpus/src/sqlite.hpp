#pragma once
// A thin RAII layer over SQLite: connections and statements in unique_ptrs, errors as
// values. Used by the store only.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "hrtrack/corpus/result.hpp"

namespace hrtrack::corpus::sql {

struct DbClose {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalize {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Db = std::unique_ptr<sqlite3, DbClose>;

class Stmt {
 public:
  Stmt(sqlite3* db, std::string_view sql);  // throws std::logic_error on bad SQL (a bug)
  Stmt& bind(int i, std::string_view v);  // copied by SQLite
  // Not copied: `v` must stay alive until the statement is reset (large texts).
  Stmt& bind_view(int i, std::string_view v);
  Stmt& bind(int i, std::int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Stmt& bind_null(int i);
  Stmt& bind_real(int i, double v);
  Stmt& bind(int i, std::optional<std::int64_t> v) { return v ? bind(i, *v) : bind_null(i); }
  // Steps once: true while a row is available; throws sql::Failure on an error.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  void reset();
  std::string text(int col) const;
  std::int64_t integer(int col) const;
  double real(int col) const;
  bool is_null(int col) const;

 private:
  std::unique_ptr<sqlite3_stmt, StmtFinalize> s_;
  sqlite3* db_;
};

// A failed SQLite call (busy, disk full, corrupt): exceptional, caught at the Store's edge.
struct Failure : std::runtime_error {
  Failure(const std::string& m, int c) : std::runtime_error(m), message(m), code(c) {}
  // The failure as an Error: `prefix` then SQLite's message, coded by SQLite's result code
  // (busy or locked: kBusy; read-only: kReadOnly; corrupt or not a database: kCorruption;
  // disk full, I/O, cannot open: kIOError; a constraint or other misuse: kInvalidArgument).
  Error error(std::string_view prefix) const;
  std::string message;
  int code = 0;
};

void exec(sqlite3* db, const char* sql);  // throws Failure

// BEGIN IMMEDIATE ... COMMIT; rolls back if not committed. Inside a transaction already (a
// Store write group) it joins it, and if not committed rolls the whole outer transaction
// back (no savepoint: a savepoint's statement journal copied every page the group had
// touched, as much again as the WAL).
class Transaction {
 public:
  explicit Transaction(sqlite3* db);
  ~Transaction();
  void commit();

 private:
  sqlite3* db_;
  bool nested_;
  bool done_ = false;
};

}  // namespace hrtrack::corpus::sql
