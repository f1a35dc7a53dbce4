// Exchanges for the same model (换货, returns issue): the buyer brings back a faulty product and
// takes home another unit of the same model. Same buyer, same invoice number, same price and
// subsidy; the line carries the new unit's card and serial, and the old card is taken back for
// good (POLICY S1). The rule is pos/core/exchange; this is the transaction around it.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "app/access.hpp"
#include "app/terminal.hpp"
#include "core/exchange.hpp"
#include "platform/crypto.hpp"

namespace hn::app {

Result<ExchangeResult> Terminal::exchange_item(const UserRecord& actor, const UserRecord& approver,
                                               std::int64_t invoice_no, const std::string& old_card,
                                               const std::string& new_card, const std::string& new_serial,
                                               const std::string& reason) {
  if (!has_role(actor, {Role::Clerk, Role::Manager})) return role_refused(actor);
  if (auto key = require_signing_key(); !key) return key.problem();
  if (approver.role != Role::Manager)
    return not_permitted("APPROVER_NOT_MANAGER", "换货须由店长批准:" + approver.login + " 不是店长",
                         "an exchange needs a manager's approval: " + approver.login + " is not a manager");
  if (reason.find_first_not_of(" \t") == std::string::npos)
    return bad_input("REASON_REQUIRED", "请写明换货的理由(会记入日志),例如 \"屏幕坏点\"",
                     "give the reason for the exchange (it goes into the journal), e.g. \"dead pixels\"");
  if (const auto text = check_text("reason", reason, TextKind::Reason); !text.ok()) return text_refused(text);
  const std::string no = format_invoice_no(invoice_no);

  platform::Transaction tx(store_.db());
  auto sale = store_.sales().find_by_invoice(invoice_no);
  if (!sale)
    return bad_input("INVOICE_NOT_FOUND", "没有发票 " + no + ":请核对发票号码",
                     "there is no invoice " + no + ": check the invoice number");
  const auto item = std::find_if(sale->items.begin(), sale->items.end(),
                                 [&](const auto& i) { return i.card_no == old_card; });
  if (item == sale->items.end()) {
    if (const auto before = store_.exchanges().of_old_card(old_card); before && before->sale_id == sale->id)
      return refused("ALREADY_EXCHANGED",
                     "标识卡 " + old_card + " 已于 " + before->exchanged_at.substr(0, 10) + " 换成 " + before->new_card +
                         ":如新产品又有故障,请用新卡号 " + before->new_card + " 换货",
                     "card " + old_card + " was exchanged on " + before->exchanged_at.substr(0, 10) + " for " +
                         before->new_card + ": to exchange again, give the new card " + before->new_card);
    return bad_input("CARD_NOT_ON_INVOICE", "标识卡 " + quote_for_message(old_card) + " 不在发票 " + no + " 上",
                     "card " + quote_for_message(old_card) + " is not on invoice " + no);
  }
  ExchangeFacts facts;
  facts.old_card = old_card;
  facts.old_model = item->model_code;
  facts.sale_cancelled = store_.sales().settlement(sale->id) == store::SaleSettlement::Cancelled;
  facts.item_returned = item->returned;
  facts.return_open = store_.returns().open_request_for_item(item->id).has_value();
  facts.new_card = store_.cards().find(new_card, outlet().code).value_or(LabelCard{new_card, "", "", CardStatus::Unknown});
  facts.new_card.card_no = new_card;
  facts.new_serial = new_serial;
  if (const auto no_go = check_exchange(facts)) {
    // A card the shop scanned in the wrong place is bad input; the rest are the policy's word.
    if (no_go->code == "EXCHANGE_SAME_CARD" || no_go->code == "CARD_UNKNOWN")
      return bad_input(no_go->code, no_go->message_zh, no_go->message_en);
    return refused(no_go->code, no_go->message_zh, no_go->message_en);
  }

  store::ExchangeRecord x;
  x.uuid = platform::new_uuid();
  x.sale_id = sale->id;
  x.item_id = item->id;
  x.old_card = old_card;
  x.old_serial = item->serial_no;
  x.new_card = new_card;
  x.new_serial = new_serial;
  const LocalTime at = now();
  x.exchanged_at = at.iso();
  x.exchange_date = at.date;
  x.user_id = actor.id;
  x.approver_id = approver.id;
  x.reason = reason;
  x.invoice_before = render_invoice_text(make_invoice(*sale, 0));
  // A sale the province rejected is not the province's to hear about again.
  const bool tell_province = store_.sales().upload_state(sale->id) != "rejected";
  x.id = store_.exchanges().insert(x, tell_province);
  journal(actor, "exchange",
          {{"invoice_no", no},
           {"sale_uuid", sale->uuid},
           {"exchange_uuid", x.uuid},
           {"old_card", old_card},
           {"old_serial", x.old_serial},
           {"new_card", new_card},
           {"new_serial", new_serial},
           {"model", item->model_code},
           {"approver", approver.login},
           {"reason", reason},
           {"old_card_taken_back", true}});
  ExchangeResult r;
  r.sale = *store_.sales().find(sale->id);
  r.exchange = x;
  r.invoice = make_invoice(r.sale, 0);
  tx.commit();
  return r;
}

}  // namespace hn::app
