#pragma once
// The terminal's signing key (audit issue): Ed25519, created at `init` (or at its first use on
// a terminal older than that), the private key in a file readable by the application alone
// (`<db>.sign`). It signs the daily closings, the audit export and the invoice QR codes; the
// public key travels with them and to the province, so a rewritten history no longer matches.
#include <memory>
#include <string>
#include <string_view>

typedef struct evp_pkey_st EVP_PKEY;
typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace hn::platform {

class SigningKey {
 public:
  static std::string path_for(const std::string& db_path) { return db_path + ".sign"; }
  // Creates the key file (owner-only); throws if it exists or cannot be written.
  static SigningKey create(const std::string& path);
  // Loads it; throws SetupError with a clear message when missing or malformed.
  static SigningKey load(const std::string& path);

  const std::string& public_hex() const { return public_hex_; }  // 32 bytes, hex
  // The signature of `message`, base64url without padding (86 characters).
  std::string sign(std::string_view message) const;

 private:
  std::string private_pem_;
  std::string public_hex_;
  // Parsed once: reading the PEM again costs more than the signature (every invoice signs).
  std::shared_ptr<EVP_PKEY> key_;
  // Set up for key_ once; each signature signs with a copy (a copy per call: thread-safe).
  std::shared_ptr<EVP_MD_CTX> ready_;
};

// Whether `signature` (base64url) is `message` signed by the key `public_hex`.
bool verify_signature(std::string_view public_hex, std::string_view message, std::string_view signature);
// A short, readable fingerprint of a public key for people to compare: "SHA256:ab12…" (16 hex).
std::string key_fingerprint(std::string_view public_hex);

}  // namespace hn::platform
