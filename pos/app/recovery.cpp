// The manager's recovery code (hardening issue): when the only manager has locked the account
// with wrong PINs, or forgotten the PIN, nobody is left to unlock it. `init` (and the first-run
// wizard) shows a code once; it is kept on paper, apart from the terminal. Only its salted,
// slow hash is stored (setting recovery.code), like a PIN's.
#include <nlohmann/json.hpp>

#include "app/access.hpp"
#include "app/terminal.hpp"
#include "platform/crypto.hpp"

namespace hn::app {

namespace {
constexpr const char* kRecoverySetting = "recovery.code";
constexpr int kRecoveryDigits = 16;

// "1234-5678-9012-3456" -> "1234567890123456"; empty when it is not 16 digits.
std::string digits_of(const std::string& code) {
  std::string d;
  for (char c : code) {
    if (c >= '0' && c <= '9') {
      d += c;
    } else if (c != '-' && c != ' ') {
      return {};
    }
  }
  return d.size() == kRecoveryDigits ? d : std::string();
}

std::string stored_form(const std::string& digits) {
  const platform::Bytes salt = platform::random_bytes(16);
  return platform::to_hex(salt) + ":" + platform::to_hex(platform::pin_hash(digits, salt, platform::kPinIterations));
}

bool matches(const std::string& stored, const std::string& digits) {
  const auto colon = stored.find(':');
  if (colon == std::string::npos) return false;
  auto bytes = [](const std::string& hex) {
    platform::Bytes out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<unsigned char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return out;
  };
  return platform::constant_time_equal(platform::pin_hash(digits, bytes(stored.substr(0, colon)), platform::kPinIterations),
                                    bytes(stored.substr(colon + 1)));
}
}  // namespace

std::string Terminal::make_recovery_code(store::Store& s) {
  // Uniform digits from random bytes, rejecting the few values that would bias them.
  std::string digits;
  while (digits.size() < kRecoveryDigits)
    for (unsigned char b : platform::random_bytes(16))
      if (b < 250 && digits.size() < kRecoveryDigits) digits += static_cast<char>('0' + b % 10);
  s.settings().set(kRecoverySetting, stored_form(digits));
  return digits.substr(0, 4) + "-" + digits.substr(4, 4) + "-" + digits.substr(8, 4) + "-" + digits.substr(12, 4);
}

Result<std::string> Terminal::recover_manager(const std::string& login, const std::string& code,
                                              const std::string& new_pin) {
  if (!is_valid_pin(new_pin))
    return bad_input("PIN_INVALID", "新 PIN 应为 4-12 位数字(由 HUINONG_NEW_PIN 给出)",
                     "the new PIN must have 4-12 digits (given in HUINONG_NEW_PIN)");
  const auto stored = store_.settings().get(kRecoverySetting);
  if (!stored || stored->empty())
    return refused("RECOVERY_NOT_SET", "本终端没有有效的恢复码(已用过或从未生成):请联系技术支持,用备份恢复",
                   "this terminal has no recovery code in force (used, or never made): call support and restore "
                   "from a backup");
  const std::string digits = digits_of(code);
  const auto user = store_.users().find(login);
  // The code is checked whatever the login, so the answer's speed says nothing about either.
  const bool right = !digits.empty() && matches(*stored, digits);
  if (!right || !user || user->role != Role::Manager || !user->active) {
    platform::Transaction tx(store_.db());
    store_.journal(now().iso(), "system", "recovery_failed", {{"login", login}, {"code_right", right}});
    tx.commit();
    if (right)
      return bad_input("NOT_A_MANAGER", "恢复码只能用于在职店长的账户;" + login + " 不是",
                       "the recovery code is for an active manager's account; " + login + " is not one");
    return not_permitted("RECOVERY_CODE_WRONG", "恢复码不对:请核对纸上的 16 位数字(形如 1234-5678-9012-3456)",
                         "wrong recovery code: check the 16 digits on the paper (like 1234-5678-9012-3456)");
  }
  platform::Transaction tx(store_.db());
  store_.users().set_pin(user->id, new_pin);
  const std::string next = make_recovery_code(store_);
  journal(*user, "user_recovered", {{"login", login}, {"by", "recovery_code"}, {"new_code_issued", true}});
  tx.commit();
  return next;
}

Result<std::string> Terminal::new_recovery_code(const UserRecord& actor) {
  if (actor.role != Role::Manager) return role_refused(actor);
  platform::Transaction tx(store_.db());
  const std::string code = make_recovery_code(store_);
  journal(actor, "recovery_code_issued", {{"by", actor.login}});
  tx.commit();
  return code;
}

}  // namespace hn::app
