// `huinong report daily|period|merge` (reports issue): the manager's figures as text, JSON,
// the category CSV on stdout, or written to a file — a spreadsheet CSV (UTF-8 with BOM,
// formulas neutralised) or an A4 PDF with the charts. `merge` adds up the auditor export files
// of a shop's terminals after verifying each one, without a database.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/day_close.hpp"
#include "app/paths.hpp"
#include "app/report_merge.hpp"
#include "cli/report_commands.hpp"
#include "core/text.hpp"
#include "printer/report_pdf.hpp"

namespace hn::cli {

using nlohmann::json;

namespace {

json report_json(const DailyReport& r, const std::string& outlet_code) {
  const auto& f = r.figures;
  json by_category = json::object();
  for (const auto& [cat, ct] : f.by_category) {
    const auto& s = r.category_split.at(cat);
    by_category[std::string(category_code(cat))] = {{"count", ct.count},
                                                     {"total", format_yuan(ct.total)},
                                                     {"subsidy", format_yuan(ct.subsidy)},
                                                     {"subsidy_central", format_yuan(s.central)},
                                                     {"subsidy_provincial", format_yuan(s.provincial)}};
  }
  json by_clerk = json::object();
  for (const auto& [login, c] : f.by_clerk) {
    const auto& s = r.clerk_split.at(login);
    by_clerk[login] = {{"name", c.name},
                       {"sales_count", c.sales},
                       {"items_count", c.items},
                       {"total", format_yuan(c.total)},
                       {"subsidy", format_yuan(c.subsidy)},
                       {"subsidy_central", format_yuan(s.central)},
                       {"subsidy_provincial", format_yuan(s.provincial)},
                       {"refused_attempts", c.refused}};
  }
  json pending = json::array();
  for (const auto& p : f.pending) {
    json row = {{"sale_date", p.sale_date.iso()},      {"count", p.count},
                {"first_invoice", p.first_invoice},    {"last_invoice", p.last_invoice},
                {"due", p.due.iso()},                  {"state", deadline_state_code(p.state)}};
    if (!p.terminal.empty()) row["terminal"] = p.terminal;
    pending.push_back(std::move(row));
  }
  json series = json::array();
  for (const auto& d : f.series)
    series.push_back({{"date", d.date.iso()}, {"sales_count", d.sales}, {"total", format_yuan(d.total)},
                      {"subsidy", format_yuan(d.subsidy)}});
  // Issue 16: what the buyers paid with, per method; the cash as tendered and the change apart.
  json by_payment = json::object();
  for (const auto& [method, t] : f.by_payment)
    by_payment[method] = {{"count", t.count}, {"amount", format_yuan(t.amount)}};
  const auto cash = f.by_payment.find("cash");
  const Fen cash_in = cash == f.by_payment.end() ? 0 : cash->second.amount;
  return {{"date", f.date.iso()},
          {"by_payment", by_payment},
          {"change_given", format_yuan(f.change_given)},
          {"cash_kept", format_yuan(cash_in - f.change_given)},
          {"from", f.date.iso()},
          {"to", f.to.iso()},
          {"outlet_code", outlet_code},
          {"terminals", f.terminals},
          {"sales_count", f.sales_count},
          {"items_count", r.items_count},
          {"total", format_yuan(r.total)},
          {"subsidy", format_yuan(r.subsidy)},
          {"subsidy_central", format_yuan(r.subsidy_central)},
          {"subsidy_provincial", format_yuan(r.subsidy_provincial)},
          {"returns_count", f.returns_count},
          {"returns_total", format_yuan(f.returns_total)},
          {"returns_subsidy", format_yuan(f.returns_subsidy)},
          {"pre_returns_count", f.pre_returns_count},
          {"pre_returns_total", format_yuan(f.pre_returns_total)},
          {"pre_returns_subsidy", format_yuan(f.pre_returns_subsidy)},
          {"refused_attempts", f.refused_attempts},
          {"refused_by_code", f.refused_by_code},
          {"by_category", by_category},
          {"by_clerk", by_clerk},
          {"pending_upload", f.pending_upload},
          {"pending_overdue", r.pending_overdue},
          {"pending_due_today", r.pending_last_day},
          {"pending", pending},
          {"series", series}};
}

// What the command prints or writes: decided from --format and --out before any work.
struct Output {
  std::string format;  // text | json | csv | pdf
  std::optional<std::string> file;
};

bool output_of(Context& c, Output& o, int& exit) {
  o.file = c.args.get("out");
  const auto given = c.args.get("format");
  if (o.file && !given) {
    const std::string ext = std::filesystem::path(*o.file).extension().string();
    if (ext == ".csv" || ext == ".CSV") o.format = "csv";
    else if (ext == ".pdf" || ext == ".PDF") o.format = "pdf";
    else {
      exit = usage_error(c, "--out 文件应以 .csv 或 .pdf 结尾,或用 --format csv|pdf 指明",
                         "--out needs a .csv or .pdf file name, or --format csv|pdf");
      return false;
    }
    return true;
  }
  o.format = given.value_or(c.json_out ? "json" : "text");
  const bool to_file = o.format == "csv" || o.format == "pdf";
  if (o.format != "text" && o.format != "json" && !to_file) {
    exit = usage_error(c, "--format 应为 text、json、csv 或 pdf", "--format must be text, json, csv or pdf");
    return false;
  }
  if (o.file && !to_file) {
    exit = usage_error(c, "--out 只写 csv 或 pdf 文件", "--out writes a csv or pdf file only");
    return false;
  }
  if (o.format == "pdf" && !o.file) {
    exit = usage_error(c, "PDF 需要 --out 文件名", "a PDF needs --out FILE");
    return false;
  }
  return true;
}

std::string now_iso(Context& c) {
  return local_time_from_unix(c.clock.unix_seconds(), 480).iso();  // the outlet's time, UTC+8
}

int emit(Context& c, const Output& o, const DailyReport& r, const ReportHeading& h) {
  if (!o.file) {
    if (o.format == "csv") std::cout << render_report_csv(r);
    else if (o.format == "text") std::cout << render_report_text(r, h.outlet_name);
    else std::cout << dump(report_json(r, h.outlet_code)) << "\n";
    return 0;
  }
  std::string bytes;
  if (o.format == "csv") {
    bytes = render_report_spreadsheet_csv(r, h);
  } else {
    auto pdf = printer::report_pdf(r, h);
    if (!pdf) return report_problem(c, {app::ProblemKind::Internal, pdf.error().code, pdf.error().message_zh,
                                        pdf.error().message_en});
    bytes = std::move(pdf.value());
  }
  std::ofstream out(*o.file, std::ios::binary | std::ios::trunc);
  out << bytes;
  out.close();
  if (!out)
    return report_problem(c, app::bad_input("OUT_UNWRITABLE", "无法写入 " + quote_for_message(*o.file) + ":请检查路径和权限",
                                            "cannot write " + quote_for_message(*o.file) + ": check the path and permissions"));
  json j = report_json(r, h.outlet_code);
  j["out"] = *o.file;
  j["out_format"] = o.format;
  j["bytes"] = bytes.size();
  print_ok(c, j,
           "已写入 Written: " + *o.file + " (" + o.format + ", " + std::to_string(bytes.size()) + " bytes)\n" +
               render_report_text(r, h.outlet_name));
  return 0;
}

HolidayCalendar shipped_calendar() {
  HolidayCalendar cal;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(app::assets_dir()) / "calendar", ec)) {
    ImportMessage err;
    if (entry.path().extension() != ".txt") continue;
    if (const auto text = app::read_input_file(entry.path().string(), files::Kind::HolidayCalendar))
      cal.add(text.value(), err);
  }
  return cal;
}

}  // namespace

int cmd_report_daily(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "date", "format", "out"}, exit)) return exit;
  Output o;
  if (!output_of(c, o, exit)) return exit;
  std::optional<Date> date;
  if (!optional_date(c, "date", date, exit)) return exit;
  auto t = open_terminal(c);
  const auto actor = login(c, *t, {app::Role::Clerk, app::Role::Manager, app::Role::Auditor});
  if (!actor) return report_problem(c, actor.problem());
  const DailyReport r = t->daily_report(date.value_or(t->now().date));
  return emit(c, o, r, {t->outlet().name, t->outlet().code, t->now().iso()});
}

int cmd_report_period(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "from", "to", "format", "out"}, exit)) return exit;
  Output o;
  if (!output_of(c, o, exit)) return exit;
  std::optional<Date> from, to;
  if (!optional_date(c, "from", from, exit) || !optional_date(c, "to", to, exit)) return exit;
  if (!from || !to) return usage_error(c, "请给出 --from 和 --to(YYYY-MM-DD)", "give --from and --to (YYYY-MM-DD)");
  if (const auto period = app::check_period(*from, *to); !period) return report_problem(c, period.problem());
  auto t = open_terminal(c);
  const auto actor = login(c, *t, {app::Role::Clerk, app::Role::Manager, app::Role::Auditor});
  if (!actor) return report_problem(c, actor.problem());
  const DailyReport r = t->period_report(*from, *to);
  return emit(c, o, r, {t->outlet().name, t->outlet().code, t->now().iso()});
}

int cmd_report_merge(Context& c) {
  int exit = 0;
  if (!only_options(c, {"date", "from", "to", "format", "out"}, exit)) return exit;
  Output o;
  if (!output_of(c, o, exit)) return exit;
  std::optional<Date> from, to, date;
  if (!optional_date(c, "date", date, exit) || !optional_date(c, "from", from, exit) || !optional_date(c, "to", to, exit))
    return exit;
  if (date && (from || to))
    return usage_error(c, "--date 与 --from/--to 只能选一种", "give --date or --from/--to, not both");
  if (date) from = to = date;
  if (c.args.words.size() < 3)
    return usage_error(c, "用法:huinong report merge 文件... [--from 日期 --to 日期]",
                       "usage: huinong report merge FILE... [--from DATE --to DATE]");
  std::vector<app::MergeInput> inputs;
  for (std::size_t i = 2; i < c.args.words.size(); ++i) {
    auto text = app::read_input_file(c.args.words[i], files::Kind::AuditBundle);
    if (!text) return report_problem(c, text.problem());
    inputs.push_back(app::MergeInput{c.args.words[i], std::move(text.value())});
  }
  const LocalTime now = local_time_from_unix(c.clock.unix_seconds(), 480);
  // No database: the shipped calendar and the default policy's split (POLICY S2: 80/20).
  const auto merged = app::merge_reports(inputs, from, to, shipped_calendar(), now.date, PolicyPhase{}.central_share_percent);
  if (!merged) return report_problem(c, merged.problem());
  ReportHeading h{merged->outlet_name.empty() ? "多网点 several outlets" : merged->outlet_name, merged->outlet_code,
                  now_iso(c)};
  return emit(c, o, merged->report, h);
}

}  // namespace hn::cli
