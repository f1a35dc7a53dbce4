#include "sync/client/province.hpp"

#include <chrono>

#include "sync/client/link_checks.hpp"

namespace hn::sync {

namespace {
// A string member of an answer, or `fallback` when it is missing or of another JSON type: a
// malformed answer becomes a value, never a json::type_error (found by fuzz_protocol).
std::string string_or(const nlohmann::json& j, const char* key, const std::string& fallback) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}
}  // namespace

ProvinceClient::ProvinceClient(Credential credential, std::unique_ptr<Transport> transport,
                               std::function<std::int64_t()> unix_now)
    : credential_(std::move(credential)), transport_(std::move(transport)), now_(std::move(unix_now)) {}

std::unique_ptr<ProvinceClient> ProvinceClient::connect(const std::string& url, const Credential& credential,
                                                        const std::string& pinned_public_key) {
  // Checked at every connect, not only at setup: settings and files change under a terminal.
  if (const auto refused = check_credential_permissions(credential)) throw LinkRefused(*refused);
  TlsOptions tls{credential.ca_cert, credential.client_cert, credential.client_key, pinned_public_key};
  return std::make_unique<ProvinceClient>(
      credential, std::make_unique<CurlTransport>(url, tls), [] {
        return std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
      });
}

Answer ProvinceClient::call(const std::string& method, const std::string& path, const nlohmann::json* body,
                            std::chrono::milliseconds timeout) {
  const std::string full_path = std::string(kApiPrefix) + path;
  const std::string text = body ? body->dump() : std::string();
  const SignedHeaders headers = sign_request(credential_, method, full_path, text, now_());
  Answer a;
  a.http = transport_->request(method, full_path, text, headers.list(), timeout);
  if (a.http.status == 0 && a.http.untrusted) {
    a.code = "SERVER_UNTRUSTED";
    a.message_zh = "省平台服务器身份不符(" + a.http.error + "):可能被冒充,未发送任何数据。" + a.http.check_zh +
                   "。一小时后再试";
    a.message_en = "the provincial server is not who it should be (" + a.http.error +
                   "): possibly an interception, nothing was sent. " + a.http.check_en + ". Tried again in an hour";
    return a;
  }
  if (a.http.status == 0) {
    a.code = "NO_ANSWER";
    a.message_zh = "省平台没有应答(" + a.http.error + "):稍后自动重试";
    a.message_en = "the provincial system did not answer (" + a.http.error + "); it will be retried";
    return a;
  }
  a.json = nlohmann::json::parse(a.http.body, nullptr, false);
  if (a.json.is_discarded()) a.json = nullptr;
  if (a.http.status != 200) {
    const auto& e = a.json.is_object() && a.json.contains("error") ? a.json["error"] : nlohmann::json();
    a.code = e.is_object() ? string_or(e, "code", "HTTP_" + std::to_string(a.http.status))
                           : "HTTP_" + std::to_string(a.http.status);
    // An empty code says nothing: name the status instead.
    if (a.code.empty()) a.code = "HTTP_" + std::to_string(a.http.status);
    a.message_zh = e.is_object() ? string_or(e, "message_zh", "") : "省平台返回 HTTP " + std::to_string(a.http.status);
    a.message_en = e.is_object() ? string_or(e, "message_en", "") : "the provincial system answered HTTP " +
                                                                       std::to_string(a.http.status);
  } else if (a.json.is_null()) {
    a.code = "BAD_ANSWER";
    a.message_zh = "省平台的应答不完整";
    a.message_en = "the provincial system's answer was incomplete";
  }
  return a;
}

std::optional<std::vector<UploadResult>> ProvinceClient::upload(const std::string& path, const std::string& key,
                                                                const nlohmann::json& items, Answer& answer,
                                                                std::chrono::milliseconds timeout) {
  const nlohmann::json body = {{key, items}};
  answer = call("POST", path, &body, timeout);
  if (!answer.ok()) return std::nullopt;
  const auto& results = answer.json.contains("results") ? answer.json["results"] : nlohmann::json();
  std::vector<UploadResult> out;
  // One result per item, in order, each naming its item: anything else is not trusted.
  if (!results.is_array() || results.size() != items.size()) {
    answer.code = "BAD_ANSWER";
    return std::nullopt;
  }
  for (std::size_t i = 0; i < results.size(); ++i) {
    UploadResult r;
    if (!result_from_json(results[i], r) || r.uuid != items[i].value("uuid", "")) {
      answer.code = "BAD_ANSWER";
      return std::nullopt;
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::optional<HouseholdHistory> ProvinceClient::held_elsewhere(const std::string& household,
                                                               std::chrono::milliseconds timeout) {
  const nlohmann::json body = {{"household", household}};
  const Answer a = call("POST", "/quota", &body, timeout);
  if (!a.ok() || !a.json.contains("household_held") || !a.json["household_held"].is_object()) return std::nullopt;
  HouseholdHistory h;
  for (const auto& [code, n] : a.json["household_held"].items()) {
    const auto cat = parse_category(code);
    if (cat && n.is_number_integer() && n.get<int>() > 0) h.held[*cat] = n.get<int>();
  }
  return h;
}

std::optional<std::string> ProvinceClient::card_subsidy_state(const std::string& card_no,
                                                              std::chrono::milliseconds timeout) {
  const nlohmann::json body = {{"card", card_no}};
  const Answer a = call("POST", "/cards/state", &body, timeout);
  if (!a.ok() || !a.json.is_object() || !a.json.contains("state") || !a.json["state"].is_string() ||
      string_or(a.json, "card", "") != card_no)
    return std::nullopt;
  return a.json["state"].get<std::string>();
}

}  // namespace hn::sync
