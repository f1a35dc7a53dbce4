#pragma once
// The terminal's settings as typed values, each with its default, in one place: what `init`,
// the manager (Terminal::change_setting) and the province link store under string keys, read
// here once and handed to the use cases and both shells (Terminal::settings()).
#include <string>

#include "app/device_settings.hpp"
#include "core/policy.hpp"

namespace hn::app {

// The keys, as stored (and as `huinong setting set --key` names the manager's ones).
inline constexpr const char* kOutletCode = "outlet.code";
inline constexpr const char* kOutletName = "outlet.name";
inline constexpr const char* kOutletCounty = "outlet.county";
inline constexpr const char* kTerminalId = "terminal.id";
inline constexpr const char* kPolicyPhase = "policy.phase";
inline constexpr const char* kUtcOffset = "clock.utc_offset_minutes";
inline constexpr const char* kLimitPrefix = "policy.household_limit.";  // + category code
inline constexpr const char* kCountyMismatch = "policy.county_mismatch";
inline constexpr const char* kLanguage = "ui.language";
inline constexpr const char* kIdleLockMinutes = "ui.idle_lock_minutes";
inline constexpr const char* kHoldMinutes = "sale.hold_minutes";
inline constexpr const char* kBackupDir = "backup.dir";
inline constexpr const char* kBackupLastDate = "backup.last_date";
inline constexpr const char* kSyncServer = "sync.server";
inline constexpr const char* kSyncCredentialDir = "sync.credential_dir";
inline constexpr const char* kSyncPinnedKey = "sync.pinned_public_key";
inline constexpr const char* kSyncUpdatesVersion = "sync.updates_version";
inline constexpr const char* kSyncLastError = "sync.last_error";
inline constexpr const char* kSyncLastErrorAt = "sync.last_error_at";
inline constexpr const char* kSyncLastSuccessAt = "sync.last_success_at";
inline constexpr const char* kPublicKey = "audit.public_key";

// How long a sale may stay held (挂单) unless a manager sets sale.hold_minutes (1-1440).
inline constexpr int kHoldMinutesDefault = 120;
inline constexpr int kHoldMinutesMax = 1440;

struct Settings {
  // What `init` stored: the outlet and this terminal.
  std::string outlet_code, outlet_name, outlet_county;
  std::string terminal_id = "01";
  int utc_offset_minutes = 480;  // Asia/Shanghai
  // The policy phase in force, and the manager's choices on top of it (POLICY R5, R7).
  std::string policy_phase = "2008-12";
  PolicyOverrides overrides;
  // The counter screen.
  std::string language = "zh_CN";  // zh_CN | en
  int idle_lock_minutes = 5;        // 0 = never
  int hold_minutes = kHoldMinutesDefault;  // a stored value out of 1-1440 counts as unset
  // Backups: where the daily ones go ("" = none) and the day of the last one.
  std::string backup_dir;
  std::string backup_last_date;
  // The province link (sync setup) and how the last upload pass ended.
  std::string sync_server;  // "" = not set up
  std::string sync_credential_dir;
  std::string sync_pinned_public_key;
  std::string sync_updates_version = "0";
  std::string sync_last_error, sync_last_error_at, sync_last_success_at;
  // The counter's devices (device_settings.hpp).
  DeviceSettings devices;
};

// Every setting above, defaults where none is stored.
Settings read_settings(store::Store& store);

}  // namespace hn::app
