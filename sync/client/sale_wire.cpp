#include "sync/client/sale_wire.hpp"

#include "core/invoice.hpp"

namespace hn::sync {

WireSale to_wire(const store::SaleRecord& sale) {
  WireSale w;
  w.uuid = sale.uuid;
  w.invoice_no = format_invoice_no(sale.invoice_no);
  w.sold_at = sale.sold_at;
  w.sale_date = sale.sale_date.iso();
  w.policy_phase = sale.policy_phase;
  w.buyer.name = sale.buyer_name;
  w.buyer.id_text = sale.buyer_id;
  w.buyer.household = sale.household;
  w.buyer.hukou = sale.hukou;
  if (!sale.buyer_county.empty()) w.buyer.county = sale.buyer_county;
  w.total = sale.total;
  w.subsidy = sale.subsidy;
  for (const auto& it : sale.items)
    w.items.push_back({it.card_no, it.serial_no, it.model_code, it.category, it.price, it.subsidy});
  return w;
}

}  // namespace hn::sync
