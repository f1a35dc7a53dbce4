#pragma once
// The people who work the counter, their roles and PINs.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/records.hpp"
#include "store/platform_names.hpp"

namespace hn::store {

// After this many wrong PINs in a row the account is locked until a manager unlocks it.
inline constexpr int kMaxFailedPins = 5;

class Users {
 public:
  explicit Users(Database& db) : db_(db) {}
  std::optional<User> find(const std::string& login);
  std::optional<User> find(std::int64_t id);
  // Every user, by login.
  std::vector<User> all();
  std::int64_t add(const std::string& login, const std::string& name, Role role, const std::string& pin);
  bool pin_matches(std::int64_t user_id, const std::string& pin);
  // Counts a sign-in attempt before its PIN is compared: the attempt's number (1 to
  // kMaxFailedPins), or empty when the user is locked, inactive or has no attempt left.
  std::optional<int> reserve_pin_attempt(std::int64_t user_id);
  void lock(std::int64_t user_id);
  void clear_failed_pins(std::int64_t user_id);
  // As long as comparing a PIN, for a login that does not exist.
  static void spend_pin_time(const std::string& pin);
  // A new PIN; unlocks the user and clears the count of wrong PINs.
  void set_pin(std::int64_t user_id, const std::string& pin);
  void unlock(std::int64_t user_id);
  // The user can no longer sign in; the row stays for the journal's sake.
  void deactivate(std::int64_t user_id);
  void set_role(std::int64_t user_id, Role role);

 private:
  Database& db_;
};

}  // namespace hn::store
