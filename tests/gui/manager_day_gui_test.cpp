// The manager's day on screen (issue 16): F9 → 8 closing the day with the cash count (signed,
// written beside the invoices without a printer), F9 → 9 a backup, the audit export and a
// restore that asks first, F9 → 4 a period report, F9 → 0 the province connection saved and
// tested against the sandbox on loopback and against a closed port, and the upload strip when
// no province is set. Keyboard alone, as a manager would.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "counter_harness.hpp"
#include "loopback.hpp"
#include "province_harness.hpp"

using hn::test::Counter;
using namespace hn::test;
using nlohmann::json;

namespace {

void sell_tv(Counter& c) {
  c.sell_tv();
  c.wait_for("sale_committed");
}

void open_menu(Counter& c, const std::string& number) {
  c.key("F9");
  c.wait_for("manager_menu");
  c.key(number);
}

// Replaces what the focused field holds.
void retype(Counter& c, const std::string& text) {
  c.key("ctrl+a");
  c.type(text, 2);
}

bool contains(const json& j, const std::string& field, const std::string& text) {
  return j.value(field, std::string()).find(text) != std::string::npos;
}

// The province as a real process on loopback: `huinong-sandbox serve` with this outlet
// registered; its credential directory.
class Sandbox {
 public:
  explicit Sandbox(const std::string& dir) : db_(dir + "/province.db"), log_(dir + "/sandbox.log") {
    cred_ = dir + "/credential";
    sandbox({"catalog", "import", "--db", db_, std::string(HUINONG_TEST_ASSETS_DIR) + "/demo/catalog.csv"});
    sandbox({"outlet", "add", "--db", db_, "--code", "AH-XX-0001", "--name", "萧县惠农家电城", "--county",
             "341322", "--out", cred_});
    Served served = serve_sandbox(db_, log_);
    server_ = std::move(served.process);
    port_ = served.port;
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& credential() const { return cred_; }

 private:
  std::string db_, log_, cred_;
  Child server_;
  int port_ = 0;
};

// The first `event` in the whole trace (it may come before the events already waited for),
// waiting for it to be written.
json first_event(Counter& c, const std::string& event) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  for (;;) {
    std::istringstream in(read_text(c.trace_file()));
    for (std::string line; std::getline(in, line);) {
      auto j = json::parse(line);
      if (j.value("event", "") == event) return j;
    }
    if (std::chrono::steady_clock::now() > until) throw std::runtime_error("no '" + event + "' event");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

TEST_CASE("the manager closes the day on screen with a cash count and the signed closing is written", "[gui]") {
  Counter c("wang");
  c.login(kManagerPin);
  sell_tv(c);
  open_menu(c, "8");
  const json shown = c.wait_for("closing_shown");
  CHECK(shown["sales_count"] == 1);
  CHECK(shown["cash_net"] == "1999.00");  // paid exactly in cash
  CHECK(shown["refusal"] == "");
  // A count that is not a number is refused with its code; nothing is signed.
  c.type("19x9", 60);
  c.key("Return");
  const json bad = c.wait_for("dialog_message", [](const json& m) { return m["error"] == true; });
  CHECK(contains(bad, "text", "CASH_COUNT_INVALID"));
  CHECK(c.count("SELECT COUNT(*) FROM closings") == 0);
  // The count, then its difference, then Enter again signs.
  retype(c, "1990.00");
  c.key("Return");
  const json diff = c.wait_for("closing_difference");
  CHECK(diff["difference"] == "-9.00");
  CHECK(c.count("SELECT COUNT(*) FROM closings") == 0);
  c.screenshot("closing-day");
  c.key("Return");
  const json done = c.wait_for("closing_signed");
  CHECK(done["cash_counted"] == "1990.00");
  CHECK(done["cash_difference"] == "-9.00");
  CHECK(done["to_printer"] == false);
  CHECK(c.count("SELECT COUNT(*) FROM closings WHERE length(signature) > 0 AND "
                "json_extract(body, '$.cash_counted') = 199000 AND "
                "json_extract(body, '$.cash_difference') = -900") == 1);
  const std::string file = done["file"];
  CHECK(file.rfind(c.invoice_dir(), 0) == 0);
  const std::string paper = read_text(file);
  CHECK(paper.find("日结单") != std::string::npos);
  CHECK(paper.find("1990.00") != std::string::npos);
  CHECK(paper.find("-9.00") != std::string::npos);
  // The same day again: refused in words with its code, shown before anything is typed.
  c.key("Escape");
  c.key("8");
  const json said = c.wait_for("dialog_message", [](const json& m) { return m["error"] == true; });
  CHECK(contains(said, "text", "DAY_ALREADY_CLOSED"));
  const json again = c.wait_for("closing_shown");
  CHECK(again["refusal"] == "DAY_ALREADY_CLOSED");
  c.type("1990.00", 20);
  c.key("Return");
  c.wait_for("closing_difference");
  c.key("Return");
  CHECK(c.wait_for("closing_refused")["code"] == "DAY_ALREADY_CLOSED");
  CHECK(c.count("SELECT COUNT(*) FROM closings") == 1);
}

TEST_CASE("the manager backs up to a directory, exports the audit file there, and a restore asks first", "[gui]") {
  Counter c("wang");
  c.login(kManagerPin);
  sell_tv(c);
  const std::string stick = c.dir() + "/usb-stick";
  std::filesystem::create_directories(stick);
  open_menu(c, "9");
  c.wait_for("backup_shown");
  retype(c, stick);
  c.key("Return");
  const json said = c.wait_for("dialog_message");
  const json backup = c.wait_for("backup_done");
  REQUIRE(backup["ok"] == true);
  const std::string file = backup["file"];
  CHECK(file.rfind(stick + "/huinong-", 0) == 0);
  CHECK(std::filesystem::is_regular_file(file));
  CHECK(std::filesystem::is_regular_file(backup["key_file"].get<std::string>()));
  CHECK(contains(said, "text", std::filesystem::path(file).filename().string()));
  CHECK(contains(said, "text", stick));
  // The audit export, to the same stick.
  c.key("F5");
  const json exported = c.wait_for("audit_exported");
  REQUIRE(exported["ok"] == true);
  const std::string audit = exported["file"];
  CHECK(audit.rfind(stick + "/huinong-audit-AH-XX-0001-", 0) == 0);
  CHECK(read_text(audit).find("\"signature\"") != std::string::npos);
  c.screenshot("backup-screen");
  CHECK((std::filesystem::status(audit).permissions() & std::filesystem::perms::others_read) ==
        std::filesystem::perms::none);
  // A restore of that backup asks first; Enter is the safe answer: nothing is restored.
  retype(c, file);
  c.key("F6");
  CHECK(c.wait_for("question")["id"] == "restore");
  c.key("Return");
  c.wait_for("restore_declined");
  CHECK(c.running());
  CHECK(c.count("SELECT COUNT(*) FROM sales") == 1);
  CHECK(!std::filesystem::exists(c.db() + ".replaced-"));
  bool set_aside = false;
  for (const auto& e : std::filesystem::directory_iterator(c.dir()))
    if (e.path().filename().string().find(".replaced-") != std::string::npos) set_aside = true;
  CHECK(!set_aside);
}

TEST_CASE("the report screen shows a period chosen by its dates and exports it", "[gui]") {
  Counter c("wang");
  c.login(kManagerPin);
  sell_tv(c);
  open_menu(c, "4");
  const json daily = c.wait_for("report_shown");
  const std::string today = daily["date"];
  const std::string first_of_year = today.substr(0, 4) + "-01-01";
  // The date field has the focus: the period from the first of the year to today.
  retype(c, first_of_year);
  c.key("Tab");
  c.type(today, 2);
  c.key("Return");
  const json period = c.wait_for("report_shown");
  CHECK(period["date"] == first_of_year);
  CHECK(period["to"] == today);
  CHECK(period["sales_count"] == 1);
  c.key("F5");
  const std::string csv = c.wait_for("report_exported")["path"];
  CHECK(csv.find("/reports/report-" + first_of_year + "_" + today + ".csv") != std::string::npos);
  CHECK(std::filesystem::is_regular_file(csv));
  // A period that ends before it starts is refused with the CLI's code.
  retype(c, today);
  c.key("Tab");
  retype(c, "2000-01-01");
  c.key("Return");
  CHECK(contains(c.wait_for("error"), "message", "PERIOD_INVALID"));
}

TEST_CASE("the province connection is saved and tested against the sandbox and a closed port", "[gui]") {
  Counter c("wang");
  c.login(kManagerPin);
  // No province set: the strip says so, amber, never green.
  const json strip = first_event(c, "upload_status");
  CHECK(strip["configured"] == false);
  CHECK(contains(strip, "text", "未设置省平台"));
  CHECK(strip["colour"] == "amber");
  Sandbox province(c.dir());
  open_menu(c, "0");
  c.wait_for("province_shown");
  c.type(province.url(), 2);
  c.key("Tab");
  c.type(province.credential(), 2);
  c.key("Return");
  const json saved = c.wait_for("province_saved");
  REQUIRE(saved["ok"] == true);
  CHECK(c.count("SELECT COUNT(*) FROM settings WHERE key = 'sync.server' AND value LIKE 'http://127.0.0.1:%'") == 1);
  // The strip follows at once: no longer 未设置省平台.
  const json strip_set = c.wait_for("upload_status", [](const json& s) { return s["configured"] == true; });
  CHECK(!contains(strip_set, "text", "未设置省平台"));
  c.key("F5");
  c.wait_for("dialog_message");  // testing...
  CHECK(contains(c.wait_for("dialog_message"), "text", "本网点凭证已被接受"));
  const json ok = c.wait_for("province_tested");
  CHECK(ok["ok"] == true);
  CHECK(ok["code"] == "LINK_OK");
  c.screenshot("province-connection");
  // A server that is not there: the test says so and what to do; nothing is saved by F5.
  c.key("Escape");
  c.key("0");
  c.wait_for("province_shown");
  retype(c, "http://127.0.0.1:" + std::to_string(closed_port()));
  c.key("F5");
  CHECK(contains(c.wait_for("dialog_message", [](const json& m) { return m["error"] == true; }), "text",
                 "连不上省平台"));
  const json down = c.wait_for("province_tested");
  CHECK(down["ok"] == false);
  CHECK(down["code"] == "LINK_UNREACHABLE");
  // An address the CLI refuses is refused here on save, with the same code.
  retype(c, "http://province.invalid:8080");
  c.key("Return");
  const json refused = c.wait_for("province_saved");
  CHECK(refused["ok"] == false);
  CHECK(refused["code"] == "SERVER_NOT_HTTPS");
}

TEST_CASE("a restore answered yes puts the backup in place, keeps the database it replaces and closes the counter",
          "[gui]") {
  Counter c("wang");
  c.login(kManagerPin);
  sell_tv(c);
  const std::string stick = c.dir() + "/usb-stick";
  std::filesystem::create_directories(stick);
  open_menu(c, "9");
  c.wait_for("backup_shown");
  retype(c, stick);
  c.key("Return");
  const std::string file = c.wait_for("backup_done")["file"];
  retype(c, file);
  c.key("F6");
  CHECK(c.wait_for("question")["id"] == "restore");
  c.key("y");
  const json done = c.wait_for("restore_done");
  REQUIRE(done["ok"] == true);
  CHECK(done["sales"] == 1);
  const std::string set_aside = done["set_aside"];
  CHECK(set_aside.rfind(c.db() + ".replaced-", 0) == 0);
  CHECK(std::filesystem::is_regular_file(set_aside));
  c.key("Return");  // OK to the words of what was checked and restored: the counter closes
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (c.running() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(!c.running());
  // The database in place is the backup, journaled as restored; the one replaced is kept.
  CHECK(c.count("SELECT COUNT(*) FROM journal WHERE kind = 'restore'") == 1);
  CHECK(c.count("SELECT COUNT(*) FROM sales") == 1);
}

TEST_CASE("the upload strip says when no province is set and names the last upload error with its time", "[gui]") {
  {
    // No province server: amber 未设置省平台 with what waits, never green.
    Counter c("wang", {}, [](const std::string& db) {
      make_demo_outlet(db);
      run_cli(db, {"sale", "--user", "wang", "--buyer-name", "Zhang San", "--buyer-id", kIdZhang, "--household",
                   "3413220012", "--item", std::string(kTv1) + ":" + kTv1Serial + "=1999.00"},
              {{"HUINONG_PIN", kManagerPin}});
    });
    const json strip = first_event(c, "upload_status");
    CHECK(strip["configured"] == false);
    CHECK(strip["pending"] == 1);
    CHECK(contains(strip, "text", "未设置省平台"));
    CHECK(contains(strip, "text", "1"));
    CHECK(strip["colour"] == "amber");
  }
  // A province set to a port where nothing answers: the uploader's pass fails and the strip
  // names the error with its time, amber.
  Counter c("wang", {}, [](const std::string& db) {
    make_demo_outlet(db);
    run_cli(db, {"sale", "--user", "wang", "--buyer-name", "Zhang San", "--buyer-id", kIdZhang, "--household",
                 "3413220012", "--item", std::string(kTv1) + ":" + kTv1Serial + "=1999.00"},
            {{"HUINONG_PIN", kManagerPin}});
    const std::string cred = std::filesystem::path(db).parent_path().string() + "/credential";
    std::filesystem::create_directories(cred);
    std::filesystem::permissions(cred, std::filesystem::perms::owner_all);
    std::ofstream(cred + "/outlet.json")
        << R"({"protocol":1,"outlet_code":"AH-XX-0001","outlet_name":"萧县惠农家电城","county":"341322"})" << "\n";
    std::ofstream(cred + "/hmac.key") << std::string(64, '5') << "\n";
    std::filesystem::permissions(cred + "/hmac.key", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    run_cli(db, {"sync", "setup", "--user", "wang", "--server", "http://127.0.0.1:" + std::to_string(closed_port()),
                 "--credential", cred},
            {{"HUINONG_PIN", kManagerPin}});
  });
  const json failed = c.wait_for("upload_status", [](const json& s) { return s["last_error"] == true; }, 30);
  CHECK(failed["configured"] == true);
  CHECK(std::regex_search(failed["text"].get<std::string>(),
                          std::regex("上次上传出错 [0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}")));
  CHECK(failed["colour"] == "amber");
  CHECK(!contains(failed, "text", "未设置省平台"));
}
