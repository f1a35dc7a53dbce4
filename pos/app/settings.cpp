// The terminal's settings (settings.hpp): read in one place with their defaults, and a
// manager's change of one, checked and journaled.
#include "app/settings.hpp"

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "app/access.hpp"
#include "app/store_access.hpp"
#include "app/terminal.hpp"
#include "core/text.hpp"

namespace hn::app {

namespace {
bool is_digits(const std::string& s) { return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }); }
}  // namespace

Settings read_settings(store::Store& store) {
  Settings s;
  const auto text = [&store](const char* key, std::string& out) {
    if (auto v = store.settings().get(key)) out = std::move(*v);
  };
  text(kOutletCode, s.outlet_code);
  text(kOutletName, s.outlet_name);
  text(kOutletCounty, s.outlet_county);
  text(kTerminalId, s.terminal_id);
  if (const auto v = store.settings().get(kUtcOffset)) s.utc_offset_minutes = std::stoi(*v);
  text(kPolicyPhase, s.policy_phase);
  for (Category c : kAllCategories)
    if (const auto v = store.settings().get(kLimitPrefix + std::string(category_code(c))))
      s.overrides.household_limit[c] = std::stoi(*v);
  if (const auto v = store.settings().get(kCountyMismatch))
    s.overrides.county_mismatch = *v == "refuse" ? MismatchAction::Refuse : MismatchAction::Warn;
  text(kLanguage, s.language);
  if (const auto v = store.settings().get(kIdleLockMinutes)) s.idle_lock_minutes = std::stoi(*v);
  if (const auto v = store.settings().get(kHoldMinutes); v && !v->empty() && v->size() <= 4 && is_digits(*v)) {
    const int m = std::stoi(*v);
    if (m >= 1 && m <= kHoldMinutesMax) s.hold_minutes = m;
  }
  text(kBackupDir, s.backup_dir);
  text(kBackupLastDate, s.backup_last_date);
  text(kSyncServer, s.sync_server);
  text(kSyncCredentialDir, s.sync_credential_dir);
  text(kSyncPinnedKey, s.sync_pinned_public_key);
  text(kSyncUpdatesVersion, s.sync_updates_version);
  text(kSyncLastError, s.sync_last_error);
  text(kSyncLastErrorAt, s.sync_last_error_at);
  text(kSyncLastSuccessAt, s.sync_last_success_at);
  s.devices = read_device_settings(store);
  return s;
}

Settings Terminal::settings() {
  refresh_caches();
  if (!settings_cache_) settings_cache_ = read_settings(store_);
  return *settings_cache_;
}

void put_setting(Terminal& t, const std::string& key, const std::string& value) {
  t.store_.settings().set(key, value);
  t.settings_cache_.reset();
}

Result<Done> Terminal::change_setting(const UserRecord& actor, const std::string& key,
                                      const std::string& value) {
  if (actor.role != Role::Manager) return role_refused(actor);
  bool ok = false;
  if (key == "ui.language") ok = value == "zh_CN" || value == "en";
  else if (key == "policy.county_mismatch") ok = value == "warn" || value == "refuse";  // POLICY R7
  else if (key == "printer.invoice_dir") ok = !trim(value).empty() && is_valid_utf8(value);
  else if (key == "backup.dir") ok = value.empty() || (is_valid_utf8(value) && std::filesystem::path(value).is_absolute());
  else if (key == "sale.hold_minutes")  // issue 16: how long a held sale keeps its cards
    ok = !value.empty() && value.size() <= 4 && is_digits(value) && std::stoi(value) >= 1 &&
         std::stoi(value) <= kHoldMinutesMax;
  else if (key == "ui.idle_lock_minutes")
    ok = !value.empty() && value.size() <= 3 && is_digits(value) && std::stoi(value) <= 120;
  else if (is_device_setting(key)) {  // device.*: each value's form in one place (device_settings.cpp)
    if (const auto checked = check_text(key, value, TextKind::SettingValue); !checked.ok())
      return text_refused(checked);
    if (auto problem = check_device_setting(key, value)) return *problem;
    ok = true;
  } else
    return bad_input("SETTING_UNKNOWN", "没有设置项 " + quote_for_message(key),
                     "there is no setting " + quote_for_message(key));
  if (const auto checked = check_text(key, value, TextKind::SettingValue); !checked.ok())
    return text_refused(checked);
  if (!ok && key == "sale.hold_minutes")
    return bad_input("SETTING_INVALID", "设置 sale.hold_minutes 的值 " + quote_for_message(value) + " 无效:应为 1 到 1440 的整数(分钟)",
                     "the value " + quote_for_message(value) + " is not valid for sale.hold_minutes: give whole minutes from 1 to 1440");
  if (!ok)
    return bad_input("SETTING_INVALID", "设置 " + field_name_zh(key) + " 的值 " + quote_for_message(value) + " 无效",
                     "the value " + quote_for_message(value) + " is not valid for " + key);
  platform::Transaction tx(store_.db());
  const std::string before = store_.settings().get(key).value_or("");
  put_setting(*this, key, value);
  journal(actor, "setting_changed", {{"key", key}, {"from", before}, {"to", value}});
  tx.commit();
  drop_caches();
  return Done{};
}

}  // namespace hn::app
