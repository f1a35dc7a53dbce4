// Held sales (挂单/取单, issue 16): a buyer who goes home for the 户口簿 leaves the sale held;
// the next buyer is served meanwhile. The held sale's cards are reserved to it (POLICY S1: one
// card, one unit), so nobody else is sold the unit set aside; nothing held outlives the
// manager's time limit or a closing without a manager deciding.
#include <set>

#include <nlohmann/json.hpp>

#include "app/access.hpp"
#include "app/terminal.hpp"
#include "core/id_number.hpp"
#include "core/invoice.hpp"
#include "core/text.hpp"

namespace hn::app {

namespace {
using nlohmann::json;

json held_items(const store::HeldSale& h) {
  json items = json::array();
  for (const auto& l : h.lines) items.push_back({{"card", l.card_no}, {"serial", l.serial_no}});
  return items;
}

std::string state_zh(const std::string& state) {
  if (state == "sold") return "已售出";
  if (state == "dropped") return "已删除";
  if (state == "expired") return "已过期";
  return state;
}

Problem hold_unknown(std::int64_t id) {
  const std::string n = "#" + std::to_string(id);
  return bad_input("HOLD_UNKNOWN", "没有挂单 " + n + ":请查看挂单列表(柜台 F8,或 huinong hold list)",
                   "there is no held sale " + n + ": see the list of held sales (F8 at the counter, or huinong hold list)");
}

Problem hold_closed(const store::HeldSale& h) {
  const std::string n = "#" + std::to_string(h.id);
  return refused("HOLD_CLOSED", "挂单 " + n + " " + state_zh(h.state) + ",不能再取出或删除;标识卡已释放",
                 "held sale " + n + " is already " + h.state + ": it cannot be recalled or dropped; its cards are free");
}
}  // namespace

int Terminal::hold_minutes() {
  return settings().hold_minutes;
}

std::string Terminal::hold_cutoff() {
  now();  // the clock's offset, read once
  return local_time_from_unix(clock_.unix_seconds() - std::int64_t{hold_minutes()} * 60, *offset_cache_).iso();
}

void Terminal::expire_holds() {
  const std::string at = now().iso();
  for (const auto& h : store_.held_sales().up_to(hold_cutoff())) {
    store_.held_sales().close(h.id, "expired", at, 0, 0, "");
    // The terminal's doing, not a person's: journaled as "system".
    store_.journal(at, "system", "hold_expired",
                   {{"held", h.id}, {"held_at", h.held_at}, {"minutes", hold_minutes()}, {"items", held_items(h)}});
  }
}

Result<store::HeldSale> Terminal::hold_sale(const UserRecord& clerk, const Cart& cart, Fen total) {
  if (!has_role(clerk, {Role::Clerk, Role::Manager})) return role_refused(clerk);
  if (cart.items.empty())
    return bad_input("HOLD_EMPTY", "没有可挂的商品:请先扫描标识卡再挂单", "there is nothing to hold: scan a label card first");
  // The buyer's name is shown in the list and recalled onto the invoice: text that may enter.
  if (const auto text = check_buyer_text(cart.buyer); !text.ok()) return text_refused(text);
  if (const auto id = check_text("buyer_id", trim(cart.buyer.id_text), TextKind::Household); !id.ok())
    return text_refused(id);
  platform::Transaction tx(store_.db());
  expire_holds();
  const std::string cutoff = hold_cutoff();
  std::set<std::string> seen;
  store::HeldSale h;
  for (const auto& item : cart.items) {
    // POLICY S1: a card is reserved to one held sale at a time.
    if (const auto other = store_.held_sales().card_held_by(item.card_no, cutoff, cart.held_id)) {
      const Finding f = make_finding(FindingCode::CardHeld, Severity::Refuse, -1, FindingVariant::Default,
                                     {{"card", item.card_no}, {"hold", std::to_string(other)}});
      return refused("CARD_HELD", f.message_zh, f.message_en);
    }
    if (!seen.insert(item.card_no).second) continue;  // the cart's own duplicate: the preview says so
    h.lines.push_back({item.card_no, item.serial_no, item.price > 0 ? std::optional<Fen>(item.price) : std::nullopt});
  }
  if (cart.held_id != 0) {
    const auto before = store_.held_sales().find(cart.held_id);
    if (!before) return hold_unknown(cart.held_id);
    if (before->state != "held") return hold_closed(*before);
  }
  const LocalTime at = now();
  h.id = cart.held_id;
  h.held_at = at.iso();
  h.user_id = clerk.id;
  h.user_login = clerk.login;
  h.buyer_name = trim(cart.buyer.name);
  h.buyer_id = trim(cart.buyer.id_text);
  h.household = trim(cart.buyer.household);
  h.hukou = cart.buyer.hukou;
  h.buyer_county = cart.buyer.county;
  h.total = total;
  h.id = store_.held_sales().put(h);
  h.buyer_id_masked = mask_id_text(h.buyer_id);
  // No personal data in clear (DESIGN.md "Data"): the masked ID and the household's keyed hash.
  journal(clerk, "hold",
          {{"held", h.id},
           {"again", cart.held_id != 0},
           {"buyer_id_masked", h.buyer_id_masked},
           {"household_hash", store_.households().hash(h.household)},
           {"total", total},
           {"items", held_items(h)}});
  tx.commit();
  return h;
}

std::vector<store::HeldSale> Terminal::held_sales() {
  platform::Transaction tx(store_.db());
  expire_holds();
  auto out = store_.held_sales().list("");
  tx.commit();
  return out;
}

Result<store::HeldSale> Terminal::recall_hold(const UserRecord& clerk, std::int64_t id) {
  if (!has_role(clerk, {Role::Clerk, Role::Manager})) return role_refused(clerk);
  platform::Transaction tx(store_.db());
  expire_holds();
  auto h = store_.held_sales().find(id);
  if (!h) {
    tx.commit();
    return hold_unknown(id);
  }
  if (h->state != "held") {
    tx.commit();  // an expiry found on the way stays recorded
    return hold_closed(*h);
  }
  journal(clerk, "hold_recalled", {{"held", id}, {"held_at", h->held_at}, {"items", held_items(*h)}});
  tx.commit();
  return std::move(*h);
}

Result<store::HeldSale> Terminal::drop_hold(const UserRecord& manager, std::int64_t id, const std::string& reason) {
  if (!has_role(manager, {Role::Manager})) return role_refused(manager);
  const std::string why = trim(reason);
  if (why.empty())
    return bad_input("REASON_REQUIRED", "请写明删除挂单的理由(会记入日志)",
                     "give the reason for dropping the held sale (it goes into the journal)");
  if (const auto checked = check_text("reason", why, TextKind::Reason); !checked.ok()) return text_refused(checked);
  platform::Transaction tx(store_.db());
  expire_holds();
  auto h = store_.held_sales().find(id);
  if (!h) {
    tx.commit();
    return hold_unknown(id);
  }
  if (h->state != "held") {
    tx.commit();
    return hold_closed(*h);
  }
  store_.held_sales().close(id, "dropped", now().iso(), manager.id, 0, why);
  journal(manager, "hold_dropped",
          {{"held", id}, {"held_at", h->held_at}, {"reason", why}, {"items", held_items(*h)}});
  tx.commit();
  h->state = "dropped";
  return std::move(*h);
}

void Terminal::settle_hold_on_sale(const UserRecord& clerk, const Cart& cart, const store::SaleRecord& sale) {
  if (cart.held_id == 0) return;
  const auto h = store_.held_sales().find(cart.held_id);
  // Dropped or expired meanwhile: its cards were free, and the sale simply stands.
  if (!h || h->state != "held") return;
  store_.held_sales().close(h->id, "sold", sale.sold_at, clerk.id, sale.id, "");
  journal(clerk, "hold_sold", {{"held", h->id}, {"invoice_no", format_invoice_no(sale.invoice_no)}});
}

Result<Done> Terminal::settle_holds_for_closing(const UserRecord& actor, Date date, bool drop_held) {
  expire_holds();
  // Everything held on the closed day or before: nothing held survives a closing unless a
  // manager decides (issue 16).
  const auto open = store_.held_sales().up_to(date.iso() + "T23:59:59");
  if (open.empty()) return Done{};
  if (!drop_held) {
    std::string list;
    for (const auto& h : open)
      list += (list.empty() ? "" : ", ") + ("#" + std::to_string(h.id)) +
              (h.buyer_name.empty() ? "" : " " + h.buyer_name) + " (" + h.held_at.substr(11, 5) + ")";
    return refused("HELD_SALES_OPEN",
                   "还有 " + std::to_string(open.size()) + " 笔挂单未处理:" + list +
                       "。请先取单完成销售,或由店长删除(huinong hold drop,或日结时加 --drop-held)",
                   std::to_string(open.size()) + " held sale(s) still open: " + list +
                       ". Recall and sell them first, or have a manager drop them (huinong hold drop, or close "
                       "with --drop-held)");
  }
  const std::string at = now().iso();
  for (const auto& h : open) {
    store_.held_sales().close(h.id, "dropped", at, actor.id, 0, "closing");
    journal(actor, "hold_dropped",
            {{"held", h.id}, {"held_at", h.held_at}, {"reason", "closing"}, {"closing", date.iso()},
             {"items", held_items(h)}});
  }
  return Done{};
}

}  // namespace hn::app
