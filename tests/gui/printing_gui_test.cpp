// The counter prints (issue 15): after the sale commits, the invoice goes to the receipt
// printer in the background, read back here by the ESC/POS sink on 127.0.0.1 and compared
// with a golden file (the buyer block and the signed QR code included); a printer that is off
// leaves the sale as it was, the screen and the status strip say so in red, and F12 prints a
// copy once it is back (the strip back to normal with it).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "counter_harness.hpp"
#include "loopback.hpp"
#include "printer/sink.hpp"

using hn::printer::parse_escpos;
using hn::printer::PrintedItem;
using hn::printer::Printout;
using hn::printer::SinkServer;
using hn::test::Counter;
using namespace hn::test;
using nlohmann::json;

namespace {

bool has_line(const Printout& p, const std::string& text) {
  for (const auto& l : p.lines())
    if (l == text) return true;
  return false;
}

// The paper as text with what changes from run to run (the time, the signed QR payload)
// replaced by fixed marks; the payload itself is checked against the record separately.
std::string stable_paper(const Printout& p) {
  std::string text = hn::printer::render_paper(p, 48);
  text = std::regex_replace(text, std::regex("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}"), "YYYY-MM-DD hh:mm");
  for (const auto* qr : p.of(PrintedItem::Kind::Qr)) {
    const auto at = text.find(qr->text);
    if (at != std::string::npos) text.replace(at, qr->text.size(), "<signed HNPOS2 payload>");
  }
  return text;
}

}  // namespace

TEST_CASE("a sale prints its receipt on the network printer set for the counter, as the golden file shows",
          "[gui][printer]") {
  SinkServer sink;
  const std::string uri = "escpos+tcp://127.0.0.1:" + std::to_string(sink.port());
  Counter c("li", {}, [&](const std::string& db) {
    make_demo_outlet(db);
    run_cli(db, {"setting", "set", "--user", "wang", "--key", "device.invoice_printer", "--value", uri},
            {{"HUINONG_PIN", kManagerPin}});
    run_cli(db, {"setting", "set", "--user", "wang", "--key", "device.cash_drawer", "--value", "escpos"},
            {{"HUINONG_PIN", kManagerPin}});
  });
  c.login(kClerkPin);
  c.sell_tv();
  const json sold = c.wait_for("sale_committed");
  CHECK(sold["invoice_no"] == "00000001");
  c.wait_for("print_started", [](const json& e) { return e["invoice_no"] == "00000001"; });
  const json ok = c.wait_for("print_ok");
  CHECK(ok["printer"] == uri);
  REQUIRE(sink.wait_for_jobs(1, 20000));
  const Printout paper = parse_escpos(sink.jobs()[0]);
  CHECK(paper.problems.empty());
  // POLICY S4's block first, the full ID number as the invoice must carry it.
  REQUIRE(paper.lines().size() > 3);
  CHECK(paper.lines()[0] == "购买人 Buyer: Zhang San");
  CHECK(paper.lines()[1] == "身份证号 ID: " + std::string(kIdZhang));
  CHECK(paper.lines()[2] == "标识卡号 Cards: " + std::string(kTv1));
  // The QR code is the invoice's signed payload: the record agrees with it.
  const auto qr = paper.of(PrintedItem::Kind::Qr);
  REQUIRE(qr.size() == 1);
  CHECK(qr[0]->text.rfind("HNPOS2;", 0) == 0);
  c.cli({"audit", "check-invoice", "--user", "li", "--text", qr[0]->text}, {{"HUINONG_PIN", kClerkPin}});
  CHECK(paper.of(PrintedItem::Kind::DrawerKick).size() == 1);  // the drawer opens for the original

  const std::string golden_path = std::string(HUINONG_GUI_TESTS_DIR) + "/golden/receipt_sale_80mm.txt";
  const std::string got = stable_paper(paper);
  if (const char* update = std::getenv("HUINONG_UPDATE_GOLDEN"); update && *update == '1')
    std::ofstream(golden_path, std::ios::binary) << got;
  CHECK(got == read_text(golden_path));

  // The printed paper as a picture, for README.
  const std::string png = std::string(HUINONG_GUI_SCREENSHOT_DIR) + "/receipt-printed.png";
  std::filesystem::create_directories(HUINONG_GUI_SCREENSHOT_DIR);
  REQUIRE(hn::printer::render_paper_png(paper, 48, png));
  if (const char* update = std::getenv("HUINONG_UPDATE_SCREENSHOTS"); update && *update == '1')
    std::filesystem::copy_file(png, std::string(HUINONG_GUI_SOURCE_SCREENSHOT_DIR) + "/receipt-printed.png",
                               std::filesystem::copy_options::overwrite_existing);
  // With a printer set, no invoice files are written.
  CHECK_FALSE(std::filesystem::exists(c.invoice_dir() + "/invoice-00000001.png"));
  c.screenshot("sale-printed");
}

TEST_CASE("a printer that is off leaves the sale, says so in red on screen and strip, and F12 prints COPY 1 once back",
          "[gui][printer]") {
  const int port = closed_port();
  const std::string uri = "escpos+tcp://127.0.0.1:" + std::to_string(port);
  Counter c("li", {"--printer", uri});
  c.login(kClerkPin);
  c.sell_tv();
  c.wait_for("sale_committed");
  const json failed = c.wait_for("print_failed");
  CHECK(failed["code"] == "PRINTER_UNREACHABLE");
  const json note = c.wait_for("print_note");
  CHECK(note["red"] == true);
  CHECK(note["text"].get<std::string>().find("F12") != std::string::npos);
  // The status strip shows the printer in trouble, in red, until a printout goes through.
  const json red = c.wait_for("device_strip", [](const json& e) { return e["trouble"] == true; });
  CHECK(red["text"].get<std::string>().find("打印机:故障(F12 重打)") != std::string::npos);
  CHECK(c.count("SELECT COUNT(*) FROM sales") == 1);
  CHECK(c.count("SELECT COUNT(*) FROM label_cards WHERE state = 'sold'") == 1);
  c.screenshot("print-failed");

  // Still off: F12 changes nothing (no copy numbered for paper that never came out).
  c.key("F12");
  CHECK(c.wait_for("print_failed")["what"] == "copy");
  CHECK(c.count("SELECT COUNT(*) FROM journal WHERE kind = 'reprint'") == 0);

  SinkServer sink(SinkServer::Answers(), port);  // the printer is switched on again
  c.key("F12");
  const json copy = c.wait_for("print_ok", [](const json& e) { return e["what"] == "copy"; });
  CHECK(copy["copy"] == 1);
  const json green = c.wait_for("print_note");
  CHECK(green["red"] == false);
  // ... and the strip is back to normal: the printer (the --printer of this run) by its kind.
  const json back = c.wait_for("device_strip", [](const json& e) { return e["trouble"] == false; });
  CHECK(back["text"].get<std::string>().find("打印机:小票机(网络)") != std::string::npos);
  REQUIRE(sink.wait_for_jobs(1, 20000));
  const Printout paper = parse_escpos(sink.jobs()[0]);
  CHECK(has_line(paper, "副本 COPY 1"));
  CHECK(has_line(paper, "身份证号 ID: " + std::string(kIdZhang)));
  CHECK(paper.of(PrintedItem::Kind::DrawerKick).empty());  // a copy never opens the drawer
  CHECK(c.count("SELECT COUNT(*) FROM journal WHERE kind = 'reprint'") == 1);
  CHECK(c.count("SELECT COUNT(*) FROM sales") == 1);
}
