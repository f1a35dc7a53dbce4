// A terminal opened or created, what its use cases share (roles, the caches read once, the
// journal, the clock) and the small records of the counter screen. The use cases live by area:
// users.cpp, imports.cpp, goods.cpp, settings.cpp, checkout.cpp, invoices.cpp, holds.cpp,
// returns.cpp, exchanges.cpp, tasks.cpp, sync_status.cpp, reports.cpp, audit.cpp, backup.cpp.
#include "app/terminal.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "app/access.hpp"
#include "app/device_settings.hpp"
#include "app/paths.hpp"
#include "app/store_access.hpp"
#include "platform/signing.hpp"
#include "core/text.hpp"

namespace hn::app {

Problem role_refused(const UserRecord& u) {
  return not_permitted("ROLE_NOT_PERMITTED",
                       "用户 " + u.login + "(" + role_name_zh(u.role) + ")无权执行此操作",
                       "user " + u.login + " (" + std::string(store::role_code(u.role)) +
                           ") is not permitted to do this");
}

std::string role_name_zh(store::Role r) {
  switch (r) {
    case store::Role::Manager: return "店长";
    case store::Role::Auditor: return "稽核员";
    case store::Role::Clerk: break;
  }
  return "营业员";
}

bool has_role(const UserRecord& u, std::initializer_list<Role> roles) {
  return std::find(roles.begin(), roles.end(), u.role) != roles.end();
}

namespace {

bool all_of_chars(const std::string& s, bool (*pred)(char)) {
  return std::all_of(s.begin(), s.end(), pred);
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_login_char(char c) {
  return (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || c == '.' || c == '-';
}
bool is_code_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '-';
}

}  // namespace

int exit_code(ProblemKind kind) {
  switch (kind) {
    case ProblemKind::BadInput: return 2;
    case ProblemKind::Refused: return 3;
    case ProblemKind::NotPermitted: return 4;
    case ProblemKind::VerificationFailed: return 5;
    case ProblemKind::Internal: return 1;
  }
  return 1;
}

bool is_valid_login(const std::string& s) {
  return !s.empty() && s.size() <= 32 && all_of_chars(s, is_login_char);
}
bool is_valid_pin(const std::string& s) {
  return s.size() >= 4 && s.size() <= 12 && all_of_chars(s, is_digit);
}
bool is_valid_county(const std::string& s) {
  return s.size() == 6 && all_of_chars(s, is_digit) && s[0] >= '1' && s[0] <= '8';
}
bool is_valid_outlet_code(const std::string& s) {
  return !s.empty() && s.size() <= 32 && all_of_chars(s, is_code_char);
}

std::int64_t SystemClock::unix_seconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<Done> check_init_options(const InitOptions& o) {
  if (!is_valid_outlet_code(o.outlet_code))
    return bad_input("OUTLET_CODE_INVALID", "网点编码 " + quote_for_message(o.outlet_code) + " 无效:1-32 位字母、数字或 -",
                     "outlet code " + quote_for_message(o.outlet_code) + " is invalid: 1-32 letters, digits or -");
  if (trim(o.outlet_name).empty() || !is_valid_utf8(o.outlet_name))
    return bad_input("OUTLET_NAME_INVALID", "请给出网点名称(UTF-8)", "give the outlet's name (UTF-8)");
  if (const auto name = check_text("outlet_name", o.outlet_name, TextKind::OutletName); !name.ok())
    return text_refused(name);
  if (!is_valid_county(o.county))
    return bad_input("COUNTY_INVALID", "县级行政区划代码 " + quote_for_message(o.county) + " 无效:应为 6 位数字,如 341122",
                     "county code " + quote_for_message(o.county) + " is invalid: it has 6 digits, e.g. 341122");
  if (!is_valid_login(o.manager_login))
    return bad_input("LOGIN_INVALID", "登录名 " + quote_for_message(o.manager_login) + " 无效:1-32 位小写字母、数字或 _ . -",
                     "login " + quote_for_message(o.manager_login) + " is invalid: 1-32 lowercase letters, digits or _ . -");
  if (trim(o.manager_name).empty())
    return bad_input("NAME_INVALID", "请给出店长姓名", "give the manager's name");
  if (const auto name = check_text("manager_name", o.manager_name, TextKind::PersonName); !name.ok())
    return text_refused(name);
  if (!is_valid_pin(o.manager_pin))
    return bad_input("PIN_INVALID", "PIN 应为 4-12 位数字(由 HUINONG_NEW_PIN 给出)",
                     "the PIN must have 4-12 digits (given in HUINONG_NEW_PIN)");
  if (o.household_limit && (*o.household_limit < 1 || *o.household_limit > 99))
    return bad_input("HOUSEHOLD_LIMIT_INVALID", "每户限购台数应为 1-99", "the household limit must be 1-99");
  return Done{};
}

Result<InitResult> Terminal::init(const std::string& db_path, const InitOptions& o, const Clock& clock) {
  if (auto checked = check_init_options(o); !checked) return checked.problem();

  // Read and check every shipped policy phase before anything is created.
  std::vector<std::pair<PolicyPhase, std::string>> phases;
  std::error_code ec;
  const std::filesystem::path policy_dir = std::filesystem::path(o.assets_dir) / "policy";
  for (const auto& entry : std::filesystem::directory_iterator(policy_dir, ec)) {
    if (entry.path().extension() != ".ini") continue;
    auto text = read_input_file(entry.path().string(), files::Kind::PolicyIni);
    if (!text) return text.problem();
    PolicyPhase phase;
    ImportMessage err;
    if (!parse_policy_file(text.value(), phase, err))
      return bad_input("POLICY_INVALID", "策略文件 " + entry.path().string() + " 有误:" + err.text(),
                       "policy file " + entry.path().string() + " is invalid: " + err.text());
    phases.emplace_back(std::move(phase), std::move(text.value()));
  }
  const bool have_phase = std::any_of(phases.begin(), phases.end(),
                                      [&](const auto& p) { return p.first.id == o.policy_phase; });
  if (!have_phase)
    return bad_input("POLICY_UNKNOWN", "在 " + policy_dir.string() + " 中找不到补贴政策 " + o.policy_phase,
                     "policy phase " + o.policy_phase + " was not found in " + policy_dir.string());

  ensure_parent_dir(db_path);
  store::Store s = store::Store::create(db_path);
  platform::Transaction tx(s.db());
  s.settings().set(kOutletCode, o.outlet_code);
  s.settings().set(kOutletName, o.outlet_name);
  s.settings().set(kOutletCounty, o.county);
  s.settings().set(kTerminalId, o.terminal_id);
  s.settings().set(kPolicyPhase, o.policy_phase);
  s.settings().set(kUtcOffset, std::to_string(Settings().utc_offset_minutes));
  if (o.household_limit)
    for (Category c : kAllCategories)
      s.settings().set(kLimitPrefix + std::string(category_code(c)), std::to_string(*o.household_limit));
  for (const auto& [phase, text] : phases) s.policy_phases().put(phase.id, text);
  // The holiday calendars travel with the policy data: the terminal keeps its own copy.
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(o.assets_dir) / "calendar", ec)) {
    if (entry.path().extension() != ".txt") continue;
    const auto text = read_input_file(entry.path().string(), files::Kind::HolidayCalendar);
    if (!text) return text.problem();
    HolidayCalendar check;
    ImportMessage err;
    if (!check.add(text.value(), err))
      return bad_input("CALENDAR_INVALID", "节假日文件 " + entry.path().string() + " 有误:" + err.text(),
                       "holiday file " + entry.path().string() + " is invalid: " + err.text());
    s.settings().set("calendar." + entry.path().stem().string(), text.value());
  }
  s.users().add(o.manager_login, o.manager_name, Role::Manager, o.manager_pin);
  const LocalTime now = local_time_from_unix(clock.unix_seconds(), 480);
  s.journal(now.iso(), o.manager_login, "init",
            {{"outlet_code", o.outlet_code},
             {"outlet_name", o.outlet_name},
             {"county", o.county},
             {"terminal_id", o.terminal_id},
             {"policy_phase", o.policy_phase},
             {"household_limit", o.household_limit ? *o.household_limit : 0},
             {"manager", o.manager_login},
             {"manager_name", o.manager_name}});
  // The terminal's signing key for closings, exports and invoice QR codes (audit issue).
  const auto key = platform::SigningKey::create(platform::SigningKey::path_for(db_path));
  s.settings().set(kPublicKey, key.public_hex());
  s.journal(now.iso(), o.manager_login, "signing_key",
            {{"public_key", key.public_hex()}, {"fingerprint", platform::key_fingerprint(key.public_hex())}});
  // The way back when the only manager is locked out: shown once, kept on paper.
  InitResult result;
  result.recovery_code = make_recovery_code(s);
  s.journal(now.iso(), o.manager_login, "recovery_code_issued", {{"by", o.manager_login}});
  tx.commit();
  return result;
}

store::Store& store_of(Terminal& t) { return t.store_; }

std::unique_ptr<Terminal> Terminal::open(const std::string& db_path, const Clock& clock) {
  return std::unique_ptr<Terminal>(new Terminal(store::Store::open(db_path), clock));
}

void Terminal::drop_caches() {
  catalog_cache_.reset();
  policy_cache_.reset();
  outlet_cache_.reset();
  offset_cache_.reset();
  settings_cache_.reset();
}

void Terminal::refresh_caches() {
  if (caches_fresh_) return;  // checked once already in this use case (FreshCaches)
  const std::int64_t version = store_.db().data_version();
  if (version != data_version_) drop_caches();
  data_version_ = version;
}

LocalTime Terminal::now() {
  refresh_caches();
  if (!offset_cache_) offset_cache_ = settings().utc_offset_minutes;
  return local_time_from_unix(clock_.unix_seconds(), *offset_cache_);
}

store::JournalEntry Terminal::journal(const UserRecord& actor, const std::string& kind, const nlohmann::json& body) {
  return store_.journal(now().iso(), actor.login, kind, body);
}

Outlet Terminal::outlet() {
  refresh_caches();
  if (!outlet_cache_) {
    const Settings s = settings();
    outlet_cache_ = Outlet{s.outlet_code, s.outlet_name, s.outlet_county};
  }
  return *outlet_cache_;
}

PolicyPhase Terminal::policy() {
  refresh_caches();
  if (policy_cache_) return *policy_cache_;
  const Settings stored = settings();
  const std::string id = stored.policy_phase;
  const auto source = store_.policy_phases().source(id);
  PolicyPhase phase;
  ImportMessage err;
  if (!source || !parse_policy_file(*source, phase, err))
    throw std::runtime_error("stored policy phase " + id + " is missing or damaged");
  policy_cache_ = apply_overrides(std::move(phase), stored.overrides);
  return *policy_cache_;
}

HolidayCalendar Terminal::calendar() {
  HolidayCalendar cal;
  for (const auto& file : store_.settings().calendars()) {
    ImportMessage err;
    cal.add(file, err);  // checked when stored
  }
  return cal;
}

void Terminal::record_login(const UserRecord& user) {
  platform::Transaction tx(store_.db());
  journal(user, "login", {{"user", user.login}, {"role", store::role_code(user.role)}});
  tx.commit();
}

void Terminal::record_logout(const UserRecord& user, const std::string& why) {
  platform::Transaction tx(store_.db());
  journal(user, "logout", {{"user", user.login}, {"why", why}});
  tx.commit();
}

void Terminal::record_document_read(const UserRecord& user, const nlohmann::json& summary) {
  platform::Transaction tx(store_.db());
  journal(user, "document_read", summary);
  tx.commit();
}

std::string Terminal::terminal_label() {
  return outlet().code + "/" + settings().terminal_id;
}

}  // namespace hn::app
