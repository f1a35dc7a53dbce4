#pragma once
// The provincial information system as the terminal sees it: signed JSON requests over one
// Transport (PROTOCOL.md), answers turned into values.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/policy_engine.hpp"
#include "sync/client/transport.hpp"
#include "sync/protocol/protocol.hpp"

namespace hn::sync {

struct Answer {
  HttpResponse http;
  nlohmann::json json;   // the parsed body (null when none or not JSON)
  std::string code;      // the error code of a non-2xx answer, or "NO_ANSWER"/"BAD_ANSWER"
  std::string message_zh;
  std::string message_en;
  bool ok() const { return http.status == 200 && code.empty(); }
  bool retryable() const { return sync::retryable(http) || code == "BAD_ANSWER"; }
};

class ProvinceClient {
 public:
  ProvinceClient(Credential credential, std::unique_ptr<Transport> transport,
                 std::function<std::int64_t()> unix_now);
  // For a server at `url` with this credential's TLS files (pinning optional). Throws
  // LinkRefused when check_server_url refuses `url` or check_credential_permissions the
  // credential: nothing is sent then.
  static std::unique_ptr<ProvinceClient> connect(const std::string& url, const Credential& credential,
                                                 const std::string& pinned_public_key = "");

  Answer call(const std::string& method, const std::string& path, const nlohmann::json* body,
              std::chrono::milliseconds timeout);
  // POST /sales or /returns with `items` under `key`; the per-item results when the answer is
  // complete and well formed.
  std::optional<std::vector<UploadResult>> upload(const std::string& path, const std::string& key,
                                                  const nlohmann::json& items, Answer& answer,
                                                  std::chrono::milliseconds timeout);
  // What the household holds at the other outlets (POST /quota); nullopt when unanswered.
  std::optional<HouseholdHistory> held_elsewhere(const std::string& household,
                                                 std::chrono::milliseconds timeout);
  // The subsidy state of a sold card (POST /cards/state): "not_claimed", "paid", …; nullopt
  // when unanswered or when the province holds no sale of it.
  std::optional<std::string> card_subsidy_state(const std::string& card_no, std::chrono::milliseconds timeout);
  const Credential& credential() const { return credential_; }

 private:
  Credential credential_;
  std::unique_ptr<Transport> transport_;
  std::function<std::int64_t()> now_;
};

}  // namespace hn::sync
