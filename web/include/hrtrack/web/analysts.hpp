#pragma once
// Analysts: the people who may confirm or override answers. Each has a name and a
// password, stored as a salted PBKDF2-HMAC-SHA256 hash (slow on purpose, so a stolen
// catalogue does not give the passwords away cheaply) in the Store (records of kind
// "analyst"). Everyone else reads; nobody else writes.
#include <string>
#include <string_view>
#include <vector>

#include "hrtrack/corpus/result.hpp"
#include "hrtrack/corpus/store.hpp"

namespace hrtrack::web {

struct PasswordHash {
  std::string salt_hex;  // 16 random bytes
  std::string hash_hex;  // 32 bytes
  int iterations = 0;
};

// Slow by design: `iterations` PBKDF2 rounds (default 310,000, OWASP's figure for SHA-256).
PasswordHash hash_password(std::string_view password, int iterations = 310'000);
// Constant-time comparison of the derived key.
bool verify_password(std::string_view password, const PasswordHash& stored);

// Names: 1-64 characters of letters, digits, '.', '-', '_'. Passwords: at least 8 bytes.
// Adding an existing name replaces the password.
Status add_analyst(corpus::Store& store, std::string_view name, std::string_view password,
                   int iterations = 310'000);
Status remove_analyst(corpus::Store& store, std::string_view name);
std::vector<std::string> analysts(const corpus::Store& store);
// True when `name` exists and the password matches. The same work is done for an unknown
// name, so the time taken does not tell whether a name exists.
bool check_analyst(const corpus::Store& store, std::string_view name, std::string_view password);

// Cryptographically random bytes, hex-encoded (session ids, CSRF tokens, salts).
std::string random_hex(std::size_t bytes);

}  // namespace hrtrack::web
