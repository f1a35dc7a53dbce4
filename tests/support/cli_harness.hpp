#pragma once
// End-to-end harness for the `huinong` command-line tool: runs the real binary as a child
// process with an explicit environment (no shell, no inherited variables), captures stdout,
// stderr and the exit code, gives each test a fresh temp directory, and sets up a demo outlet
// (county 341322, a manager and a clerk, the demo catalog and label cards from assets/demo).
//
// The expectations in the tests are literals (ID numbers, amounts, invoice numbers); nothing
// here recomputes a rule of the product.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "db_reader.hpp"
#include "temp_dir.hpp"

namespace hn_cli {

using Env = std::map<std::string, std::string>;

// ---- the demo outlet's people and data ----------------------------------------------------
namespace demo {
inline constexpr const char* kCounty = "341322";  // 萧县, Anhui
inline constexpr const char* kOutletCode = "AH-XX-0001";
inline constexpr const char* kManager = "wang";
inline constexpr const char* kManagerPin = "720415";
inline constexpr const char* kClerk = "li";
inline constexpr const char* kClerkPin = "386192";
inline constexpr const char* kWrongPin = "111111";

// Valid resident ID numbers (GB 11643: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, check
// characters "10X98765432" by sum mod 11), each checked once by hand with python. The first
// six digits are the county of household registration.
inline constexpr const char* kIdZhang = "341322198001011239";   // 341322, born 1980-01-01
inline constexpr const char* kIdLi = "341322197512124513";      // 341322, born 1975-12-12
inline constexpr const char* kIdWang = "341322199003150026";    // 341322, born 1990-03-15
inline constexpr const char* kIdZhao = "341322196811206637";    // 341322, born 1968-11-20
inline constexpr const char* kIdSun = "341322198506073216";     // 341322, born 1985-06-07
inline constexpr const char* kIdWithX = "34132219700303005X";   // 341322, check character X
inline constexpr const char* kIdHefei = "340102198503150012";   // 340102 (合肥 瑶海区): another county
// kIdZhang with its last digit changed: the check digit no longer matches.
inline constexpr const char* kIdBadCheck = "341322198001011238";

// Household register numbers (户号).
inline constexpr const char* kHouseholdA = "3413220012";
inline constexpr const char* kHouseholdB = "3413220047";
inline constexpr const char* kHouseholdC = "3413220105";
inline constexpr const char* kHouseholdD = "3413220233";

// Label cards of assets/demo/cards.csv.
// HISENSE-TLM26V68, tv, bid price 1999.00
inline constexpr const char* kTv1 = "34080100000000010001";
inline constexpr const char* kTv1Serial = "TLM26V68-0811A00017";
inline constexpr const char* kTv2 = "34080100000000010002";
inline constexpr const char* kTv3 = "34080100000000010003";
inline constexpr const char* kTv4 = "34080100000000010004";
inline constexpr const char* kTv5 = "34080100000000010005";
// TCL-L22E9, tv, bid price 1699.00
inline constexpr const char* kTclTv1 = "34080100000000010006";
inline constexpr const char* kTclTv2 = "34080100000000010007";
// SKYWORTH-21TI9000, tv, 799.00, valid_to 2009-11-30 (expired)
inline constexpr const char* kExpiredTv = "34080100000000010016";
// HAIER-BCD-186KB, fridge, bid price 1799.00
inline constexpr const char* kFridge1 = "34080200000000020001";
inline constexpr const char* kFridge2 = "34080200000000020002";
inline constexpr const char* kFridge3 = "34080200000000020003";
// NOKIA-1680C, phone, bid price 599.00
inline constexpr const char* kPhone1 = "34080300000000030001";
// LITTLESWAN-XQB50-180G, washer, bid price 1099.00
inline constexpr const char* kWasher1 = "34080400000000040001";
}  // namespace demo

// ---- processes ----------------------------------------------------------------------------
struct RunResult {
  int exit_code = -1;  // the child's exit status; 128 + signal when killed
  std::string out;
  std::string err;
  std::vector<std::string> args;  // for messages

  // stdout parsed as JSON; throws with the captured output when it is not JSON.
  nlohmann::json json() const;
  // Everything the command printed, for "appears nowhere" checks.
  std::string all_output() const { return out + err; }
  // A one-paragraph description for INFO/CAPTURE.
  std::string describe() const;
};

// Runs the huinong binary with exactly `env` as its environment, stdin from `stdin_path`
// (default /dev/null: not a terminal). Arguments go to execve one by one, never through a shell.
RunResult run_huinong(const std::vector<std::string>& args, const Env& env,
                      const std::string& stdin_path = "/dev/null");

// ---- files --------------------------------------------------------------------------------
using hn::test::TempDir;

void write_file(const std::string& path, const std::string& bytes);
// The file's bytes, or nullopt when it does not exist.
std::optional<std::string> read_file(const std::string& path);
bool file_exists(const std::string& path);
unsigned file_mode(const std::string& path);  // permission bits, e.g. 0600

std::string asset(const std::string& relative);  // absolute path under assets/

// ---- the database file, read-only --------------------------------------------------------
using hn::test::DbReader;
using hn::test::tamper;

// ---- the demo outlet ----------------------------------------------------------------------
struct OutletOptions {
  std::optional<int> household_limit;  // `init --household-limit N`
  bool fresh = false;  // run init/user add/imports in this test instead of copying a template
};

struct SaleArgs {
  std::string buyer_name = "张三";
  std::string buyer_id = demo::kIdZhang;
  std::string household = demo::kHouseholdA;
  std::vector<std::string> items;        // CARD[:SERIAL]=PRICE
  std::vector<std::string> extra;        // more options, e.g. {"--hukou", "non-agricultural"}
  std::string user = demo::kClerk;
  std::string pin = demo::kClerkPin;
  bool json = true;

  SaleArgs& item(const std::string& text) { items.push_back(text); return *this; }
  SaleArgs& option(const std::string& name, const std::string& value) {
    extra.push_back(name);
    extra.push_back(value);
    return *this;
  }
  SaleArgs& as_text() { json = false; return *this; }
};

// A sale to one buyer of one household; add items with .item("CARD=PRICE").
inline SaleArgs sale_to(const std::string& name, const std::string& id, const std::string& household) {
  SaleArgs s;
  s.buyer_name = name;
  s.buyer_id = id;
  s.household = household;
  return s;
}

// A demo outlet in its own temp directory: init --county 341322 with manager `wang`, clerk `li`
// added, assets/demo/catalog.csv imported and assets/demo/cards.csv received. Built once per
// binary version and option set (under a lock, shared by the test processes ctest starts) and
// copied into each test's directory: PIN hashing makes the five set-up commands the slowest
// part of a test.
class DemoOutlet {
 public:
  explicit DemoOutlet(OutletOptions options = {});
  const std::string& db() const { return db_; }
  const TempDir& dir() const { return dir_; }
  std::string file(const std::string& name) const { return dir_.file(name); }
  DbReader reader() const { return DbReader(db_); }

  // Runs with HUINONG_DB set and `env` added (PIN variables and the like).
  RunResult run(const std::vector<std::string>& args, const Env& env = {}) const;
  RunResult as_manager(const std::vector<std::string>& args) const;
  RunResult as_clerk(const std::vector<std::string>& args) const;
  RunResult sell(const SaleArgs& sale) const;
  // `huinong --json return --user li --approver wang ...` with both PINs right unless given.
  RunResult return_item(const std::string& invoice_no, const std::string& card,
                        const std::string& approver = demo::kManager,
                        const std::string& approver_pin = demo::kManagerPin) const;
  // Writes `csv` to a file in the test directory and imports it as the manager.
  RunResult import_catalog(const std::string& csv, bool json = true) const;
  RunResult receive_cards(const std::string& csv, bool json = true) const;

 private:
  TempDir dir_;
  std::string db_;
};

// The base environment of every run: HOME (the test directory, so nothing touches the real
// home) and HUINONG_ASSETS_DIR. Callers add HUINONG_DB and the PIN variables.
Env base_env(const std::string& home);

// ---- text helpers -------------------------------------------------------------------------
bool contains(const std::string& haystack, const std::string& needle);
std::vector<std::string> lines_of(const std::string& text);
// Terminal columns of a UTF-8 line, East Asian wide characters counting two.
int display_columns(const std::string& utf8);
bool has_cjk(const std::string& utf8);  // any CJK ideograph
// The outlet's local date (Asia/Shanghai, UTC+8, no DST) `days` from today, as YYYY-MM-DD.
std::string shanghai_date(int days = 0);
// Amount text "1999.00" to fen, or nullopt when it is not of that form.
std::optional<std::int64_t> fen_of(const std::string& yuan_text);
// Whether a findings[] array of `sale --json` has a finding with this code (and severity).
bool has_finding(const nlohmann::json& sale, const std::string& code,
                 const std::string& severity = "");
// The finding with this code (a copy: safe on a temporary `r.json()`).
std::optional<nlohmann::json> find_finding(const nlohmann::json& sale, const std::string& code);
// The error object of a JSON error report, whether nested under "error" or at the top level.
nlohmann::json error_of(const nlohmann::json& j);

}  // namespace hn_cli
