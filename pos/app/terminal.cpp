#include "app/terminal.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "app/access.hpp"
#include "app/device_settings.hpp"
#include "app/paths.hpp"
#include "store/signing.hpp"
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
constexpr const char* kOutletCode = "outlet.code";
constexpr const char* kOutletName = "outlet.name";
constexpr const char* kOutletCounty = "outlet.county";
constexpr const char* kPolicyPhase = "policy.phase";
constexpr const char* kUtcOffset = "clock.utc_offset_minutes";
const std::string kLimitPrefix = "policy.household_limit.";

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

// The file's problem under its own code when it has one (TEXT_CONTROL_CHAR), else `code`.
Problem from_import(const ImportMessage& m, const std::string& code) {
  Problem p = bad_input(m.code.empty() ? code : m.code, m.where_zh() + m.message_zh + "。文件未导入任何内容",
                        m.where_en() + m.message_en + ". Nothing from the file was imported");
  p.field = m.field;
  return p;
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
  store::Transaction tx(s.db());
  s.set_setting(kOutletCode, o.outlet_code);
  s.set_setting(kOutletName, o.outlet_name);
  s.set_setting(kOutletCounty, o.county);
  s.set_setting(kTerminalId, o.terminal_id);
  s.set_setting(kPolicyPhase, o.policy_phase);
  s.set_setting(kUtcOffset, "480");  // Asia/Shanghai
  if (o.household_limit)
    for (Category c : kAllCategories)
      s.set_setting(kLimitPrefix + std::string(category_code(c)), std::to_string(*o.household_limit));
  for (const auto& [phase, text] : phases) s.put_policy_phase(phase.id, text);
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
    s.set_setting("calendar." + entry.path().stem().string(), text.value());
  }
  s.add_user(o.manager_login, o.manager_name, Role::Manager, o.manager_pin);
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
  const auto key = store::SigningKey::create(store::SigningKey::path_for(db_path));
  s.set_setting(kPublicKey, key.public_hex());
  s.journal(now.iso(), o.manager_login, "signing_key",
            {{"public_key", key.public_hex()}, {"fingerprint", store::key_fingerprint(key.public_hex())}});
  // The way back when the only manager is locked out: shown once, kept on paper.
  InitResult result;
  result.recovery_code = make_recovery_code(s);
  s.journal(now.iso(), o.manager_login, "recovery_code_issued", {{"by", o.manager_login}});
  tx.commit();
  return result;
}

std::unique_ptr<Terminal> Terminal::open(const std::string& db_path, const Clock& clock) {
  return std::unique_ptr<Terminal>(new Terminal(store::Store::open(db_path), clock));
}

void Terminal::drop_caches() {
  catalog_cache_.reset();
  policy_cache_.reset();
  outlet_cache_.reset();
  offset_cache_.reset();
}

void Terminal::refresh_caches() {
  if (caches_fresh_) return;  // checked once already in this use case (FreshCaches)
  auto st = store_.db().prepare("PRAGMA data_version");
  st.step();
  const std::int64_t version = st.int64(0);
  if (version != data_version_) drop_caches();
  data_version_ = version;
}

LocalTime Terminal::now() {
  refresh_caches();
  if (!offset_cache_) offset_cache_ = std::stoi(store_.setting(kUtcOffset).value_or("480"));
  return local_time_from_unix(clock_.unix_seconds(), *offset_cache_);
}

store::JournalEntry Terminal::journal(const UserRecord& actor, const std::string& kind, const nlohmann::json& body) {
  return store_.journal(now().iso(), actor.login, kind, body);
}

Outlet Terminal::outlet() {
  refresh_caches();
  if (!outlet_cache_)
    outlet_cache_ = Outlet{store_.setting(kOutletCode).value_or(""), store_.setting(kOutletName).value_or(""),
                           store_.setting(kOutletCounty).value_or("")};
  return *outlet_cache_;
}

PolicyPhase Terminal::policy() {
  refresh_caches();
  if (policy_cache_) return *policy_cache_;
  const std::string id = store_.setting(kPolicyPhase).value_or("2008-12");
  const auto source = store_.policy_phase_source(id);
  PolicyPhase phase;
  ImportMessage err;
  if (!source || !parse_policy_file(*source, phase, err))
    throw std::runtime_error("stored policy phase " + id + " is missing or damaged");
  PolicyOverrides overrides;
  for (Category c : kAllCategories)
    if (const auto v = store_.setting(kLimitPrefix + std::string(category_code(c))))
      overrides.household_limit[c] = std::stoi(*v);
  if (const auto v = store_.setting("policy.county_mismatch"))
    overrides.county_mismatch = *v == "refuse" ? MismatchAction::Refuse : MismatchAction::Warn;
  policy_cache_ = apply_overrides(std::move(phase), overrides);
  return *policy_cache_;
}

Result<UserRecord> Terminal::authenticate(const std::string& login, const std::string& pin) {
  const Problem wrong = not_permitted("PIN_WRONG", "用户名或 PIN 不对", "wrong user or PIN");
  const auto user = store_.find_user(login);
  if (!user || !user->active) {
    store::Store::spend_pin_time(pin);
    return wrong;
  }
  const Problem locked = not_permitted("USER_LOCKED", "用户 " + login + " 已因多次输错 PIN 被锁定:请店长解锁",
                                       "user " + login + " is locked after too many wrong PINs: ask a manager to unlock it");
  if (user->locked) return locked;
  // The attempt is counted (and committed) before the PIN is compared, so a burst of sign-ins
  // in parallel compares at most kMaxFailedPins of them.
  const auto attempt = store_.reserve_pin_attempt(user->id);
  if (!attempt) return locked;
  if (store_.pin_matches(user->id, pin)) {
    store_.clear_failed_pins(user->id);
    return *user;
  }
  const int failures = *attempt;
  store::Transaction tx(store_.db());
  journal(*user, "login_failed", {{"user", login}, {"failures", failures}});
  if (failures >= store::kMaxFailedPins) {
    store_.lock_user(user->id);
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
  if (store_.find_user(login))
    return bad_input("USER_EXISTS", "用户 " + login + " 已存在", "user " + login + " already exists");
  store::Transaction tx(store_.db());
  store_.add_user(login, name, role, pin);
  journal(actor, "user_added", {{"login", login}, {"name", name}, {"role", store::role_code(role)}});
  tx.commit();
  return Done{};
}

Result<Done> Terminal::unlock_user(const UserRecord& actor, const std::string& login) {
  if (actor.role != Role::Manager) return role_refused(actor);
  const auto user = store_.find_user(login);
  if (!user)
    return bad_input("USER_UNKNOWN", "没有用户 " + quote_for_message(login), "there is no user " + quote_for_message(login));
  store::Transaction tx(store_.db());
  store_.unlock_user(user->id);
  journal(actor, "user_unlocked", {{"login", login}});
  tx.commit();
  return Done{};
}

Result<ImportSummary> Terminal::import_catalog(const UserRecord& actor, const std::string& csv_text,
                                               const std::string& source) {
  if (actor.role != Role::Manager) return role_refused(actor);
  std::vector<CatalogModel> models;
  ImportMessage err;
  if (!parse_catalog_csv(csv_text, models, err)) return from_import(err, "CSV_INVALID");
  const PolicyPhase phase = policy();
  ImportSummary summary;
  summary.count = static_cast<int>(models.size());
  for (const auto& m : models) {
    const CategoryPolicy* cp = phase.active_category(m.category);
    // POLICY R3: a bid price above the category cap imports, with a warning; sales are held
    // to both limits.
    if (cp && m.max_price > cp->cap) {
      summary.warnings_zh.push_back("型号 " + m.model_code + " 的中标价格 " + format_yuan(m.max_price) +
                                    " 元高于" + std::string(category_name_zh(m.category)) + "限价 " +
                                    format_yuan(cp->cap) + " 元:销售时按较低的限价执行");
      summary.warnings_en.push_back("model " + m.model_code + " has a bid price " + format_yuan(m.max_price) +
                                    " above the " + std::string(category_name_en(m.category)) + " cap " +
                                    format_yuan(cp->cap) + ": sales are held to the lower one");
    }
  }
  store::Transaction tx(store_.db());
  for (const auto& m : models) store_.upsert_model(m);
  journal(actor, "catalog_import",
          {{"source", source}, {"models", summary.count}, {"sha256", store::sha256_hex(csv_text)}});
  tx.commit();
  drop_caches();
  return summary;
}

Result<ImportSummary> Terminal::receive_cards(const UserRecord& actor, const std::string& csv_text,
                                              const std::string& source) {
  if (actor.role != Role::Manager) return role_refused(actor);
  const Catalog catalog = store_.load_catalog();
  std::vector<CardReceiptRow> rows;
  ImportMessage err;
  if (!parse_card_batch_csv(csv_text, catalog, rows, err)) return from_import(err, "CSV_INVALID");
  store::Transaction tx(store_.db());
  for (const auto& r : rows)
    if (const auto wrong = already_received(r, true)) return from_import(*wrong, wrong->code);
  const Outlet o = outlet();
  const auto receipt = store_.add_goods_receipt(actor.id, source, rows, o.code);
  journal_goods_receipt(actor, receipt, source, rows, csv_text);
  tx.commit();
  ImportSummary summary;
  summary.count = static_cast<int>(rows.size());
  return summary;
}

Result<ImportSummary> Terminal::import_policy(const UserRecord& actor, const std::string& ini_text,
                                              const std::string& source) {
  if (actor.role != Role::Manager) return role_refused(actor);
  PolicyPhase phase;
  ImportMessage err;
  if (!parse_policy_file(ini_text, phase, err)) return from_import(err, "POLICY_INVALID");
  store::Transaction tx(store_.db());
  store_.put_policy_phase(phase.id, ini_text);
  journal(actor, "policy_import",
          {{"phase", phase.id}, {"source", source}, {"sha256", store::sha256_hex(ini_text)}});
  tx.commit();
  drop_caches();
  ImportSummary summary;
  summary.count = 1;
  return summary;
}

Result<Done> Terminal::use_policy(const UserRecord& actor, const std::string& phase_id) {
  if (actor.role != Role::Manager) return role_refused(actor);
  if (!store_.policy_phase_source(phase_id))
    return bad_input("POLICY_UNKNOWN", "没有补贴政策 " + quote_for_message(phase_id) + ":请先导入",
                     "there is no policy phase " + quote_for_message(phase_id) + ": import it first");
  store::Transaction tx(store_.db());
  const std::string before = store_.setting(kPolicyPhase).value_or("");
  store_.set_setting(kPolicyPhase, phase_id);
  journal(actor, "policy_switch", {{"from", before}, {"to", phase_id}});
  tx.commit();
  drop_caches();
  return Done{};
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
    ok = !value.empty() && value.size() <= 4 && all_of_chars(value, is_digit) && std::stoi(value) >= 1 &&
         std::stoi(value) <= kHoldMinutesMax;
  else if (key == "ui.idle_lock_minutes")
    ok = !value.empty() && value.size() <= 3 && all_of_chars(value, is_digit) && std::stoi(value) <= 120;
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
  store::Transaction tx(store_.db());
  const std::string before = store_.setting(key).value_or("");
  store_.set_setting(key, value);
  journal(actor, "setting_changed", {{"key", key}, {"from", before}, {"to", value}});
  tx.commit();
  drop_caches();
  return Done{};
}

SaleContext Terminal::context_for(const Cart& cart, const Catalog& catalog, const PolicyPhase& phase,
                                  const std::optional<HouseholdHistory>& elsewhere) {
  SaleContext ctx;
  ctx.catalog = &catalog;
  ctx.policy = &phase;
  ctx.outlet = outlet();
  ctx.today = now().date;
  if (!cart.buyer.household.empty()) ctx.history = store_.household_history(cart.buyer.household);
  // POLICY R5 counts the household's units at every outlet: add what the province knows.
  if (elsewhere)
    for (const auto& [cat, n] : elsewhere->held) ctx.history.held[cat] += n;
  for (const auto& item : cart.items)
    ctx.cards.push_back(is_valid_card_no(item.card_no)
                            ? store_.find_card(item.card_no, ctx.outlet.code)
                            : std::nullopt);
  // Cards reserved to a held sale other than the one this cart was recalled from (issue 16).
  const std::string cutoff = hold_cutoff();
  for (const auto& item : cart.items)
    ctx.held_by.push_back(is_valid_card_no(item.card_no) ? store_.card_held_by(item.card_no, cutoff, cart.held_id)
                                                         : 0);
  return ctx;
}

SaleCheck Terminal::preview(const Cart& cart) {
  // The check's reads in one read transaction: one snapshot, one lock.
  store::ReadTransaction read(store_.db());
  const FreshCaches fresh(*this);
  if (!catalog_cache_) catalog_cache_ = store_.load_catalog();
  const PolicyPhase phase = policy();
  return check_sale(context_for(cart, *catalog_cache_, phase), cart);
}

Result<CheckoutResult> Terminal::checkout(const UserRecord& clerk, const Cart& cart) {
  return checkout(clerk, cart, {});
}

Result<CheckoutResult> Terminal::checkout(const UserRecord& clerk, const Cart& cart,
                                          const std::vector<Payment>& payments) {
  if (!has_role(clerk, {Role::Clerk, Role::Manager})) return role_refused(clerk);
  // The buyer's name goes onto the invoice and the printer: no control characters, no novel.
  if (const auto text = check_buyer_text(cart.buyer); !text.ok()) return text_refused(text);
  if (auto key = require_signing_key(); !key) return key.problem();
  CheckoutResult result;
  // Ask the province first, outside the transaction (the network must never hold the database).
  std::optional<HouseholdHistory> elsewhere;
  bool provisional = false;
  if (remote_history_ && !cart.buyer.household.empty()) {
    const RemoteAnswer answer = remote_history_(cart.buyer.household);
    elsewhere = answer.held;
    provisional = answer.asked && !answer.held;
  }
  step_done("before the transaction: role, text, signing key, province");
  // The check runs inside the write transaction, so no other process can sell the same card
  // or use the same quota between the check and the commit. The caches are checked once, under
  // the write lock: the catalog and policy the sale is checked against are the ones it commits on.
  store::Transaction tx(store_.db());
  const FreshCaches fresh(*this);
  if (!catalog_cache_) catalog_cache_ = store_.load_catalog();
  const PolicyPhase phase = policy();
  const LocalTime at = now();
  step_done("BEGIN IMMEDIATE, data_version, policy and clock");
  result.check = check_sale(context_for(cart, *catalog_cache_, phase, elsewhere), cart);
  step_done("policy check: household history, cards, holds, rules");
  if (result.check.refused()) {
    // Nothing of the sale is kept (no invoice number, card or outbox row); the attempt itself
    // goes into the journal for the manager's report: who, when, which rules.
    journal_refusal(clerk, result.check);
    tx.commit();
    return result;
  }
  // The payments against the total, before anything of the sale is written.
  const Settlement paid = settle_payments(result.check.total, payments);
  if (!paid.ok()) {
    const PaymentProblem& p = *paid.problem;
    return p.code == "PAYMENT_SHORT" ? refused(p.code, p.message_zh, p.message_en)
                                     : bad_input(p.code, p.message_zh, p.message_en);
  }

  store::SaleRecord sale;
  sale.uuid = store::new_uuid();
  sale.invoice_no = store_.next_invoice_no();
  sale.sold_at = at.iso();
  sale.sale_date = at.date;
  sale.user_id = clerk.id;
  sale.buyer_name = trim(cart.buyer.name);
  sale.buyer_id = result.check.buyer_id->digits();
  sale.household = cart.buyer.household;
  sale.hukou = cart.buyer.hukou;
  sale.buyer_county = cart.buyer.county.value_or(result.check.buyer_id->region_code());
  sale.policy_phase = phase.id;
  sale.total = result.check.total;
  sale.subsidy = result.check.subsidy;
  nlohmann::json warnings = nlohmann::json::array();
  for (const auto& f : result.check.findings) {
    if (!sale.warnings.empty()) sale.warnings += ",";
    sale.warnings += finding_code_name(f.code);
    warnings.push_back(finding_code_name(f.code));
  }
  nlohmann::json items = nlohmann::json::array();
  int line_no = 0;
  for (const auto& l : result.check.lines) {
    store::SaleItemRecord it;
    it.line_no = ++line_no;
    it.card_no = l.card_no;
    it.serial_no = l.serial_no;
    it.model_code = l.model->model_code;
    it.category = l.model->category;
    it.brand = l.model->brand;
    it.name = l.model->name;
    it.spec = l.model->spec;
    it.price = l.price;
    it.subsidy = l.subsidy;
    items.push_back({{"card", it.card_no},
                     {"serial", it.serial_no},
                     {"model", it.model_code},
                     {"category", category_code(it.category)},
                     {"price", it.price},
                     {"subsidy", it.subsidy}});
    sale.items.push_back(std::move(it));
  }
  step_done("invoice number, sale record, JSON of the lines");
  const store::Store::BuyerHashes hashes = store_.buyer_hashes(sale);
  store_.insert_sale(sale, hashes);
  store_.insert_sale_payments(sale.id, paid.payments, paid.change);
  nlohmann::json jpayments = nlohmann::json::array();
  for (const auto& p : paid.payments) {
    nlohmann::json jp = {{"method", payment_method_code(p.method)}, {"amount", p.amount}};
    if (!p.reference.empty()) jp["reference"] = p.reference;
    jpayments.push_back(std::move(jp));
  }
  result.payments = paid.payments;
  result.change = paid.change;
  if (provisional) store_.mark_provisional(sale.id);
  result.provisional = provisional;
  step_done("sale rows: sale, items, cards, payments, outbox");
  // The journal holds no personal data in clear: the masked ID and keyed hashes only.
  const auto entry = journal(clerk, "sale",
          {{"sale_uuid", sale.uuid},
           {"invoice_no", format_invoice_no(sale.invoice_no)},
           {"buyer_id_masked", mask_id_text(sale.buyer_id)},
           {"buyer_id_hash", hashes.id_hash},
           {"household_hash", hashes.household_hash},
           {"policy_phase", sale.policy_phase},
           {"total", sale.total},
           {"subsidy", sale.subsidy},
           {"items", items},
           {"payments", jpayments},
           {"change", paid.change},
           {"warnings", warnings},
           {"provisional", provisional}});
  step_done("journal entry: keyed hashes, JSON, chain hash");
  store_.db().prepare("UPDATE sales SET journal_seq = ? WHERE id = ?").bind(1, entry.seq).bind(2, sale.id).run();
  settle_hold_on_sale(clerk, cart, sale);  // a recalled held sale is sold: its cards are the sale's
  step_done("journal link, held sale");
  tx.commit();
  step_done("COMMIT: WAL append, fsync, journal head file");
  // Only after COMMIT returns is there an invoice to print (DESIGN.md "Data").
  result.invoice = make_invoice(sale, 0);
  step_done("invoice: read back, QR code signed");
  result.sale = std::move(sale);
  return result;
}

Result<TaskResolution> Terminal::resolve_task(const UserRecord& actor, std::int64_t task_id,
                                              const std::string& action, const std::string& reason) {
  if (!has_role(actor, {Role::Manager})) return role_refused(actor);
  if (reason.find_first_not_of(" \t") == std::string::npos)
    return bad_input("REASON_REQUIRED", "请写明处理理由(会记入日志)",
                     "give the reason for this decision (it goes into the journal)");
  if (const auto text = check_text("reason", reason, TextKind::Reason); !text.ok()) return text_refused(text);
  store::Transaction tx(store_.db());
  const auto task = store_.find_task(task_id);
  if (!task)
    return bad_input("TASK_NOT_FOUND", "没有任务 #" + std::to_string(task_id) + ":请用 huinong tasks list 查看",
                     "there is no task #" + std::to_string(task_id) + ": see huinong tasks list");
  if (task->state != "open")
    return refused("TASK_ALREADY_RESOLVED", "任务 #" + std::to_string(task_id) + " 已处理(" + task->resolution + ")",
                   "task #" + std::to_string(task_id) + " was already resolved (" + task->resolution + ")");
  const bool for_sale = task->kind == "sale_rejected";
  store::SaleSettlement settlement = store::SaleSettlement::None;
  std::string resolution;
  if (for_sale && action == "unsubsidised") {
    settlement = store::SaleSettlement::Unsubsidised;
    resolution = "unsubsidised";
  } else if (for_sale && action == "cancel") {
    settlement = store::SaleSettlement::Cancelled;
    resolution = "cancelled";
  } else if (!for_sale && action == "acknowledge") {
    resolution = "acknowledged";
  } else {
    return bad_input("BAD_ACTION",
                     for_sale ? "被拒的销售只能:unsubsidised(转为无补贴销售)或 cancel(取消销售)"
                              : "此任务只能 acknowledge(知悉)",
                     for_sale ? "a rejected sale is settled with --action unsubsidised or --action cancel"
                              : "this task is settled with --action acknowledge");
  }
  const std::string at = now().iso();
  store_.resolve_task(*task, settlement, resolution, actor.id, reason, at);
  TaskResolution out;
  nlohmann::json body = {{"task", task->id}, {"code", task->code}, {"resolution", resolution}, {"reason", reason}};
  if (for_sale) {
    const auto sale = store_.find_sale(task->sale_id);
    if (!sale) throw std::runtime_error("task " + std::to_string(task->id) + " names a sale that is not there");
    body["invoice_no"] = format_invoice_no(sale->invoice_no);
    body["sale_uuid"] = sale->uuid;
    out.invoice = make_invoice(*sale, 0);
  }
  journal(actor, "task_resolved", body);
  tx.commit();
  out.task = *store_.find_task(task_id);
  return out;
}

Invoice Terminal::make_invoice(const store::SaleRecord& sale, int copy_no) {
  Invoice inv;
  inv.invoice_no = format_invoice_no(sale.invoice_no);
  if (const auto d = parse_iso_date(sale.sold_at.substr(0, 10))) inv.issued_at.date = *d;
  if (sale.sold_at.size() >= 19)
    inv.issued_at.seconds_of_day = std::stoi(sale.sold_at.substr(11, 2)) * 3600 +
                                   std::stoi(sale.sold_at.substr(14, 2)) * 60 +
                                   std::stoi(sale.sold_at.substr(17, 2));
  const Outlet o = outlet();
  inv.outlet_code = o.code;
  inv.outlet_name = o.name;
  inv.terminal_id = store_.setting(kTerminalId).value_or("01");
  if (const auto clerk = store_.find_user(sale.user_id)) inv.clerk_name = clerk->name;
  inv.buyer_name = sale.buyer_name;
  inv.buyer_id = sale.buyer_id;
  inv.household = sale.household;
  // 换货: a line whose product was exchanged names the card it replaced (the latest one).
  std::map<std::int64_t, std::string> replaced;
  for (const auto& x : store_.exchanges_of_sale(sale.id)) replaced[x.item_id] = x.old_card;
  for (const auto& it : sale.items)
    inv.lines.push_back({it.card_no, it.serial_no, it.model_code, it.category, it.brand, it.name, it.spec, it.price,
                         it.subsidy, replaced.count(it.id) ? replaced.at(it.id) : std::string()});
  if (!replaced.empty()) inv.status = "换货 EXCHANGED";
  inv.total = sale.total;
  inv.subsidy = sale.subsidy;
  inv.payments = store_.sale_payments(sale.id, &inv.change);
  inv.copy_no = copy_no;
  try {
    inv.qr_payload = invoice_qr(sale, inv);
  } catch (const std::exception&) {
    // A signing key gone missing must not turn a committed sale into an error: the invoice
    // prints with the unsigned QR code, and the start-up and audit checks say what is wrong.
    inv.qr_payload.clear();
  }
  // POLICY returns: a returned product's line is void; every line returned, the invoice is.
  const auto returned = std::count_if(sale.items.begin(), sale.items.end(), [](const auto& i) { return i.returned; });
  if (returned > 0)
    inv.status = returned == static_cast<long>(sale.items.size())
                     ? "已作废 VOID"
                     : "部分退货 PARTLY RETURNED (" + std::to_string(returned) + "/" +
                           std::to_string(sale.items.size()) + ")";
  switch (store_.sale_settlement(sale.id)) {
    case store::SaleSettlement::Cancelled:
      inv.status = "已作废 VOID";
      break;
    case store::SaleSettlement::Unsubsidised:
      // The province refused the subsidy: the buyer pays the price and claims nothing.
      inv.status = "不享受补贴 NOT SUBSIDISED";
      for (auto& l : inv.lines) l.subsidy = 0;
      inv.subsidy = 0;
      break;
    case store::SaleSettlement::None:
      break;
  }
  return inv;
}

Result<Invoice> Terminal::invoice(std::int64_t invoice_no) {
  const auto sale = store_.find_sale_by_invoice(invoice_no);
  if (!sale)
    return bad_input("INVOICE_NOT_FOUND", "没有发票 " + format_invoice_no(invoice_no),
                     "there is no invoice " + format_invoice_no(invoice_no));
  return make_invoice(*sale, 0);
}

HolidayCalendar Terminal::calendar() {
  HolidayCalendar cal;
  auto st = store_.db().prepare("SELECT value FROM settings WHERE key LIKE 'calendar.%' ORDER BY key");
  while (st.step()) {
    ImportMessage err;
    cal.add(st.text(0), err);  // checked when stored
  }
  return cal;
}

UploadStatus Terminal::upload_status() {
  UploadStatus status;
  const HolidayCalendar cal = calendar();
  const UploadDeadline rule;  // POLICY S5: 3 working days
  const Date today = now().date;
  for (const auto& [date, n] : store_.pending_sales_by_date()) {
    status.pending += n;
    const Date due = rule.due(date, cal);
    if (UploadDeadline::state(today, due) == DeadlineState::Overdue) status.overdue += n;
    if (!status.oldest) {
      status.oldest = date;
      status.due = due;
      status.state = UploadDeadline::state(today, due);
    }
  }
  status.open_tasks = static_cast<int>(store_.tasks("open").size());
  status.configured = !store_.setting("sync.server").value_or("").empty();
  status.last_error = store_.setting("sync.last_error").value_or("");
  status.last_error_at = store_.setting("sync.last_error_at").value_or("");
  return status;
}

void Terminal::record_upload_outcome(const std::string& error) {
  store::Transaction tx(store_.db());
  store_.set_setting("sync.last_error", error.empty() ? "" : escape_for_message(error, 200));
  store_.set_setting("sync.last_error_at", error.empty() ? "" : now().iso());
  if (error.empty()) store_.set_setting("sync.last_success_at", now().iso());
  tx.commit();
}

void Terminal::record_login(const UserRecord& user) {
  store::Transaction tx(store_.db());
  journal(user, "login", {{"user", user.login}, {"role", store::role_code(user.role)}});
  tx.commit();
}

void Terminal::record_logout(const UserRecord& user, const std::string& why) {
  store::Transaction tx(store_.db());
  journal(user, "logout", {{"user", user.login}, {"why", why}});
  tx.commit();
}

void Terminal::record_document_read(const UserRecord& user, const nlohmann::json& summary) {
  store::Transaction tx(store_.db());
  journal(user, "document_read", summary);
  tx.commit();
}

Result<Invoice> Terminal::reprint(const UserRecord& actor, std::int64_t invoice_no) {
  if (!has_role(actor, {Role::Clerk, Role::Manager})) return role_refused(actor);
  if (auto key = require_signing_key(); !key) return key.problem();
  store::Transaction tx(store_.db());
  auto inv = invoice(invoice_no);
  if (!inv) return inv;
  auto st = store_.db().prepare(
      "SELECT COUNT(*) FROM journal WHERE kind = 'reprint' AND json_extract(body, '$.invoice_no') = ?");
  st.bind(1, inv->invoice_no);
  st.step();
  inv->copy_no = st.integer(0) + 1;
  journal(actor, "reprint", {{"invoice_no", inv->invoice_no}, {"copy", inv->copy_no}});
  tx.commit();
  return inv;
}

void Terminal::journal_refusal(const UserRecord& clerk, const SaleCheck& check) {
  nlohmann::json codes = nlohmann::json::array();
  for (const auto& f : check.findings) {
    if (f.severity != Severity::Refuse) continue;
    const std::string code(finding_code_name(f.code));
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
  }
  // No buyer name, ID or household number: the journal holds no personal data in clear.
  journal(clerk, "sale_refused", {{"codes", codes}, {"items", check.lines.size()}});
}

void Terminal::record_refused_attempt(const UserRecord& clerk, const SaleCheck& check) {
  if (!check.refused()) return;
  store::Transaction tx(store_.db());
  journal_refusal(clerk, check);
  tx.commit();
}

std::string Terminal::terminal_label() {
  return outlet().code + "/" + store_.setting(kTerminalId).value_or("01");
}

namespace {
void add_deadlines(DailyFigures& f, const HolidayCalendar& cal, Date today) {
  const UploadDeadline rule;  // POLICY S5: 3 working days
  for (auto& p : f.pending) {
    p.due = rule.due(p.sale_date, cal);
    p.state = UploadDeadline::state(today, p.due);
  }
}
}  // namespace

DailyReport Terminal::daily_report(Date date) {
  DailyFigures f = store_.daily_figures(date);
  store_.add_payment_totals(f);
  add_deadlines(f, calendar(), now().date);
  f.terminals = {terminal_label()};
  return make_daily_report(f, policy().central_share_percent);
}

DailyReport Terminal::period_report(Date from, Date to) {
  DailyFigures f = store_.report_figures(from, to, from);
  store_.add_payment_totals(f);
  add_deadlines(f, calendar(), now().date);
  f.terminals = {terminal_label()};
  return make_daily_report(f, policy().central_share_percent);
}

}  // namespace hn::app
