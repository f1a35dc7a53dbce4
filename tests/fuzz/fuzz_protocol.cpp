// The provincial system's side of sync/PROTOCOL.md as untrusted bytes. The terminal's client
// (sync/client/province.cpp) reads any answer body, at a success and at error statuses, into
// values without throwing; the sandbox's request checks (sale_from_wire, event_from_wire,
// verify_request) refuse any body or header with a value, not an exception.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "province.hpp"  // sync/sandbox: event_from_wire
#include "sync/client/province.hpp"
#include "sync/protocol/protocol.hpp"
#include "fuzz_check.hpp"

using namespace hn;
using namespace hn::sync;

namespace {

class CannedTransport final : public Transport {
 public:
  CannedTransport(long status, std::string body) : status_(status), body_(std::move(body)) {}
  HttpResponse request(const std::string&, const std::string&, const std::string&,
                       const std::vector<std::pair<std::string, std::string>>&, std::chrono::milliseconds) override {
    HttpResponse r;
    r.status = status_;
    r.body = body_;
    if (status_ == 0) r.error = "Connection refused";
    return r;
  }

 private:
  long status_;
  std::string body_;
};

Credential test_credential() {
  Credential c;
  c.outlet_code = "340822001";
  c.outlet_name = "怀宁县石牌镇家电城";
  c.county = "340822";
  c.key.assign(32, 0x5A);
  return c;
}

void check_client(long status, const std::string& body) {
  const auto make = [&] {
    return ProvinceClient(test_credential(), std::make_unique<CannedTransport>(status, body), [] {
      return std::int64_t{1231986725};
    });
  };
  const std::chrono::milliseconds timeout(1000);
  {
    auto client = make();
    const Answer a = client.call("GET", "/updates?since=0", nullptr, timeout);
    FUZZ_CHECK(a.ok() == (status == 200 && a.code.empty()));
    if (status != 200) FUZZ_CHECK(!a.code.empty());
    (void)a.retryable();
  }
  for (const auto& [path, key] : {std::pair<const char*, const char*>{"/sales", "sales"}, {"/returns", "events"}}) {
    auto client = make();
    const nlohmann::json items = nlohmann::json::array({{{"uuid", "u1"}}, {{"uuid", "u2"}}});
    Answer a;
    const auto results = client.upload(path, key, items, a, timeout);
    if (results) {
      FUZZ_CHECK(a.ok());
      FUZZ_CHECK(results->size() == items.size());
      for (std::size_t i = 0; i < results->size(); ++i) FUZZ_CHECK((*results)[i].uuid == items[i]["uuid"]);
    } else {
      FUZZ_CHECK(!a.code.empty() || !a.ok());
    }
  }
  {
    auto client = make();
    if (const auto held = client.held_elsewhere("3408220101", timeout))
      for (const auto& [category, n] : held->held) FUZZ_CHECK(n > 0);
  }
  {
    auto client = make();
    (void)client.card_subsidy_state("34080100000000010001", timeout);
  }
}

void check_sale(const nlohmann::json& j) {
  WireSale sale;
  std::string error;
  if (!sale_from_wire(j, sale, error)) {
    FUZZ_CHECK(!error.empty());
    return;
  }
  // An accepted sale's total is the sum of its lines (POLICY S2).
  Fen sum = 0;
  for (const auto& item : sale.items) sum += item.price;
  FUZZ_CHECK(sum == sale.total);
}

void check_event(const nlohmann::json& j) {
  sandbox::WireEvent event;
  std::string error;
  if (!sandbox::event_from_wire(j, event, error)) FUZZ_CHECK(!error.empty());
}

void check_result(const nlohmann::json& j) {
  UploadResult r;
  if (!result_from_json(j, r)) return;
  // What was read writes back and reads again the same.
  UploadResult again;
  FUZZ_CHECK(result_from_json(result_to_json(r), again));
  FUZZ_CHECK(again.uuid == r.uuid && again.status == r.status && again.code == r.code &&
             again.message_zh == r.message_zh && again.message_en == r.message_en);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  for (const long status : {200L, 409L, 500L}) check_client(status, body);

  const auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_discarded()) {
    check_sale(j);
    check_event(j);
    check_result(j);
    if (j.is_object()) {
      for (const char* key : {"sales", "events", "results"}) {
        const auto it = j.find(key);
        if (it == j.end() || !it->is_array()) continue;
        for (const auto& e : *it) {
          check_sale(e);
          check_event(e);
          check_result(e);
        }
      }
    }
  }

  // Headers as the sandbox receives them: timestamp, nonce, signature lines, then the body.
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (int i = 0; i < 3; ++i) {
    const auto nl = body.find('\n', start);
    if (nl == std::string::npos) break;
    parts.push_back(body.substr(start, nl - start));
    start = nl + 1;
  }
  if (parts.size() == 3) {
    const std::vector<unsigned char> key(32, 0x5A);
    std::map<std::string, std::int64_t> seen;
    const Verdict v = verify_request(&key, "POST", "/api/v1/sales", body.substr(start), parts[0], parts[1], parts[2],
                                     1231986725, seen);
    (void)verdict_code(v);
    (void)verify_request(nullptr, "POST", "/api/v1/sales", body.substr(start), parts[0], parts[1], parts[2],
                         1231986725, seen);
  }
  return 0;
}
