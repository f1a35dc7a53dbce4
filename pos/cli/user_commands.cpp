// `huinong user ...`: a manager's user administration, and a locked-out manager's recovery.
#include "cli/user_commands.hpp"

#include <functional>

#include "core/text.hpp"

namespace hn::cli {

using nlohmann::json;

std::string recovery_notice(const std::string& code) {
  return "店长恢复码 Manager's recovery code: " + code +
         "\n请抄在纸上,与终端分开保管;只显示这一次。店长被锁定或忘记 PIN 时:huinong user recover --login 店长\n"
         "Copy it onto paper and keep it apart from the terminal; it is shown only this once. If the manager is "
         "locked out or forgets the PIN: huinong user recover --login MANAGER";
}

// huinong user recover --login MANAGER: the recovery code (HUINONG_RECOVERY_CODE or typed) and
// the new PIN (HUINONG_NEW_PIN or typed); prints the next recovery code.
int cmd_user_recover(Context& c) {
  int exit = 0;
  if (!only_options(c, {"login"}, exit)) return exit;
  const auto who = required(c, "login", exit);
  if (!who) return exit;
  auto t = open_terminal(c);
  const auto code = read_pin("HUINONG_RECOVERY_CODE", "恢复码 / recovery code");
  if (!code) return report_problem(c, pin_missing("HUINONG_RECOVERY_CODE"));
  const auto pin = read_pin("HUINONG_NEW_PIN", "新 PIN / new PIN");
  if (!pin) return report_problem(c, pin_missing("HUINONG_NEW_PIN"));
  const auto r = t->recover_manager(*who, *code, *pin);
  if (!r) return report_problem(c, r.problem());
  print_ok(c, {{"status", "ok"}, {"login", *who}, {"unlocked", true}, {"recovery_code", r.value()}},
           "用户 " + *who + " 已用恢复码解锁并设置新 PIN\nUser " + *who + " is unlocked with a new PIN\n" +
               recovery_notice(r.value()));
  return 0;
}

// huinong user recovery-code --user MANAGER: a new code; the old one stops working.
int cmd_user_recovery_code(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user"}, exit)) return exit;
  auto t = open_terminal(c);
  const auto actor = login(c, *t, {app::Role::Manager});
  if (!actor) return report_problem(c, actor.problem());
  const auto r = t->new_recovery_code(actor.value());
  if (!r) return report_problem(c, r.problem());
  print_ok(c, {{"status", "ok"}, {"recovery_code", r.value()}}, recovery_notice(r.value()));
  return 0;
}

int cmd_user_add(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "login", "name", "role"}, exit)) return exit;
  auto t = open_terminal(c);
  const auto actor = login(c, *t, {app::Role::Manager});
  if (!actor) return report_problem(c, actor.problem());
  const auto new_login = required(c, "login", exit);
  if (!new_login) return exit;
  const auto name = required(c, "name", exit);
  if (!name) return exit;
  const auto role_text = required(c, "role", exit);
  if (!role_text) return exit;
  const auto role = app::parse_role(*role_text);
  if (!role)
    return usage_error(c, "--role 应为 clerk、manager 或 auditor", "--role must be clerk, manager or auditor");
  const auto pin = read_pin("HUINONG_NEW_PIN", "新用户 PIN / new user's PIN");
  if (!pin) return report_problem(c, pin_missing("HUINONG_NEW_PIN"));
  const auto r = t->add_user(actor.value(), *new_login, *name, *role, *pin);
  if (!r) return report_problem(c, r.problem());
  print_ok(c, {{"status", "ok"}, {"login", *new_login}, {"role", *role_text}},
           "已添加用户 " + *new_login + " / added user " + *new_login);
  return 0;
}

int cmd_user_unlock(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "login"}, exit)) return exit;
  auto t = open_terminal(c);
  const auto actor = login(c, *t, {app::Role::Manager});
  if (!actor) return report_problem(c, actor.problem());
  const auto who = required(c, "login", exit);
  if (!who) return exit;
  const auto r = t->unlock_user(actor.value(), *who);
  if (!r) return report_problem(c, r.problem());
  print_ok(c, {{"status", "ok"}, {"login", *who}}, "已解锁 " + *who + " / unlocked " + *who);
  return 0;
}

namespace {
// user reset-pin | deactivate | role: a manager acts on another user (--login), journaled.
int user_admin(Context& c, bool with_role, const std::function<int(app::Terminal&, const app::UserRecord&,
                                                                 const std::string&)>& act) {
  int exit = 0;
  const bool ok = with_role ? only_options(c, {"user", "login", "role"}, exit) : only_options(c, {"user", "login"}, exit);
  if (!ok) return exit;
  auto t = open_terminal(c);
  const auto actor = login(c, *t, {app::Role::Manager});
  if (!actor) return report_problem(c, actor.problem());
  const auto who = required(c, "login", exit);
  if (!who) return exit;
  return act(*t, actor.value(), *who);
}
}  // namespace

int cmd_user_reset_pin(Context& c) {
  return user_admin(c, false, [&](app::Terminal& t, const app::UserRecord& actor, const std::string& who) {
    const auto pin = read_pin("HUINONG_NEW_PIN", "新 PIN / new PIN");
    if (!pin) return report_problem(c, pin_missing("HUINONG_NEW_PIN"));
    const auto r = t.reset_pin(actor, who, *pin);
    if (!r) return report_problem(c, r.problem());
    print_ok(c, {{"status", "ok"}, {"login", who}, {"unlocked", true}},
             "已为 " + who + " 设置新 PIN 并解锁 / new PIN set for " + who + ", unlocked");
    return 0;
  });
}

int cmd_user_deactivate(Context& c) {
  return user_admin(c, false, [&](app::Terminal& t, const app::UserRecord& actor, const std::string& who) {
    const auto r = t.deactivate_user(actor, who);
    if (!r) return report_problem(c, r.problem());
    print_ok(c, {{"status", "ok"}, {"login", who}, {"active", false}},
             "已停用 " + who + ",不能再登录 / deactivated " + who + ": can no longer sign in");
    return 0;
  });
}

int cmd_user_role(Context& c) {
  return user_admin(c, true, [&](app::Terminal& t, const app::UserRecord& actor, const std::string& who) {
    int exit = 0;
    const auto role = required(c, "role", exit);
    if (!role) return exit;
    const auto r = t.change_role(actor, who, *role);
    if (!r) return report_problem(c, r.problem());
    print_ok(c, {{"status", "ok"}, {"login", who}, {"from", r.value()}, {"role", *role}},
             who + " 的角色 / role of " + who + ": " + r.value() + " -> " + *role);
    return 0;
  });
}

int cmd_user_list(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user"}, exit)) return exit;
  auto t = open_terminal(c);
  const auto actor = login(c, *t, {app::Role::Manager, app::Role::Auditor});
  if (!actor) return report_problem(c, actor.problem());
  json users = json::array();
  std::string text;
  for (const auto& u : t->users()) {
    users.push_back({{"login", u.login}, {"name", u.name}, {"role", app::role_code(u.role)},
                     {"locked", u.locked}, {"active", u.active}});
    text += pad_right(u.login, 16) + pad_right(u.name, 16) + std::string(app::role_code(u.role)) +
            (u.locked ? "  已锁定 locked" : "") + (u.active ? "" : "  已停用 inactive") + "\n";
  }
  print_ok(c, {{"status", "ok"}, {"users", users}}, text);
  return 0;
}

}  // namespace hn::cli
