// `huinong sale` prints (issue 15): after the commit, on `--printer URI` or else on the
// terminal's device.invoice_printer, the receipt read back by the ESC/POS sink. A printer that
// is off or out of paper never touches the sale: exit 0, the sale as ever, a `print` object
// with ok false and a warning on stderr.
#include <string>

#include <catch2/catch.hpp>

#include "cli_harness.hpp"
#include "printer/sink.hpp"

using hn::printer::parse_escpos;
using hn::printer::PrintedItem;
using hn::printer::Printout;
using hn::printer::SinkServer;
using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {

SaleArgs tv_sale() {
  return sale_to("王秀英", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + ":" + d::kTv1Serial + "=1999.00");
}

bool has_line(const Printout& p, const std::string& text) {
  for (const auto& l : p.lines())
    if (l == text) return true;
  return false;
}

// A loopback port with nothing listening on it (a printer that is off).
int dead_port() {
  SinkServer probe;
  return probe.port();
}

void set_setting(const DemoOutlet& o, const std::string& key, const std::string& value) {
  const auto r = o.as_manager({"--json", "setting", "set", "--user", d::kManager, "--key", key, "--value", value});
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
}

}  // namespace

TEST_CASE("sale --printer escpos+file: prints the receipt after the commit, buyer block and signed QR included",
          "[cli][sale][printer]") {
  DemoOutlet o;
  const std::string paper = o.file("receipt.bin");
  const auto r = o.sell(tv_sale().option("--printer", "escpos+file:" + paper + "?paper=58"));
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  const auto j = r.json();
  // Every field of the contract is still there, and the print says where it went.
  for (const char* field : {"status", "invoice_no", "sale_id", "total", "subsidy", "items", "findings", "provisional", "qr"})
    CHECK(j.contains(field));
  CHECK(j["status"] == "accepted");
  CHECK(j["print"]["ok"] == true);
  CHECK(j["print"]["printer"] == "escpos+file:" + paper + "?paper=58");

  const Printout p = parse_escpos(read_file(paper).value_or(""));
  CHECK(p.problems.empty());
  // POLICY S4's block: the buyer's name, full ID number and the card, first on the paper.
  REQUIRE(p.lines().size() > 3);
  CHECK(p.lines()[0] == "购买人 Buyer: 王秀英");
  CHECK(p.lines()[1] == "身份证号 ID: " + std::string(d::kIdZhang));
  CHECK(has_line(p, "发票号码 Invoice No: 00000001"));
  const auto qr = p.of(PrintedItem::Kind::Qr);
  REQUIRE(qr.size() == 1);
  CHECK(qr[0]->text == j["qr"].get<std::string>());
  // The QR code on the paper is the record's: the audit check agrees.
  const auto check = o.as_clerk({"--json", "audit", "check-invoice", "--user", d::kClerk, "--text", qr[0]->text});
  INFO(check.describe());
  CHECK(check.exit_code == 0);
  CHECK(p.of(PrintedItem::Kind::Cut).size() == 1);
  CHECK(p.of(PrintedItem::Kind::DrawerKick).empty());  // no drawer set
}

TEST_CASE("sale prints on device.invoice_printer and opens the cash drawer when one is set",
          "[cli][sale][printer]") {
  DemoOutlet o;
  SinkServer sink;
  set_setting(o, "device.invoice_printer", "escpos+tcp://127.0.0.1:" + std::to_string(sink.port()));
  set_setting(o, "device.cash_drawer", "escpos");
  const auto r = o.sell(tv_sale());
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  CHECK(r.json()["print"]["ok"] == true);
  REQUIRE(sink.wait_for_jobs(1, 20000));
  const Printout p = parse_escpos(sink.jobs()[0]);
  CHECK(p.problems.empty());
  CHECK(p.status_requests == 4);  // asked DLE EOT 1-4 before printing
  CHECK(has_line(p, "身份证号 ID: " + std::string(d::kIdZhang)));
  CHECK(p.of(PrintedItem::Kind::DrawerKick).size() == 1);

  // --invoice-out names the destination: the setting does not print as well.
  const auto filed = o.sell(sale_to("李四", d::kIdLi, d::kHouseholdB)
                                .item(std::string(d::kFridge1) + "=1799.00")
                                .option("--invoice-out", o.file("inv.txt")));
  INFO(filed.describe());
  REQUIRE(filed.exit_code == 0);
  CHECK_FALSE(filed.json().contains("print"));
  CHECK(sink.jobs().size() == 1);
}

TEST_CASE("a sale paid by card alone prints its payment and keeps the drawer shut", "[cli][sale][printer][payment]") {
  DemoOutlet o;
  SinkServer sink;
  set_setting(o, "device.invoice_printer", "escpos+tcp://127.0.0.1:" + std::to_string(sink.port()));
  set_setting(o, "device.cash_drawer", "escpos");
  const auto r = o.sell(tv_sale().option("--pay", "card:POS-0042:1999.00"));
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  CHECK(r.json()["print"]["ok"] == true);
  REQUIRE(sink.wait_for_jobs(1, 20000));
  const Printout p = parse_escpos(sink.jobs()[0]);
  CHECK(p.problems.empty());
  bool card_line = false;
  for (const auto& l : p.lines()) card_line = card_line || l.find("实收 Paid 银行卡 Card (POS-0042):") != std::string::npos;
  CHECK(card_line);
  CHECK(p.of(PrintedItem::Kind::DrawerKick).empty());
}

TEST_CASE("a dead network printer never touches the sale: exit 0, print.ok false, a warning",
          "[cli][sale][printer]") {
  DemoOutlet o;
  const std::string uri = "escpos+tcp://127.0.0.1:" + std::to_string(dead_port());
  const auto r = o.sell(tv_sale().option("--printer", uri));
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  const auto j = r.json();
  CHECK(j["status"] == "accepted");
  CHECK(j["invoice_no"] == "00000001");
  CHECK(j["print"]["ok"] == false);
  CHECK(j["print"]["code"] == "PRINTER_UNREACHABLE");
  CHECK(contains(j["print"]["message_zh"].get<std::string>(), "这笔销售已经保存"));
  CHECK(contains(r.err, "警告 Warning [PRINTER_UNREACHABLE]"));
  CHECK(o.reader().count("sales") == 1);
  CHECK(o.reader().scalar("SELECT COUNT(*) FROM label_cards WHERE state = 'sold'") == 1);
  // No copy was made of a print that never started.
  CHECK(o.reader().scalar("SELECT COUNT(*) FROM journal WHERE kind = 'reprint'") == 0);
}

TEST_CASE("a printer that reports no paper (DLE EOT) is not printed on and the sale stands",
          "[cli][sale][printer]") {
  DemoOutlet o;
  SinkServer::Answers no_paper;
  no_paper.paper = 0x12 | 0x60;  // DLE EOT 4: paper roll end
  SinkServer sink(no_paper);
  const auto r = o.sell(tv_sale().option("--printer", "escpos+tcp://127.0.0.1:" + std::to_string(sink.port())));
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  CHECK(r.json()["print"]["ok"] == false);
  CHECK(r.json()["print"]["code"] == "PRINTER_NOT_READY");
  CHECK(contains(r.json()["print"]["message_zh"].get<std::string>(), "缺纸"));
  REQUIRE(sink.wait_for_jobs(1, 20000));
  CHECK(parse_escpos(sink.jobs()[0]).items.empty());  // asked, nothing printed
  CHECK(o.reader().count("sales") == 1);
}

TEST_CASE("a malformed --printer is bad input and sells nothing", "[cli][sale][printer]") {
  DemoOutlet o;
  const auto r = o.sell(tv_sale().option("--printer", "escpos+tcp://127.0.0.1:99999"));
  INFO(r.describe());
  CHECK(r.exit_code == 2);
  CHECK(error_of(r.json())["code"] == "PRINTER_URI");
  CHECK(o.reader().count("sales") == 0);
}

TEST_CASE("without a printer set a sale prints nothing and its JSON has no print object", "[cli][sale][printer]") {
  DemoOutlet o;
  const auto r = o.sell(tv_sale());
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(r.json().contains("print"));
}
