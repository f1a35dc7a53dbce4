#include "printer/report_pdf.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "printer/a4_page.hpp"

namespace hn::printer {

using namespace a4;

namespace {

std::string b(const std::string& s) { return "<b>" + escape(s) + "</b>"; }
std::string e(const std::string& s) { return escape(s); }

struct Column {
  std::string head;
  double width;
  bool right = false;  // numbers
};

// A page cursor: `y` runs down, a new page starts when what comes next does not fit.
class Sheet {
 public:
  explicit Sheet(cairo_t* cr) : cr_(cr), page_(cr) {}
  Page& page() { return page_; }
  cairo_t* cr() { return cr_; }
  double y = kMargin;
  static constexpr double content = kPageWidth - 2 * kMargin;
  static constexpr double bottom = kPageHeight - kMargin;

  void room_for(double height) {
    if (y + height <= bottom) return;
    cairo_show_page(cr_);
    y = kMargin;
  }
  // A section title, kept on the page of what follows it (`follow` points of it).
  void heading(const std::string& zh_en, double follow = 60) {
    room_for(follow + 34);
    y += 10;
    y += page_.text(b(zh_en), kMargin, y, content, 12.5) + 4;
  }
  void table(const std::vector<Column>& cols, const std::vector<std::vector<std::string>>& rows, bool last_is_total) {
    auto draw_row = [&](const std::vector<std::string>& cells, bool bold) {
      double h = 0;
      for (std::size_t c = 0; c < cols.size(); ++c)
        h = std::max(h, page_.measure(e(cells[c]), cols[c].width - 8, 9.5));
      room_for(h + 6);
      double x = kMargin;
      for (std::size_t c = 0; c < cols.size(); ++c) {
        page_.text(bold ? b(cells[c]) : e(cells[c]), x + 3, y, cols[c].width - 8, 9.5,
                   cols[c].right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
        x += cols[c].width;
      }
      y += h + 2;
    };
    std::vector<std::string> heads;
    for (const auto& c : cols) heads.push_back(c.head);
    room_for(40);
    page_.rule(y, 1.0);
    y += 3;
    draw_row(heads, true);
    page_.rule(y, 0.6);
    y += 3;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const bool total = last_is_total && i + 1 == rows.size();
      if (total) {
        page_.rule(y, 0.4);
        y += 3;
      }
      draw_row(rows[i], total);
    }
    page_.rule(y, 1.0);
    y += 6;
  }

 private:
  cairo_t* cr_;
  Page page_;
};

std::string cat_name(Category c) {
  return std::string(category_name_zh(c)) + " " + std::string(category_name_en(c));
}

void set_rgb(cairo_t* cr, int rgb) {
  cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
}

constexpr int kAmountBlue = 0x427ab8;
constexpr int kSubsidyGreen = 0x2e9e5b;

// The bars: one per category, the amount in blue with the subsidy inside it in green.
void bar_chart(Sheet& s, const DailyReport& r) {
  const auto& cats = r.figures.by_category;
  const double height = 190;
  s.room_for(height + 20);
  cairo_t* cr = s.cr();
  Page& page = s.page();
  const double top = s.y + 34, base = s.y + height - 30;
  if (cats.empty()) {
    page.text(e("本期没有销售 No sales in this period"), kMargin, s.y + height / 2, Sheet::content, 10,
              PANGO_ALIGN_CENTER);
    s.y += height;
    return;
  }
  set_rgb(cr, kSubsidyGreen);
  page.text(e("蓝:金额  绿:其中补贴   blue: amount, green: subsidy within it"), kMargin, s.y, Sheet::content, 8.5);
  Fen max_total = 1;
  for (const auto& [c, t] : cats) max_total = std::max(max_total, t.total);
  const double slot = Sheet::content / static_cast<double>(std::max<std::size_t>(cats.size(), 4));
  const double bar = std::min(60.0, slot - 16);
  double x = kMargin;
  for (const auto& [c, t] : cats) {
    const double h = (base - top) * static_cast<double>(t.total) / static_cast<double>(max_total);
    const double sh = (base - top) * static_cast<double>(t.subsidy) / static_cast<double>(max_total);
    const double bx = x + (slot - bar) / 2;
    set_rgb(cr, kAmountBlue);
    cairo_rectangle(cr, bx, base - h, bar, h);
    cairo_fill(cr);
    set_rgb(cr, kSubsidyGreen);
    cairo_rectangle(cr, bx, base - sh, bar, sh);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    page.text(e(format_yuan(t.total)), x, base - h - 13, slot, 8.5, PANGO_ALIGN_CENTER);
    page.text(e(cat_name(c)), x, base + 4, slot, 9, PANGO_ALIGN_CENTER);
    page.text(e(std::to_string(t.count) + " 件"), x, base + 15, slot, 8, PANGO_ALIGN_CENTER);
    x += slot;
  }
  cairo_set_source_rgb(cr, 0, 0, 0);
  page.line(kMargin, base, kMargin + Sheet::content, 0.8);
  s.y += height;
}

// The line: the amount of each day, with the subsidy as a second line.
void line_chart(Sheet& s, const DailyReport& r) {
  const auto& pts = r.figures.series;
  const double height = 170;
  s.room_for(height + 10);
  cairo_t* cr = s.cr();
  Page& page = s.page();
  const double left = kMargin + 66, right = kMargin + Sheet::content - 6;
  const double top = s.y + 18, base = s.y + height - 34;
  Fen max_total = 1;
  for (const auto& p : pts) max_total = std::max(max_total, p.total);
  cairo_set_source_rgb(cr, 0, 0, 0);
  page.text(e(format_yuan(max_total)), kMargin, top - 5, 60, 7.5, PANGO_ALIGN_RIGHT);
  page.text(e("0"), kMargin, base - 5, 60, 7.5, PANGO_ALIGN_RIGHT);
  cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
  for (int g = 0; g <= 4; ++g) page.line(left, top + (base - top) * g / 4.0, right, 0.4);
  cairo_set_source_rgb(cr, 0, 0, 0);
  page.line(left, base, right, 0.8);
  set_rgb(cr, kAmountBlue);
  page.text(e("蓝:每日金额  绿:每日补贴   blue: amount per day, green: subsidy per day"), kMargin, s.y,
            Sheet::content, 8.5);
  if (pts.empty()) {
    s.y += height;
    return;
  }
  const double step = pts.size() > 1 ? (right - left) / static_cast<double>(pts.size() - 1) : 0;
  auto px = [&](std::size_t i) { return pts.size() > 1 ? left + step * static_cast<double>(i) : (left + right) / 2; };
  auto py = [&](Fen v) { return base - (base - top) * static_cast<double>(v) / static_cast<double>(max_total); };
  for (int pass = 0; pass < 2; ++pass) {
    set_rgb(cr, pass == 0 ? kAmountBlue : kSubsidyGreen);
    cairo_set_line_width(cr, 1.6);
    for (std::size_t i = 0; i < pts.size(); ++i) {
      const double yv = py(pass == 0 ? pts[i].total : pts[i].subsidy);
      if (i == 0) cairo_move_to(cr, px(i), yv);
      else cairo_line_to(cr, px(i), yv);
    }
    cairo_stroke(cr);
    for (std::size_t i = 0; i < pts.size(); ++i) {
      cairo_arc(cr, px(i), py(pass == 0 ? pts[i].total : pts[i].subsidy), 1.8, 0, 2 * M_PI);
      cairo_fill(cr);
    }
  }
  // Dates under the axis: the first, the last and a few between, never crowded.
  cairo_set_source_rgb(cr, 0, 0, 0);
  const std::size_t every = std::max<std::size_t>(1, (pts.size() + 5) / 6);
  const std::size_t last = pts.size() - 1;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const bool regular = i % every == 0 && (i == last || last - i >= every / 2 + 1);
    if (!regular && i != last) continue;
    page.text(e(pts[i].date.iso().substr(5)), px(i) - 22, base + 4, 44, 7.5, PANGO_ALIGN_CENTER);
  }
  s.y += height;
}

}  // namespace

Result<std::string> report_pdf(const DailyReport& r, const ReportHeading& h) {
  const auto& f = r.figures;
  const std::string kind_zh = r.is_period() ? "期间报表" : "日报";
  const std::string kind_en = r.is_period() ? "Period report" : "Daily report";
  const std::string period = r.is_period() ? f.date.iso() + " ~ " + f.to.iso() : f.date.iso();
  PdfStream pdf("惠农收银台 " + kind_zh + " " + period);
  Sheet s(pdf.cr);
  Page& page = s.page();
  const double content = Sheet::content;

  s.y += page.text(b("惠农收银台 " + kind_zh), kMargin, s.y, content, 20, PANGO_ALIGN_CENTER);
  s.y += page.text(e("Huinong POS - " + kind_en), kMargin, s.y, content, 11, PANGO_ALIGN_CENTER) + 8;
  std::string who = h.outlet_name.empty() ? h.outlet_code : h.outlet_name + " (" + h.outlet_code + ")";
  std::string terminals;
  for (const auto& t : f.terminals) terminals += (terminals.empty() ? "" : ", ") + t;
  page.text("网点 Outlet: " + b(who) + "\n期间 Period: " + b(period), kMargin, s.y, content * 0.6, 10);
  s.y += page.text("生成 Generated:\n" + e(h.generated_at), kMargin + content * 0.6, s.y, content * 0.4, 10,
                   PANGO_ALIGN_RIGHT);
  s.y += page.text("终端 Terminals: " + e(terminals), kMargin, s.y, content, 10) + 6;

  s.heading("汇总 Summary");
  const std::vector<Column> two{{"项目 Item", content * 0.62}, {"数值 Value", content * 0.38, true}};
  s.table(two,
          {{"销售单数 Sales / 件数 Items", std::to_string(f.sales_count) + " / " + std::to_string(r.items_count)},
           {"金额 Total (元)", format_yuan(r.total)},
           {"补贴 Subsidy (元): 中央 80% Central / 省级 20% Provincial",
            format_yuan(r.subsidy) + ": " + format_yuan(r.subsidy_central) + " / " + format_yuan(r.subsidy_provincial)},
           {"退货 Returns: 件数 / 金额 / 补贴", std::to_string(f.returns_count) + " / " + format_yuan(f.returns_total) +
                                                   " / " + format_yuan(f.returns_subsidy)},
           {"预退货 Pre-returns: 件数 / 金额 / 补贴", std::to_string(f.pre_returns_count) + " / " +
                                                        format_yuan(f.pre_returns_total) + " / " +
                                                        format_yuan(f.pre_returns_subsidy)},
           {"被拒尝试 Refused attempts", std::to_string(f.refused_attempts)},
           // Issue 16: what the buyers paid with; cash as tendered, the change given apart.
           {"付款 Payments: 现金 Cash / 银行卡 Card / 移动支付 Mobile / 找零 Change",
            [&f] {
              auto amount = [&f](const char* m) {
                const auto it = f.by_payment.find(m);
                return format_yuan(it == f.by_payment.end() ? 0 : it->second.amount);
              };
              return amount("cash") + " / " + amount("card") + " / " + amount("mobile") + " / " +
                     format_yuan(f.change_given);
            }()},
           {"待上传 Pending upload (已逾期 overdue / 今日截止 due today)",
            std::to_string(f.pending_upload) + " (" + std::to_string(r.pending_overdue) + " / " +
                std::to_string(r.pending_last_day) + ")"}},
          false);

  s.heading("按品类 By category", 100);
  const std::vector<Column> cat_cols{{"品类 Category", content * 0.28},      {"件数 Items", content * 0.11, true},
                                     {"金额 Total", content * 0.17, true},   {"补贴 Subsidy", content * 0.15, true},
                                     {"中央 Central", content * 0.15, true}, {"省级 Prov.", content * 0.14, true}};
  std::vector<std::vector<std::string>> rows;
  for (const auto& [c, t] : f.by_category) {
    const auto& sp = r.category_split.at(c);
    rows.push_back({cat_name(c), std::to_string(t.count), format_yuan(t.total), format_yuan(t.subsidy),
                    format_yuan(sp.central), format_yuan(sp.provincial)});
  }
  rows.push_back({"合计 All", std::to_string(r.items_count), format_yuan(r.total), format_yuan(r.subsidy),
                  format_yuan(r.subsidy_central), format_yuan(r.subsidy_provincial)});
  s.table(cat_cols, rows, true);
  bar_chart(s, r);

  s.heading(r.is_period() ? "每日金额 Amount per day" : "近 30 日金额 The last 30 days", 170);
  line_chart(s, r);

  s.heading("按营业员 By clerk");
  const std::vector<Column> clerk_cols{{"营业员 Clerk", content * 0.27},    {"单数 Sales", content * 0.11, true},
                                       {"件数 Items", content * 0.11, true}, {"金额 Total", content * 0.18, true},
                                       {"补贴 Subsidy", content * 0.18, true}, {"被拒 Refused", content * 0.15, true}};
  rows.clear();
  for (const auto& [login, c] : f.by_clerk)
    rows.push_back({c.name + " (" + login + ")", std::to_string(c.sales), std::to_string(c.items), format_yuan(c.total),
                    format_yuan(c.subsidy), std::to_string(c.refused)});
  s.table(clerk_cols, rows, false);

  s.heading("被拒尝试 Refused attempts (按原因 by code)");
  rows.clear();
  for (const auto& [code, n] : f.refused_by_code)
    rows.push_back({refusal_title_zh(code) + " " + refusal_title_en(code), code, std::to_string(n)});
  s.table({{"原因 Reason", content * 0.50}, {"代码 Code", content * 0.32}, {"次数 Attempts", content * 0.18, true}}, rows,
          false);

  s.heading("待上传 Pending uploads (截止 = 销售后第 3 个工作日 / due = 3rd working day)");
  rows.clear();
  for (const auto& p : f.pending)
    rows.push_back({(p.terminal.empty() ? "" : p.terminal + " ") + p.sale_date.iso(), std::to_string(p.count),
                    p.first_invoice + " - " + p.last_invoice, p.due.iso(),
                    std::string(deadline_state_zh(p.state)) + " " + std::string(deadline_state_code(p.state))});
  s.table({{"销售日期 Sale date", content * 0.25},
           {"笔数 Sales", content * 0.12, true},
           {"发票 Invoices", content * 0.27},
           {"截止 Due", content * 0.16},
           {"状态 State", content * 0.20}},
          rows, false);
  return pdf.finish();
}

}  // namespace hn::printer
