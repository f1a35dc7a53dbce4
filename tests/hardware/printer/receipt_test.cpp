// The receipt of the two-item invoice on 80 mm and 58 mm paper, read back by the ESC/POS sink
// and compared with golden files (golden/receipt_*.txt: read them as a person checks a
// receipt), and the things a person checks on it one by one.
#include <algorithm>
#include <string>

#include <catch2/catch.hpp>

#include "core/text.hpp"
#include "fixtures.hpp"
#include "imaging/decode.hpp"
#include "imaging/image.hpp"
#include "printer/gb18030.hpp"
#include "printer/receipt.hpp"
#include "printer/sink.hpp"

using namespace hn::printer;
using hn_print_test::two_item_invoice;
using Kind = PrintedItem::Kind;

namespace {

Printout printed(const hn::Invoice& inv, Paper paper, bool kick = false) {
  ReceiptOptions o;
  o.paper = paper;
  o.kick_drawer = kick;
  return parse_escpos(receipt_bytes(inv, o));
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// The two-item invoice paid 1000.00 by bank card (its slip's reference the longest there is)
// and 2800.00 cash: 2.00 change (issue 16).
hn::Invoice paid_invoice() {
  hn::Invoice inv = two_item_invoice();
  inv.payments = {{hn::PaymentMethod::Card, 100000, "POS-0042-20090115-1032-ABCDEFGHI"},
                  {hn::PaymentMethod::Cash, 280000, ""}};
  inv.change = 200;
  return inv;
}

}  // namespace

TEST_CASE("the 80 mm receipt reads back exactly as the golden file", "[printer][receipt]") {
  const Printout p = printed(two_item_invoice(), Paper::Mm80, true);
  CHECK(p.problems.empty());
  hn_print_test::check_golden("receipt_80mm.txt", render_paper(p, 48));
}

TEST_CASE("the 58 mm receipt reads back exactly as the golden file", "[printer][receipt]") {
  const Printout p = printed(two_item_invoice(), Paper::Mm58);
  CHECK(p.problems.empty());
  hn_print_test::check_golden("receipt_58mm.txt", render_paper(p, 32));
}

TEST_CASE("a receipt paid by card and cash shows each payment and the change, as the golden file shows",
          "[printer][receipt][payment]") {
  const Printout p = printed(paid_invoice(), Paper::Mm80, true);
  CHECK(p.problems.empty());
  const std::string paper = render_paper(p, 48);
  CHECK(contains(paper, "实收 Paid 现金 Cash:"));
  CHECK(contains(paper, "￥2800.00"));
  CHECK(contains(paper, "找零 Change:"));
  CHECK(contains(paper, "￥2.00"));
  hn_print_test::check_golden("receipt_paid_80mm.txt", paper);
  // Paid exactly in cash, the receipt says no more than "实收 Paid now".
  hn::Invoice exact = two_item_invoice();
  exact.payments = {{hn::PaymentMethod::Cash, exact.total, ""}};
  CHECK_FALSE(contains(render_paper(printed(exact, Paper::Mm80), 48), "找零"));
}

TEST_CASE("no line of either receipt is wider than its paper", "[printer][receipt]") {
  for (auto [paper, cols] : {std::pair{Paper::Mm80, 48}, std::pair{Paper::Mm58, 32}}) {
    for (const auto& inv : {two_item_invoice(), paid_invoice()})
      for (const auto& item : printed(inv, paper).items) {
        if (item.kind != Kind::Line) continue;
        INFO(cols << " columns: " << item.text);
        CHECK(hn::display_width(item.text) * item.width <= cols);
      }
  }
}

TEST_CASE("the receipt opens with POLICY S4's block, flush right: buyer, ID number, every card",
          "[printer][receipt]") {
  for (auto paper : {Paper::Mm80, Paper::Mm58}) {
    const Printout p = printed(two_item_invoice(), paper);
    std::vector<const PrintedItem*> block;
    for (const auto& i : p.items) {
      if (i.kind != Kind::Line || i.text.empty()) break;  // the block ends at the first blank line
      block.push_back(&i);
    }
    std::string text;
    for (const auto* i : block) {
      CHECK(i->align == hn::printer::escpos::Align::Right);
      text += i->text + "\n";
    }
    CHECK(contains(text, "购买人 Buyer: 王秀英"));
    CHECK(
        contains(text, "340822198001010013"));  // in full: the invoice is where the policy wants it
    CHECK(contains(text, "34080100000000010001"));
    CHECK(contains(text, "34080200000000020001"));
    // Nothing else comes before the block.
    CHECK(contains(block.front()->text, "王秀英"));
  }
}

TEST_CASE("the title is bold and enlarged as far as the paper allows", "[printer][receipt]") {
  auto title_of = [](const Printout& p) {
    for (const auto& i : p.items)
      if (i.kind == Kind::Line && i.text == "家电下乡产品销售发票") return i;
    FAIL("no title");
    return PrintedItem{};
  };
  const auto wide = title_of(printed(two_item_invoice(), Paper::Mm80));
  CHECK(wide.bold);
  CHECK(wide.width == 2);
  CHECK(wide.height == 2);
  CHECK(wide.align == hn::printer::escpos::Align::Center);
  const auto narrow = title_of(printed(two_item_invoice(), Paper::Mm58));
  CHECK(narrow.bold);
  CHECK(narrow.width == 1);  // 20 columns doubled would not fit 32
  CHECK(narrow.height == 2);
}

TEST_CASE("amounts carry the full-width yuan sign in GB18030", "[printer][receipt]") {
  const auto gb = utf8_to_gb18030("￥3798.00");
  REQUIRE(gb);
  CHECK(gb->substr(0, 2) == "\xA3\xA4");
  ReceiptOptions o;
  CHECK(receipt_bytes(two_item_invoice(), o).find(*gb) != std::string::npos);
  const auto lines = printed(two_item_invoice(), Paper::Mm80).lines();
  CHECK(std::any_of(lines.begin(), lines.end(),
                    [](const std::string& l) { return contains(l, "合计 Total: ￥3798.00"); }));
}

TEST_CASE("the QR code holds the invoice number and totals, model 2, level M",
          "[printer][receipt]") {
  const Printout p = printed(two_item_invoice(), Paper::Mm80);
  const auto qr = p.of(Kind::Qr);
  REQUIRE(qr.size() == 1);
  CHECK(qr[0]->text ==
        "HNPOS1;outlet=340822001;terminal=T01;invoice=00000001;total=3798.00;subsidy=493.74");
  CHECK(qr[0]->qr_model == 2);
  CHECK(qr[0]->qr_level == 'M');
  CHECK(qr[0]->qr_module == 6);
  CHECK(qr[0]->align == hn::printer::escpos::Align::Center);
}

TEST_CASE("the receipt ends with one cut, and opens the drawer only when asked",
          "[printer][receipt]") {
  const Printout sale = printed(two_item_invoice(), Paper::Mm80, true);
  REQUIRE(sale.of(Kind::Cut).size() == 1);
  CHECK(sale.of(Kind::Cut)[0]->partial);
  REQUIRE(sale.of(Kind::DrawerKick).size() == 1);
  CHECK(sale.of(Kind::DrawerKick)[0]->pin == 2);
  CHECK(sale.of(Kind::DrawerKick)[0]->pulse_ms == 100);
  CHECK(printed(two_item_invoice(), Paper::Mm80, false).of(Kind::DrawerKick).empty());
}

TEST_CASE("a copy says 副本 COPY n under the title, and the original does not", "[printer][receipt]") {
  auto inv = two_item_invoice();
  auto lines = printed(inv, Paper::Mm58).lines();
  CHECK(std::none_of(lines.begin(), lines.end(),
                     [](const std::string& l) { return contains(l, "COPY"); }));
  inv.copy_no = 3;
  const Printout p = printed(inv, Paper::Mm58);
  lines = p.lines();
  const auto title = std::find(lines.begin(), lines.end(), "家电下乡产品销售发票");
  const auto copy = std::find(lines.begin(), lines.end(), "副本 COPY 3");
  REQUIRE(title != lines.end());
  REQUIRE(copy != lines.end());
  CHECK(copy > title);
  CHECK(copy - title <= 4);  // after the English title, which takes two lines on 58 mm
}

TEST_CASE("wrapping keeps CJK within the width and Latin words whole", "[printer][receipt]") {
  const auto l = wrap_text("凭本发票和产品标识卡到户籍所在地乡镇财政所申领补贴。", 32);
  REQUIRE(l.size() == 2);
  CHECK(hn::display_width(l[0]) == 32);
  // and a full stop never starts a line: the character before it comes along
  const auto k = wrap_text("凭本发票和产品标识卡到户籍所在地乡镇财政所申领补贴。", 50);
  REQUIRE(k.size() == 2);
  CHECK(k[1] == "贴。");
  CHECK(hn::display_width(k[0]) == 48);
  const auto e = wrap_text("Claim the subsidy with this invoice and the label cards", 20);
  for (const auto& x : e) CHECK(hn::display_width(x) <= 20);
  CHECK(e[0] == "Claim the subsidy");
}

TEST_CASE("the sink lists what it does not understand instead of guessing", "[printer][sink]") {
  const Printout p = parse_escpos(std::string("\x1B@abc\n\x1B\x7F", 8) + "def");
  CHECK(p.lines() == std::vector<std::string>{"abc"});
  REQUIRE(p.problems.size() == 2);
  CHECK(contains(p.problems[0], "ESC 0x7F"));
  CHECK(contains(p.problems[1], "def"));
  const Printout bad = parse_escpos("\x1B@\xFF\xFE\xFF\n");
  CHECK(!bad.problems.empty());
}

TEST_CASE("README images: the 80 mm and 58 mm receipts as paper", "[printer][receipt][.readme]") {
  // Hidden: run by hand to refresh receipt_80mm.png and receipt_58mm.png.
  const std::string dir = HUINONG_PRINTER_TESTS_DIR;
  auto copy = two_item_invoice();
  copy.copy_no = 1;
  CHECK(render_paper_png(printed(two_item_invoice(), Paper::Mm80, true), 48,
                         dir + "/receipt_80mm.png"));
  CHECK(render_paper_png(printed(copy, Paper::Mm58), 32, dir + "/receipt_58mm.png"));
  for (const char* name : {"/receipt_80mm.png", "/receipt_58mm.png"})  // small for the README
    CHECK(hn_print_test::run_program(
              {"convert", dir + name, "-colorspace", "Gray", "-colors", "8", "PNG8:" + dir + name})
              .exit_code == 0);
}

TEST_CASE("the receipt renders as a picture of the paper", "[printer][receipt]") {
  hn_print_test::TempDir tmp;
  REQUIRE(render_paper_png(printed(two_item_invoice(), Paper::Mm80), 48, tmp.file("r.png")));
  const std::string png = hn_print_test::read_file(tmp.file("r.png"));
  REQUIRE(png.size() > 24);
  CHECK(png.substr(1, 3) == "PNG");
  // 48 columns of 12 dots and the margins: 576 dots is 72 mm, the printable width of 80 mm paper
  const auto be32 = [&](std::size_t at) {
    return (static_cast<unsigned char>(png[at]) << 24) |
           (static_cast<unsigned char>(png[at + 1]) << 16) |
           (static_cast<unsigned char>(png[at + 2]) << 8) | static_cast<unsigned char>(png[at + 3]);
  };
  CHECK(be32(16) == 576 + 32);

  // The QR code on that paper, at the printer's 6-dot modules, scans back to its payload.
  const auto image = hn::imaging::load_image(tmp.file("r.png"));
  REQUIRE(image.ok());
  hn::imaging::DecodeOptions qr;
  qr.formats = {hn::imaging::CodeFormat::QrCode};
  const auto codes = hn::imaging::decode(image->view(), qr);
  REQUIRE(codes.ok());
  REQUIRE(codes->size() == 1);
  CHECK(codes.value()[0].text == receipt_qr_payload(two_item_invoice()));
}
