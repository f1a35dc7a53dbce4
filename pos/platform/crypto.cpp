#include "platform/crypto.hpp"

#include "platform/error.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <memory>
#include <stdexcept>

namespace hn::platform {

namespace {
constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr std::string_view kKeyFileMagic = "HUINONG-KEYS-1\n";

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;
struct MacCtxDeleter {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};
using MacCtx = std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter>;

// AES-256-GCM fetched from the provider once for the process, not at every seal and open.
const EVP_CIPHER* aes_256_gcm() {
  static const EVP_CIPHER* const cipher = [] {
    const EVP_CIPHER* fetched = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    return fetched ? fetched : EVP_aes_256_gcm();
  }();
  return cipher;
}

// SHA-256 fetched once too: EVP_sha256() is looked up in the provider at every digest
// (a sixth of the journal entry's cost, twice a sale).
const EVP_MD* sha256_md() {
  static const EVP_MD* const md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched ? fetched : EVP_sha256();
  }();
  return md;
}

[[noreturn]] void crypto_fail(const char* what) {
  throw std::runtime_error(std::string("crypto failure: ") + what);
}
}  // namespace

Bytes random_bytes(std::size_t n) {
  Bytes out(n);
  // The kernel's CSPRNG straight (getrandom(2), blocking only until it is seeded at boot): a
  // sale draws three small values (its uuid, two nonces), and OpenSSL's DRBG cost ~4 us a
  // call in locking and dispatch. OpenSSL's when the call is not there (ENOSYS, seccomp).
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::getrandom(out.data() + got, n - got, 0);
    if (r > 0) got += static_cast<std::size_t>(r);
    else if (r < 0 && errno == EINTR) continue;
    else break;
  }
  if (got < n && RAND_bytes(out.data(), static_cast<int>(n)) != 1) crypto_fail("RAND_bytes");
  return out;
}

std::string to_hex(const unsigned char* data, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 0x0F];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, sha256_md(), nullptr) != 1)
    crypto_fail("EVP_Digest");
  return to_hex(md, len);
}

std::string file_sha256_hex(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), sha256_md(), nullptr);
  std::vector<unsigned char> buf(1 << 20);
  ssize_t n = 0;
  while ((n = ::read(fd, buf.data(), buf.size())) > 0) EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(n));
  ::close(fd);
  if (n < 0) return {};
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &len);
  return to_hex(md, len);
}

Bytes hmac_sha256(const Bytes& key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &len))
    crypto_fail("HMAC");
  return Bytes(md, md + len);
}

Bytes pin_hash(std::string_view pin, const Bytes& salt, int iterations) {
  Bytes out(32);
  if (PKCS5_PBKDF2_HMAC(pin.data(), static_cast<int>(pin.size()), salt.data(),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(),
                        static_cast<int>(out.size()), out.data()) != 1)
    crypto_fail("PBKDF2");
  return out;
}

bool constant_time_equal(const Bytes& a, const Bytes& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void KeyRing::key_hash() {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  MacCtx ctx(mac ? EVP_MAC_CTX_new(mac) : nullptr);
  EVP_MAC_free(mac);
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0), OSSL_PARAM_construct_end()};
  if (!ctx || EVP_MAC_init(ctx.get(), hash_key_.data(), hash_key_.size(), params) != 1) crypto_fail("HMAC key");
  hash_ctx_ = std::shared_ptr<void>(ctx.release(), [](void* c) { EVP_MAC_CTX_free(static_cast<EVP_MAC_CTX*>(c)); });
}

KeyRing KeyRing::create(const std::string& path) {
  KeyRing k;
  k.data_key_ = random_bytes(kKeyBytes);
  k.hash_key_ = random_bytes(kKeyBytes);
  k.key_hash();
  const std::string body = std::string(kKeyFileMagic) + to_hex(k.data_key_) + "\n" +
                           to_hex(k.hash_key_) + "\n";
  // O_EXCL: never overwrite an existing key, which would make the stored data unreadable.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    throw std::runtime_error("cannot create key file " + path + ": " + std::strerror(errno));
  const bool ok = ::write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    throw std::runtime_error("cannot write key file " + path);
  }
  return k;
}

namespace {
Bytes from_hex(const std::string& hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  Bytes out;
  if (hex.size() % 2) return {};
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return {};
    out.push_back(static_cast<unsigned char>(hi * 16 + lo));
  }
  return out;
}
}  // namespace

std::string read_secret_file(const std::string& path, const SecretFileTexts& missing, std::size_t limit) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ELOOP)
      throw SetupError("密钥文件 " + path + " 是符号链接:请放入真正的文件", "the key file " + path +
                           " is a symbolic link: put the real file there", "KEY_DAMAGED", true);
    throw SetupError(missing.missing_zh, missing.missing_en, missing.missing_code, missing.missing_is_verification);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || static_cast<std::uint64_t>(st.st_size) > limit) {
    ::close(fd);
    throw SetupError("密钥文件 " + path + " 不是普通的小文件(已损坏或被替换):请从备份恢复",
                     "the key file " + path + " is not a small regular file (damaged or replaced): restore it from the backup",
                     "KEY_DAMAGED", true);
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw SetupError("密钥文件 " + path + " 的权限为 " + mode + ",其他用户也能读写,终端不会使用它:请运行 chmod 600 " + path +
                         ",并确认无人复制过它",
                     "the key file " + path + " has mode " + mode + ": other users can reach it, so the terminal will not " +
                         "use it; run chmod 600 " + path + " and make sure nobody copied it",
                     "KEY_PERMISSIONS");
  }
  std::string text;
  char buf[4096];
  ssize_t n = 0;
  while ((n = ::read(fd, buf, sizeof buf)) > 0 && text.size() <= limit) text.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  if (text.size() > limit)
    throw SetupError("密钥文件 " + path + " 过大(已损坏):请从备份恢复",
                     "the key file " + path + " is too large (damaged): restore it from the backup", "KEY_DAMAGED", true);
  return text;
}

KeyRing KeyRing::load(const std::string& path) {
  std::istringstream in(read_secret_file(
      path, {"KEY_MISSING", "密钥文件 " + path + " 不存在或无法读取:它与数据库配套,请从备份恢复",
             "key file " + path + " is missing or unreadable: it belongs with the database; restore it from the backup"}));
  std::string magic, data_hex, hash_hex;
  std::getline(in, magic);
  std::getline(in, data_hex);
  std::getline(in, hash_hex);
  KeyRing k;
  k.data_key_ = from_hex(data_hex);
  k.hash_key_ = from_hex(hash_hex);
  if (magic + "\n" != kKeyFileMagic || k.data_key_.size() != kKeyBytes ||
      k.hash_key_.size() != kKeyBytes)
    throw SetupError("密钥文件 " + path + " 已损坏:请从备份恢复", "key file " + path + " is damaged: restore it from the backup",
                     "KEY_DAMAGED", true);
  k.key_hash();
  return k;
}

namespace {
constexpr std::string_view kCheckText = "huinong key check";
}

std::string KeyRing::check_value() const {
  return "v1:" + lookup_hash("keycheck", kCheckText) + ":" + to_hex(seal(kCheckText));
}

bool KeyRing::matches_check(const std::string& check) const {
  const auto second = check.find(':', 3);
  if (check.rfind("v1:", 0) != 0 || second == std::string::npos) return false;
  if (check.substr(3, second - 3) != lookup_hash("keycheck", kCheckText)) return false;
  try {
    return open(from_hex(check.substr(second + 1))) == kCheckText;
  } catch (const std::exception&) {
    return false;  // sealed with another data key
  }
}

Bytes KeyRing::seal(std::string_view plaintext) const {
  Bytes out = random_bytes(kNonceBytes);
  out.resize(kNonceBytes + plaintext.size() + kTagBytes);
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0, total = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), aes_256_gcm(), nullptr, data_key_.data(),
                                 out.data()) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out.data() + kNonceBytes, &len,
                        reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1)
    crypto_fail("AES-GCM encrypt");
  total = len;
  if (EVP_EncryptFinal_ex(ctx.get(), out.data() + kNonceBytes + total, &len) != 1)
    crypto_fail("AES-GCM final");
  total += len;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes),
                          out.data() + kNonceBytes + total) != 1)
    crypto_fail("AES-GCM tag");
  return out;
}

std::string KeyRing::open(const Bytes& sealed) const {
  if (sealed.size() < kNonceBytes + kTagBytes) crypto_fail("sealed data too short");
  const std::size_t n = sealed.size() - kNonceBytes - kTagBytes;
  std::string out(n, '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  Bytes tag(sealed.end() - kTagBytes, sealed.end());
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), aes_256_gcm(), nullptr, data_key_.data(),
                                 sealed.data()) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                        sealed.data() + kNonceBytes, static_cast<int>(n)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes),
                          tag.data()) != 1)
    crypto_fail("AES-GCM decrypt");
  int final_len = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len,
                          &final_len) != 1)
    crypto_fail("personal data failed authentication (altered, or another key)");
  return out;
}

std::string KeyRing::lookup_hash(std::string_view domain, std::string_view value) const {
  std::string input(domain);
  input += ':';
  input += value;
  if (!hash_ctx_) return to_hex(hmac_sha256(hash_key_, input));
  // A copy of the keyed context per hash: the KeyRing stays usable from several threads.
  MacCtx ctx(EVP_MAC_CTX_dup(static_cast<const EVP_MAC_CTX*>(hash_ctx_.get())));
  unsigned char md[EVP_MAX_MD_SIZE];
  std::size_t len = 0;
  if (!ctx || EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1 ||
      EVP_MAC_final(ctx.get(), md, &len, sizeof md) != 1)
    crypto_fail("HMAC");
  return to_hex(md, len);
}

std::string new_uuid() {
  Bytes b = random_bytes(16);
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  const std::string h = to_hex(b);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

}  // namespace hn::platform
