#include "platform/signing.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <vector>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "platform/crypto.hpp"
#include "platform/error.hpp"

namespace hn::platform {

namespace {
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string b64url(const unsigned char* p, std::size_t n) {
  std::string out;
  std::uint32_t buf = 0;
  int bits = 0;
  for (std::size_t i = 0; i < n; ++i) {
    buf = (buf << 8) | p[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kB64[(buf >> bits) & 0x3F];
    }
  }
  if (bits > 0) out += kB64[(buf << (6 - bits)) & 0x3F];
  return out;
}

bool from_b64url(std::string_view s, std::vector<unsigned char>& out) {
  std::uint32_t buf = 0;
  int bits = 0;
  for (char c : s) {
    const char* at = std::char_traits<char>::find(kB64, 64, c);
    if (!at) return false;
    buf = (buf << 6) | static_cast<std::uint32_t>(at - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<unsigned char>((buf >> bits) & 0xFF));
    }
  }
  return true;
}

bool from_hex(std::string_view s, std::vector<unsigned char>& out) {
  if (s.size() % 2) return false;
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); i += 2) {
    const int hi = nib(s[i]), lo = nib(s[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<unsigned char>(hi * 16 + lo));
  }
  return true;
}

std::string public_hex_of(EVP_PKEY* key) {
  unsigned char raw[32];
  std::size_t len = sizeof raw;
  if (EVP_PKEY_get_raw_public_key(key, raw, &len) != 1 || len != 32) throw DbError("Ed25519: no public key", 0);
  return to_hex(raw, len);
}

// A signing context set up for `key` once, copied for each signature (sign()).
std::shared_ptr<EVP_MD_CTX> ready_context(EVP_PKEY* key) {
  std::shared_ptr<EVP_MD_CTX> ctx(EVP_MD_CTX_new(), MdCtxFree{});
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key) != 1)
    throw DbError("Ed25519 signing could not be set up", 0);
  return ctx;
}

Pkey read_private(const std::string& pem) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return Pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}
}  // namespace

SigningKey SigningKey::create(const std::string& path) {
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) throw DbError("Ed25519 key generation failed", 0);
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    throw DbError("Ed25519 key could not be written", 0);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  SigningKey k;
  k.private_pem_.assign(data, static_cast<std::size_t>(n));
  k.public_hex_ = public_hex_of(key.get());
  k.key_.reset(key.release(), PkeyFree{});
  k.ready_ = ready_context(k.key_.get());
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  const bool written = fd >= 0 && ::write(fd, k.private_pem_.data(), k.private_pem_.size()) ==
                                      static_cast<ssize_t>(k.private_pem_.size());
  const bool synced = fd >= 0 && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!written || !synced)
    throw SetupError("无法创建签名密钥文件 " + path, "cannot create the signing key file " + path);
  return k;
}

SigningKey SigningKey::load(const std::string& path) {
  std::string pem = read_secret_file(
      path, {"SIGNING_KEY_MISSING", "找不到签名密钥文件 " + path + ":请从备份恢复,或联系县商务部门重新登记终端",
             "the signing key file " + path + " is missing: restore it from the backup, or have the "
             "county re-register the terminal", true});
  Pkey key = read_private(pem);
  if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
    throw SetupError("签名密钥文件 " + path + " 已损坏:请从备份恢复", "the signing key file " + path +
                     " is damaged: restore it from the backup", "KEY_DAMAGED", true);
  SigningKey k;
  k.private_pem_ = std::move(pem);
  k.public_hex_ = public_hex_of(key.get());
  k.key_.reset(key.release(), PkeyFree{});
  k.ready_ = ready_context(k.key_.get());
  return k;
}

std::string SigningKey::sign(std::string_view message) const {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  unsigned char sig[64];
  std::size_t len = sizeof sig;
  // A copy of the context set up once: setting one up per signature costs a third of it.
  if (!ready_ || EVP_MD_CTX_copy_ex(ctx.get(), ready_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), sig, &len, reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1)
    throw DbError("Ed25519 signing failed", 0);
  return b64url(sig, len);
}

bool verify_signature(std::string_view public_hex, std::string_view message, std::string_view signature) {
  std::vector<unsigned char> pub, sig;
  if (!from_hex(public_hex, pub) || pub.size() != 32 || !from_b64url(signature, sig) || sig.size() != 64) return false;
  Pkey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, pub.data(), pub.size()));
  if (!key) return false;
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  return EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

std::string key_fingerprint(std::string_view public_hex) {
  return "SHA256:" + sha256_hex(public_hex).substr(0, 16);
}

}  // namespace hn::platform
