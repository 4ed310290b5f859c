#include "hrtrack/base/status.hpp"

namespace hrtrack {

std::string_view to_string(Code code) {
  switch (code) {
    case Code::kInvalidArgument: return "invalid argument";
    case Code::kNotFound: return "not found";
    case Code::kBusy: return "busy";
    case Code::kCorruption: return "corruption";
    case Code::kIOError: return "I/O error";
    case Code::kNoLegalText: return "no legal text";
    case Code::kReadOnly: return "read-only";
  }
  return "unknown";
}

}  // namespace hrtrack
