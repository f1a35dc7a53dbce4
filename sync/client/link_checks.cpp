#include "sync/client/link_checks.hpp"

#include "core/text.hpp"

#include <curl/curl.h>

#ifdef _WIN32
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#endif

#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

namespace hn::sync {

namespace fs = std::filesystem;

LinkRefused::LinkRefused(LinkRefusal r)
    : platform::SetupError(r.message_zh, r.message_en, r.code), refusal_(std::move(r)) {}

std::string quoted_for_message(std::string_view text, std::size_t max) {
  // The one cut-and-escape of the house (core/text.hpp).
  return escape_for_message(text, max);
}

namespace {

constexpr std::size_t kMaxUrlBytes = 2048;

struct UrlCleanup {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

std::optional<std::string> part(CURLU* u, CURLUPart which) {
  char* s = nullptr;
  if (curl_url_get(u, which, &s, 0) != CURLUE_OK || !s) return std::nullopt;
  std::string out(s);
  curl_free(s);
  return out;
}

bool same_letters(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// This machine, decided on the address as numbers: 127.0.0.0/8 or ::1 (libcurl has already
// turned 127.1, 0x7f.1 and the like into dotted quads), or the name `localhost` itself.
bool is_this_machine(const std::string& host, bool has_zone) {
  if (same_letters(host, "localhost")) return true;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    in6_addr a6{};
    return !has_zone && inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), &a6) == 1 &&
           IN6_IS_ADDR_LOOPBACK(&a6);
  }
  in_addr a4{};
  return inet_pton(AF_INET, host.c_str(), &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127;
}

LinkRefusal invalid(const std::string& why_zh, const std::string& why_en) {
  return {"SERVER_INVALID",
          "省平台地址无效:" + why_zh + "。应为 https://主机[:端口](本机沙箱可用 http://127.0.0.1:端口)",
          "the server address is invalid: " + why_en +
              ". Use https://HOST[:PORT] (http://127.0.0.1:PORT for a sandbox on this machine)"};
}

// A path as a shell command may name it.
std::string shell_word(const std::string& path) {
  bool plain = !path.empty();
  for (const char c : path)
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '/' || c == '.' || c == '_' || c == '-' || c == '+' || c == ',');
  if (plain) return path;
  std::string out = "'";
  for (const char c : path) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The address as typed, for a message: cut, escaped, and with whatever stands before an '@' of
// the authority left out, since it may be a password.
std::string shown_address(std::string_view url) {
  std::string text(url);
  const auto start = text.find("://");
  if (start != std::string::npos) {
    const auto end = text.find_first_of("/?#", start + 3);
    const auto at = text.rfind('@', end == std::string::npos ? std::string::npos : end);
    if (at != std::string::npos && at > start) text.replace(start + 3, at - start - 3, "***");
  }
  return "'" + quoted_for_message(text) + "'";
}

}  // namespace

ServerUrlCheck check_server_url(std::string_view url) {
  ServerUrlCheck r;
  const std::string shown = shown_address(url);
  if (url.empty()) {
    r.refusal = invalid("地址为空", "it is empty");
    return r;
  }
  if (url.size() > kMaxUrlBytes) {
    r.refusal = invalid(shown + " 超过 " + std::to_string(kMaxUrlBytes) + " 个字符",
                        shown + " is longer than " + std::to_string(kMaxUrlBytes) + " characters");
    return r;
  }
  // A NUL would end the address libcurl sees before the end of the one checked here.
  for (const char c : url) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b == 0x7f) {
      r.refusal = invalid(shown + " 含有空白或控制字符", shown + " contains white space or control characters");
      return r;
    }
  }
  std::unique_ptr<CURLU, UrlCleanup> u(curl_url());
  if (!u) throw std::bad_alloc();
  const std::string text(url);
  const CURLUcode rc = curl_url_set(u.get(), CURLUPART_URL, text.c_str(), 0);
  if (rc != CURLUE_OK) {
    r.refusal = invalid(shown + " 不是网址(" + curl_url_strerror(rc) + ")",
                        shown + " is not a URL (" + curl_url_strerror(rc) + ")");
    return r;
  }
  const std::string scheme = part(u.get(), CURLUPART_SCHEME).value_or("");
  const std::string host = part(u.get(), CURLUPART_HOST).value_or("");
  const auto zone = part(u.get(), CURLUPART_ZONEID);
  // An IPv6 zone is part of where the connection goes: shown with the address.
  const std::string where = zone && host.size() > 2 ? host.substr(0, host.size() - 1) + "%" + *zone + "]" : host;
  const std::string host_shown = "'" + quoted_for_message(where) + "'";
  if (scheme != "https" && scheme != "http") {
    r.refusal = invalid("协议 '" + quoted_for_message(scheme) + "' 不可用,只能用 https",
                        "the scheme '" + quoted_for_message(scheme) + "' is not accepted, only https");
    return r;
  }
  // Whatever stands before '@' is never echoed: it may be a password.
  if (part(u.get(), CURLUPART_USER) || part(u.get(), CURLUPART_PASSWORD)) {
    r.refusal = LinkRefusal{
        "SERVER_INVALID",
        "省平台地址在 '@' 前带有用户名或密码,它实际连接的主机是 " + host_shown +
            ":地址中不得带用户名或密码。应为 https://主机[:端口](本机沙箱可用 http://127.0.0.1:端口)",
        "the server address carries a user name or password before '@'; the host it really names is " +
            host_shown + ". Give it without them: https://HOST[:PORT] (http://127.0.0.1:PORT for a sandbox on "
            "this machine)"};
    return r;
  }
  if (host.empty()) {
    r.refusal = invalid(shown + " 没有主机", shown + " names no host");
    return r;
  }
  if (part(u.get(), CURLUPART_QUERY) || part(u.get(), CURLUPART_FRAGMENT)) {
    r.refusal = invalid("主机 " + host_shown + " 之后不得带 ? 或 # 部分",
                        "it must not carry a ?query or #fragment after the host " + host_shown);
    return r;
  }
  if (scheme == "http" && !is_this_machine(host, zone.has_value())) {
    r.refusal = LinkRefusal{
        "SERVER_NOT_HTTPS",
        "主机 " + host_shown + " 不是本机:明文 http 只能连本机的沙箱(127.0.0.0/8、::1 或 localhost),"
            "否则购买人的身份证号会明文经过网络。请改用 https://",
        "the host " + host_shown + " is not this machine: plain http goes only to a sandbox on this machine "
            "(127.0.0.0/8, ::1 or localhost), or buyers' ID numbers would cross the network in clear. Use "
            "https://"};
    return r;
  }
  const auto normalised = part(u.get(), CURLUPART_URL);
  if (!normalised) {
    r.refusal = invalid(shown + " 不是网址", shown + " is not a URL");
    return r;
  }
  r.server = ServerUrl{*normalised, scheme, host};
  return r;
}

std::optional<LinkRefusal> check_credential_permissions(const Credential& credential) {
#ifdef _WIN32
  // Windows guards files with ACLs, which std::filesystem does not show: the platform layer's job.
  (void)credential;
  return std::nullopt;
#else
  std::vector<std::string> secrets = {(fs::path(credential.dir) / "hmac.key").string()};
  if (!credential.client_key.empty()) secrets.push_back(credential.client_key);
  for (const auto& path : secrets) {
    std::error_code ec;
    const auto st = fs::status(path, ec);
    if (ec || !fs::exists(st)) continue;  // a missing file is load_credential's to report
    const auto open = st.permissions() & (fs::perms::group_all | fs::perms::others_all);
    if (open == fs::perms::none) continue;
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.permissions() & fs::perms::mask));
    const std::string chmod = "chmod 600 " + shell_word(path);
    return LinkRefusal{"CREDENTIAL_PERMISSIONS",
                       "网点凭据的私密文件 " + path + " 其他用户也能访问(权限 " + mode +
                           "),可能已泄露,不予使用:请运行 " + chmod + " 后再试;若别人可能已读到,请向省平台申请新凭据",
                       "the outlet credential's secret file " + path + " is open to other users (mode " + mode +
                           ") and is not used: run " + chmod +
                           " and try again; if someone else may have read it, ask the province for a new credential"};
  }
  return std::nullopt;
#endif
}

std::optional<LinkRefusal> check_pinned_public_key(std::string_view pin) {
  if (pin.empty()) return std::nullopt;
  auto one_hash = [](std::string_view h) {
    constexpr std::string_view kPrefix = "sha256//";
    if (h.size() != kPrefix.size() + 44 || h.substr(0, kPrefix.size()) != kPrefix) return false;
    const std::string_view b64 = h.substr(kPrefix.size());
    for (std::size_t i = 0; i < b64.size(); ++i) {
      const char c = b64[i];
      const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                      c == '/' || (c == '=' && i == b64.size() - 1);
      if (!ok) return false;
    }
    return true;
  };
  bool ok = pin.size() <= 16 * 53;  // a handful of keys at most, each 52 characters and a ';'
  for (std::size_t start = 0; ok;) {
    const auto end = pin.find(';', start);
    ok = one_hash(pin.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (ok) return std::nullopt;
  return LinkRefusal{"PIN_INVALID",
                     "固定服务器公钥的格式不对:应为 sha256// 加 44 个 base64 字符(多个用 ; 分隔),由省平台提供;"
                     "不用固定公钥时留空",
                     "the pinned server key is not in its form: sha256// and 44 base64 characters (several joined "
                     "by ;), as the province gives it; leave it empty for no pin"};
}

}  // namespace hn::sync
