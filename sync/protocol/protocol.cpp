#include "protocol/protocol.hpp"

#include "platform/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/date.hpp"
#include "core/invoice.hpp"
#include "core/text.hpp"
#include "platform/crypto.hpp"
#include "platform/database.hpp"

namespace hn::sync {

namespace fs = std::filesystem;
using platform::SetupError;

namespace {

constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kNonceBytes = 16;

bool is_lower_hex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

bool hex_to_bytes(std::string_view hex, std::vector<unsigned char>& out) {
  if (hex.size() % 2 != 0) return false;
  out.clear();
  out.reserve(hex.size() / 2);
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<unsigned char>(hi * 16 + lo));
  }
  return true;
}

// A credential file: small, regular, read within its kind's limit (pos/platform/files.hpp).
bool read_whole_file(const std::string& path, std::string& out) {
  return !files::read_file(path, files::Kind::Credential, out);
}

// Writes a new file with `mode`; refuses to replace an existing one.
void write_new_file(const std::string& path, const std::string& data, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0)
    throw SetupError("无法创建文件 " + path + ":" + std::strerror(errno),
                     "cannot create " + path + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string why = std::strerror(errno);
      ::close(fd);
      throw SetupError("写入 " + path + " 失败:" + why, "cannot write " + path + ": " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  ::fchmod(fd, mode);  // the umask must not widen or narrow what the protocol asks for
  if (::fsync(fd) != 0 || ::close(fd) != 0)
    throw SetupError("写入 " + path + " 失败", "cannot write " + path);
}

bool is_outlet_code(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
      return false;
  return true;
}

bool is_county_code(std::string_view s) {
  if (s.size() != 6) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::optional<std::int64_t> parse_unix_seconds(std::string_view s) {
  // Plain decimal digits: no sign, no spaces, no exponent. 18 digits cannot overflow.
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// --- sale_from_wire: every field's presence and type, with the path of the bad one -------

struct FieldError {
  std::string path;
  std::string zh;
  std::string en;
};

std::string join_path(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

std::string error_text(const FieldError& e) {
  return e.path + ": " + e.zh + " / " + e.en;
}

bool get_string(const nlohmann::json& obj, const std::string& prefix, const char* key,
                std::string& out, FieldError& err, bool non_empty = false) {
  const auto it = obj.find(key);
  if (it == obj.end()) {
    err = {join_path(prefix, key), "缺少此字段", "missing"};
    return false;
  }
  if (!it->is_string()) {
    err = {join_path(prefix, key), "应为字符串", "must be a string"};
    return false;
  }
  out = it->get<std::string>();
  if (!is_valid_utf8(out)) {
    err = {join_path(prefix, key), "不是有效的 UTF-8", "is not valid UTF-8"};
    return false;
  }
  if (non_empty && out.empty()) {
    err = {join_path(prefix, key), "不能为空", "must not be empty"};
    return false;
  }
  return true;
}

bool get_fen(const nlohmann::json& obj, const std::string& prefix, const char* key, Fen& out,
             FieldError& err) {
  const auto it = obj.find(key);
  if (it == obj.end()) {
    err = {join_path(prefix, key), "缺少此字段", "missing"};
    return false;
  }
  // Amounts are integers in fen (PROTOCOL.md "Money"): 1999.0 is not an amount.
  if (!it->is_number_integer()) {
    err = {join_path(prefix, key), "应为整数(分)", "must be an integer amount in fen"};
    return false;
  }
  bool in_range = false;
  if (it->is_number_unsigned()) {
    const auto u = it->get<std::uint64_t>();
    in_range = u <= static_cast<std::uint64_t>(kMaxAmount);
    if (in_range) out = static_cast<Fen>(u);
  } else {
    const auto v = it->get<std::int64_t>();
    in_range = v >= -kMaxAmount && v <= kMaxAmount;
    if (in_range) out = v;
  }
  if (!in_range) {
    err = {join_path(prefix, key), "金额超出范围", "amount out of range"};
    return false;
  }
  return true;
}

bool is_local_time(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS (PROTOCOL.md "Money, dates, identity")
  if (s.size() != 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
  if (!parse_iso_date(s.substr(0, 10))) return false;
  auto two = [&](std::size_t at, int max) {
    const char a = s[at], b = s[at + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') return false;
    return (a - '0') * 10 + (b - '0') <= max;
  };
  return two(11, 23) && two(14, 59) && two(17, 59);
}

bool all_chars(std::string_view s, bool (*pred)(char)) {
  for (char c : s)
    if (!pred(c)) return false;
  return true;
}
bool uuid_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}
bool digit_char(char c) { return c >= '0' && c <= '9'; }

constexpr std::size_t kMaxItemsPerSale = 100;

bool parse_sale(const nlohmann::json& j, WireSale& out, FieldError& err) {
  if (!j.is_object()) {
    err = {"(sale)", "应为 JSON 对象", "must be a JSON object"};
    return false;
  }
  WireSale s;
  if (!get_string(j, "", "uuid", s.uuid, err, true)) return false;
  if (s.uuid.size() > 64 || !all_chars(s.uuid, uuid_char)) {
    err = {"uuid", "应为 UUID(至多 64 位字母、数字或 -)", "must be a UUID (up to 64 letters, digits or -)"};
    return false;
  }
  if (!get_string(j, "", "invoice_no", s.invoice_no, err, true)) return false;
  if (s.invoice_no.size() > 20 || !all_chars(s.invoice_no, digit_char)) {
    err = {"invoice_no", "应为数字串(发票号码)", "must be the invoice number's digits"};
    return false;
  }
  if (!get_string(j, "", "sold_at", s.sold_at, err, true)) return false;
  if (!is_local_time(s.sold_at)) {
    err = {"sold_at", "应为本地时间 YYYY-MM-DDTHH:MM:SS", "must be a local time YYYY-MM-DDTHH:MM:SS"};
    return false;
  }
  if (!get_string(j, "", "sale_date", s.sale_date, err, true)) return false;
  if (!parse_iso_date(s.sale_date)) {
    err = {"sale_date", "应为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD"};
    return false;
  }
  if (s.sold_at.compare(0, 10, s.sale_date) != 0) {
    err = {"sale_date", "与 sold_at 的日期不一致", "does not match the date of sold_at"};
    return false;
  }
  if (!get_string(j, "", "policy_phase", s.policy_phase, err)) return false;

  const auto b = j.find("buyer");
  if (b == j.end()) {
    err = {"buyer", "缺少此字段", "missing"};
    return false;
  }
  if (!b->is_object()) {
    err = {"buyer", "应为 JSON 对象", "must be a JSON object"};
    return false;
  }
  // Names, ID and household numbers are judged by the policy engine (ID_INVALID, ...), not
  // here: only their presence and type make a well-formed sale.
  if (!get_string(*b, "buyer", "name", s.buyer.name, err)) return false;
  if (!get_string(*b, "buyer", "id_number", s.buyer.id_text, err)) return false;
  if (!get_string(*b, "buyer", "household", s.buyer.household, err)) return false;
  std::string hukou;
  if (!get_string(*b, "buyer", "hukou", hukou, err)) return false;
  const auto h = parse_hukou(hukou);
  if (!h) {
    err = {"buyer.hukou", "应为 agricultural 或 non-agricultural",
           "must be agricultural or non-agricultural"};
    return false;
  }
  s.buyer.hukou = *h;
  // county: the household's county when the ID card reader gave it; absent or null otherwise
  // (the ID number's region then stands for it, POLICY R7).
  if (const auto c = b->find("county"); c != b->end() && !c->is_null()) {
    std::string county;
    if (!get_string(*b, "buyer", "county", county, err)) return false;
    if (!county.empty()) s.buyer.county = county;
  }

  if (!get_fen(j, "", "total_fen", s.total, err)) return false;
  if (!get_fen(j, "", "subsidy_fen", s.subsidy, err)) return false;

  const auto items = j.find("items");
  if (items == j.end()) {
    err = {"items", "缺少此字段", "missing"};
    return false;
  }
  if (!items->is_array()) {
    err = {"items", "应为数组", "must be an array"};
    return false;
  }
  if (items->size() > kMaxItemsPerSale) {
    err = {"items", "一张发票至多 " + std::to_string(kMaxItemsPerSale) + " 件商品",
           "at most " + std::to_string(kMaxItemsPerSale) + " items on one invoice"};
    return false;
  }
  Fen sum_price = 0, sum_subsidy = 0;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto& it = (*items)[i];
    const std::string p = "items[" + std::to_string(i) + "]";
    if (!it.is_object()) {
      err = {p, "应为 JSON 对象", "must be a JSON object"};
      return false;
    }
    WireSaleItem item;
    std::string category;
    if (!get_string(it, p, "card", item.card_no, err)) return false;
    if (!get_string(it, p, "serial", item.serial_no, err)) return false;
    if (!get_string(it, p, "model", item.model_code, err)) return false;
    if (!get_string(it, p, "category", category, err)) return false;
    const auto c = parse_category(category);
    if (!c) {
      err = {p + ".category", "不是已知的品类代码", "is not a known category code"};
      return false;
    }
    item.category = *c;
    if (!get_fen(it, p, "price_fen", item.price, err)) return false;
    if (!get_fen(it, p, "subsidy_fen", item.subsidy, err)) return false;
    if (item.subsidy < 0) {
      err = {p + ".subsidy_fen", "不能为负", "must not be negative"};
      return false;
    }
    sum_price += item.price;
    sum_subsidy += item.subsidy;
    s.items.push_back(std::move(item));
  }
  // The invoice's totals are the sums of its lines (POLICY S2, S3).
  if (s.total != sum_price) {
    err = {"total_fen", "不等于各商品 price_fen 之和 " + std::to_string(sum_price),
           "is not the sum of the items' price_fen " + std::to_string(sum_price)};
    return false;
  }
  if (s.subsidy != sum_subsidy) {
    err = {"subsidy_fen", "不等于各商品 subsidy_fen 之和 " + std::to_string(sum_subsidy),
           "is not the sum of the items' subsidy_fen " + std::to_string(sum_subsidy)};
    return false;
  }
  out = std::move(s);
  return true;
}

}  // namespace

// --- the outlet credential --------------------------------------------------------------

Credential load_credential(const std::string& dir) {
  Credential c;
  c.dir = dir;
  const std::string json_path = (fs::path(dir) / "outlet.json").string();
  const std::string key_path = (fs::path(dir) / "hmac.key").string();
  std::string text;
  if (!read_whole_file(json_path, text))
    throw SetupError("网点凭据缺少 " + json_path + ":请用 huinong-sandbox outlet add --out 生成的目录",
                     "the outlet credential lacks " + json_path +
                         ": give the directory made by huinong-sandbox outlet add --out");
  const auto j = nlohmann::json::parse(text, nullptr, false);
  auto bad_json = [&](const std::string& what_zh, const std::string& what_en) {
    return SetupError("网点凭据 " + json_path + " 有误:" + what_zh,
                      "the outlet credential " + json_path + " is bad: " + what_en);
  };
  if (j.is_discarded() || !j.is_object()) throw bad_json("不是 JSON 对象", "not a JSON object");
  const auto proto = j.find("protocol");
  if (proto == j.end() || !proto->is_number_integer() || proto->get<int>() != kProtocolVersion)
    throw bad_json("protocol 应为 " + std::to_string(kProtocolVersion),
                   "protocol must be " + std::to_string(kProtocolVersion));
  auto field = [&](const char* name, std::string& out) {
    const auto it = j.find(name);
    if (it == j.end() || !it->is_string())
      throw bad_json(std::string("缺少字符串字段 ") + name, std::string("missing string field ") + name);
    out = it->get<std::string>();
  };
  field("outlet_code", c.outlet_code);
  field("outlet_name", c.outlet_name);
  field("county", c.county);
  if (!is_outlet_code(c.outlet_code))
    throw bad_json("outlet_code 无效", "outlet_code is invalid");

  if (!read_whole_file(key_path, text))
    throw SetupError("网点凭据缺少签名密钥 " + key_path, "the outlet credential lacks its signing key " + key_path);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.size() != kKeyBytes * 2 || !hex_to_bytes(text, c.key))
    throw SetupError("签名密钥 " + key_path + " 有误:应为 64 位十六进制字符",
                     "the signing key " + key_path + " is bad: it must be 64 hex characters");

  std::error_code ec;
  auto optional_file = [&](const char* name) {
    const fs::path p = fs::path(dir) / name;
    return fs::is_regular_file(p, ec) ? p.string() : std::string();
  };
  c.client_cert = optional_file("client.crt");
  c.client_key = optional_file("client.key");
  c.ca_cert = optional_file("ca.crt");
  return c;
}

Credential write_credential(const std::string& dir, const std::string& outlet_code,
                            const std::string& outlet_name, const std::string& county) {
  if (!is_outlet_code(outlet_code))
    throw SetupError("网点编码 '" + outlet_code + "' 无效:1-32 位字母、数字或 -",
                     "outlet code '" + outlet_code + "' is invalid: 1-32 letters, digits or -");
  if (!is_county_code(county))
    throw SetupError("县级行政区划代码 '" + county + "' 无效:应为 6 位数字",
                     "county code '" + county + "' is invalid: it has 6 digits");
  const std::string json_path = (fs::path(dir) / "outlet.json").string();
  const std::string key_path = (fs::path(dir) / "hmac.key").string();
  std::error_code ec;
  if (fs::exists(json_path, ec) || fs::exists(key_path, ec))
    throw SetupError("目录 " + dir + " 中已有网点凭据:不会覆盖", "directory " + dir +
                                                               " already holds an outlet credential: it is not overwritten");
  if (!fs::exists(dir, ec)) {
    if (::mkdir(dir.c_str(), 0700) != 0)
      throw SetupError("无法创建目录 " + dir + ":" + std::strerror(errno),
                       "cannot create directory " + dir + ": " + std::strerror(errno));
  } else if (!fs::is_directory(dir, ec)) {
    throw SetupError(dir + " 不是目录", dir + " is not a directory");
  }
  ::chmod(dir.c_str(), 0700);

  Credential c;
  c.dir = dir;
  c.outlet_code = outlet_code;
  c.outlet_name = outlet_name;
  c.county = county;
  c.key = platform::random_bytes(kKeyBytes);
  const nlohmann::json j = {{"protocol", kProtocolVersion},
                            {"outlet_code", outlet_code},
                            {"outlet_name", outlet_name},
                            {"county", county}};
  // The key first and owner-only (PROTOCOL.md "The outlet credential").
  write_new_file(key_path, platform::to_hex(c.key) + "\n", 0600);
  write_new_file(json_path, j.dump() + "\n", 0644);
  return c;
}

// --- signing ----------------------------------------------------------------------------

std::vector<std::pair<std::string, std::string>> SignedHeaders::list() const {
  return {{"X-Huinong-Outlet", outlet},
          {"X-Huinong-Timestamp", timestamp},
          {"X-Huinong-Nonce", nonce},
          {"X-Huinong-Signature", signature}};
}

std::string sha256_hex(const std::string& data) { return platform::sha256_hex(data); }

std::string string_to_sign(const std::string& method, const std::string& path,
                           const std::string& timestamp, const std::string& nonce,
                           const std::string& body) {
  // Five lines joined by \n, no trailing newline (PROTOCOL.md "Every request is signed").
  return method + "\n" + path + "\n" + timestamp + "\n" + nonce + "\n" + sha256_hex(body);
}

SignedHeaders sign_request(const Credential& credential, const std::string& method,
                           const std::string& path, const std::string& body,
                           std::int64_t unix_now) {
  SignedHeaders h;
  h.outlet = credential.outlet_code;
  h.timestamp = std::to_string(unix_now);
  h.nonce = platform::to_hex(platform::random_bytes(kNonceBytes));
  h.signature = platform::to_hex(
      platform::hmac_sha256(credential.key, string_to_sign(method, path, h.timestamp, h.nonce, body)));
  return h;
}

std::string_view verdict_code(Verdict v) {
  switch (v) {
    case Verdict::Ok: return "";
    case Verdict::OutletUnknown: return "OUTLET_UNKNOWN";
    case Verdict::SignatureInvalid: return "SIGNATURE_INVALID";
    case Verdict::SignatureStale: return "SIGNATURE_STALE";
    case Verdict::Replayed: return "REPLAYED";
  }
  return "";
}

Verdict verify_request(const std::vector<unsigned char>* outlet_key, const std::string& method,
                       const std::string& path, const std::string& body,
                       const std::string& timestamp, const std::string& nonce,
                       const std::string& signature, std::int64_t unix_now,
                       std::map<std::string, std::int64_t>& seen_nonces) {
  if (!outlet_key) return Verdict::OutletUnknown;
  const auto ts = parse_unix_seconds(timestamp);
  if (!ts) return Verdict::SignatureStale;
  const std::int64_t skew = unix_now > *ts ? unix_now - *ts : *ts - unix_now;
  if (skew > kMaxClockSkewSeconds) return Verdict::SignatureStale;
  // The nonce is part of what is signed; one of the wrong shape cannot have been made by a
  // conforming client, so it fails like a bad signature.
  if (nonce.size() != kNonceBytes * 2 || !is_lower_hex(nonce)) return Verdict::SignatureInvalid;
  if (signature.size() != 64 || !is_lower_hex(signature)) return Verdict::SignatureInvalid;
  const std::string expected = platform::to_hex(
      platform::hmac_sha256(*outlet_key, string_to_sign(method, path, timestamp, nonce, body)));
  if (!platform::constant_time_equal(platform::Bytes(expected.begin(), expected.end()),
                                  platform::Bytes(signature.begin(), signature.end())))
    return Verdict::SignatureInvalid;
  // Only a request that verified may touch the nonce memory: otherwise anyone could burn an
  // outlet's future nonces. Nonces are remembered by the server time they were first seen;
  // with the 300 s skew window, 600 s of memory covers every timestamp still accepted.
  for (auto it = seen_nonces.begin(); it != seen_nonces.end();) {
    if (unix_now - it->second >= kNonceMemorySeconds) it = seen_nonces.erase(it);
    else ++it;
  }
  if (seen_nonces.count(nonce)) return Verdict::Replayed;
  seen_nonces.emplace(nonce, unix_now);
  return Verdict::Ok;
}

// --- sales on the wire ------------------------------------------------------------------

nlohmann::json sale_to_wire(const WireSale& sale) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& it : sale.items)
    items.push_back({{"card", it.card_no},
                     {"serial", it.serial_no},
                     {"model", it.model_code},
                     {"category", category_code(it.category)},
                     {"price_fen", it.price},
                     {"subsidy_fen", it.subsidy}});
  nlohmann::json buyer = {{"name", sale.buyer.name},
                          {"id_number", sale.buyer.id_text},
                          {"household", sale.buyer.household},
                          {"hukou", hukou_code(sale.buyer.hukou)},
                          {"county", nullptr}};
  if (sale.buyer.county && !sale.buyer.county->empty()) buyer["county"] = *sale.buyer.county;
  return {{"uuid", sale.uuid},
          {"invoice_no", sale.invoice_no},
          {"sold_at", sale.sold_at},
          {"sale_date", sale.sale_date},
          {"policy_phase", sale.policy_phase},
          {"buyer", std::move(buyer)},
          {"total_fen", sale.total},
          {"subsidy_fen", sale.subsidy},
          {"items", std::move(items)}};
}

bool sale_from_wire(const nlohmann::json& j, WireSale& out, std::string& error) {
  FieldError err;
  if (parse_sale(j, out, err)) return true;
  error = error_text(err);
  return false;
}

nlohmann::json result_to_json(const UploadResult& r) {
  nlohmann::json j = {{"uuid", r.uuid}, {"status", r.status}};
  if (!r.code.empty()) {
    j["code"] = r.code;
    j["message_zh"] = r.message_zh;
    j["message_en"] = r.message_en;
  }
  return j;
}

bool result_from_json(const nlohmann::json& j, UploadResult& out) {
  if (!j.is_object()) return false;
  const auto uuid = j.find("uuid");
  const auto status = j.find("status");
  if (uuid == j.end() || !uuid->is_string() || status == j.end() || !status->is_string())
    return false;
  UploadResult r;
  r.uuid = uuid->get<std::string>();
  r.status = status->get<std::string>();
  if (r.status != "accepted" && r.status != "duplicate" && r.status != "rejected") return false;
  auto optional_string = [&](const char* key, std::string& dst) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return true;
    if (!it->is_string()) return false;
    dst = it->get<std::string>();
    return true;
  };
  if (!optional_string("code", r.code) || !optional_string("message_zh", r.message_zh) ||
      !optional_string("message_en", r.message_en))
    return false;
  if (r.status == "rejected" && r.code.empty()) return false;  // a rejection names its code
  out = std::move(r);
  return true;
}

nlohmann::json error_body(const std::string& code, const std::string& zh, const std::string& en) {
  return {{"error", {{"code", code}, {"message_zh", zh}, {"message_en", en}}}};
}

}  // namespace hn::sync
