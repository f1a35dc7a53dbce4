#include "core/report.hpp"

#include "core/payment.hpp"

#include <algorithm>
#include <utility>

#include "core/csv.hpp"
#include "core/text.hpp"

namespace hn {

namespace {
// POLICY S2: each row's central share, allocated so that the rows add up to the total's
// central share to the fen (largest remainder: each row gets its share rounded down, and the
// fen left over go to the rows with the largest remainders, in row order on ties).
template <class Key>
std::map<Key, SubsidySplit> allocate_shares(const std::map<Key, Fen>& rows, Fen central_total, int percent) {
  std::map<Key, SubsidySplit> out;
  std::vector<std::pair<std::int64_t, Key>> remainders;
  Fen given = 0;
  for (const auto& [key, subsidy] : rows) {
    const std::int64_t exact = subsidy * percent;  // hundredths of a fen
    out[key].central = exact / 100;
    given += exact / 100;
    remainders.emplace_back(exact % 100, key);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = 0; given < central_total && i < remainders.size(); ++i) {
    if (remainders[i].first == 0) break;
    ++out[remainders[i].second].central;
    ++given;
  }
  for (auto& [key, split] : out) split.provincial = rows.at(key) - split.central;
  return out;
}

std::string name_of(Category c) {
  return std::string(category_name_zh(c)) + " " + std::string(category_name_en(c));
}

struct RefusalTitle {
  const char* code;
  const char* zh;
  const char* en;
};
constexpr RefusalTitle kRefusalTitles[] = {
    {"ID_INVALID", "身份证号无效", "ID number invalid"},
    {"BUYER_NOT_ELIGIBLE", "非农业户口", "not an agricultural household"},
    {"BUYER_INCOMPLETE", "购买人信息不全", "buyer details missing"},
    {"CARD_UNKNOWN", "标识卡号无效", "label card unknown"},
    {"CARD_NOT_RECEIVED", "标识卡未登记收货", "card not received here"},
    {"CARD_ALREADY_SOLD", "标识卡已售出", "card already sold"},
    {"CARD_SERIAL_MISMATCH", "序列号与标识卡不符", "serial does not match the card"},
    {"MODEL_NOT_ELIGIBLE", "型号不在中标目录", "model not eligible"},
    {"PRICE_INVALID", "价格无效", "price invalid"},
    {"PRICE_OVER_CAP", "超过限价", "price over the cap"},
    {"HOUSEHOLD_LIMIT", "超过每户限购", "household limit reached"},
    {"COUNTY_MISMATCH", "跨县销售", "buyer of another county"},
    {"INVOICE_EMPTY", "空单", "nothing to sell"},
    {"SUBSIDY_MISMATCH", "补贴申报不符", "subsidy claim mismatch"},
};
const RefusalTitle* refusal_title(const std::string& code) {
  for (const auto& t : kRefusalTitles)
    if (code == t.code) return &t;
  return nullptr;
}
}  // namespace

std::string refusal_title_zh(const std::string& code) {
  const auto* t = refusal_title(code);
  return t ? t->zh : code;
}
std::string refusal_title_en(const std::string& code) {
  const auto* t = refusal_title(code);
  return t ? t->en : code;
}

std::string_view deadline_state_code(DeadlineState s) {
  switch (s) {
    case DeadlineState::OnTime: return "on_time";
    case DeadlineState::LastDay: return "last_day";
    case DeadlineState::Overdue: return "overdue";
  }
  return "on_time";
}

std::string_view deadline_state_zh(DeadlineState s) {
  switch (s) {
    case DeadlineState::OnTime: return "按时";
    case DeadlineState::LastDay: return "今日截止";
    case DeadlineState::Overdue: return "已逾期";
  }
  return "按时";
}

DailyReport make_daily_report(const DailyFigures& figures, int central_share_percent) {
  DailyReport r;
  r.figures = figures;
  for (const auto& [cat, t] : figures.by_category) {
    r.items_count += t.count;
    r.total += t.total;
    r.subsidy += t.subsidy;
  }
  // POLICY S2: central budget 80%, province 20%; the province takes the rounding rest.
  r.subsidy_central = multiply_round_half_up(r.subsidy, central_share_percent, 100);
  r.subsidy_provincial = r.subsidy - r.subsidy_central;
  std::map<Category, Fen> by_category;
  for (const auto& [cat, t] : figures.by_category) by_category[cat] = t.subsidy;
  r.category_split = allocate_shares(by_category, r.subsidy_central, central_share_percent);
  std::map<std::string, Fen> by_clerk;
  Fen clerk_subsidy = 0;
  for (const auto& [login, t] : figures.by_clerk) {
    by_clerk[login] = t.subsidy;
    clerk_subsidy += t.subsidy;
  }
  r.clerk_split = allocate_shares(by_clerk, multiply_round_half_up(clerk_subsidy, central_share_percent, 100),
                                  central_share_percent);
  for (const auto& p : figures.pending) {
    if (p.state == DeadlineState::Overdue) r.pending_overdue += p.count;
    if (p.state == DeadlineState::LastDay) r.pending_last_day += p.count;
  }
  return r;
}

DailyFigures merge_figures(const std::vector<DailyFigures>& parts) {
  DailyFigures m;
  if (parts.empty()) return m;
  m.date = parts.front().date;
  m.to = parts.front().to;
  std::map<std::int64_t, DayPoint> series;
  for (const auto& p : parts) {
    m.date = std::min(m.date, p.date);
    m.to = std::max(m.to, p.to);
    m.sales_count += p.sales_count;
    for (const auto& [cat, t] : p.by_category) {
      auto& s = m.by_category[cat];
      s.count += t.count;
      s.total += t.total;
      s.subsidy += t.subsidy;
    }
    m.returns_count += p.returns_count;
    m.returns_total += p.returns_total;
    m.returns_subsidy += p.returns_subsidy;
    m.pending_upload += p.pending_upload;
    for (const auto& [login, t] : p.by_clerk) {
      // The same login on two terminals is the same person (the shop gives each clerk one).
      auto& c = m.by_clerk[login];
      if (c.name.empty()) c.name = t.name;
      c.sales += t.sales;
      c.items += t.items;
      c.total += t.total;
      c.subsidy += t.subsidy;
      c.refused += t.refused;
    }
    m.pre_returns_count += p.pre_returns_count;
    m.pre_returns_total += p.pre_returns_total;
    m.pre_returns_subsidy += p.pre_returns_subsidy;
    m.refused_attempts += p.refused_attempts;
    for (const auto& [code, n] : p.refused_by_code) m.refused_by_code[code] += n;
    for (const auto& [method, t] : p.by_payment) {
      m.by_payment[method].count += t.count;
      m.by_payment[method].amount += t.amount;
    }
    m.change_given += p.change_given;
    // Invoice numbers are per terminal: a pending day stays with its terminal.
    const std::string terminal = p.terminals.empty() ? std::string() : p.terminals.front();
    for (auto d : p.pending) {
      if (d.terminal.empty()) d.terminal = terminal;
      m.pending.push_back(std::move(d));
    }
    for (const auto& d : p.series) {
      auto& s = series[d.date.serial()];
      s.date = d.date;
      s.sales += d.sales;
      s.total += d.total;
      s.subsidy += d.subsidy;
    }
    m.terminals.insert(m.terminals.end(), p.terminals.begin(), p.terminals.end());
  }
  std::stable_sort(m.pending.begin(), m.pending.end(), [](const PendingDay& a, const PendingDay& b) {
    return a.sale_date != b.sale_date ? a.sale_date < b.sale_date : a.terminal < b.terminal;
  });
  for (const auto& [serial, d] : series) m.series.push_back(d);
  return m;
}

std::string render_report_text(const DailyReport& r, const std::string& outlet_name) {
  const auto& f = r.figures;
  std::string out;
  auto line = [&](const std::string& s) { out += printable_text(s) + "\n"; };  // names stored before the check
  if (r.is_period())
    line("期间报表 Period report  " + f.date.iso() + " ~ " + f.to.iso() + "  " + outlet_name);
  else
    line("日报 Daily report  " + f.date.iso() + "  " + outlet_name);
  if (f.terminals.size() > 1) {
    std::string list;
    for (const auto& t : f.terminals) list += (list.empty() ? "" : ", ") + t;
    line("合并终端 Terminals merged: " + list);
  }
  line("销售单数 Sales: " + std::to_string(f.sales_count) +
       "   件数 Items: " + std::to_string(r.items_count));
  line("金额 Total: " + format_yuan(r.total) + "   补贴 Subsidy: " + format_yuan(r.subsidy));
  line("  中央 Central: " + format_yuan(r.subsidy_central) +
       "   省级 Provincial: " + format_yuan(r.subsidy_provincial));
  line("退货 Returns: " + std::to_string(f.returns_count) + "   金额 Amount: " +
       format_yuan(f.returns_total) + "   补贴 Subsidy: " + format_yuan(f.returns_subsidy));
  line("预退货 Pre-returns: " + std::to_string(f.pre_returns_count) + "   金额 Amount: " +
       format_yuan(f.pre_returns_total) + "   补贴 Subsidy: " + format_yuan(f.pre_returns_subsidy));
  line("待上传 Pending upload: " + std::to_string(f.pending_upload) + "   已逾期 Overdue: " +
       std::to_string(r.pending_overdue) + "   今日截止 Due today: " + std::to_string(r.pending_last_day));
  line("被拒尝试 Refused attempts: " + std::to_string(f.refused_attempts));
  line("");
  // The name column is as wide as the longest category name, so every row lines up.
  int name_col = 16;
  for (Category c : kAllCategories) name_col = std::max(name_col, display_width(name_of(c)) + 2);
  line(pad_right("品类 Category", name_col) + pad_left("件数 Count", 12) + pad_left("金额 Total", 14) +
       pad_left("补贴 Subsidy", 14));
  for (const auto& [cat, t] : f.by_category)
    line(pad_right(name_of(cat), name_col) + pad_left(std::to_string(t.count), 12) +
         pad_left(format_yuan(t.total), 14) + pad_left(format_yuan(t.subsidy), 14));
  line(pad_right("合计 All", name_col) + pad_left(std::to_string(r.items_count), 12) +
       pad_left(format_yuan(r.total), 14) + pad_left(format_yuan(r.subsidy), 14));
  if (!f.by_clerk.empty()) {
    line("");
    int clerk_col = 16;
    for (const auto& [login, c] : f.by_clerk)
      clerk_col = std::max(clerk_col, display_width(c.name + " (" + login + ")") + 2);
    line(pad_right("营业员 Clerk", clerk_col) + pad_left("单数 Sales", 12) + pad_left("件数 Items", 12) +
         pad_left("金额 Total", 14) + pad_left("补贴 Subsidy", 14) + pad_left("被拒 Refused", 14));
    for (const auto& [login, c] : f.by_clerk)
      line(pad_right(c.name + " (" + login + ")", clerk_col) + pad_left(std::to_string(c.sales), 12) +
           pad_left(std::to_string(c.items), 12) + pad_left(format_yuan(c.total), 14) +
           pad_left(format_yuan(c.subsidy), 14) + pad_left(std::to_string(c.refused), 14));
  }
  if (!f.by_payment.empty()) {
    line("");
    line(pad_right("付款方式 Payment", 22) + pad_left("笔数 Count", 12) + pad_left("金额 Amount", 14));
    for (const auto& [method, p] : f.by_payment) {
      const auto m = parse_payment_method(method);
      const std::string name = m ? std::string(payment_method_name_zh(*m)) + " " +
                                       std::string(payment_method_name_en(*m))
                                 : method;
      line(pad_right(name, 22) + pad_left(std::to_string(p.count), 12) + pad_left(format_yuan(p.amount), 14));
    }
    const auto cash = f.by_payment.find("cash");
    const Fen cash_in = cash == f.by_payment.end() ? 0 : cash->second.amount;
    line("找零 Change given: " + format_yuan(f.change_given) + "   现金净收 Cash kept: " +
         format_yuan(cash_in - f.change_given));
  }
  if (!f.refused_by_code.empty()) {
    line("");
    line("被拒原因 Refusals by code:");
    for (const auto& [code, n] : f.refused_by_code)
      line("  " + pad_right(code, 22) + pad_left(std::to_string(n), 6) + "  " + refusal_title_zh(code) + " / " +
           refusal_title_en(code));
  }
  if (!f.pending.empty()) {
    line("");
    line("待上传 Pending uploads (截止 = 销售后第 3 个工作日 / due = 3rd working day after the sale):");
    for (const auto& p : f.pending)
      line("  " + (p.terminal.empty() ? std::string() : p.terminal + "  ") + p.sale_date.iso() + "  " +
           pad_left(std::to_string(p.count), 5) + " 笔 sales  发票 invoices " + p.first_invoice + "-" +
           p.last_invoice + "  截止 due " + p.due.iso() + "  " + std::string(deadline_state_zh(p.state)) + " " +
           std::string(deadline_state_code(p.state)));
  }
  return out;
}

std::string render_report_csv(const DailyReport& r) {
  // POLICY S2: the central and provincial shares, on the "all" row where they are defined.
  std::string out = "date,category,category_name,count,total,subsidy,subsidy_central,subsidy_provincial\r\n";
  const std::string date = r.figures.date.iso();
  for (const auto& [cat, t] : r.figures.by_category) {
    out += date + "," + std::string(category_code(cat)) + "," +
           csv_field(category_name_zh(cat)) + "," + std::to_string(t.count) + "," +
           format_yuan(t.total) + "," + format_yuan(t.subsidy) + ",,\r\n";
  }
  out += date + ",all,合计," + std::to_string(r.items_count) + "," + format_yuan(r.total) + "," +
         format_yuan(r.subsidy) + "," + format_yuan(r.subsidy_central) + "," +
         format_yuan(r.subsidy_provincial) + "\r\n";
  return out;
}

std::string spreadsheet_cell(std::string_view raw) {
  // A spreadsheet takes a cell starting with one of these as a formula (CSV injection).
  if (!raw.empty() && std::string_view("=+-@\t\r").find(raw.front()) != std::string_view::npos)
    return csv_field("'" + printable_text(raw));
  // Control characters (a name stored before they were refused) never reach the file.
  return csv_field(printable_text(raw));
}

std::string render_report_spreadsheet_csv(const DailyReport& r, const ReportHeading& h) {
  const auto& f = r.figures;
  std::string out = "\xEF\xBB\xBF";  // the byte order mark: Excel then reads UTF-8
  // Text cells go through spreadsheet_cell; numbers are ours (format_yuan, counts) and never
  // negative here, so they stay numbers in the spreadsheet.
  auto row = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + cells[i];
    out += "\r\n";
  };
  auto t = [](const std::string& s) { return spreadsheet_cell(s); };
  auto n = [](std::int64_t v) { return std::to_string(v); };
  auto y = [](Fen v) { return format_yuan(v); };

  row({t(r.is_period() ? "惠农收银台 期间报表 Period report" : "惠农收银台 日报 Daily report")});
  row({t("网点 Outlet"), t(h.outlet_name), t(h.outlet_code)});
  row({t("期间 Period"), t(f.date.iso()), t(f.to.iso())});
  if (!f.terminals.empty()) {
    std::vector<std::string> cells{t("终端 Terminals")};
    for (const auto& term : f.terminals) cells.push_back(t(term));
    row(cells);
  }
  row({t("生成时间 Generated"), t(h.generated_at)});
  row({});
  row({t("汇总 Summary"), t("数值 Value")});
  row({t("销售单数 Sales"), n(f.sales_count)});
  row({t("件数 Items"), n(r.items_count)});
  row({t("金额 Total (元)"), y(r.total)});
  row({t("补贴 Subsidy (元)"), y(r.subsidy)});
  row({t("中央财政 80% Central"), y(r.subsidy_central)});
  row({t("省级财政 20% Provincial"), y(r.subsidy_provincial)});
  row({t("退货件数 Returns"), n(f.returns_count)});
  row({t("退货金额 Returns amount"), y(f.returns_total)});
  row({t("退货补贴 Returns subsidy"), y(f.returns_subsidy)});
  row({t("预退货件数 Pre-returns"), n(f.pre_returns_count)});
  row({t("预退货金额 Pre-returns amount"), y(f.pre_returns_total)});
  row({t("预退货补贴 Pre-returns subsidy"), y(f.pre_returns_subsidy)});
  row({t("被拒尝试 Refused attempts"), n(f.refused_attempts)});
  row({t("待上传 Pending upload"), n(f.pending_upload)});
  row({t("已逾期 Overdue"), n(r.pending_overdue)});
  row({});
  row({t("按品类 By category"), t("品类代码 Code"), t("件数 Items"), t("金额 Total"), t("补贴 Subsidy"),
       t("中央 Central"), t("省级 Provincial")});
  for (const auto& [cat, ct] : f.by_category) {
    const auto& s = r.category_split.at(cat);
    row({t(name_of(cat)), t(std::string(category_code(cat))), n(ct.count), y(ct.total), y(ct.subsidy), y(s.central),
         y(s.provincial)});
  }
  row({t("合计 All"), t("all"), n(r.items_count), y(r.total), y(r.subsidy), y(r.subsidy_central),
       y(r.subsidy_provincial)});
  row({});
  row({t("按营业员 By clerk"), t("工号 Login"), t("单数 Sales"), t("件数 Items"), t("金额 Total"), t("补贴 Subsidy"),
       t("中央 Central"), t("省级 Provincial"), t("被拒 Refused")});
  for (const auto& [login, c] : f.by_clerk) {
    const auto& s = r.clerk_split.at(login);
    row({t(c.name), t(login), n(c.sales), n(c.items), y(c.total), y(c.subsidy), y(s.central), y(s.provincial),
         n(c.refused)});
  }
  row({});
  row({t("被拒原因 Refusals"), t("代码 Code"), t("次数 Attempts")});
  for (const auto& [code, cnt] : f.refused_by_code)
    row({t(refusal_title_zh(code) + " " + refusal_title_en(code)), t(code), n(cnt)});
  row({});
  row({t("待上传 Pending uploads"), t("销售日期 Sale date"), t("笔数 Sales"), t("首张发票 First invoice"),
       t("末张发票 Last invoice"), t("截止日期 Due"), t("状态 State")});
  for (const auto& p : f.pending)
    row({t(p.terminal), t(p.sale_date.iso()), n(p.count), t(p.first_invoice), t(p.last_invoice), t(p.due.iso()),
         t(std::string(deadline_state_zh(p.state)) + " " + std::string(deadline_state_code(p.state)))});
  row({});
  row({t("每日 By day"), t("日期 Date"), t("单数 Sales"), t("金额 Total"), t("补贴 Subsidy")});
  for (const auto& d : f.series) row({t(""), t(d.date.iso()), n(d.sales), y(d.total), y(d.subsidy)});
  // Issue 16: the payments per method; cash as tendered, the change given on its own row.
  row({});
  row({t("按付款方式 By payment"), t("方式代码 Method"), t("笔数 Count"), t("金额 Amount")});
  for (const auto& [method, p] : f.by_payment) {
    const auto m = parse_payment_method(method);
    row({t(m ? std::string(payment_method_name_zh(*m)) + " " + std::string(payment_method_name_en(*m)) : method),
         t(method), n(p.count), y(p.amount)});
  }
  row({t("找零 Change given"), t("change"), t(""), y(f.change_given)});
  return out;
}

}  // namespace hn
