// A manager's user administration (issue 16): a new PIN, deactivation, a change of role. Each
// is one transaction with its journal entry; the journal never holds a PIN. The terminal always
// keeps one active manager: without one nobody could unlock, add users or close the day.
#include <nlohmann/json.hpp>

#include "app/access.hpp"
#include "app/terminal.hpp"

namespace hn::app {

namespace {

Problem unknown_user(const std::string& login) {
  return bad_input("USER_UNKNOWN", "没有用户 " + quote_for_message(login) + ":请用 huinong user list 查看登录名",
                   "there is no user " + quote_for_message(login) + ": see the logins with huinong user list");
}

Problem inactive_user(const std::string& login) {
  return bad_input("USER_INACTIVE", "用户 " + login + " 已停用,不能再修改", "user " + login + " is deactivated and cannot be changed");
}

Problem last_manager(const std::string& login) {
  return refused("LAST_MANAGER",
                 "用户 " + login + " 是最后一名在职店长,不能停用或降级:请先添加或任命另一名店长",
                 "user " + login + " is the last active manager and cannot be deactivated or demoted: add or "
                 "appoint another manager first");
}

int active_managers(store::Store& s) {
  int n = 0;
  for (const auto& u : s.users().all())
    if (u.active && u.role == Role::Manager) ++n;
  return n;
}

}  // namespace

Result<Done> Terminal::reset_pin(const UserRecord& actor, const std::string& login, const std::string& new_pin) {
  if (actor.role != Role::Manager) return role_refused(actor);
  const auto user = store_.users().find(login);
  if (!user) return unknown_user(login);
  if (!user->active) return inactive_user(login);
  if (!is_valid_pin(new_pin))
    return bad_input("PIN_INVALID", "新 PIN 应为 4-12 位数字(由 HUINONG_NEW_PIN 给出)",
                     "the new PIN must have 4-12 digits (given in HUINONG_NEW_PIN)");
  platform::Transaction tx(store_.db());
  store_.users().set_pin(user->id, new_pin);  // also unlocks and clears the count of wrong PINs
  journal(actor, "user_pin_reset", {{"login", login}, {"unlocked", true}});
  tx.commit();
  return Done{};
}

Result<Done> Terminal::deactivate_user(const UserRecord& actor, const std::string& login) {
  if (actor.role != Role::Manager) return role_refused(actor);
  platform::Transaction tx(store_.db());  // the count of managers and the change, together
  const auto user = store_.users().find(login);
  if (!user) return unknown_user(login);
  if (!user->active) return inactive_user(login);
  if (user->role == Role::Manager && active_managers(store_) <= 1) return last_manager(login);
  store_.users().deactivate(user->id);
  journal(actor, "user_deactivated", {{"login", login}, {"role", store::role_code(user->role)}});
  tx.commit();
  return Done{};
}

Result<std::string> Terminal::change_role(const UserRecord& actor, const std::string& login, const std::string& role) {
  if (actor.role != Role::Manager) return role_refused(actor);
  const auto to = store::parse_role(role);
  if (!to)
    return bad_input("ROLE_INVALID", "角色 " + quote_for_message(role) + " 无效:应为 clerk(营业员)、manager(店长)或 auditor(稽核员)",
                     "role " + quote_for_message(role) + " is invalid: it must be clerk, manager or auditor");
  platform::Transaction tx(store_.db());
  const auto user = store_.users().find(login);
  if (!user) return unknown_user(login);
  if (!user->active) return inactive_user(login);
  const std::string from(store::role_code(user->role));
  if (user->role == *to) return from;
  if (user->role == Role::Manager && active_managers(store_) <= 1) return last_manager(login);
  store_.users().set_role(user->id, *to);
  journal(actor, "user_role_changed", {{"login", login}, {"from", from}, {"to", std::string(store::role_code(*to))}});
  tx.commit();
  return from;
}

Result<UserRecord> Terminal::authenticate(const std::string& login, const std::string& pin) {
  const Problem wrong = not_permitted("PIN_WRONG", "用户名或 PIN 不对", "wrong user or PIN");
  const auto user = store_.users().find(login);
  if (!user || !user->active) {
    store::Users::spend_pin_time(pin);
    return wrong;
  }
  const Problem locked = not_permitted("USER_LOCKED", "用户 " + login + " 已因多次输错 PIN 被锁定:请店长解锁",
                                       "user " + login + " is locked after too many wrong PINs: ask a manager to unlock it");
  if (user->locked) return locked;
  // The attempt is counted (and committed) before the PIN is compared, so a burst of sign-ins
  // in parallel compares at most kMaxFailedPins of them.
  const auto attempt = store_.users().reserve_pin_attempt(user->id);
  if (!attempt) return locked;
  if (store_.users().pin_matches(user->id, pin)) {
    store_.users().clear_failed_pins(user->id);
    return *user;
  }
  const int failures = *attempt;
  platform::Transaction tx(store_.db());
  journal(*user, "login_failed", {{"user", login}, {"failures", failures}});
  if (failures >= store::kMaxFailedPins) {
    store_.users().lock(user->id);
    journal(*user, "user_locked", {{"user", login}});
  }
  tx.commit();
  if (failures >= store::kMaxFailedPins)
    return not_permitted("USER_LOCKED", "PIN 连续输错 " + std::to_string(failures) + " 次,用户 " + login + " 已锁定:请店长解锁",
                         std::to_string(failures) + " wrong PINs in a row: user " + login +
                             " is now locked; ask a manager to unlock it");
  return wrong;
}

Result<UserRecord> Terminal::authorize(const std::string& login, const std::string& pin,
                                       std::initializer_list<Role> roles) {
  auto user = authenticate(login, pin);
  if (!user) return user;
  if (!has_role(user.value(), roles)) return role_refused(user.value());
  return user;
}

Result<Done> Terminal::add_user(const UserRecord& actor, const std::string& login,
                                const std::string& name, Role role, const std::string& pin) {
  if (actor.role != Role::Manager) return role_refused(actor);
  if (!is_valid_login(login))
    return bad_input("LOGIN_INVALID", "登录名 " + quote_for_message(login) + " 无效:1-32 位小写字母、数字或 _ . -",
                     "login " + quote_for_message(login) + " is invalid: 1-32 lowercase letters, digits or _ . -");
  if (trim(name).empty() || !is_valid_utf8(name))
    return bad_input("NAME_INVALID", "请给出用户姓名", "give the user's name");
  if (const auto checked = check_text("name", name, TextKind::PersonName); !checked.ok())
    return text_refused(checked);
  if (!is_valid_pin(pin))
    return bad_input("PIN_INVALID", "新用户的 PIN 应为 4-12 位数字(由 HUINONG_NEW_PIN 给出)",
                     "the new user's PIN must have 4-12 digits (given in HUINONG_NEW_PIN)");
  if (store_.users().find(login))
    return bad_input("USER_EXISTS", "用户 " + login + " 已存在", "user " + login + " already exists");
  platform::Transaction tx(store_.db());
  store_.users().add(login, name, role, pin);
  journal(actor, "user_added", {{"login", login}, {"name", name}, {"role", store::role_code(role)}});
  tx.commit();
  return Done{};
}

Result<Done> Terminal::unlock_user(const UserRecord& actor, const std::string& login) {
  if (actor.role != Role::Manager) return role_refused(actor);
  const auto user = store_.users().find(login);
  if (!user)
    return bad_input("USER_UNKNOWN", "没有用户 " + quote_for_message(login), "there is no user " + quote_for_message(login));
  platform::Transaction tx(store_.db());
  store_.users().unlock(user->id);
  journal(actor, "user_unlocked", {{"login", login}});
  tx.commit();
  return Done{};
}

std::vector<UserRecord> Terminal::users() { return store_.users().all(); }

}  // namespace hn::app
