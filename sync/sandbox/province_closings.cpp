// The province takes a terminal's signed daily closings (POST /v1/closings).
#include "province.hpp"

#include <algorithm>
#include <chrono>

#include "core/date.hpp"
#include "core/label_card.hpp"
#include "core/money.hpp"
#include "province_internal.hpp"
#include "platform/signing.hpp"

namespace hn::sandbox {

using platform::Transaction;
using sync::UploadResult;
using namespace detail;

std::vector<UploadResult> Province::upload_closings(const Outlet& outlet, const nlohmann::json& closings) {
  const std::string now = local_now_iso();
  std::vector<UploadResult> out;
  Transaction tx(db_);
  for (const auto& c : closings) {
    const std::string uuid = c.value("uuid", ""), body = c.value("body", ""), sig = c.value("signature", ""),
                      key = c.value("public_key", "");
    auto seen = db_.prepare("SELECT body FROM prov_closings WHERE uuid = ? AND outlet_code = ?");
    seen.bind(1, uuid).bind(2, outlet.code);
    if (seen.step()) {
      out.push_back(seen.text(0) == body ? UploadResult{uuid, "duplicate", "", "", ""}
                                         : rejected(uuid, "CLOSING_CHANGED", "同一日结的内容与先前上传的不同",
                                                    "this closing differs from the copy uploaded before"));
      continue;
    }
    auto known = db_.prepare("SELECT public_key FROM prov_outlet_keys WHERE outlet_code = ?");
    known.bind(1, outlet.code);
    const std::string registered = known.step() ? known.text(0) : "";
    if (!registered.empty() && registered != key) {
      out.push_back(rejected(uuid, "KEY_CHANGED", "日结的签名密钥与本网点登记的不同",
                             "the closing is signed with a key other than the one registered for this outlet"));
      continue;
    }
    if (!hn::platform::verify_signature(key, body, sig)) {
      out.push_back(rejected(uuid, "CLOSING_SIGNATURE", "日结签名不符", "the closing does not match its signature"));
      continue;
    }
    if (registered.empty())
      db_.prepare("INSERT INTO prov_outlet_keys(outlet_code, public_key, since) VALUES(?,?,?)")
          .bind(1, outlet.code)
          .bind(2, key)
          .bind(3, now)
          .run();
    const auto parsed = nlohmann::json::parse(body, nullptr, false);
    db_.prepare("INSERT INTO prov_closings(uuid, outlet_code, date, body, signature, public_key, received_at) "
                "VALUES(?,?,?,?,?,?,?)")
        .bind(1, uuid)
        .bind(2, outlet.code)
        .bind(3, parsed.is_object() ? parsed.value("date", "") : "")
        .bind(4, body)
        .bind(5, sig)
        .bind(6, key)
        .bind(7, now)
        .run();
    out.push_back(UploadResult{uuid, "accepted", "", "", ""});
  }
  tx.commit();
  return out;
}

}  // namespace hn::sandbox
