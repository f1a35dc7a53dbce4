// The counter's input devices (issue 15), the real huinong-pos under Xvfb with the simulators
// over real pseudo-terminals: the ID card reader filling the buyer panel (once per card), an
// expired card refused, the reader unplugged and back, a serial scanner's burst, the camera
// decoding a sticker, and the Devices page's Test read and Test print (through the counter's
// own printer path, to the ESC/POS sink on 127.0.0.1).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "counter_harness.hpp"
#include "printer/sink.hpp"
#include "reader_simulator.hpp"
#include "serial_scanner.hpp"

using namespace hn::test;
using nlohmann::json;

namespace {

// Lines of the trace so far holding `needle` (not consuming them).
int trace_count(const Counter& c, const std::string& needle) {
  std::ifstream in(c.trace_file());
  int n = 0;
  for (std::string line; std::getline(in, line);)
    if (line.find(needle) != std::string::npos) ++n;
  return n;
}

// Waits (bounded) until the trace holds a line with every one of `needles`, wherever it is
// (before or after the events already waited for: a device may answer before sign-in).
void wait_in_trace(const Counter& c, const std::vector<std::string>& needles) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (;;) {
    std::ifstream in(c.trace_file());
    for (std::string line; std::getline(in, line);)
      if (std::all_of(needles.begin(), needles.end(),
                      [&line](const std::string& n) { return line.find(n) != std::string::npos; }))
        return;
    if (std::chrono::steady_clock::now() > until) FAIL("the trace never showed " + needles.front());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// Waits (bounded) until the simulator has answered `more` further commands: the counter has
// polled the reader that often since.
void wait_commands(const hn::hw::ReaderSimulator& sim, int more) {
  const int target = sim.commands_seen() + more;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (sim.commands_seen() < target) {
    if (std::chrono::steady_clock::now() > until) FAIL("the counter stopped polling the reader");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::unique_ptr<hn::hw::ReaderSimulator> reader_sim(const std::string& link, const std::string& card = "") {
  hn::hw::ReaderSimulator::Options o;
  o.link = link;
  o.card = card;
  return std::make_unique<hn::hw::ReaderSimulator>(o);
}

std::string link_path(const std::string& what) {
  return "/tmp/huinong-gui-" + what + "-" + std::to_string(::getpid());
}

}  // namespace

TEST_CASE("A card put on the reader fills the buyer panel, masked, and is read once", "[gui][devices][idcard]") {
  const std::string link = link_path("reader");
  auto sim = reader_sim(link);
  Counter c("li", {"--id-reader", link});
  c.login(kClerkPin);

  sim->place_card("valid");  // 张伟 341322198003121239, valid to 2035
  const json read = c.wait_for("id_card_read", nullptr, 45);
  CHECK(read["masked"] == "3413**********1239");
  CHECK(read["nation"] == "汉");
  CHECK(read["county"] == "萧县");
  CHECK(read["photo"] == "needs_decoder");  // no maker's library here: no picture, and said so
  // The full number is nowhere in the trace.
  CHECK(trace_count(c, "341322198003121239") == 0);
  // Focus went to 户号: the household number typed now lands there.
  c.type("3413220012", 60);
  c.key("Return");
  c.scan(kTv1);
  c.scan(kTv1Serial);
  c.wait_for("screen", [](const json& e) { return e["checkout_enabled"] == true; });

  // F7 with the card still lying on the reader: the next sale is not filled from it.
  c.key("F7");
  c.wait_for("question", [](const json& q) { return q["id"] == "new_sale"; });
  c.key("y");
  c.wait_for("new_sale");
  wait_commands(*sim, 12);  // four find-select-read polls at least
  CHECK(trace_count(c, "\"id_card_read\"") == 1);

  // Lifted off, and the next buyer's card put on: it fills the next sale.
  sim->remove_card();
  wait_commands(*sim, 2);
  sim->place_card("uyghur");  // county 650102: another county than the outlet's 341322
  const json next = c.wait_for("id_card_read", nullptr, 45);
  CHECK(next["masked"] == "6501**********1280");
  CHECK(next["county_code"] == "650102");
  const json screen = c.wait_for("screen", [](const json& e) { return has_finding(e, "COUNTY_MISMATCH"); });
  CHECK(has_finding(screen, "COUNTY_MISMATCH"));
  c.screenshot("sale-from-reader");
}

TEST_CASE("A buyer whose ID number was given in another county but who is registered here is no county mismatch",
          "[gui][devices][idcard]") {
  const std::string link = link_path("moved");
  auto sim = reader_sim(link);
  Counter c("li", {"--id-reader", link});
  c.login(kClerkPin);
  sim->place_card("moved");  // ID 340102… (合肥), address 安徽省宿州市萧县…
  const json read = c.wait_for("id_card_read", nullptr, 45);
  CHECK(read["county_code"] == "341322");
  CHECK(read["county_from"] == "address");
  c.type("3413220047", 60);
  c.key("Return");
  c.scan(kTv1);
  c.scan(kTv1Serial);
  const json screen = c.wait_for("screen", [](const json& e) { return e["checkout_enabled"] == true; });
  CHECK_FALSE(has_finding(screen, "COUNTY_MISMATCH"));
}

TEST_CASE("An expired ID card on the reader is refused with its own code", "[gui][devices][idcard]") {
  const std::string link = link_path("reader-expired");
  auto sim = reader_sim(link);
  Counter c("li", {"--id-reader", link});
  c.login(kClerkPin);
  sim->place_card("expired");
  const json refused = c.wait_for("id_card_refused", nullptr, 20);
  CHECK(refused["code"] == "ID_CARD_EXPIRED");
  CHECK(refused["masked"] == "3413**********0465");
  CHECK(trace_count(c, "\"id_card_read\"") == 0);
  // Refused once, not again and again while it lies there.
  wait_commands(*sim, 12);
  CHECK(trace_count(c, "\"id_card_refused\"") == 1);
  // A valid card after it is taken.
  sim->remove_card();
  wait_commands(*sim, 2);
  sim->place_card("valid");
  CHECK(c.wait_for("id_card_read", nullptr, 45)["masked"] == "3413**********1239");
}

TEST_CASE("The reader unplugged during a sale shows in the status strip and comes back by itself",
          "[gui][devices][idcard]") {
  const std::string link = link_path("reader-unplug");
  auto sim = reader_sim(link, "valid");
  Counter c("li", {"--id-reader", link});
  c.login(kClerkPin);
  c.wait_for("id_card_read", nullptr, 45);
  c.key("F3");
  c.scan(kTv1);
  sim->unplug(std::chrono::milliseconds(3000));
  c.wait_for("device_status", [](const json& e) { return e["device"] == "id_reader" && e["state"] == "unplugged"; }, 20);
  const json strip = c.wait_for("device_strip", [](const json& e) {
    return e["text"].get<std::string>().find("读卡器:未连接") != std::string::npos;
  });
  CHECK(strip["trouble"] == true);
  // Plugged back (a new pty behind the same link): found again without a restart.
  c.wait_for("device_status", [](const json& e) { return e["device"] == "id_reader" && e["state"] == "ready"; }, 30);
  const json back = c.wait_for("device_strip", [](const json& e) { return e["trouble"] == false; });
  CHECK(back["text"].get<std::string>().find("读卡器:已读证") != std::string::npos);
  // The sale went on meanwhile: the line is still there, and the card was not read again.
  c.scan(kTv1Serial);
  const json screen = c.wait_for("screen", [](const json& e) { return e["lines"].size() == 1 && e["lines"][0]["serial"] != ""; });
  CHECK(screen["lines"][0]["card"] == kTv1);
  CHECK(trace_count(c, "\"id_card_read\"") == 1);
}

TEST_CASE("A serial scanner's burst adds a line as the wedge does", "[gui][devices][scanner]") {
  const std::string link = link_path("scanner");
  hn::hw::ScannerSimulator scanner(link);
  Counter c("li", {"--scanner", link});
  c.login(kClerkPin);
  c.buyer(kIdZhang, "张三", "3413220012");
  // The port is open once the scanner's first state is traced.
  wait_in_trace(c, {"\"device_status\"", "\"scanner\"", "\"ready\""});
  REQUIRE(scanner.scan(kTv1, hn::hw::ScanSuffix::CR));
  const json scan = c.wait_for("scan", [](const json& e) { return e.value("source", "") == "serial"; });
  CHECK(scan["code"] == kTv1);
  CHECK(scan["mode"] == "scanner");
  // A CRLF scanner, in pieces as a slow USB adapter delivers them: the same line logic.
  REQUIRE(scanner.scan(kTv1Serial, hn::hw::ScanSuffix::CRLF, 4, std::chrono::milliseconds(5)));
  const json screen = c.wait_for("screen", [](const json& e) {
    return e["lines"].size() == 1 && e["lines"][0]["serial"] == kTv1Serial;
  });
  CHECK(screen["lines"][0]["card_entry"] == "scanner");
  CHECK(screen["checkout_enabled"] == true);
}

TEST_CASE("Shift+F3 decodes a label card from the camera and adds it as a scan", "[gui][devices][camera]") {
  const std::string picture = link_path("sticker") + ".png";
  const std::string cmd = std::string(HUINONG_MAKE_BARCODE_BIN) + " code128 " + kTv1 + " " + picture + " 3 90";
  REQUIRE(std::system(cmd.c_str()) == 0);
  Counter c("li", {"--camera-source", picture});
  c.login(kClerkPin);
  c.buyer(kIdZhang, "张三", "3413220012");
  wait_in_trace(c, {"\"devices_started\"", "\"camera\":true"});
  c.key("shift+F3");
  const json decoded = c.wait_for("camera_decoded", nullptr, 30);
  std::remove(picture.c_str());
  CHECK(decoded["codes"][0] == kTv1);
  const json scan = c.wait_for("scan", [](const json& e) { return e.value("source", "") == "camera"; });
  CHECK(scan["code"] == kTv1);
  const json screen = c.wait_for("screen", [](const json& e) { return e["lines"].size() == 1; });
  CHECK(screen["lines"][0]["card"] == kTv1);
}

TEST_CASE("The Devices page offers the reader, its Test read reads a card or says in words what is wrong",
          "[gui][devices][settings]") {
  const std::string link = link_path("reader-page");
  auto sim = reader_sim(link, "valid");
  Counter c("wang", {"--id-reader", link});
  c.login(kManagerPin);
  c.key("F9");
  c.wait_for("manager_menu");
  c.key("7");
  const json page = c.wait_for("devices_page_ready");
  CHECK(page["id_reader"] == link);
  c.key("F2");
  const json test = c.wait_for("device_test", nullptr, 30);
  CHECK(test["kind"] == "read");
  CHECK(test["ok"] == true);
  CHECK(test["masked"] == "3413**********1239");
  c.screenshot("devices-page");
  // A reader that is not there: said in plain words, not a code.
  sim.reset();
  c.key("F2");
  const json gone = c.wait_for("device_test", nullptr, 30);
  CHECK(gone["ok"] == false);
  CHECK(gone["code"] == "READER_UNPLUGGED");
  CHECK(gone["message_zh"].get<std::string>().find("USB 线") != std::string::npos);
}

namespace {

// Signed in as the manager, on the Devices page (F9 → 7), its printer field holding the setting.
void open_devices_page(Counter& c) {
  c.login(kManagerPin);
  c.key("F9");
  c.wait_for("manager_menu");
  c.key("7");
  c.wait_for("devices_page_ready");
}

// The demo outlet with `uri` as its invoice printer (a manager's setting, journaled).
std::function<void(const std::string&)> with_printer(const std::string& uri) {
  return [uri](const std::string& db) {
    make_demo_outlet(db);
    run_cli(db, {"setting", "set", "--user", "wang", "--key", "device.invoice_printer", "--value", uri},
            {{"HUINONG_PIN", kManagerPin}});
  };
}

}  // namespace

TEST_CASE("The Devices page's Test print reaches the receipt printer through the counter's printer path",
          "[gui][devices][printer]") {
  hn::printer::SinkServer sink;
  const std::string uri = "escpos+tcp://127.0.0.1:" + std::to_string(sink.port());
  Counter c("wang", {}, with_printer(uri));
  open_devices_page(c);
  c.key("F4");
  c.wait_for("device_test_started", [](const json& e) { return e["kind"] == "print"; });
  const json test = c.wait_for("device_test", nullptr, 30);
  CHECK(test["kind"] == "print");
  CHECK(test["ok"] == true);
  CHECK(test["message_zh"].get<std::string>().find("测试页已送到打印机") != std::string::npos);
  REQUIRE(sink.wait_for_jobs(1, 20000));
  const hn::printer::Printout paper = hn::printer::parse_escpos(sink.jobs()[0]);
  CHECK(paper.problems.empty());
  const auto lines = paper.lines();
  CHECK(std::find(lines.begin(), lines.end(), "打印测试") != lines.end());
  CHECK(paper.of(hn::printer::PrintedItem::Kind::DrawerKick).empty());
}

TEST_CASE("The Devices page's Test print with no printer listening says in words what to check",
          "[gui][devices][printer]") {
  int port = 0;
  {
    hn::printer::SinkServer probe;  // a free port, closed again: nothing listens there
    port = probe.port();
  }
  const std::string uri = "escpos+tcp://127.0.0.1:" + std::to_string(port);
  Counter c("wang", {}, with_printer(uri));
  open_devices_page(c);
  c.key("F4");
  const json test = c.wait_for("device_test", nullptr, 30);
  CHECK(test["kind"] == "print");
  CHECK(test["ok"] == false);
  CHECK(test["code"] == "PRINTER_UNREACHABLE");
  const std::string zh = test["message_zh"].get<std::string>();
  CHECK(zh.find("打印测试失败") != std::string::npos);
  CHECK(zh.find("检查打印机是否开着") != std::string::npos);
}
