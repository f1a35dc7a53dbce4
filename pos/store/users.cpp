#include "store/users.hpp"

#include "store/platform_names.hpp"

namespace hn::store {

namespace {
constexpr const char* kUserColumns = "id, login, name, role, failed_pins, locked, active";

User read_user(const Statement& st) {
  User u;
  u.id = st.int64(0);
  u.login = st.text(1);
  u.name = st.text(2);
  u.role = parse_role(st.text(3)).value_or(Role::Clerk);
  u.failed_pins = st.integer(4);
  u.locked = st.integer(5) != 0;
  u.active = st.integer(6) != 0;
  return u;
}
}  // namespace

std::optional<User> Users::find(const std::string& login) {
  auto st = db_.prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE login = ?");
  st.bind(1, login);
  if (!st.step()) return std::nullopt;
  return read_user(st);
}

std::optional<User> Users::find(std::int64_t id) {
  auto st = db_.prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_user(st);
}

std::vector<User> Users::all() {
  auto st = db_.prepare(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY login");
  std::vector<User> out;
  while (st.step()) out.push_back(read_user(st));
  return out;
}

std::int64_t Users::add(const std::string& login, const std::string& name, Role role, const std::string& pin) {
  const Bytes salt = random_bytes(16);
  db_.prepare("INSERT INTO users(login, name, role, pin_salt, pin_hash, pin_iterations, created_at) "
              "VALUES(?,?,?,?,?,?,datetime('now'))")
      .bind(1, login)
      .bind(2, name)
      .bind(3, role_code(role))
      .bind_blob(4, salt)
      .bind_blob(5, pin_hash(pin, salt, kPinIterations))
      .bind(6, kPinIterations)
      .run();
  return db_.last_insert_rowid();
}

bool Users::pin_matches(std::int64_t user_id, const std::string& pin) {
  auto st = db_.prepare("SELECT pin_salt, pin_hash, pin_iterations FROM users WHERE id = ?");
  st.bind(1, user_id);
  if (!st.step()) return false;
  return constant_time_equal(pin_hash(pin, st.blob(0), st.integer(2)), st.blob(1));
}

std::optional<int> Users::reserve_pin_attempt(std::int64_t user_id) {
  // One statement, committed before the slow comparison starts: however many sign-ins run at
  // once (threads, processes), at most kMaxFailedPins ever get a number to compare with.
  auto st = db_.prepare("UPDATE users SET failed_pins = failed_pins + 1 "
                        "WHERE id = ? AND active = 1 AND locked = 0 AND failed_pins < ? RETURNING failed_pins");
  st.bind(1, user_id).bind(2, kMaxFailedPins);
  std::optional<int> attempt;
  if (st.step()) attempt = st.integer(0);
  while (st.step()) {
  }
  return attempt;
}

void Users::lock(std::int64_t user_id) {
  db_.prepare("UPDATE users SET locked = 1 WHERE id = ?").bind(1, user_id).run();
}

void Users::clear_failed_pins(std::int64_t user_id) {
  db_.prepare("UPDATE users SET failed_pins = 0 WHERE id = ? AND failed_pins <> 0")
      .bind(1, user_id)
      .run();
}

void Users::spend_pin_time(const std::string& pin) {
  // An unknown login takes as long as a known one: the answer's speed names no user.
  static const Bytes salt(16, 0x5a);
  (void)pin_hash(pin, salt, kPinIterations);
}

void Users::set_pin(std::int64_t user_id, const std::string& pin) {
  const Bytes salt = random_bytes(16);
  db_.prepare("UPDATE users SET pin_salt = ?, pin_hash = ?, pin_iterations = ?, failed_pins = 0, locked = 0 WHERE id = ?")
      .bind_blob(1, salt)
      .bind_blob(2, pin_hash(pin, salt, kPinIterations))
      .bind(3, kPinIterations)
      .bind(4, user_id)
      .run();
}

void Users::unlock(std::int64_t user_id) {
  db_.prepare("UPDATE users SET failed_pins = 0, locked = 0 WHERE id = ?").bind(1, user_id).run();
}

void Users::deactivate(std::int64_t user_id) {
  db_.prepare("UPDATE users SET active = 0 WHERE id = ?").bind(1, user_id).run();
}

void Users::set_role(std::int64_t user_id, Role role) {
  db_.prepare("UPDATE users SET role = ? WHERE id = ?").bind(1, std::string(role_code(role))).bind(2, user_id).run();
}

}  // namespace hn::store
