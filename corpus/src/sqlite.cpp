#include "sqlite.hpp"

#include <stdexcept>

namespace hrtrack::corpus::sql {

static Failure failure(sqlite3* db, int rc) {
  return Failure{std::string(sqlite3_errmsg(db)), rc};
}

Stmt::Stmt(sqlite3* db, std::string_view sql) : db_(db) {
  sqlite3_stmt* s = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &s, nullptr);
  s_.reset(s);
  if (rc != SQLITE_OK) {
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) throw failure(db, rc);
    throw std::logic_error("SQL: " + std::string(sqlite3_errmsg(db)) + " in " + std::string(sql));
  }
}

Stmt& Stmt::bind(int i, std::string_view v) {
  // An empty view may have no data pointer, which SQLite would bind as NULL.
  sqlite3_bind_text(s_.get(), i, v.data() ? v.data() : "", static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::bind_view(int i, std::string_view v) {
  sqlite3_bind_text(s_.get(), i, v.data() ? v.data() : "", static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}
Stmt& Stmt::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(s_.get(), i, v);
  return *this;
}
Stmt& Stmt::bind_real(int i, double v) {
  sqlite3_bind_double(s_.get(), i, v);
  return *this;
}
Stmt& Stmt::bind_null(int i) {
  sqlite3_bind_null(s_.get(), i);
  return *this;
}

bool Stmt::step() {
  const int rc = sqlite3_step(s_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw failure(db_, rc);
}

void Stmt::run() {
  while (step()) {
  }
}

void Stmt::reset() {
  sqlite3_reset(s_.get());
  sqlite3_clear_bindings(s_.get());
}

std::string Stmt::text(int col) const {
  const auto* p = sqlite3_column_text(s_.get(), col);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(s_.get(), col)))
           : std::string();
}
std::int64_t Stmt::integer(int col) const { return sqlite3_column_int64(s_.get(), col); }
double Stmt::real(int col) const { return sqlite3_column_double(s_.get(), col); }
bool Stmt::is_null(int col) const { return sqlite3_column_type(s_.get(), col) == SQLITE_NULL; }

Error Failure::error(std::string_view prefix) const {
  Code c = Code::kInvalidArgument;
  switch (code & 0xFF) {
    case SQLITE_BUSY: case SQLITE_LOCKED: c = Code::kBusy; break;
    case SQLITE_READONLY: c = Code::kReadOnly; break;
    case SQLITE_CORRUPT: case SQLITE_NOTADB: c = Code::kCorruption; break;
    case SQLITE_FULL: case SQLITE_IOERR: case SQLITE_CANTOPEN: case SQLITE_NOLFS: c = Code::kIOError; break;
    default: break;
  }
  return Error{c, std::string(prefix) + message};
}

void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    Failure f{err ? err : sqlite3_errmsg(db), rc};
    sqlite3_free(err);
    throw f;
  }
}

Transaction::Transaction(sqlite3* db) : db_(db), nested_(!sqlite3_get_autocommit(db)) {
  if (!nested_) exec(db, "BEGIN IMMEDIATE");
}
Transaction::~Transaction() {
  if (!done_ && !sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}
void Transaction::commit() {
  if (!nested_) exec(db_, "COMMIT");
  done_ = true;
}

}  // namespace hrtrack::corpus::sql
