// Return events (POST /api/v1/returns): returns, pre-returns, cancelled claims, return
// requests and exchanges, following POLICY.md "subsidy first, goods second".
#include <algorithm>

#include "core/exchange.hpp"
#include "core/text.hpp"
#include "province_internal.hpp"

namespace hn::sandbox {

using platform::Transaction;
using sync::UploadResult;
using namespace detail;

bool is_claim_state(const std::string& s) {
  return s == "claimed" || s == "approved" || s == "paid" || s == "refunded" || s == "rejected";
}

bool event_from_wire(const nlohmann::json& j, WireEvent& out, std::string& error) {
  if (!j.is_object()) {
    error = "(event): 应为 JSON 对象 / must be a JSON object";
    return false;
  }
  WireEvent e;
  auto field = [&](const char* key, std::string& dst, bool required) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      if (!required) return true;
      error = std::string(key) + ": 缺少此字段 / missing";
      return false;
    }
    if (!it->is_string() || !is_valid_utf8(it->get_ref<const std::string&>())) {
      error = std::string(key) + ": 应为字符串 / must be a string";
      return false;
    }
    dst = it->get<std::string>();
    if (required && dst.empty()) {
      error = std::string(key) + ": 不能为空 / must not be empty";
      return false;
    }
    return true;
  };
  if (!field("uuid", e.uuid, true) || !field("kind", e.kind, true) ||
      !field("sale_uuid", e.sale_uuid, true) || !field("card", e.card, true) ||
      !field("at", e.at, true) || !field("reason", e.reason, false) ||
      !field("new_card", e.new_card, e.kind == "exchange") ||
      !field("new_serial", e.new_serial, e.kind == "exchange"))
    return false;
  if (e.uuid.size() > 64 || std::any_of(e.uuid.begin(), e.uuid.end(), [](char c) { return !is_uuid_char(c); })) {
    error = "uuid: 应为 UUID / must be a UUID";
    return false;
  }
  if (e.kind != "return" && e.kind != "pre_return" && e.kind != "cancel_claim" && e.kind != "return_request" &&
      e.kind != "exchange") {
    error = "kind: 应为 return、pre_return、cancel_claim、return_request 或 exchange / must be return, "
            "pre_return, cancel_claim, return_request or exchange";
    return false;
  }
  if (!is_local_time(e.at)) {
    error = "at: 应为本地时间 YYYY-MM-DDTHH:MM:SS / must be a local time YYYY-MM-DDTHH:MM:SS";
    return false;
  }
  out = std::move(e);
  return true;
}

std::vector<UploadResult> Province::upload_events(const Outlet& outlet, const std::vector<WireEvent>& events) {
  const std::string now = local_now_iso();
  std::vector<UploadResult> out;
  out.reserve(events.size());
  Transaction tx(db_);
  for (const auto& e : events) {
    out.push_back(event_one(outlet, e, now));
    count_duplicate(outlet.code, "event", out.back(), now);
  }
  tx.commit();
  return out;
}

UploadResult Province::event_one(const Outlet& outlet, const WireEvent& e, const std::string& now) {
  {
    Use find(st_->event_find);
    find->bind(1, e.uuid);
    if (find->step()) {
      if (find->text(4) != outlet.code) return uuid_conflict(e.uuid);
      if (find->text(0) == "accepted") return UploadResult{e.uuid, "duplicate", "", "", ""};
      return rejected(e.uuid, find->text(1), find->text(2), find->text(3));
    }
  }
  UploadResult r{e.uuid, "accepted", "", "", ""};
  std::int64_t sale_id = 0, item_id = 0, returned = 0;
  {
    Use sale(st_->event_sale);
    sale->bind(1, e.sale_uuid).bind(2, outlet.code);
    if (sale->step()) sale_id = sale->int64(0);
  }
  if (sale_id) {
    Use item(st_->event_item);
    item->bind(1, sale_id).bind(2, e.card);
    if (item->step()) {
      item_id = item->int64(0);
      returned = item->int64(1);
    }
  }
  std::string state = "not_claimed";
  std::int64_t held = 0;
  if (item_id) {
    Use claim(st_->claim_get);
    claim->bind(1, e.card);
    if (claim->step()) {
      state = claim->text(0);
      held = claim->int64(1);
    }
  }
  if (!sale_id) {
    r = rejected(e.uuid, "SALE_UNKNOWN", "省平台没有本网点的已接收销售 " + e.sale_uuid,
                 "the province holds no accepted sale " + e.sale_uuid + " of this outlet");
  } else if (e.kind == "exchange") {
    r = exchange_one(outlet, e, sale_id);
  } else if (!item_id) {
    r = rejected(e.uuid, "CARD_NOT_ON_SALE", "标识卡 " + e.card + " 不在销售 " + e.sale_uuid + " 上",
                 "card " + e.card + " is not on sale " + e.sale_uuid);
  } else if (returned) {
    r = rejected(e.uuid, "ALREADY_RETURNED", "标识卡 " + e.card + " 已经退货",
                 "card " + e.card + " has already been returned");
  } else if (e.kind == "return") {
    // POLICY "Returns: subsidy first, goods second".
    if (state == "approved") {
      r = rejected(e.uuid, "SUBSIDY_APPROVED",
                   "标识卡 " + e.card + " 的补贴已审核未发放:请先提交预退货,发放后再退货",
                   "the subsidy of card " + e.card +
                       " is approved and not yet paid: file a pre-return first, return after the payment run");
    } else if (state == "paid") {
      r = rejected(e.uuid, "SUBSIDY_PAID",
                   "标识卡 " + e.card + " 的补贴已发放:须由购买人到乡镇财政所退还补贴后再退货",
                   "the subsidy of card " + e.card +
                       " was paid: the buyer repays it at the township finance office before the return");
    } else {
      // not_claimed, claimed, rejected or refunded: the goods come back, the card is destroyed
      // and the household's quota returns (POLICY R6).
      {
        Use ret(st_->item_return);
        ret->bind(1, item_id).run();
      }
      {
        Use card(st_->card_set_state);
        card->bind(1, "returned").bind(2, e.card).run();
      }
      if (state == "claimed") {  // a registered claim is cancelled with the return
        Use del(st_->claim_delete);
        del->bind(1, e.card).run();
      }
    }
  } else if (e.kind == "pre_return") {
    // 预退货: only for an approved, unpaid subsidy; the province holds the payment.
    if (state != "approved") {
      r = rejected(e.uuid, "PRE_RETURN_NOT_APPLICABLE",
                   "标识卡 " + e.card + " 的补贴状态为 " + state + ",不需预退货",
                   "the subsidy of card " + e.card + " is " + state + ": no pre-return applies");
    } else if (!held) {
      Use put(st_->claim_put);
      put->bind(1, e.card).bind(2, state).bind(3, std::int64_t{1}).bind(4, now).run();
    }
  } else if (e.kind == "return_request") {
    // 退货申请: for a paid subsidy; the buyer repays at the township finance office, which
    // confirms it (claim --state refunded), and then the outlet completes the return.
    if (state != "paid") {
      r = rejected(e.uuid, "RETURN_REQUEST_NOT_APPLICABLE",
                   "标识卡 " + e.card + " 的补贴状态为 " + state + ",不需退货申请",
                   "the subsidy of card " + e.card + " is " + state + ": no return request applies");
    }
  } else {  // cancel_claim
    if (state != "claimed") {
      r = rejected(e.uuid, "CLAIM_NOT_CANCELLABLE",
                   "标识卡 " + e.card + " 的补贴状态为 " + state + ",无可撤销的申报",
                   "the subsidy of card " + e.card + " is " + state + ": there is no claim to cancel");
    } else {
      Use del(st_->claim_delete);
      del->bind(1, e.card).run();
    }
  }
  Use ins(st_->event_insert);
  ins->bind(1, e.uuid).bind(2, outlet.code).bind(3, e.kind).bind(4, e.sale_uuid).bind(5, e.card);
  ins->bind(6, e.at).bind(7, e.reason).bind(8, r.status == "accepted" ? "accepted" : "rejected");
  ins->bind(9, r.code).bind(10, r.message_zh).bind(11, r.message_en).bind(12, now);
  ins->bind(13, e.new_card).bind(14, e.new_serial).run();
  return r;
}

// 换货: a faulty product is swapped for another of the same model. The sale, its buyer, price
// and subsidy stay; the item carries the new card and serial from now on, the old card is taken
// back (POLICY S1: it can never be sold again), and a claim follows the item to the new card.
UploadResult Province::exchange_one(const Outlet& outlet, const WireEvent& e, std::int64_t sale_id) {
  {
    Use item(st_->event_item);
    item->bind(1, sale_id).bind(2, e.new_card);
    // The sale went up after the exchange and already carries the new card: only the old card,
    // which the province never saw sold, is taken back (POLICY S1).
    if (item->step()) {
      db_.prepare("UPDATE prov_cards SET state = 'returned' WHERE card_no = ? AND outlet_code = ? AND state = 'issued'")
          .bind(1, e.card)
          .bind(2, outlet.code)
          .run();
      return UploadResult{e.uuid, "accepted", "", "", ""};
    }
  }
  ExchangeFacts facts;
  facts.old_card = e.card;
  facts.new_serial = e.new_serial;
  facts.new_card.card_no = e.new_card;
  std::int64_t item_id = 0;
  {
    auto st = db_.prepare("SELECT id, model_code, returned FROM prov_sale_items WHERE sale_id = ? AND card_no = ?");
    st.bind(1, sale_id).bind(2, e.card);
    if (st.step()) {
      item_id = st.int64(0);
      facts.old_model = st.text(1);
      facts.item_returned = st.int64(2) != 0;
    }
  }
  if (!item_id)
    return rejected(e.uuid, "CARD_NOT_ON_SALE", "标识卡 " + e.card + " 不在销售 " + e.sale_uuid + " 上",
                    "card " + e.card + " is not on sale " + e.sale_uuid);
  {
    Use card(st_->card_get);
    card->bind(1, e.new_card);
    if (card->step()) {
      facts.new_card.serial_no = card->text(0);
      facts.new_card.model_code = card->text(1);
      const std::string state = card->text(3);
      facts.new_card.status = card->text(2) != outlet.code ? CardStatus::NotReceived  // POLICY R8
                              : state == "sold"            ? CardStatus::Sold
                              : state == "returned"        ? CardStatus::Returned
                                                           : CardStatus::InStock;
    }
  }
  // The same rule as the terminal's (pos/core/exchange).
  if (const auto no = check_exchange(facts)) return rejected(e.uuid, no->code, no->message_zh, no->message_en);
  db_.prepare("UPDATE prov_sale_items SET card_no = ?, serial_no = ? WHERE id = ?")
      .bind(1, e.new_card)
      .bind(2, e.new_serial)
      .bind(3, item_id)
      .run();
  {
    Use old_card(st_->card_set_state);  // POLICY S1: taken back for good
    old_card->bind(1, "returned").bind(2, e.card).run();
  }
  {
    Use new_card(st_->card_set_state);
    new_card->bind(1, "sold").bind(2, e.new_card).run();
  }
  // The claim follows the product: same buyer, same subsidy.
  db_.prepare("UPDATE prov_claims SET card_no = ? WHERE card_no = ?").bind(1, e.new_card).bind(2, e.card).run();
  return UploadResult{e.uuid, "accepted", "", "", ""};
}

}  // namespace hn::sandbox
