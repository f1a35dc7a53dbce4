#include "printer/receipt.hpp"

#include <algorithm>
#include <cstdio>

#include "core/text.hpp"
#include "printer/escpos.hpp"
#include "printer/receipt_builder.hpp"

namespace hn::printer {

using detail::money;
using detail::Receipt;
using detail::rtrim;
using escpos::Align;

int paper_columns(Paper p) { return p == Paper::Mm58 ? 32 : 48; }

std::string receipt_qr_payload(const Invoice& inv) {
  if (!inv.qr_payload.empty()) return inv.qr_payload;
  return "HNPOS1;outlet=" + inv.outlet_code + ";terminal=" + inv.terminal_id +
         ";invoice=" + inv.invoice_no + ";total=" + format_yuan(inv.total) +
         ";subsidy=" + format_yuan(inv.subsidy);
}

std::vector<std::string> wrap_text(const std::string& utf8, int width) { return hn::wrap_text(utf8, width); }

std::string receipt_bytes(const Invoice& inv, const ReceiptOptions& options) {
  const int cols = paper_columns(options.paper);
  Receipt r(cols);
  r.writer().initialize().chinese_mode(true);

  // POLICY S4: the top-right corner carries the buyer's name, ID number and every card.
  r.labelled("购买人 Buyer: ", inv.buyer_name, Align::Right);
  r.labelled("身份证号 ID: ", inv.buyer_id, Align::Right);
  const std::string cards_label = "标识卡号 Cards: ";
  const bool cards_fit = std::all_of(inv.lines.begin(), inv.lines.end(), [&](const InvoiceLine& l) {
    return display_width(cards_label) + display_width(l.card_no) <= cols;
  });
  if (!cards_fit) r.line(rtrim(cards_label), Align::Right);
  for (std::size_t i = 0; i < inv.lines.size(); ++i) {
    if (!cards_fit)
      r.line(inv.lines[i].card_no, Align::Right);
    else if (i == 0)
      r.line(cards_label + inv.lines[i].card_no, Align::Right);
    else
      r.line(inv.lines[i].card_no, Align::Right);
  }
  r.blank();

  r.title("家电下乡产品销售发票", 2, 2);
  r.line("Home Appliances to the Countryside", Align::Center);
  r.line("Sales Invoice", Align::Center);
  if (inv.copy_no > 0) r.title("副本 COPY " + std::to_string(inv.copy_no), 2, 2);
  if (!inv.status.empty()) r.title(inv.status, 1, 2);
  r.blank();

  const int seconds = inv.issued_at.seconds_of_day;
  char time_buf[8];
  std::snprintf(time_buf, sizeof time_buf, "%02d:%02d", (seconds / 3600) % 24, (seconds / 60) % 60);
  r.field("发票号码 Invoice No: ", inv.invoice_no);
  r.field("开票日期 Date: ", inv.issued_at.date.iso() + " " + time_buf);
  r.field("销售网点 Outlet: ", inv.outlet_name + " (" + inv.outlet_code + ")");
  r.spread("终端 Terminal: " + inv.terminal_id, "开票人 Clerk: " + inv.clerk_name);
  r.field("户号 Household: ", inv.household);
  r.rule();
  for (const auto& l : inv.lines) {
    r.line(l.brand + " " + l.name + " " + l.model_code);
    r.field("  规格 Spec: ", l.spec);
    r.field("  品类 Category: ", std::string(category_name_zh(l.category)));
    r.field("  标识卡 Card: ", l.card_no);
    r.field("  序列号 Serial: ", l.serial_no);
    if (!l.replaces_card.empty()) r.field("  换货 原卡 Replaces: ", l.replaces_card);
    r.spread("  单价 Price", money(l.price));
    r.spread("  补贴 Subsidy", money(l.subsidy));
  }
  r.rule();
  r.bold(true);
  r.spread("数量 Items: " + std::to_string(inv.lines.size()), "合计 Total: " + money(inv.total));
  r.bold(false);
  r.spread("", "补贴 Subsidy: " + money(inv.subsidy));
  r.spread("", "实收 Paid now: " + money(inv.total));
  // How it was paid and the change (issue 16), as on the text invoice.
  for (const auto& p : invoice_payment_lines(inv)) r.spread(p.label + ":", money(p.amount));
  r.rule();
  r.writer().align(Align::Center);
  r.writer().qr_code(receipt_qr_payload(inv), options.paper == Paper::Mm58 ? 5 : 6,
                     escpos::QrErrorLevel::M);
  r.writer().align(Align::Left);
  r.line("扫码核验 Scan to verify", Align::Center);
  r.blank();
  r.line("凭本发票和产品标识卡到户籍所在地乡镇财政所申领补贴。");
  r.line(
      "Claim the subsidy with this invoice and the label cards at the township finance office of "
      "your household registration.");
  r.writer().feed_lines(3);
  if (options.cut) r.writer().cut(true);
  if (options.kick_drawer) r.writer().kick_drawer(2, 100, 500);
  return r.writer().bytes();
}

}  // namespace hn::printer
