// `huinong reprint` end to end: the real binary on a demo outlet's SQLite file, printing to a
// file, to the loopback TCP sink and to PDF; copies numbered 1, 2, 3...; and printers that
// fail, which must leave the sale and the journal as they were (the reprint is journaled only
// once the printer has been reached).
#include <string>

#include <catch2/catch.hpp>

#include "cli_harness.hpp"
#include "fixtures.hpp"
#include "printer/sink.hpp"

using hn::printer::parse_escpos;
using hn::printer::Printout;
using hn::printer::SinkServer;
using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {

// A demo outlet with one accepted two-item sale: invoice 00000001.
struct SoldOutlet {
  DemoOutlet outlet;
  SoldOutlet() {
    const auto sold = outlet.sell(sale_to("王秀英", d::kIdZhang, d::kHouseholdA)
                                      .item(std::string(d::kTv1) + ":" + d::kTv1Serial + "=1999.00")
                                      .item(std::string(d::kFridge1) + "=1799.00"));
    INFO(sold.describe());
    REQUIRE(sold.exit_code == 0);
    REQUIRE(sold.json()["invoice_no"] == "00000001");
  }
  RunResult reprint(const std::string& printer, const std::string& invoice = "00000001",
                    const std::string& user = d::kClerk,
                    const std::string& pin = d::kClerkPin) const {
    return outlet.run({"reprint", "--user", user, "--invoice", invoice, "--printer", printer},
                      {{"HUINONG_PIN", pin}});
  }
  std::int64_t reprints() const {
    return outlet.reader().scalar("SELECT COUNT(*) FROM journal WHERE kind = 'reprint'");
  }
};

bool has_line(const Printout& p, const std::string& text) {
  for (const auto& l : p.lines())
    if (l == text) return true;
  return false;
}

}  // namespace

TEST_CASE("reprints are marked 副本 COPY 1, then COPY 2, and journaled", "[printer][reprint]") {
  SoldOutlet s;
  const std::string first = s.outlet.file("copy1.bin"), second = s.outlet.file("copy2.bin");
  const auto r1 = s.reprint("escpos+file:" + first);
  INFO(r1.describe());
  REQUIRE(r1.exit_code == 0);
  CHECK(contains(r1.out, "副本 COPY 1"));
  const auto r2 = s.reprint("escpos+file:" + second + "?paper=58");
  INFO(r2.describe());
  REQUIRE(r2.exit_code == 0);

  const Printout p1 = parse_escpos(*read_file(first));
  const Printout p2 = parse_escpos(*read_file(second));
  CHECK(p1.problems.empty());
  CHECK(has_line(p1, "副本 COPY 1"));
  CHECK(has_line(p2, "副本 COPY 2"));
  CHECK_FALSE(has_line(p2, "副本 COPY 1"));
  // The copy is the same invoice: the buyer's block with the full ID number and both cards.
  CHECK(has_line(p1, "身份证号 ID: " + std::string(d::kIdZhang)));
  CHECK(has_line(p1, std::string(d::kFridge1)));
  CHECK(has_line(p1, "发票号码 Invoice No: 00000001"));
  // A reprint never opens the cash drawer.
  CHECK(p1.of(hn::printer::PrintedItem::Kind::DrawerKick).empty());
  CHECK(s.reprints() == 2);
  CHECK(s.outlet.reader().count("sales") == 1);
}

TEST_CASE("reprint to a network printer on the loopback sink, and to an A4 PDF",
          "[printer][reprint]") {
  SoldOutlet s;
  SinkServer sink;
  const auto r =
      s.outlet.run({"--json", "reprint", "--user", d::kClerk, "--invoice", "1", "--printer",
                    "escpos+tcp://127.0.0.1:" + std::to_string(sink.port())},
                   {{"HUINONG_PIN", d::kClerkPin}});
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  CHECK(r.json()["status"] == "printed");
  CHECK(r.json()["copy"] == 1);
  CHECK(r.json()["invoice_no"] == "00000001");
  REQUIRE(sink.wait_for_jobs(1, 5000));
  CHECK(has_line(parse_escpos(sink.jobs()[0]), "副本 COPY 1"));

  const std::string pdf = s.outlet.file("invoice.pdf");
  const auto a4 = s.reprint("pdf:" + pdf);
  INFO(a4.describe());
  REQUIRE(a4.exit_code == 0);
  const auto text = hn_print_test::run_program({"pdftotext", "-enc", "UTF-8", pdf, "-"});
  CHECK(contains(text.out, "副本 COPY 2"));
  CHECK(contains(text.out, d::kIdZhang));
  CHECK(file_mode(pdf) == 0600);
}

TEST_CASE(
    "a printer that cannot be reached gives exit 1, says the sale is safe, and changes nothing",
    "[printer][reprint]") {
  SoldOutlet s;
  const auto sales_before = s.outlet.reader().rows("SELECT * FROM sales");
  const auto items_before = s.outlet.reader().rows("SELECT * FROM sale_items");
  for (const std::string& printer : {std::string("escpos+file:/nonexistent-huinong-dir/lp0"),
                                     std::string("escpos+tcp://127.0.0.1:1"),
                                     std::string("pdf:/nonexistent-huinong-dir/invoice.pdf")}) {
    const auto r = s.reprint(printer);
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "PRINT_FAILED"));
    CHECK(contains(r.err, "这笔销售已经保存"));
    CHECK(contains(r.err, "The sale is saved and safe"));
  }
  CHECK(s.reprints() == 0);
  CHECK(s.outlet.reader().rows("SELECT * FROM sales") == sales_before);
  CHECK(s.outlet.reader().rows("SELECT * FROM sale_items") == items_before);
  // and once the printer is back, the first copy is COPY 1
  const std::string out = s.outlet.file("lp0");
  REQUIRE(s.reprint("escpos+file:" + out).exit_code == 0);
  CHECK(has_line(parse_escpos(*read_file(out)), "副本 COPY 1"));
}

TEST_CASE("reprint refuses bad URIs, unknown invoices, wrong PINs and auditors",
          "[printer][reprint]") {
  SoldOutlet s;
  const std::string ok_printer = "escpos+file:" + s.outlet.file("lp0");
  const auto bad_uri = s.reprint("lpt1:");
  INFO(bad_uri.describe());
  CHECK(bad_uri.exit_code == 2);
  CHECK(contains(bad_uri.err, "PRINTER_URI"));
  const auto unknown = s.reprint(ok_printer, "00000042");
  INFO(unknown.describe());
  CHECK(unknown.exit_code == 2);
  CHECK(contains(unknown.err, "INVOICE_NOT_FOUND"));
  CHECK(s.reprint(ok_printer, "12345678901").exit_code == 2);
  CHECK(s.reprint(ok_printer, "00000001", d::kClerk, d::kWrongPin).exit_code == 4);
  const auto add = s.outlet.run({"user", "add", "--user", d::kManager, "--login", "audit", "--name",
                                 "审计员", "--role", "auditor"},
                                {{"HUINONG_PIN", d::kManagerPin}, {"HUINONG_NEW_PIN", "975310"}});
  REQUIRE(add.exit_code == 0);
  CHECK(s.reprint(ok_printer, "00000001", "audit", "975310").exit_code == 4);
  CHECK(s.reprints() == 0);
  CHECK_FALSE(file_exists(s.outlet.file("lp0")));
}

TEST_CASE("the receipt's QR code, photographed, says whether the paper matches the record",
          "[printer][reprint][audit]") {
  SoldOutlet s;
  const std::string bin = s.outlet.file("receipt.bin"), png = s.outlet.file("receipt.png");
  REQUIRE(s.reprint("escpos+file:" + bin + "?paper=58").exit_code == 0);
  const Printout paper = parse_escpos(*read_file(bin));
  const auto qrs = paper.of(hn::printer::PrintedItem::Kind::Qr);
  REQUIRE(qrs.size() == 1);
  const std::string payload = qrs[0]->text;
  CHECK(payload.rfind("HNPOS2;", 0) == 0);
  CHECK(payload.size() < 200);  // small enough for 58 mm paper
  // The paper as a picture (203 dpi), read back by the camera path (ZXing).
  REQUIRE(hn::printer::render_paper_png(paper, 32, png));
  const auto seen = s.outlet.run({"audit", "check-invoice", "--user", d::kClerk, "--image", png, "--json"},
                                 {{"HUINONG_PIN", d::kClerkPin}});
  INFO(seen.describe());
  CHECK(seen.exit_code == 0);
  CHECK(seen.json()["status"] == "matches");
  CHECK(seen.json()["invoice_no"] == "00000001");
  // A paper whose total was changed by hand does not match.
  std::string forged = payload;
  const auto at = forged.find(";a=");
  forged.replace(at + 3, forged.find(';', at + 1) - at - 3, "1.00");
  const auto bad = s.outlet.run({"audit", "check-invoice", "--user", d::kClerk, "--text", forged, "--json"},
                                {{"HUINONG_PIN", d::kClerkPin}});
  INFO(bad.describe());
  CHECK(bad.exit_code == 5);
  CHECK(bad.out.find("total differs") != std::string::npos);
  CHECK(bad.out.find("signature does not match") != std::string::npos);
  CHECK(s.outlet.run({"audit", "check-invoice", "--user", d::kClerk, "--text", "hello"},
                     {{"HUINONG_PIN", d::kClerkPin}}).exit_code == 2);
}
