#pragma once
// Expected failures as values: a malformed document, a locked database, an unknown
// section. Exceptions are kept for the exceptional (out of memory, broken invariants).
//
// An Error carries a Code, which callers test to decide what to do (retry, report 404,
// skip a document), and a message, which is for people only: no caller reads meaning
// out of the words.
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace hrtrack {

// What kind of failure, as a caller acts on it.
enum class Code {
  kInvalidArgument,  // bad input: a malformed document, query, date or option (the default)
  kNotFound,         // what was asked for is not there: an unknown section, a missing file
  kBusy,             // another process holds a lock; trying again later may work
  kCorruption,       // stored data is damaged or of an unknown form
  kIOError,          // the operating system failed a read or write (disk full, EIO)
  kNoLegalText,      // a well-formed document holding no legal text (metadata, tables only)
  kReadOnly,         // the store or folder may not be written
};

// "invalid argument", "not found", ...: for logs and JSON.
std::string_view to_string(Code code);

// What went wrong, and where, in words a user can act on. `Error{"x.xml: line 3: ..."}`
// is an invalid argument; other kinds name their code: `Error{Code::kNotFound, "..."}`.
struct Error {
  Error() = default;
  explicit Error(std::string m) : message(std::move(m)) {}
  Error(Code c, std::string m) : message(std::move(m)), code(c) {}

  std::string message;
  Code code = Code::kInvalidArgument;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}    // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

  // Only when !ok().
  const Error& error() const { return std::get<1>(v_); }
  Code code() const { return error().code; }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  // Only when !ok().
  const Error& error() const { return error_; }
  Code code() const { return error_.code; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace hrtrack
