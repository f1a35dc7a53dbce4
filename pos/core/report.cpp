#include "core/report.hpp"

#include <algorithm>

#include "core/csv.hpp"
#include "core/text.hpp"

namespace hn {

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
  return r;
}

std::string render_report_text(const DailyReport& r, const std::string& outlet_name) {
  const auto& f = r.figures;
  std::string out;
  auto line = [&](const std::string& s) { out += s + "\n"; };
  line("日报 Daily report  " + f.date.iso() + "  " + outlet_name);
  line("销售单数 Sales: " + std::to_string(f.sales_count) +
       "   件数 Items: " + std::to_string(r.items_count));
  line("金额 Total: " + format_yuan(r.total) + "   补贴 Subsidy: " + format_yuan(r.subsidy));
  line("  中央 Central: " + format_yuan(r.subsidy_central) +
       "   省级 Provincial: " + format_yuan(r.subsidy_provincial));
  line("退货 Returns: " + std::to_string(f.returns_count) + "   金额 Amount: " +
       format_yuan(f.returns_total) + "   补贴 Subsidy: " + format_yuan(f.returns_subsidy));
  line("待上传 Pending upload: " + std::to_string(f.pending_upload));
  line("");
  auto name_of = [](Category c) {
    return std::string(category_name_zh(c)) + " " + std::string(category_name_en(c));
  };
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

}  // namespace hn
