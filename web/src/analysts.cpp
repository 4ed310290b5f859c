#include "hrtrack/web/analysts.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "hrtrack/base/hex.hpp"

namespace hrtrack::web {
namespace {

constexpr const char* kKind = "analyst";

std::string derive(std::string_view password, const std::string& salt, int iterations) {
  unsigned char key[32];
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                        iterations, EVP_sha256(), sizeof key, key) != 1)
    throw std::runtime_error("PBKDF2 failed");
  return base::to_hex(key, sizeof key);
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string random_hex(std::size_t bytes) {
  std::string buf(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(buf.data()), static_cast<int>(bytes)) != 1)
    throw std::runtime_error("no random bytes available");
  return base::to_hex(reinterpret_cast<const unsigned char*>(buf.data()), bytes);
}

PasswordHash hash_password(std::string_view password, int iterations) {
  PasswordHash h;
  h.salt_hex = random_hex(16);
  h.iterations = iterations;
  h.hash_hex = derive(password, base::from_hex(h.salt_hex).value_or(""), iterations);
  return h;
}

bool verify_password(std::string_view password, const PasswordHash& stored) {
  if (stored.iterations <= 0 || stored.hash_hex.size() != 64) return false;
  const std::string got = derive(password, base::from_hex(stored.salt_hex).value_or(""), stored.iterations);
  return CRYPTO_memcmp(got.data(), stored.hash_hex.data(), got.size()) == 0;
}

Status add_analyst(corpus::Store& store, std::string_view name, std::string_view password, int iterations) {
  if (!valid_name(name))
    return Error{"analyst name: 1-64 letters, digits, '.', '-' or '_', got '" + std::string(name) + "'"};
  if (password.size() < 8) return Error{"password: at least 8 characters"};
  const auto h = hash_password(password, iterations);
  const nlohmann::json j{{"salt", h.salt_hex}, {"hash", h.hash_hex}, {"iterations", h.iterations},
                         {"algorithm", "pbkdf2-hmac-sha256"}};
  return store.put_record(kKind, name, j.dump());
}

Status remove_analyst(corpus::Store& store, std::string_view name) {
  if (!valid_name(name) || !store.record(kKind, name)) return Error{"no analyst named '" + std::string(name) + "'"};
  // delete_records works by key prefix: analysts whose names start with this one ("ana2"
  // for "ana") are deleted with it and put back in the same transaction.
  std::vector<corpus::Record> keep;
  for (auto& r : store.records(kKind, name))
    if (r.key != name) keep.push_back(r);
  return store.transaction([&]() -> Status {
    if (auto s = store.delete_records(kKind, name); !s) return s;
    for (const auto& r : keep)
      if (auto s = store.put_record(kKind, r.key, r.json); !s) return s;
    return {};
  });
}

std::vector<std::string> analysts(const corpus::Store& store) {
  std::vector<std::string> out;
  for (const auto& r : store.records(kKind)) out.push_back(r.key);
  return out;
}

bool check_analyst(const corpus::Store& store, std::string_view name, std::string_view password) {
  PasswordHash stored;
  bool known = false;
  if (valid_name(name)) {
    if (const auto r = store.record(kKind, name)) {
      const auto j = nlohmann::json::parse(r->json, nullptr, false);
      if (j.is_object()) {
        stored.salt_hex = j.value("salt", "");
        stored.hash_hex = j.value("hash", "");
        stored.iterations = j.value("iterations", 0);
        known = stored.iterations > 0;
      }
    }
  }
  if (!known) {
    // Spend the same time on an unknown name.
    stored.salt_hex = std::string(32, '0');
    stored.hash_hex = std::string(64, '0');
    stored.iterations = 310'000;
    verify_password(password, stored);
    return false;
  }
  return verify_password(password, stored);
}

}  // namespace hrtrack::web
