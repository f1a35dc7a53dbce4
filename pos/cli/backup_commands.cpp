// `huinong backup`, `huinong restore`, `huinong setting set`: the daily copy of DESIGN.md
// "Data" by hand (the counter screen makes one at the first sign-in of a day), putting a copy
// back with one command, and the manager's settings (backup.dir among them).
#include "cli/backup_commands.hpp"

#include <iostream>

namespace hn::cli {

using nlohmann::json;

int cmd_backup(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "to"}, exit)) return exit;
  auto t = open_terminal(c);
  const auto manager = login(c, *t, {app::Role::Manager});
  if (!manager) return report_problem(c, manager.problem());
  const auto r = t->backup(manager.value(), c.args.get("to").value_or(""));
  if (!r) return report_problem(c, r.problem());
  print_ok(c,
           {{"status", "ok"}, {"file", r->file}, {"key_file", r->key_file}, {"sales", r->sales},
            {"journal_seq", r->journal_seq}, {"sha256", r->sha256}},
           "已备份到 " + r->file + "(密钥文件 " + r->key_file + ",两者需一起保存),销售 " +
               std::to_string(r->sales) + " 笔\nbacked up to " + r->file + " with its key file " + r->key_file +
               " (keep both together), " + std::to_string(r->sales) + " sales");
  return 0;
}

int cmd_restore(Context& c) {
  int exit = 0;
  if (!only_options(c, {"from"}, exit)) return exit;
  const auto from = required(c, "from", exit);
  if (!from) return exit;
  const auto r = app::Terminal::restore(*from, c.db_path, c.args.flag("force"), c.clock);
  if (!r) return report_problem(c, r.problem());
  std::string text = "已从 " + r->from + " 恢复到 " + r->db + ":销售 " + std::to_string(r->sales) +
                     " 笔,最后发票号码 " + std::to_string(r->last_invoice_no) + ",备份时间 " + r->last_entry_at +
                     "\nrestored " + r->from + " to " + r->db + ": " + std::to_string(r->sales) +
                     " sales, last invoice " + std::to_string(r->last_invoice_no) + ", backup as of " +
                     r->last_entry_at;
  if (!r->set_aside.empty())
    text += "\n原数据库已改名保留为 " + r->set_aside + " / the replaced database was kept as " + r->set_aside;
  text += "\n注意:备份之后开出的发票不在其中,请按纸质发票核对 / invoices issued after the backup are not in it: "
          "check them against the paper copies";
  print_ok(c,
           {{"status", "ok"}, {"db", r->db}, {"from", r->from}, {"sales", r->sales},
            {"last_invoice_no", r->last_invoice_no}, {"backup_as_of", r->last_entry_at},
            {"set_aside", r->set_aside.empty() ? json(nullptr) : json(r->set_aside)}},
           text);
  return 0;
}

int cmd_setting_set(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "key", "value"}, exit)) return exit;
  const auto key = required(c, "key", exit);
  if (!key) return exit;
  const auto value = c.args.get("value");
  if (!value) return usage_error(c, "缺少选项 --value", "option --value is required");
  auto t = open_terminal(c);
  const auto manager = login(c, *t, {app::Role::Manager});
  if (!manager) return report_problem(c, manager.problem());
  const auto r = t->change_setting(manager.value(), *key, *value);
  if (!r) return report_problem(c, r.problem());
  print_ok(c, {{"status", "ok"}, {"key", *key}, {"value", *value}},
           "已设置 " + *key + " = " + *value + " / set " + *key + " = " + *value);
  return 0;
}

}  // namespace hn::cli
