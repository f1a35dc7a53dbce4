// `huinong sync setup|status`, `huinong sync --user L [--once]`, `huinong tasks list|resolve`: the
// upload to the provincial system (issue 4).
#include "cli/sync_commands.hpp"

#include <iostream>

#include "app/province_link.hpp"
#include "sync/client/sync_service.hpp"

namespace hn::cli {

using nlohmann::json;

namespace {
std::int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

json status_json(app::Terminal& t) {
  const app::UploadStatus s = t.upload_status();
  const app::Settings settings = t.settings();
  json j = {{"configured", s.configured},
            {"server", settings.sync_server},
            {"pending", s.pending},
            {"overdue", s.overdue},
            {"state", s.state == DeadlineState::OnTime    ? "on_time"
                      : s.state == DeadlineState::LastDay ? "last_day"
                                                          : "overdue"},
            {"oldest_sale_date", s.oldest ? json(s.oldest->iso()) : json(nullptr)},
            {"oldest_age_days", s.oldest ? json(t.now().date.serial() - s.oldest->serial()) : json(nullptr)},
            {"deadline", s.due ? json(s.due->iso()) : json(nullptr)},
            {"rejected", 0},
            {"open_tasks", s.open_tasks},
            {"last_error", s.last_error},
            {"last_error_at", s.last_error_at},
            {"last_success_at", settings.sync_last_success_at}};
  j["rejected"] = t.rejected_uploads();
  return j;
}
}  // namespace

int cmd_sync_setup(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "server", "credential", "pin-public-key"}, exit)) return exit;
  const auto server = required(c, "server", exit);
  if (!server) return exit;
  const auto dir = required(c, "credential", exit);
  if (!dir) return exit;
  auto t = open_terminal(c);
  const auto manager = login(c, *t, {app::Role::Manager});
  if (!manager) return report_problem(c, manager.problem());
  const auto r = app::setup_sync(*t, manager.value(), *server, *dir, c.args.get("pin-public-key").value_or(""));
  if (!r) return report_problem(c, r.problem());
  print_ok(c, {{"status", "ok"}, {"server", r.value()}},
           "已设置上传到 " + r.value() + " / uploads go to " + r.value());
  return 0;
}

int cmd_sync_status(Context& c) {
  int exit = 0;
  if (!only_options(c, {}, exit)) return exit;
  auto t = open_terminal(c);
  const json j = status_json(*t);
  std::string text = j["configured"] ? "省平台 Province: " + j["server"].get<std::string>() + "\n"
                                     : "尚未设置上传 Uploading is not set up (huinong sync setup)\n";
  text += "待上传 Pending: " + std::to_string(j["pending"].get<int>()) + "   逾期 Overdue: " +
          std::to_string(j["overdue"].get<int>()) + "   被拒 Rejected: " + std::to_string(j["rejected"].get<int>());
  if (!j["deadline"].is_null())
    text += "\n最早一笔 Oldest: " + j["oldest_sale_date"].get<std::string>() + "  截止 due " +
            j["deadline"].get<std::string>();
  if (!j["last_error"].get<std::string>().empty())
    text += "\n上次错误 Last error (" + j["last_error_at"].get<std::string>() + "): " + j["last_error"].get<std::string>();
  print_ok(c, j, text);
  return 0;
}

int cmd_sync_run(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "max-seconds"}, exit)) return exit;
  const bool once = c.args.flag("once");
  int max_seconds = 600;
  if (const auto v = c.args.get("max-seconds")) {
    const auto n = parse_yuan(*v);
    if (!n || v->find('.') != std::string::npos || *n / 100 < 1)
      return usage_error(c, "--max-seconds 应为正整数", "--max-seconds must be a positive whole number");
    max_seconds = static_cast<int>(*n / 100);
  }
  auto t = open_terminal(c);
  const auto user = login(c, *t, {app::Role::Clerk, app::Role::Manager});
  if (!user) return report_problem(c, user.problem());
  // A refused address or credential (say, one edited in the database) throws sync::LinkRefused
  // here, before anything is sent; run() in main.cpp reports it with its code.
  const auto client = app::connect_province(*t);
  if (!client)
    return report_problem(c, app::bad_input("SYNC_NOT_SET_UP", "尚未设置上传:请店长运行 huinong sync setup",
                                            "uploading is not set up: a manager runs huinong sync setup"));
  sync::SyncService service = app::sync_service(*t, *client, unix_ms);
  std::string update_error;
  const bool updated = service.pull_updates(update_error);
  sync::SyncCounts n = once ? service.pass() : service.drain(std::chrono::seconds(max_seconds));
  // Returns waiting on the province take their next step; what they filed goes up at once.
  app::ask_province_at_checkout(*t, *client);
  const auto advanced = t->advance_open_returns();
  if (!advanced.empty()) {
    const sync::SyncCounts more = service.pass();
    n.sent += more.sent;
    n.accepted += more.accepted;
    n.duplicate += more.duplicate;
    n.rejected += more.rejected;
    n.failures += more.failures;
    n.pending = more.pending;
    n.undelivered = more.undelivered;
    if (!more.last_error.empty()) n.last_error = more.last_error;
  }
  t->record_upload_outcome(n.last_error);
  json j = {{"status", n.pending == 0 ? "done" : "pending"},
            {"sent", n.sent},
            {"accepted", n.accepted},
            {"duplicate", n.duplicate},
            {"rejected", n.rejected},
            {"pending", n.pending},
            {"undelivered", n.undelivered},
            {"failures", n.failures},
            {"last_error", n.last_error},
            {"updates", updated ? "applied" : update_error},
            {"returns_advanced", advanced.size()}};
  std::string text = "已发送 sent " + std::to_string(n.sent) + "  接受 accepted " + std::to_string(n.accepted) +
                     "  重复 duplicate " + std::to_string(n.duplicate) + "  被拒 rejected " +
                     std::to_string(n.rejected) + "  仍待上传 still pending " + std::to_string(n.pending) +
                     (n.last_error.empty() ? "" : "\n上次错误 last error: " + n.last_error) +
                     (n.rejected > 0 ? "\n被拒的销售已列为店长任务:huinong tasks list / rejected sales are manager tasks: "
                                       "huinong tasks list"
                                     : "");
  // Nothing is lost either way: what was not delivered stays queued for the next run. But a
  // script must be able to tell a run that delivered everything from one that did not.
  if (n.undelivered == 0) {
    print_ok(c, j, text);
    return 0;
  }
  const std::string count = std::to_string(n.undelivered);
  // Rows still waiting out an earlier failure's backoff were not tried: that failure says why.
  const std::string why = n.last_error.empty() ? t->settings().sync_last_error : n.last_error;
  j["code"] = "UPLOAD_INCOMPLETE";
  j["message_zh"] = count + " 笔记录未能送达省平台,仍在队列中,下次同步时重试" + (why.empty() ? "" : "(" + why + ")");
  j["message_en"] = count + " record(s) could not be delivered to the province and stay queued for the next sync" +
                    (why.empty() ? "" : " (" + why + ")");
  print_ok(c, j, text + "\n错误 Error [UPLOAD_INCOMPLETE]: " + j["message_zh"].get<std::string>() + "\n  " +
                     j["message_en"].get<std::string>());
  return 1;  // DESIGN.md has no "not delivered" code; 1 is what a failed run of a tool says
}

int cmd_tasks_list(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "state"}, exit)) return exit;
  auto t = open_terminal(c);
  const auto manager = login(c, *t, {app::Role::Manager, app::Role::Auditor});
  if (!manager) return report_problem(c, manager.problem());
  json tasks = json::array();
  std::string text;
  for (const auto& entry : t->task_list(c.args.get("state").value_or("open"))) {
    const app::Task& task = entry.task;
    const std::string& invoice = entry.invoice_no;
    tasks.push_back({{"id", task.id}, {"kind", task.kind}, {"invoice_no", invoice}, {"code", task.code},
                     {"message_zh", task.message_zh}, {"message_en", task.message_en},
                     {"created_at", task.created_at}, {"state", task.state},
                     {"resolution", task.resolution.empty() ? json(nullptr) : json(task.resolution)}});
    text += "#" + std::to_string(task.id) + " [" + task.code + "] 发票 invoice " + invoice + ": " + task.message_zh +
            " / " + task.message_en + "\n";
  }
  print_ok(c, {{"status", "ok"}, {"tasks", tasks}}, text.empty() ? "没有任务 / no tasks" : text);
  return 0;
}

int cmd_tasks_resolve(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "task", "action", "reason", "invoice-out"}, exit)) return exit;
  const auto task_text = required(c, "task", exit);
  if (!task_text) return exit;
  const auto action = required(c, "action", exit);
  if (!action) return exit;
  const auto reason = required(c, "reason", exit);
  if (!reason) return exit;
  const std::string digits = task_text->substr(task_text->rfind('#') == 0 ? 1 : 0);
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
    return usage_error(c, "--task 应为任务编号(见 huinong tasks list)", "--task must be a task number (see huinong tasks list)");
  auto t = open_terminal(c);
  const auto manager = login(c, *t, {app::Role::Manager});
  if (!manager) return report_problem(c, manager.problem());
  const auto r = t->resolve_task(manager.value(), std::stoll(digits), *action, *reason);
  if (!r) return report_problem(c, r.problem());
  json j = {{"status", "resolved"}, {"task", r->task.id}, {"code", r->task.code}, {"resolution", r->task.resolution}};
  std::string text = "任务 #" + std::to_string(r->task.id) + " 已处理 resolved: " + r->task.resolution;
  if (r->invoice) {
    const Invoice& inv = *r->invoice;
    j["invoice_no"] = inv.invoice_no;
    j["total"] = format_yuan(inv.total);
    j["subsidy"] = format_yuan(inv.subsidy);
    text += r->task.resolution == "cancelled"
                ? "\n发票 " + inv.invoice_no + " 已作废;请收回商品,退款 " + format_yuan(inv.total) +
                      " 元,标识卡已记为收回 / invoice " + inv.invoice_no + " is void: take the goods back, refund " +
                      format_yuan(inv.total) + "; the cards are recorded as taken back"
                : "\n发票 " + inv.invoice_no + " 转为无补贴销售:请告知购买人不能申领补贴,并交给他新打印的发票 / invoice " +
                      inv.invoice_no + " is now an unsubsidised sale: tell the buyer no subsidy can be claimed and "
                      "give him the newly printed invoice";
    if (const auto out = c.args.get("invoice-out")) write_invoice_file(*out, render_invoice_text(inv));
  }
  print_ok(c, j, text);
  return 0;
}

}  // namespace hn::cli
