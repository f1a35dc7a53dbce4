#include "samples.hpp"

#include "core/id_number.hpp"

namespace hn::test {

InvoiceLine tv_line() {
  InvoiceLine l;
  l.card_no = "34080100000000010001";
  l.serial_no = "TLM26V68-0811A00017";
  l.model_code = "HISENSE-TLM26V68";
  l.category = Category::Tv;
  l.brand = "海信";
  l.name = "液晶彩电";
  l.spec = "26英寸 LCD";
  l.price = 199900;
  l.subsidy = 25987;
  return l;
}

InvoiceLine fridge_line() {
  InvoiceLine l;
  l.card_no = "34080200000000020001";
  l.serial_no = "BCD186KB-0811Q04410";
  l.model_code = "HAIER-BCD-186KB";
  l.category = Category::Fridge;
  l.brand = "海尔";
  l.name = "双门冰箱";
  l.spec = "186升 双门 直冷";
  l.price = 179900;
  l.subsidy = 23387;
  return l;
}

Invoice two_item_invoice() {
  Invoice inv;
  inv.invoice_no = hn::format_invoice_no(1);
  inv.issued_at = {hn::Date{2009, 1, 15}, 10 * 3600 + 32 * 60 + 5};
  inv.outlet_code = "340822001";
  inv.outlet_name = "怀宁县石牌镇家电城";
  inv.terminal_id = "T01";
  inv.clerk_name = "李红";
  inv.buyer_name = "王秀英";
  inv.buyer_id = kSampleBuyerId;
  inv.household = "340822-0012";
  inv.lines = {tv_line(), fridge_line()};
  inv.total = 379800;   // 1999.00 + 1799.00
  inv.subsidy = 49374;  // 259.87 + 233.87
  return inv;
}

RefundFormData tv_refund() {
  RefundFormData d;
  d.form_no = "F00000003";
  d.outlet_code = "340822001";
  d.outlet_name = "怀宁县石牌镇家电城";
  d.county = "怀宁县";
  d.buyer_name = "王秀英";
  d.buyer_id = kSampleBuyerId;
  d.household = "340822-0012";
  d.invoice_no = "00000001";
  d.sale_date = hn::Date{2009, 1, 15};
  d.card_no = "34080100000000010001";
  d.serial_no = "TLM26V68-0811A00017";
  d.model_code = "HISENSE-TLM26V68";
  d.brand = "海信";
  d.product_name = "液晶彩电";
  d.category = Category::Tv;
  d.price = 199900;
  d.subsidy = 25987;
  d.issued_at = {hn::Date{2009, 3, 2}, 9 * 3600 + 15 * 60};
  d.reason = "屏幕有坏点,三包期内退货";
  return d;
}

CreditNoteData tv_credit() {
  CreditNoteData d;
  d.note_no = "C00000007";
  d.outlet_code = "340822001";
  d.outlet_name = "怀宁县石牌镇家电城";
  d.terminal_id = "T01";
  d.buyer_name = "王秀英";
  d.buyer_id_masked = hn::mask_id_text(kSampleBuyerId);
  d.invoice_no = "00000001";
  d.card_no = "34080100000000010001";
  d.serial_no = "TLM26V68-0811A00017";
  d.model_code = "HISENSE-TLM26V68";
  d.brand = "海信";
  d.product_name = "液晶彩电";
  d.refund = 199900;
  d.subsidy_returned = 25987;
  d.province_state = "refunded";
  d.completed_at = {hn::Date{2009, 3, 5}, 14 * 3600 + 20 * 60 + 9};
  d.approver_name = "张国强";
  d.reason = "屏幕有坏点,三包期内退货";
  return d;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace hn::test
