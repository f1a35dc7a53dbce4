// The counter's devices as a manager sets them (`huinong setting set`, issue 15): every
// device.* key takes a value of its form and is journaled; a malformed value is refused with
// SETTING_INVALID (exit 2) in both languages and nothing is written, the printer URI checked on
// its parse as `reprint` parses it.
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_harness.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {

RunResult set_setting(const DemoOutlet& o, const std::string& key, const std::string& value) {
  return o.as_manager({"--json", "setting", "set", "--user", d::kManager, "--key", key, "--value", value});
}

std::vector<std::string> stored(const DemoOutlet& o, const std::string& key) {
  return o.reader().column("SELECT value FROM settings WHERE key = '" + key + "'");
}

std::int64_t setting_entries(const DemoOutlet& o) {
  return o.reader().scalar("SELECT COUNT(*) FROM journal WHERE kind = 'setting_changed'");
}

}  // namespace

TEST_CASE("a manager sets each device key to a value of its form and each change is journaled",
          "[cli][settings][devices]") {
  DemoOutlet o;
  const std::vector<std::pair<std::string, std::string>> good = {
      {"device.invoice_printer", "escpos+tcp://127.0.0.1:9100?paper=58"},
      {"device.invoice_printer", "escpos+serial:/dev/ttyUSB0?baud=9600&paper=80"},
      {"device.invoice_printer", "escpos+file:/dev/usb/lp0"},
      {"device.invoice_printer", "pdf:/var/tmp/invoice.pdf"},
      {"device.invoice_printer", "cups:Xprinter_XP-80"},
      {"device.invoice_printer", ""},  // back to files
      {"device.cash_drawer", "escpos"},
      {"device.cash_drawer", "none"},
      {"device.id_reader", "/dev/serial/by-id/usb-Synjones_SAM-if00-port0"},
      {"device.id_reader", ""},
      {"device.scanners", "/dev/ttyUSB1,/dev/ttyACM0"},
      {"device.scanners", "/dev/ttyUSB1"},
      {"device.scanners", ""},
      {"device.camera", "/dev/video0"},
      {"device.camera", ""},
  };
  std::int64_t entries = setting_entries(o);
  for (const auto& [key, value] : good) {
    const auto r = set_setting(o, key, value);
    INFO(key << " = " << value << "\n" << r.describe());
    REQUIRE(r.exit_code == 0);
    CHECK(r.json()["status"] == "ok");
    CHECK(stored(o, key) == std::vector<std::string>{value});
    CHECK(setting_entries(o) == ++entries);
  }
}

TEST_CASE("a malformed device value is refused with SETTING_INVALID and nothing is written",
          "[cli][settings][devices]") {
  DemoOutlet o;
  REQUIRE(set_setting(o, "device.invoice_printer", "escpos+tcp://127.0.0.1:9100").exit_code == 0);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"device.invoice_printer", "http://127.0.0.1:9100"},           // not a printer scheme
      {"device.invoice_printer", "escpos+tcp://"},                   // no host
      {"device.invoice_printer", "escpos+tcp://127.0.0.1:99999"},    // no such port
      {"device.invoice_printer", "escpos+tcp://127.0.0.1?paper=57"}, // no such paper
      {"device.invoice_printer", "escpos+serial:/dev/ttyS0"},        // a serial printer needs its baud
      {"device.invoice_printer", "escpos+file:invoices/lp0"},        // a relative path
      {"device.invoice_printer", "pdf:out.pdf"},
      {"device.invoice_printer", "cups:my queue"},
      {"device.invoice_printer", "escpos+tcp://printer:9100?paper=80&cut=no"},
      {"device.cash_drawer", "yes"},
      {"device.cash_drawer", ""},
      {"device.id_reader", "ttyUSB0"},
      {"device.scanners", "/dev/ttyUSB0,,/dev/ttyUSB1"},
      {"device.scanners", "/dev/ttyUSB0,ttyUSB1"},
      {"device.scanners", "/dev/ttyUSB0,/dev/ttyUSB0"},
      {"device.camera", "video0"},
  };
  const std::int64_t entries = setting_entries(o);
  for (const auto& [key, value] : bad) {
    const auto before = stored(o, key);
    const auto r = set_setting(o, key, value);
    INFO(key << " = " << value << "\n" << r.describe());
    CHECK(r.exit_code == 2);
    const auto e = error_of(r.json());
    CHECK(e["code"] == "SETTING_INVALID");
    CHECK(has_cjk(e["message_zh"].get<std::string>()));
    CHECK(contains(e["message_en"].get<std::string>(), "nothing was changed"));
    CHECK(stored(o, key) == before);
  }
  CHECK(setting_entries(o) == entries);
  CHECK(stored(o, "device.invoice_printer") == std::vector<std::string>{"escpos+tcp://127.0.0.1:9100"});
}

TEST_CASE("a refused printer URI is quoted cut short, never echoed whole", "[cli][settings][devices]") {
  DemoOutlet o;
  const std::string long_value = "escpos+tcp://" + std::string(300, 'h') + ":70000";
  const auto r = set_setting(o, "device.invoice_printer", long_value);
  INFO(r.describe());
  CHECK(r.exit_code == 2);
  CHECK(error_of(r.json())["code"] == "SETTING_INVALID");
  CHECK_FALSE(contains(r.all_output(), std::string(120, 'h')));
}

TEST_CASE("an unknown device key is refused and a clerk may not set a device", "[cli][settings][devices]") {
  DemoOutlet o;
  const auto unknown = set_setting(o, "device.printer", "escpos+tcp://127.0.0.1");
  CHECK(unknown.exit_code == 2);
  CHECK(error_of(unknown.json())["code"] == "SETTING_UNKNOWN");
  const auto clerk = o.as_clerk({"--json", "setting", "set", "--user", d::kClerk, "--key", "device.cash_drawer",
                                 "--value", "escpos"});
  CHECK(clerk.exit_code == 4);
  CHECK(stored(o, "device.cash_drawer").empty());
}
