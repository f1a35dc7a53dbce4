#include "app/day_close.hpp"

#include "app/access.hpp"
#include "app/store_access.hpp"
#include "core/money.hpp"
#include "core/payment.hpp"
#include "core/text.hpp"
#include "store/audit_bundle.hpp"
#include "store/journal.hpp"

namespace hn::app {

using nlohmann::json;

Result<Fen> parse_cash_counted(const std::string& text) {
  const auto counted = parse_yuan(text);
  if (!counted)
    return bad_input("CASH_COUNT_INVALID",
                     "点钞金额 " + quote_for_message(text) + " 不对:应为元,最多两位小数,如 3998.00",
                     "cash count " + quote_for_message(text) +
                         " is malformed: give yuan with up to two decimals, e.g. 3998.00");
  return *counted;
}

Result<Done> check_period(Date from, Date to) {
  if (to < from) return bad_input("PERIOD_INVALID", "起始日期晚于截止日期", "--from is after --to");
  if (to.serial() - from.serial() > 3660)
    return bad_input("PERIOD_TOO_LONG", "期间最长 10 年", "a period is at most 10 years");
  return Done{};
}

std::optional<Problem> closing_refusal(const std::vector<Closing>& previous, Date date, Date today) {
  if (today < date)
    return bad_input("DATE_IN_FUTURE", "不能日结未来的日期 " + date.iso(), "cannot close a day still to come: " + date.iso());
  for (const auto& c : previous)
    if (c.date == date.iso())
      return refused("DAY_ALREADY_CLOSED", date.iso() + " 已经日结,不能重复", date.iso() + " is already closed");
  if (!previous.empty() && previous.back().date > date.iso())
    return refused("DAY_BEFORE_LAST_CLOSING", "已日结到 " + previous.back().date + ",不能再日结更早的 " + date.iso(),
                   "the days up to " + previous.back().date + " are closed: " + date.iso() + " cannot be closed after them");
  return std::nullopt;
}

ClosingPreview preview_closing(Terminal& t, Date date) {
  ClosingPreview p;
  p.date = date.iso();
  const auto previous = t.closings();
  p.refusal = closing_refusal(previous, date, t.now().date);
  // The same range and totals as Terminal::close_day: the journal since the previous closing.
  const std::int64_t first = previous.empty() ? 1 : previous.back().figures.value("last_seq", std::int64_t{0}) + 1;
  const auto covered = store::journal_entries(store_of(t).db(), first, 0);
  const std::int64_t last = covered.empty() ? first - 1 : covered.back().seq;
  p.figures = store::closing_body(p.date, t.outlet().code, t.settings().terminal_id,
                                  store::closing_totals(covered), first, last, "",
                                  previous.empty() ? 0 : previous.back().figures.value("grand_total", std::int64_t{0}),
                                  "", "");
  return p;
}

namespace {
std::string yuan_of(const json& f, const char* key) { return format_yuan(f.value(key, Fen{0})); }
}  // namespace

Document closing_document(const Closing& c, const Outlet& outlet) {
  const json& f = c.figures;
  Document d;
  d.title = "日结单";
  d.subtitle = "Daily closing (Z)";
  d.number = c.date;
  auto row = [&d](std::string label, std::string value) { d.rows.push_back({std::move(label), std::move(value)}); };
  row("网点 Outlet", outlet.name + " (" + outlet.code + ")");
  row("终端 Terminal", f.value("terminal", std::string("01")));
  row("营业日 Business day", c.date);
  row("发票 Invoices", f.value("first_invoice", std::string()).empty()
                           ? std::string("-")
                           : f.value("first_invoice", std::string()) + " - " + f.value("last_invoice", std::string()));
  row("销售 Sales", std::to_string(f.value("sales_count", 0)) + " 笔 / " + yuan_of(f, "sales_total"));
  row("补贴 Subsidy", yuan_of(f, "sales_subsidy"));
  row("退货 Returns", std::to_string(f.value("returns_count", 0)) + " 笔 / " + yuan_of(f, "returns_total"));
  row("净额 Net", yuan_of(f, "net_total"));
  row("累计 Grand total", yuan_of(f, "grand_total"));
  const json paid = f.value("payments", json::object());  // a copy: items() of a temporary dangles
  for (const auto& [method, amount] : paid.items()) {
    const auto m = parse_payment_method(method);
    const std::string name = m ? std::string(payment_method_name_zh(*m)) + " " + std::string(payment_method_name_en(*m))
                               : method;
    row("收款 " + name, format_yuan(amount.get<Fen>()));
  }
  row("找零 Change given", yuan_of(f, "change_given"));
  row("现金应有 Cash expected", yuan_of(f, "cash_net"));
  if (f.contains("cash_counted")) {
    row("点钞 Cash counted", yuan_of(f, "cash_counted"));
    row("差额 Difference", yuan_of(f, "cash_difference"));
  }
  row("日志 Journal", std::to_string(f.value("first_seq", std::int64_t{0})) + " - " +
                         std::to_string(f.value("last_seq", std::int64_t{0})));
  d.notes.push_back("终端签名 Signature (Ed25519): " + c.signature);
  d.notes.push_back("已签名并排队上传省平台 / signed and queued for the province");
  d.signatures.push_back("店长签字 Manager");
  return d;
}

}  // namespace hn::app
