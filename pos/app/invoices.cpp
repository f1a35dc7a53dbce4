// A committed sale's invoice as it now stands (exchanged, returned, unsubsidised or void), and
// a journaled copy of it for printing again.
#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "app/access.hpp"
#include "app/terminal.hpp"

namespace hn::app {

Invoice Terminal::make_invoice(const store::SaleRecord& sale, int copy_no, const JustSold* just_sold) {
  Invoice inv;
  inv.invoice_no = format_invoice_no(sale.invoice_no);
  if (const auto d = parse_iso_date(sale.sold_at.substr(0, 10))) inv.issued_at.date = *d;
  if (sale.sold_at.size() >= 19)
    inv.issued_at.seconds_of_day = std::stoi(sale.sold_at.substr(11, 2)) * 3600 +
                                   std::stoi(sale.sold_at.substr(14, 2)) * 60 +
                                   std::stoi(sale.sold_at.substr(17, 2));
  const Outlet o = outlet();
  inv.outlet_code = o.code;
  inv.outlet_name = o.name;
  inv.terminal_id = settings().terminal_id;
  if (just_sold) inv.clerk_name = just_sold->clerk_name;
  else if (const auto clerk = store_.users().find(sale.user_id)) inv.clerk_name = clerk->name;
  inv.buyer_name = sale.buyer_name;
  inv.buyer_id = sale.buyer_id;
  inv.household = sale.household;
  // 换货: a line whose product was exchanged names the card it replaced (the latest one).
  std::map<std::int64_t, std::string> replaced;
  if (!just_sold)
    for (const auto& x : store_.exchanges().of_sale(sale.id)) replaced[x.item_id] = x.old_card;
  for (const auto& it : sale.items)
    inv.lines.push_back({it.card_no, it.serial_no, it.model_code, it.category, it.brand, it.name, it.spec, it.price,
                         it.subsidy, replaced.count(it.id) ? replaced.at(it.id) : std::string()});
  if (!replaced.empty()) inv.status = "换货 EXCHANGED";
  inv.total = sale.total;
  inv.subsidy = sale.subsidy;
  if (just_sold) {
    inv.payments = just_sold->payments;
    inv.change = just_sold->change;
  } else {
    inv.payments = store_.sales().payments(sale.id, &inv.change);
  }
  inv.copy_no = copy_no;
  try {
    inv.qr_payload = invoice_qr(sale, inv, just_sold ? just_sold->journal_hash : store_.sales().journal_hash(sale.id));
  } catch (const std::exception&) {
    // A signing key gone missing must not turn a committed sale into an error: the invoice
    // prints with the unsigned QR code, and the start-up and audit checks say what is wrong.
    inv.qr_payload.clear();
  }
  // POLICY returns: a returned product's line is void; every line returned, the invoice is.
  const auto returned = std::count_if(sale.items.begin(), sale.items.end(), [](const auto& i) { return i.returned; });
  if (returned > 0)
    inv.status = returned == static_cast<long>(sale.items.size())
                     ? "已作废 VOID"
                     : "部分退货 PARTLY RETURNED (" + std::to_string(returned) + "/" +
                           std::to_string(sale.items.size()) + ")";
  if (just_sold) return inv;
  switch (store_.sales().settlement(sale.id)) {
    case store::SaleSettlement::Cancelled:
      inv.status = "已作废 VOID";
      break;
    case store::SaleSettlement::Unsubsidised:
      // The province refused the subsidy: the buyer pays the price and claims nothing.
      inv.status = "不享受补贴 NOT SUBSIDISED";
      for (auto& l : inv.lines) l.subsidy = 0;
      inv.subsidy = 0;
      break;
    case store::SaleSettlement::None:
      break;
  }
  return inv;
}

std::optional<SaleRecord> Terminal::sale_by_invoice(std::int64_t invoice_no) {
  return store_.sales().find_by_invoice(invoice_no);
}

Result<Invoice> Terminal::invoice(std::int64_t invoice_no) {
  const auto sale = store_.sales().find_by_invoice(invoice_no);
  if (!sale)
    return bad_input("INVOICE_NOT_FOUND", "没有发票 " + format_invoice_no(invoice_no),
                     "there is no invoice " + format_invoice_no(invoice_no));
  return make_invoice(*sale, 0);
}

Result<Invoice> Terminal::reprint(const UserRecord& actor, std::int64_t invoice_no) {
  if (!has_role(actor, {Role::Clerk, Role::Manager})) return role_refused(actor);
  if (auto key = require_signing_key(); !key) return key.problem();
  platform::Transaction tx(store_.db());
  auto inv = invoice(invoice_no);
  if (!inv) return inv;
  inv->copy_no = store_.reports().reprints(inv->invoice_no) + 1;
  journal(actor, "reprint", {{"invoice_no", inv->invoice_no}, {"copy", inv->copy_no}});
  tx.commit();
  return inv;
}

}  // namespace hn::app
