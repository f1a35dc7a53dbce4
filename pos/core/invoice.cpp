#include "core/invoice.hpp"

#include <algorithm>
#include <cstdio>

#include "core/text.hpp"

namespace hn {

std::string format_invoice_no(std::int64_t number) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%08lld", static_cast<long long>(number));
  return buf;
}

namespace {
std::string centered(const std::string& s, int width) {
  const int pad = std::max(0, (width - display_width(s)) / 2);
  return std::string(static_cast<std::size_t>(pad), ' ') + s;
}

// A label on the left and a value flush right, on one line of `width` columns.
std::string spread(const std::string& left, const std::string& right, int width) {
  const int gap = width - display_width(left) - display_width(right);
  return left + std::string(static_cast<std::size_t>(std::max(1, gap)), ' ') + right;
}
}  // namespace

std::vector<InvoicePaymentLine> invoice_payment_lines(const Invoice& inv) {
  std::vector<InvoicePaymentLine> out;
  if (inv.payments.empty() || paid_exactly_in_cash(inv.payments, inv.total)) return out;
  for (const auto& p : inv.payments) {
    std::string what = "实收 Paid " + std::string(payment_method_name_zh(p.method)) + " " +
                       std::string(payment_method_name_en(p.method));
    if (!p.reference.empty()) what += " (" + p.reference + ")";
    out.push_back({std::move(what), p.amount});
  }
  out.push_back({"找零 Change", inv.change});
  return out;
}

std::string render_invoice_text(const Invoice& inv, int width) {
  width = std::max(width, 40);
  std::string out;
  // Each line as it will be read: stored text never carries a control character onto the paper.
  auto line = [&](const std::string& s) { out += printable_text(s) + "\n"; };
  const std::string rule(static_cast<std::size_t>(width), '-');

  // POLICY S4: the top-right corner carries the buyer's name, ID number and every card.
  line(pad_left("购买人 Buyer: " + inv.buyer_name, width));
  line(pad_left("身份证号 ID: " + inv.buyer_id, width));
  const std::string cards_label = "标识卡号 Cards: ";
  std::size_t longest = 0;
  for (const auto& l : inv.lines) longest = std::max(longest, l.card_no.size());
  for (std::size_t i = 0; i < inv.lines.size(); ++i) {
    const std::string card = pad_right(inv.lines[i].card_no, static_cast<int>(longest));
    const std::string label =
        i == 0 ? cards_label : std::string(static_cast<std::size_t>(display_width(cards_label)), ' ');
    line(pad_left(label + card, width));
  }
  line("");
  line(centered("家电下乡产品销售发票", width));
  line(centered("Home Appliances to the Countryside - Sales Invoice", width));
  if (inv.copy_no > 0) line(centered("副本 COPY " + std::to_string(inv.copy_no), width));
  if (!inv.status.empty()) line(centered("*** " + inv.status + " ***", width));
  line("");
  const int seconds = inv.issued_at.seconds_of_day;
  char time_buf[32];
  std::snprintf(time_buf, sizeof time_buf, "%02d:%02d", seconds / 3600, (seconds / 60) % 60);
  line(spread("发票号码 Invoice No: " + inv.invoice_no,
              "开票日期 Date: " + inv.issued_at.date.iso() + " " + time_buf, width));
  line("销售网点 Outlet: " + inv.outlet_name + " (" + inv.outlet_code + ")");
  line(spread("终端 Terminal: " + inv.terminal_id, "开票人 Clerk: " + inv.clerk_name, width));
  line("户号 Household: " + inv.household);
  line(rule);
  const int amount_col = 12;
  line(spread("品名 规格型号 Product", pad_left("单价 Price", amount_col) +
                                          pad_left("补贴 Subsidy", amount_col + 2), width));
  line(rule);
  for (const auto& l : inv.lines) {
    const std::string product = l.brand + " " + l.name + " " + l.model_code;
    const std::string amounts =
        pad_left(format_yuan(l.price), amount_col) + pad_left(format_yuan(l.subsidy), amount_col + 2);
    // A name too long to share its line with the amounts gets a line of its own, so the
    // amounts stay in their columns.
    if (display_width(product) + 1 + display_width(amounts) > width) {
      line(product);
      line(spread("", amounts, width));
    } else {
      line(spread(product, amounts, width));
    }
    line("  规格 Spec: " + l.spec + "  品类 Category: " + std::string(category_name_zh(l.category)));
    line("  标识卡 Card: " + l.card_no);
    line("  序列号 Serial: " + l.serial_no);
    if (!l.replaces_card.empty()) line("  换货 原标识卡 Replaces card: " + l.replaces_card);
  }
  line(rule);
  line(spread("数量 Items: " + std::to_string(inv.lines.size()),
              "合计 Total: " + format_yuan(inv.total), width));
  line(spread("", "补贴 Subsidy: " + format_yuan(inv.subsidy), width));
  line(spread("", "实收 Paid now: " + format_yuan(inv.total), width));
  for (const auto& p : invoice_payment_lines(inv)) line(spread("", p.label + ": " + format_yuan(p.amount), width));
  line(rule);
  line("凭本发票和产品标识卡到户籍所在地乡镇财政所申领补贴。");
  line("Claim the subsidy with this invoice and the label cards");
  line("at the township finance office of your household registration.");
  return out;
}

}  // namespace hn
