#pragma once
// The pieces of sync/PROTOCOL.md both sides share: the outlet credential, request signing and
// its verification, and the wire types with their JSON both ways. The terminal's client and
// the sandbox link this one library, so they cannot drift apart; it knows core and the
// platform, not the terminal's store (sync/client maps the store's records to the wire).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/catalog.hpp"
#include "core/money.hpp"
#include "core/policy_engine.hpp"

namespace hn::sync {

inline constexpr int kProtocolVersion = 1;
inline constexpr const char* kApiPrefix = "/api/v1";
inline constexpr int kMaxBatch = 500;
inline constexpr std::int64_t kMaxClockSkewSeconds = 300;
inline constexpr std::int64_t kNonceMemorySeconds = 600;

// The directory `huinong-sandbox outlet add --out DIR` writes (PROTOCOL.md "Transport").
struct Credential {
  std::string dir;
  std::string outlet_code;
  std::string outlet_name;
  std::string county;
  std::vector<unsigned char> key;  // 32 bytes
  // Paths inside `dir`; empty when the file is not there (plain HTTP on loopback).
  std::string client_cert;
  std::string client_key;
  std::string ca_cert;
};

// Throws platform::SetupError with a bilingual message naming the missing or bad file.
Credential load_credential(const std::string& dir);
// Creates `dir` (0700) with outlet.json and hmac.key (0600); refuses to overwrite.
Credential write_credential(const std::string& dir, const std::string& outlet_code,
                            const std::string& outlet_name, const std::string& county);

struct SignedHeaders {
  std::string outlet;
  std::string timestamp;
  std::string nonce;
  std::string signature;
  // As name/value pairs for an HTTP client.
  std::vector<std::pair<std::string, std::string>> list() const;
};

std::string sha256_hex(const std::string& data);
std::string string_to_sign(const std::string& method, const std::string& path,
                           const std::string& timestamp, const std::string& nonce,
                           const std::string& body);
// Signs a request made now (`unix_now`), with a fresh random nonce.
SignedHeaders sign_request(const Credential& credential, const std::string& method,
                           const std::string& path, const std::string& body,
                           std::int64_t unix_now);

enum class Verdict { Ok, OutletUnknown, SignatureInvalid, SignatureStale, Replayed };
std::string_view verdict_code(Verdict v);  // "OUTLET_UNKNOWN", ... ("" for Ok)

// The server side: checks one request's headers against the outlet's key (looked up by the
// caller), the clock and the nonces already seen (the caller keeps them, per outlet).
Verdict verify_request(const std::vector<unsigned char>* outlet_key, const std::string& method,
                       const std::string& path, const std::string& body,
                       const std::string& timestamp, const std::string& nonce,
                       const std::string& signature, std::int64_t unix_now,
                       std::map<std::string, std::int64_t>& seen_nonces);

// A sale as it goes up (PROTOCOL.md "POST /api/v1/sales"): one line of the invoice.
struct WireSaleItem {
  std::string card_no;
  std::string serial_no;
  std::string model_code;  // as the terminal recorded it
  Category category = Category::Tv;
  Fen price = 0;
  Fen subsidy = 0;
};
struct WireSale {
  std::string uuid;
  std::string invoice_no;  // the invoice number's digits
  std::string sold_at;     // local time YYYY-MM-DDTHH:MM:SS
  std::string sale_date;   // YYYY-MM-DD
  std::string policy_phase;
  Buyer buyer;  // id_text holds the full ID number
  Fen total = 0;
  Fen subsidy = 0;
  std::vector<WireSaleItem> items;
};
nlohmann::json sale_to_wire(const WireSale& sale);
// And back, on the province's side: false with `error` naming the bad field.
bool sale_from_wire(const nlohmann::json& j, WireSale& out, std::string& error);

// One answer per sale or event.
struct UploadResult {
  std::string uuid;
  std::string status;  // "accepted" | "duplicate" | "rejected"
  std::string code;    // when rejected
  std::string message_zh;
  std::string message_en;
};
nlohmann::json result_to_json(const UploadResult& r);
bool result_from_json(const nlohmann::json& j, UploadResult& out);

// The error body of every non-2xx answer.
nlohmann::json error_body(const std::string& code, const std::string& zh, const std::string& en);

}  // namespace hn::sync
