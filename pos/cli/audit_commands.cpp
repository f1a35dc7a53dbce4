#include "cli/audit_commands.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include "app/audit.hpp"
#include "app/day_close.hpp"
#include "app/paths.hpp"
#include "core/text.hpp"

namespace hn::cli {

using nlohmann::json;

int cmd_close_day(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "date", "cash-counted", "drop-held"}, exit)) return exit;
  std::optional<Date> date;
  if (!optional_date(c, "date", date, exit)) return exit;
  // Issue 16: the cash in the drawer as the manager counted it, in yuan.
  std::optional<Fen> counted;
  if (const auto text = c.args.get("cash-counted")) {
    const auto parsed = app::parse_cash_counted(*text);
    if (!parsed) return report_problem(c, parsed.problem());
    counted = parsed.value();
  }
  auto t = open_terminal(c);
  const auto manager = login(c, *t, {app::Role::Manager});
  if (!manager) return report_problem(c, manager.problem());
  // Issue 16: held sales refuse the closing (HELD_SALES_OPEN) unless the manager drops them.
  const auto r = t->close_day(manager.value(), date.value_or(t->now().date), counted, c.args.flag("drop-held"));
  if (!r) return report_problem(c, r.problem());
  const json& f = r->figures;
  json out = {{"status", "closed"}, {"date", r->date}, {"signature", r->signature}};
  for (const auto* k : {"sales_count", "returns_count", "first_seq", "last_seq"}) out[k] = f[k];
  for (const auto* k : {"sales_total", "sales_subsidy", "returns_total", "net_total", "grand_total"})
    out[k] = format_yuan(f[k].get<Fen>());
  out["first_invoice"] = f["first_invoice"];
  out["last_invoice"] = f["last_invoice"];
  json payments = json::object();
  const json paid = f.value("payments", json::object());
  for (const auto& [method, amount] : paid.items())
    payments[method] = format_yuan(amount.get<Fen>());
  out["payments"] = payments;
  out["change_given"] = format_yuan(f.value("change_given", Fen{0}));
  out["cash_net"] = format_yuan(f.value("cash_net", Fen{0}));
  out["cash_counted"] = f.contains("cash_counted") ? json(format_yuan(f["cash_counted"].get<Fen>())) : json(nullptr);
  out["cash_difference"] =
      f.contains("cash_difference") ? json(format_yuan(f["cash_difference"].get<Fen>())) : json(nullptr);
  std::string cash_line = "\n现金应有 cash expected " + format_yuan(f.value("cash_net", Fen{0}));
  if (f.contains("cash_counted"))
    cash_line += "  点钞 counted " + format_yuan(f["cash_counted"].get<Fen>()) + "  差额 difference " +
                 format_yuan(f["cash_difference"].get<Fen>());
  print_ok(c, out,
           "日结 Closing " + r->date + ": 销售 sales " + std::to_string(f["sales_count"].get<int>()) + " 笔 / " +
               format_yuan(f["sales_total"].get<Fen>()) + "  退货 returns " +
               std::to_string(f["returns_count"].get<int>()) + "  净额 net " + format_yuan(f["net_total"].get<Fen>()) +
               "  累计 grand total " + format_yuan(f["grand_total"].get<Fen>()) + cash_line +
               "\n已签名并排队上传省平台 / signed and queued for the province");
  return 0;
}

int cmd_audit_export(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "out", "from", "to"}, exit)) return exit;
  const auto out = required(c, "out", exit);
  if (!out) return exit;
  std::optional<Date> from, to;
  if (!optional_date(c, "from", from, exit) || !optional_date(c, "to", to, exit)) return exit;
  auto t = open_terminal(c);
  const auto user = login(c, *t, {app::Role::Auditor, app::Role::Manager});
  if (!user) return report_problem(c, user.problem());
  const auto bundle = t->audit_export(user.value(), from, to);
  if (!bundle) return report_problem(c, bundle.problem());
  // It holds buyers' ID numbers: owner-only, like the database.
  if (!app::write_private_file(*out, bundle.value()))
    return report_problem(c, app::bad_input("OUT_UNWRITABLE", "无法写入 " + quote_for_message(*out),
                                                                  "cannot write " + quote_for_message(*out)));
  const auto key = t->signing_key();
  print_ok(c,
           {{"status", "exported"}, {"out", *out}, {"bytes", bundle->size()}, {"public_key", key.public_hex()},
            {"fingerprint", app::key_fingerprint(key.public_hex())}, {"contains_personal_data", true}},
           "审计文件已导出 Audit file written: " + *out + "\n终端公钥指纹 key fingerprint: " +
               app::key_fingerprint(key.public_hex()) +
               "\n注意:文件含购买人个人信息,请妥善保管 / it holds buyers' personal data: keep it safe");
  return 0;
}

int cmd_audit_verify(Context& c) {
  int exit = 0;
  if (!only_options(c, {"public-key"}, exit)) return exit;
  if (c.args.words.size() != 3)
    return usage_error(c, "用法:huinong audit verify 文件 [--public-key 公钥]",
                       "usage: huinong audit verify FILE [--public-key HEX]");
  const std::string path = c.args.words[2];
  const auto text = app::read_input_file(path, files::Kind::AuditBundle);
  if (!text) return report_problem(c, text.problem());
  const auto report = app::verify_bundle(text.value(), c.args.get("public-key").value_or(""));
  json problems = json::array();
  std::string lines;
  for (const auto& p : report.problems) {
    problems.push_back({{"code", p.code}, {"message_zh", p.message_zh}, {"message_en", p.message_en}});
    lines += "✗ [" + p.code + "] " + p.message_zh + "\n  " + p.message_en + "\n";
  }
  const json out = {{"status", report.ok() ? "verified" : "failed"},
                    {"outlet", report.outlet},
                    {"terminal", report.terminal},
                    {"events", report.events},
                    {"closings", report.closings},
                    {"invoices", report.invoices},
                    {"returns", report.returns},
                    {"public_key", report.public_key},
                    {"fingerprint", report.public_key.empty() ? "" : app::key_fingerprint(report.public_key)},
                    {"problems", problems}};
  const std::string summary = "网点 outlet " + report.outlet + " 终端 terminal " + report.terminal + ": 日志 " +
                              std::to_string(report.events) + " events, 日结 " + std::to_string(report.closings) +
                              " closings, 发票 " + std::to_string(report.invoices) + " invoices; 公钥指纹 key " +
                              (report.public_key.empty() ? "?" : app::key_fingerprint(report.public_key));
  if (report.ok()) {
    print_ok(c, out, "✓ 核验通过 Verified: " + summary);
    return 0;
  }
  if (c.json_out)
    std::cout << dump(out) << "\n";
  else
    std::cout << "核验失败 VERIFICATION FAILED: " << summary << "\n" << lines;
  return 5;
}

}  // namespace hn::cli
