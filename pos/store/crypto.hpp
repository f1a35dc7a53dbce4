#pragma once
// The few cryptographic pieces the store needs, on OpenSSL 3: nothing here is hand-rolled.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hn::store {

using Bytes = std::vector<unsigned char>;

Bytes random_bytes(std::size_t n);
std::string to_hex(const unsigned char* data, std::size_t n);
inline std::string to_hex(const Bytes& b) { return to_hex(b.data(), b.size()); }
std::string sha256_hex(std::string_view data);
Bytes hmac_sha256(const Bytes& key, std::string_view data);

// PINs: PBKDF2-HMAC-SHA256 with a per-user salt; slow on purpose.
inline constexpr int kPinIterations = 200'000;
Bytes pin_hash(std::string_view pin, const Bytes& salt, int iterations);
bool constant_time_equal(const Bytes& a, const Bytes& b);

// The terminal's secret keys, in a file apart from the database, owner-only: one key for
// AES-256-GCM of personal data at rest, one for the keyed hashes used to look it up.
class KeyRing {
 public:
  // Creates the file with fresh keys; throws if it exists or cannot be written.
  static KeyRing create(const std::string& path);
  // Loads the file; throws with a clear message when missing or malformed.
  static KeyRing load(const std::string& path);

  // nonce(12) || ciphertext || tag(16)
  Bytes seal(std::string_view plaintext) const;
  // Throws when the data was altered or sealed with another key.
  std::string open(const Bytes& sealed) const;
  // Keyed hash for lookups: the same value always gives the same hex string.
  std::string lookup_hash(std::string_view domain, std::string_view value) const;

 private:
  Bytes data_key_;
  Bytes hash_key_;
};

// A random (version 4) UUID: the idempotency key of what goes to the province.
std::string new_uuid();

}  // namespace hn::store
