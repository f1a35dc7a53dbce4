#pragma once
// The few cryptographic pieces the terminal and the protocol need, on OpenSSL 3: nothing here
// is hand-rolled.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hn::platform {

using Bytes = std::vector<unsigned char>;

Bytes random_bytes(std::size_t n);
std::string to_hex(const unsigned char* data, std::size_t n);
inline std::string to_hex(const Bytes& b) { return to_hex(b.data(), b.size()); }
std::string sha256_hex(std::string_view data);
// The SHA-256 of a whole file (a backup), read in pieces; empty when it cannot be read.
std::string file_sha256_hex(const std::string& path);
Bytes hmac_sha256(const Bytes& key, std::string_view data);

// PINs: PBKDF2-HMAC-SHA256 with a per-user salt; slow on purpose.
inline constexpr int kPinIterations = 200'000;
Bytes pin_hash(std::string_view pin, const Bytes& salt, int iterations);
bool constant_time_equal(const Bytes& a, const Bytes& b);

// Reads a secret file (a key) that must be a small regular file readable by its owner alone,
// as ssh demands of a private key. Throws SetupError: `missing_code` with the two messages
// given when it cannot be opened; KEY_PERMISSIONS (with the chmod to run) when the group or
// others may read or write it; KEY_DAMAGED when it is not a regular file or is over `limit`.
struct SecretFileTexts {
  std::string missing_code, missing_zh, missing_en;
  bool missing_is_verification = false;  // exit 5 rather than 2 when it is not there
};
std::string read_secret_file(const std::string& path, const SecretFileTexts& missing, std::size_t limit = 64 * 1024);

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

  // What the database records of its keys (setting keys.check): a keyed hash and a sealed
  // known value, so a key file of another terminal, or one changed by a character, is found
  // at open (KEY_MISMATCH) instead of sealing new data under the wrong key.
  std::string check_value() const;
  bool matches_check(const std::string& check) const;

 private:
  void key_hash();
  Bytes data_key_;
  Bytes hash_key_;
  // HMAC-SHA256 keyed with hash_key_ once (an EVP_MAC_CTX): each lookup hash copies it rather
  // than fetching the algorithm and keying it again (a sale takes several).
  std::shared_ptr<void> hash_ctx_;
};

// A random (version 4) UUID: the idempotency key of what goes to the province.
std::string new_uuid();

}  // namespace hn::platform
