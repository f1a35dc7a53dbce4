// sync/protocol: the outlet credential, request signing and verification, and the sale on the
// wire (sync/PROTOCOL.md), unit by unit.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <set>

#include "protocol/protocol.hpp"
#include "platform/crypto.hpp"
#include "sync/client/sale_wire.hpp"
#include "temp_dir.hpp"

using namespace hn;
using namespace hn::sync;

namespace {

// A key of 32 printable bytes, so the vector below can be recomputed in a shell:
//   H=$(printf '%s' '{"sales":[]}' | openssl dgst -sha256 -r | cut -d' ' -f1)
//   printf 'POST\n/api/v1/sales\n1764236400\n00112233445566778899aabbccddeeff\n%s' "$H" |
//     openssl dgst -sha256 -hmac 0123456789abcdef0123456789abcdef
const std::string kKeyText = "0123456789abcdef0123456789abcdef";
const std::vector<unsigned char> kKey(kKeyText.begin(), kKeyText.end());
constexpr std::int64_t kNow = 1764236400;
const std::string kNonce = "00112233445566778899aabbccddeeff";
const std::string kBody = R"({"sales":[]})";
// Computed once with the openssl CLI, as above.
const std::string kBodySha256 = "68e13fd9a650a16e5d0d3427cd32e95e93c6951dfb2a4507eb451e318cd94fab";
const std::string kSignature = "d19465ceebad0169d277a9793c0c835dc7aa9ddc2988e6e8611c6220462993d4";
// GET /api/v1/updates?since=7, empty body, same key, time and nonce.
const std::string kGetSignature = "28c65584e36664490a9d3bd7d71df4207c64d9f26a6f690eeb8f3864d0faa21f";

Credential test_credential() {
  Credential c;
  c.outlet_code = "AH-XX-0001";
  c.outlet_name = "萧县惠农家电城";
  c.county = "341322";
  c.key = kKey;
  return c;
}

Verdict verify(const std::string& method, const std::string& path, const std::string& body,
               const std::string& ts, const std::string& nonce, const std::string& sig,
               std::int64_t now, std::map<std::string, std::int64_t>& seen,
               const std::vector<unsigned char>* key = &kKey) {
  return verify_request(key, method, path, body, ts, nonce, sig, now, seen);
}

store::SaleRecord sample_sale() {
  store::SaleRecord s;
  s.uuid = "5b0e7c1e-2f4a-4c3b-9d8e-0123456789ab";
  s.invoice_no = 1;
  s.sold_at = "2026-11-27T10:32:05";
  s.sale_date = Date{2026, 11, 27};
  s.buyer_name = "张三";
  s.buyer_id = "341322198001011239";
  s.household = "3413220012";
  s.hukou = Hukou::Agricultural;
  s.buyer_county = "341322";
  s.policy_phase = "2008-12";
  store::SaleItemRecord it;
  it.line_no = 1;
  it.card_no = "34080100000000010001";
  it.serial_no = "TLM26V68-0811A00017";
  it.model_code = "HISENSE-TLM26V68";
  it.category = Category::Tv;
  it.price = 199900;
  it.subsidy = 25987;
  s.items.push_back(it);
  s.total = 199900;
  s.subsidy = 25987;
  return s;
}

}  // namespace

TEST_CASE("the string to sign is five lines without a trailing newline", "[protocol]") {
  CHECK(sha256_hex(kBody) == kBodySha256);
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(string_to_sign("POST", "/api/v1/sales", "1764236400", kNonce, kBody) ==
        "POST\n/api/v1/sales\n1764236400\n" + kNonce + "\n" + kBodySha256);
}

TEST_CASE("the HMAC matches a vector computed with the openssl CLI", "[protocol]") {
  const auto mac = platform::hmac_sha256(kKey, string_to_sign("POST", "/api/v1/sales", "1764236400", kNonce, kBody));
  CHECK(platform::to_hex(mac) == kSignature);
  std::map<std::string, std::int64_t> seen;
  CHECK(verify("POST", "/api/v1/sales", kBody, "1764236400", kNonce, kSignature, kNow, seen) == Verdict::Ok);
  CHECK(verify("GET", "/api/v1/updates?since=7", "", "1764236400", kNonce, kGetSignature, kNow, seen) ==
        Verdict::Replayed);  // same nonce, valid signature: seen already
  std::map<std::string, std::int64_t> fresh;
  CHECK(verify("GET", "/api/v1/updates?since=7", "", "1764236400", kNonce, kGetSignature, kNow, fresh) ==
        Verdict::Ok);
}

TEST_CASE("sign_request makes headers that verify, with a fresh 32-hex nonce each time", "[protocol]") {
  const Credential c = test_credential();
  std::set<std::string> nonces;
  std::map<std::string, std::int64_t> seen;
  for (int i = 0; i < 50; ++i) {
    const SignedHeaders h = sign_request(c, "POST", "/api/v1/quota", R"({"household":"1"})", kNow);
    CHECK(h.outlet == "AH-XX-0001");
    CHECK(h.timestamp == "1764236400");
    REQUIRE(h.nonce.size() == 32);
    CHECK(h.nonce.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(h.signature.size() == 64);
    nonces.insert(h.nonce);
    CHECK(verify("POST", "/api/v1/quota", R"({"household":"1"})", h.timestamp, h.nonce, h.signature,
                 kNow, seen) == Verdict::Ok);
  }
  CHECK(nonces.size() == 50);
  const auto list = sign_request(c, "GET", "/x", "", kNow).list();
  REQUIRE(list.size() == 4);
  CHECK(list[0].first == "X-Huinong-Outlet");
  CHECK(list[1].first == "X-Huinong-Timestamp");
  CHECK(list[2].first == "X-Huinong-Nonce");
  CHECK(list[3].first == "X-Huinong-Signature");
}

TEST_CASE("an altered body, path, method or nonce does not verify", "[protocol]") {
  std::map<std::string, std::int64_t> seen;
  const std::string ts = "1764236400";
  CHECK(verify("POST", "/api/v1/sales", R"({"sales":[ ]})", ts, kNonce, kSignature, kNow, seen) ==
        Verdict::SignatureInvalid);
  CHECK(verify("POST", "/api/v1/returns", kBody, ts, kNonce, kSignature, kNow, seen) ==
        Verdict::SignatureInvalid);
  CHECK(verify("PUT", "/api/v1/sales", kBody, ts, kNonce, kSignature, kNow, seen) ==
        Verdict::SignatureInvalid);
  CHECK(verify("POST", "/api/v1/sales", kBody, ts, "00112233445566778899aabbccddeefe", kSignature, kNow,
               seen) == Verdict::SignatureInvalid);
  // The timestamp is signed too: moving it inside the window still breaks the signature.
  CHECK(verify("POST", "/api/v1/sales", kBody, "1764236401", kNonce, kSignature, kNow, seen) ==
        Verdict::SignatureInvalid);
  // Upper-case hex is not the protocol's lowercase hex.
  std::string upper = kSignature;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  CHECK(verify("POST", "/api/v1/sales", kBody, ts, kNonce, upper, kNow, seen) == Verdict::SignatureInvalid);
  CHECK(verify("POST", "/api/v1/sales", kBody, ts, kNonce, "", kNow, seen) == Verdict::SignatureInvalid);
  const std::vector<unsigned char> other_key(32, 7);
  CHECK(verify("POST", "/api/v1/sales", kBody, ts, kNonce, kSignature, kNow, seen, &other_key) ==
        Verdict::SignatureInvalid);
  // None of the failures used up the nonce: the genuine request still goes through.
  CHECK(seen.empty());
  CHECK(verify("POST", "/api/v1/sales", kBody, ts, kNonce, kSignature, kNow, seen) == Verdict::Ok);
}

TEST_CASE("a timestamp more than 300 s off, or not an integer, is stale", "[protocol]") {
  std::map<std::string, std::int64_t> seen;
  const std::string ts = "1764236400";
  // Within the window on both sides (the signature is over the timestamp, not the clock).
  CHECK(verify("POST", "/api/v1/sales", kBody, ts, kNonce, kSignature, kNow + 300, seen) == Verdict::Ok);
  seen.clear();
  CHECK(verify("POST", "/api/v1/sales", kBody, ts, kNonce, kSignature, kNow - 300, seen) == Verdict::Ok);
  seen.clear();
  CHECK(verify("POST", "/api/v1/sales", kBody, ts, kNonce, kSignature, kNow + 301, seen) ==
        Verdict::SignatureStale);
  CHECK(verify("POST", "/api/v1/sales", kBody, ts, kNonce, kSignature, kNow - 301, seen) ==
        Verdict::SignatureStale);
  for (const char* bad : {"", "1764236400.0", "+1764236400", "-1", "1.7e9", " 1764236400", "abc",
                          "99999999999999999999999"})
    CHECK(verify("POST", "/api/v1/sales", kBody, bad, kNonce, kSignature, kNow, seen) ==
          Verdict::SignatureStale);
  CHECK(seen.empty());
}

TEST_CASE("a nonce seen within 600 s is a replay, older ones are forgotten", "[protocol]") {
  std::map<std::string, std::int64_t> seen;
  const std::string ts = "1764236400";
  CHECK(verify("POST", "/api/v1/sales", kBody, ts, kNonce, kSignature, kNow, seen) == Verdict::Ok);
  CHECK(verify("POST", "/api/v1/sales", kBody, ts, kNonce, kSignature, kNow, seen) == Verdict::Replayed);
  CHECK(verify("POST", "/api/v1/sales", kBody, ts, kNonce, kSignature, kNow + 299, seen) ==
        Verdict::Replayed);
  // Another outlet's nonces live in another map (the caller keeps one per outlet).
  std::map<std::string, std::int64_t> other;
  CHECK(verify("POST", "/api/v1/sales", kBody, ts, kNonce, kSignature, kNow, other) == Verdict::Ok);

  // Nonces older than 600 s are dropped whenever a request verifies.
  seen["ffffffffffffffffffffffffffffffff"] = kNow - 700;
  const Credential c = test_credential();
  const auto h = sign_request(c, "GET", "/api/v1/updates?since=0", "", kNow);
  CHECK(verify("GET", "/api/v1/updates?since=0", "", h.timestamp, h.nonce, h.signature, kNow, seen) ==
        Verdict::Ok);
  CHECK(seen.count("ffffffffffffffffffffffffffffffff") == 0);
  CHECK(seen.count(kNonce) == 1);
  CHECK(seen.at(h.nonce) == kNow);
}

TEST_CASE("an unknown outlet is refused before anything else", "[protocol]") {
  std::map<std::string, std::int64_t> seen;
  CHECK(verify("POST", "/api/v1/sales", kBody, "garbage", kNonce, "x", kNow, seen, nullptr) ==
        Verdict::OutletUnknown);
  CHECK(verdict_code(Verdict::OutletUnknown) == "OUTLET_UNKNOWN");
  CHECK(verdict_code(Verdict::SignatureInvalid) == "SIGNATURE_INVALID");
  CHECK(verdict_code(Verdict::SignatureStale) == "SIGNATURE_STALE");
  CHECK(verdict_code(Verdict::Replayed) == "REPLAYED");
  CHECK(verdict_code(Verdict::Ok).empty());
}

TEST_CASE("the outlet credential is written owner-only and read back", "[protocol]") {
  test::TempDir dir;
  const std::string cred_dir = dir.file("cred");
  const Credential w = write_credential(cred_dir, "AH-XX-0001", "萧县惠农家电城", "341322");
  CHECK(w.key.size() == 32);
  struct stat st {};
  REQUIRE(::stat(cred_dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  REQUIRE(::stat((cred_dir + "/hmac.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  const std::string key_file = test::slurp(cred_dir + "/hmac.key");
  CHECK(key_file.size() == 65);
  CHECK(key_file.back() == '\n');
  const auto j = nlohmann::json::parse(test::slurp(cred_dir + "/outlet.json"));
  CHECK(j == nlohmann::json{{"protocol", 1}, {"outlet_code", "AH-XX-0001"},
                            {"outlet_name", "萧县惠农家电城"}, {"county", "341322"}});

  const Credential r = load_credential(cred_dir);
  CHECK(r.outlet_code == "AH-XX-0001");
  CHECK(r.outlet_name == "萧县惠农家电城");
  CHECK(r.county == "341322");
  CHECK(r.key == w.key);
  CHECK(r.client_cert.empty());
  CHECK(r.ca_cert.empty());

  // Never overwritten.
  CHECK_THROWS_AS(write_credential(cred_dir, "AH-XX-0002", "x", "341322"), platform::SetupError);
  CHECK(load_credential(cred_dir).key == w.key);

  // TLS files are picked up when present.
  std::ofstream(cred_dir + "/client.crt") << "x";
  std::ofstream(cred_dir + "/client.key") << "x";
  std::ofstream(cred_dir + "/ca.crt") << "x";
  const Credential t = load_credential(cred_dir);
  CHECK(t.client_cert == cred_dir + "/client.crt");
  CHECK(t.client_key == cred_dir + "/client.key");
  CHECK(t.ca_cert == cred_dir + "/ca.crt");
}

TEST_CASE("a bad credential directory says which file is wrong, in both languages", "[protocol]") {
  test::TempDir dir;
  try {
    load_credential(dir.file("nowhere"));
    FAIL("no error");
  } catch (const platform::SetupError& e) {
    CHECK(e.en().find("outlet.json") != std::string::npos);
    CHECK(!e.zh().empty());
  }
  write_credential(dir.file("c"), "AH-XX-0001", "n", "341322");
  std::ofstream(dir.file("c") + "/hmac.key", std::ios::trunc) << "abcd\n";
  try {
    load_credential(dir.file("c"));
    FAIL("no error");
  } catch (const platform::SetupError& e) {
    CHECK(e.en().find("hmac.key") != std::string::npos);
  }
  CHECK_THROWS_AS(write_credential(dir.file("d"), "bad code!", "n", "341322"), platform::SetupError);
  CHECK_THROWS_AS(write_credential(dir.file("e"), "AH-1", "n", "3413"), platform::SetupError);
}

TEST_CASE("a sale goes on the wire as PROTOCOL.md shows and comes back the same", "[protocol]") {
  const nlohmann::json j = sale_to_wire(sample_sale());
  const auto expected = nlohmann::json::parse(R"({
    "uuid": "5b0e7c1e-2f4a-4c3b-9d8e-0123456789ab", "invoice_no": "00000001",
    "sold_at": "2026-11-27T10:32:05", "sale_date": "2026-11-27", "policy_phase": "2008-12",
    "buyer": {"name": "张三", "id_number": "341322198001011239", "household": "3413220012",
              "hukou": "agricultural", "county": "341322"},
    "total_fen": 199900, "subsidy_fen": 25987,
    "items": [{"card": "34080100000000010001", "serial": "TLM26V68-0811A00017",
               "model": "HISENSE-TLM26V68", "category": "tv",
               "price_fen": 199900, "subsidy_fen": 25987}]})");
  CHECK(j == expected);

  WireSale w;
  std::string error;
  REQUIRE(sale_from_wire(j, w, error));
  CHECK(w.uuid == "5b0e7c1e-2f4a-4c3b-9d8e-0123456789ab");
  CHECK(w.invoice_no == "00000001");
  CHECK(w.sold_at == "2026-11-27T10:32:05");
  CHECK(w.sale_date == "2026-11-27");
  CHECK(w.policy_phase == "2008-12");
  CHECK(w.buyer.name == "张三");
  CHECK(w.buyer.id_text == "341322198001011239");
  CHECK(w.buyer.household == "3413220012");
  CHECK(w.buyer.hukou == Hukou::Agricultural);
  CHECK(w.buyer.county == std::optional<std::string>("341322"));
  CHECK(w.total == 199900);
  CHECK(w.subsidy == 25987);
  REQUIRE(w.items.size() == 1);
  CHECK(w.items[0].card_no == "34080100000000010001");
  CHECK(w.items[0].serial_no == "TLM26V68-0811A00017");
  CHECK(w.items[0].price == 199900);
  CHECK(w.items[0].model_code == "HISENSE-TLM26V68");

  // No county from a reader: null on the wire, absent on the way back.
  store::SaleRecord s = sample_sale();
  s.buyer_county.clear();
  const auto k = sale_to_wire(s);
  CHECK(k["buyer"]["county"].is_null());
  REQUIRE(sale_from_wire(k, w, error));
  CHECK(!w.buyer.county);
}

TEST_CASE("sale_from_wire names the field that is missing or of the wrong type", "[protocol]") {
  const nlohmann::json good = sale_to_wire(sample_sale());
  auto error_for = [&](const std::function<void(nlohmann::json&)>& change) {
    nlohmann::json j = good;
    change(j);
    WireSale w;
    std::string error;
    const bool ok = sale_from_wire(j, w, error);
    CHECK_FALSE(ok);
    return error;
  };
  using J = nlohmann::json;
  CHECK(error_for([](J& j) { j.erase("uuid"); }).rfind("uuid: ", 0) == 0);
  CHECK(error_for([](J& j) { j["uuid"] = 5; }).rfind("uuid: ", 0) == 0);
  CHECK(error_for([](J& j) { j["uuid"] = "a b"; }).rfind("uuid: ", 0) == 0);
  CHECK(error_for([](J& j) { j.erase("invoice_no"); }).rfind("invoice_no: ", 0) == 0);
  CHECK(error_for([](J& j) { j["sold_at"] = "2026-11-27 10:32:05"; }).rfind("sold_at: ", 0) == 0);
  CHECK(error_for([](J& j) { j["sale_date"] = "2026-02-30"; }).rfind("sale_date: ", 0) == 0);
  CHECK(error_for([](J& j) { j["sale_date"] = "2026-11-28"; }).rfind("sale_date: ", 0) == 0);
  CHECK(error_for([](J& j) { j["policy_phase"] = nullptr; }).rfind("policy_phase: ", 0) == 0);
  CHECK(error_for([](J& j) { j.erase("buyer"); }).rfind("buyer: ", 0) == 0);
  CHECK(error_for([](J& j) { j["buyer"] = "张三"; }).rfind("buyer: ", 0) == 0);
  CHECK(error_for([](J& j) { j["buyer"].erase("id_number"); }).rfind("buyer.id_number: ", 0) == 0);
  CHECK(error_for([](J& j) { j["buyer"]["household"] = 3413220012; }).rfind("buyer.household: ", 0) == 0);
  CHECK(error_for([](J& j) { j["buyer"]["hukou"] = "urban"; }).rfind("buyer.hukou: ", 0) == 0);
  CHECK(error_for([](J& j) { j["buyer"]["county"] = 341322; }).rfind("buyer.county: ", 0) == 0);
  CHECK(error_for([](J& j) { j["total_fen"] = 1999.0; }).rfind("total_fen: ", 0) == 0);
  CHECK(error_for([](J& j) { j["total_fen"] = "199900"; }).rfind("total_fen: ", 0) == 0);
  CHECK(error_for([](J& j) { j["total_fen"] = 199901; }).rfind("total_fen: ", 0) == 0);
  CHECK(error_for([](J& j) { j.erase("subsidy_fen"); }).rfind("subsidy_fen: ", 0) == 0);
  CHECK(error_for([](J& j) { j["items"] = J::object(); }).rfind("items: ", 0) == 0);
  CHECK(error_for([](J& j) { j["items"][0].erase("card"); }).rfind("items[0].card: ", 0) == 0);
  CHECK(error_for([](J& j) { j["items"][0]["serial"] = J::array(); }).rfind("items[0].serial: ", 0) == 0);
  CHECK(error_for([](J& j) { j["items"][0]["category"] = "motorcycle"; }).rfind("items[0].category: ", 0) == 0);
  CHECK(error_for([](J& j) { j["items"][0]["price_fen"] = 1999.5; }).rfind("items[0].price_fen: ", 0) == 0);
  CHECK(error_for([](J& j) { j["items"][0]["subsidy_fen"] = -1; }).rfind("items[0].subsidy_fen: ", 0) == 0);
  CHECK(error_for([](J& j) { j["items"][0]["price_fen"] = 18446744073709551615ull; })
            .rfind("items[0].price_fen: ", 0) == 0);
  // Both languages in the message.
  const std::string e = error_for([](J& j) { j.erase("uuid"); });
  CHECK(e.find("缺少") != std::string::npos);
  CHECK(e.find("missing") != std::string::npos);
  // Content is the policy engine's business, not a malformed sale: an invalid ID parses.
  nlohmann::json j = good;
  j["buyer"]["id_number"] = "123";
  WireSale w;
  std::string error;
  CHECK(sale_from_wire(j, w, error));
}

TEST_CASE("results and errors have the protocol's shape", "[protocol]") {
  const UploadResult ok{"u1", "accepted", "", "", ""};
  CHECK(result_to_json(ok) == nlohmann::json{{"uuid", "u1"}, {"status", "accepted"}});
  const UploadResult no{"u2", "rejected", "HOUSEHOLD_LIMIT", "超过", "over"};
  const auto j = result_to_json(no);
  CHECK(j == nlohmann::json{{"uuid", "u2"}, {"status", "rejected"}, {"code", "HOUSEHOLD_LIMIT"},
                            {"message_zh", "超过"}, {"message_en", "over"}});
  UploadResult back;
  REQUIRE(result_from_json(j, back));
  CHECK(back.uuid == "u2");
  CHECK(back.status == "rejected");
  CHECK(back.code == "HOUSEHOLD_LIMIT");
  CHECK(back.message_en == "over");
  CHECK_FALSE(result_from_json({{"uuid", "u"}, {"status", "maybe"}}, back));
  CHECK_FALSE(result_from_json({{"uuid", "u"}, {"status", "rejected"}}, back));
  CHECK_FALSE(result_from_json({{"status", "accepted"}}, back));
  CHECK(error_body("NOT_FOUND", "没有", "none") ==
        nlohmann::json{{"error", {{"code", "NOT_FOUND"}, {"message_zh", "没有"}, {"message_en", "none"}}}});
}
