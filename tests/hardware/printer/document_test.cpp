// A return's paper on the printers: the subsidy refund form and the credit note as ESC/POS,
// read back by the sink and compared with golden files (golden/refund_form_*.txt,
// golden/credit_note_80mm.txt: read them as a person checks a form; HUINONG_UPDATE_GOLDEN=1
// rewrites them), and through the pdf: and cups: printers as an A4 page.
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/id_number.hpp"
#include "core/return_forms.hpp"
#include "core/text.hpp"
#include "fixtures.hpp"
#include "printer/document.hpp"
#include "printer/printer.hpp"
#include "printer/sink.hpp"

using namespace hn::printer;
using namespace hn_print_test;
using Kind = PrintedItem::Kind;

namespace {

constexpr const char* kBuyerId = hn::test::kSampleBuyerId;
using hn::test::tv_credit;
using hn::test::tv_refund;

Printout printed(const hn::Document& doc, Paper paper, bool kick = false) {
  ReceiptOptions o;
  o.paper = paper;
  o.kick_drawer = kick;
  return parse_escpos(document_bytes(doc, o));
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

Result<std::unique_ptr<InvoicePrinter>> open(const std::string& uri) {
  const auto u = parse_printer_uri(uri);
  REQUIRE(u.ok());
  return open_printer(u.value());
}

std::string pdf_text(const std::string& pdf_path) {
  const auto text = run_program({"pdftotext", "-layout", "-enc", "UTF-8", pdf_path, "-"});
  REQUIRE(text.exit_code == 0);
  return text.out;
}

}  // namespace

TEST_CASE("the 80 mm refund form reads back exactly as the golden file", "[printer][document]") {
  const Printout p = printed(hn::refund_form(tv_refund()), Paper::Mm80);
  CHECK(p.problems.empty());
  check_golden("refund_form_80mm.txt", render_paper(p, 48));
}

TEST_CASE("the 58 mm refund form reads back exactly as the golden file", "[printer][document]") {
  const Printout p = printed(hn::refund_form(tv_refund()), Paper::Mm58);
  CHECK(p.problems.empty());
  check_golden("refund_form_58mm.txt", render_paper(p, 32));
}

TEST_CASE("the 80 mm credit note reads back exactly as the golden file", "[printer][document]") {
  const Printout p = printed(hn::credit_note(tv_credit()), Paper::Mm80, true);
  CHECK(p.problems.empty());
  check_golden("credit_note_80mm.txt", render_paper(p, 48));
}

TEST_CASE("no line of either document is wider than its paper", "[printer][document]") {
  auto long_refund = tv_refund();
  long_refund.product_name = "全自动波轮洗衣机 智能模糊控制 不锈钢内桶 五公斤";
  long_refund.model_code = "LITTLESWAN-XQB50-180G";
  long_refund.reason =
      "购买后第三天发现不脱水,经售后服务网点上门检测确认为电机故障,符合三包退货规定 (motor "
      "failure confirmed by the service visit)";
  for (const auto& doc :
       {hn::refund_form(tv_refund()), hn::refund_form(long_refund), hn::credit_note(tv_credit())}) {
    for (auto [paper, cols] : {std::pair{Paper::Mm80, 48}, std::pair{Paper::Mm58, 32}}) {
      const Printout p = printed(doc, paper);
      CHECK(p.problems.empty());
      for (const auto& item : p.items) {
        if (item.kind != Kind::Line) continue;
        INFO(cols << " columns: " << item.text);
        CHECK(hn::display_width(item.text) * item.width <= cols);
      }
      CHECK(!contains(render_paper(p, cols), "WIDER THAN THE PAPER"));
    }
  }
}

TEST_CASE("the paper is laid out as the core's text of the same document", "[printer][document]") {
  // One layout, two renderers: render_document_text (files, screens) and the receipt printer
  // wrap and place every line alike. Only the doubled title is placed by its printed width.
  for (const auto& doc : {hn::refund_form(tv_refund()), hn::credit_note(tv_credit())}) {
    for (auto [paper, cols] : {std::pair{Paper::Mm80, 48}, std::pair{Paper::Mm58, 32}}) {
      const Printout p = printed(doc, paper);
      const auto want = lines_of(hn::render_document_text(doc, cols));
      auto got = lines_of(render_paper(p, cols));
      REQUIRE(got.size() > want.size());
      for (std::size_t i = 0; i < want.size(); ++i) {
        std::string line = got[i].substr(0, got[i].find("  «"));
        if (i == 0) {  // the title
          CHECK(hn::trim(line) == hn::trim(want[i]));
          continue;
        }
        INFO(cols << " columns, line " << i + 1);
        CHECK(line == want[i]);
      }
    }
  }
}

TEST_CASE("a printed document's title is bold, tall and centred, its number flush right",
          "[printer][document]") {
  for (auto paper : {Paper::Mm80, Paper::Mm58}) {
    const Printout p = printed(hn::refund_form(tv_refund()), paper);
    const auto title = std::find_if(p.items.begin(), p.items.end(), [](const PrintedItem& i) {
      return i.kind == Kind::Line && i.text == "家电下乡补贴资金申报(退还)表";
    });
    REQUIRE(title != p.items.end());
    CHECK(title == p.items.begin());  // nothing comes before it
    CHECK(title->bold);
    CHECK(title->height == 2);
    CHECK(title->width == 1);  // 28 columns doubled would not fit even 48
    CHECK(title->align == escpos::Align::Center);
    const auto number = std::find_if(p.items.begin(), p.items.end(), [](const PrintedItem& i) {
      return i.kind == Kind::Line && i.text == "编号 No: F00000003";
    });
    REQUIRE(number != p.items.end());
    CHECK(number->align == escpos::Align::Right);
    CHECK(!number->bold);
  }
  // A short title is doubled where the paper allows, as the invoice's is.
  const Printout note = printed(hn::credit_note(tv_credit()), Paper::Mm58);
  REQUIRE(!note.items.empty());
  CHECK(note.items.front().text == "退货凭证");
  CHECK(note.items.front().width == 2);
}

TEST_CASE("the printed refund form carries the full ID, the credit note only the masked one",
          "[printer][document]") {
  for (auto paper : {Paper::Mm80, Paper::Mm58}) {
    const auto form = printed(hn::refund_form(tv_refund()), paper).lines();
    CHECK(std::any_of(form.begin(), form.end(),
                      [](const std::string& l) { return contains(l, kBuyerId); }));
    const auto note = printed(hn::credit_note(tv_credit()), paper).lines();
    CHECK(std::any_of(note.begin(), note.end(),
                      [](const std::string& l) { return contains(l, "3408**********0013"); }));
    CHECK(std::none_of(note.begin(), note.end(),
                       [](const std::string& l) { return contains(l, "19800101"); }));
  }
}

TEST_CASE("a document ends with one cut, and opens the drawer only when asked",
          "[printer][document]") {
  const Printout paid_out = printed(hn::credit_note(tv_credit()), Paper::Mm80, true);
  CHECK(paid_out.of(Kind::Cut).size() == 1);
  REQUIRE(paid_out.of(Kind::DrawerKick).size() == 1);
  CHECK(paid_out.of(Kind::DrawerKick)[0]->pin == 2);
  const Printout form = printed(hn::refund_form(tv_refund()), Paper::Mm80);
  CHECK(form.of(Kind::Cut).size() == 1);
  CHECK(form.of(Kind::DrawerKick).empty());
  CHECK(form.of(Kind::Qr).empty());
}

TEST_CASE("wrapping keeps a bracketed Chinese name, a quotation and an amount whole",
          "[printer][document]") {
  const auto a = wrap_text("Take this form to the township finance office (乡镇财政所) now", 32);
  CHECK(std::any_of(a.begin(), a.end(),
                    [](const std::string& l) { return contains(l, "(乡镇财政所)"); }));
  const auto b = wrap_text("and endorses the invoice \"补贴已退,可退货\" (subsidy repaid)", 32);
  CHECK(std::any_of(b.begin(), b.end(),
                    [](const std::string& l) { return contains(l, "\"补贴已退,可退货\""); }));
  // The yuan sign stays with its amount, and the full stop after it comes along too.
  const auto c = wrap_text("退还补贴资金￥259.87。", 20);
  REQUIRE(c.size() == 2);
  CHECK(c[0] == "退还补贴资金");
  CHECK(c[1] == "￥259.87。");
  for (const auto* lines : {&a, &b, &c})
    for (const auto& l : *lines) CHECK(hn::display_width(l) <= 32);
}

TEST_CASE("the escpos printers print a document's bytes", "[printer][document]") {
  TempDir dir;
  auto p = open("escpos+file:" + dir.file("lp0") + "?paper=58");
  REQUIRE(p.ok());
  const auto doc = hn::refund_form(tv_refund());
  REQUIRE(p.value()->print_document(doc, ReceiptOptions{Paper::Mm58, true, false}).ok());
  CHECK(read_file(dir.file("lp0")) ==
        document_bytes(doc, ReceiptOptions{Paper::Mm58, true, false}));
}

TEST_CASE("pdf: prints the refund form as an A4 page with the title, card and amounts",
          "[printer][document][a4]") {
  TempDir dir;
  auto p = open("pdf:" + dir.file("refund.pdf"));
  REQUIRE(p.ok());
  const auto printed_ok = p.value()->print_document(hn::refund_form(tv_refund()), ReceiptOptions{});
  REQUIRE(printed_ok.ok());
  const std::string text = pdf_text(dir.file("refund.pdf"));
  CHECK(contains(text, "家电下乡补贴资金申报(退还)表"));
  CHECK(contains(text, "Subsidy refund form"));
  CHECK(contains(text, "F00000003"));
  CHECK(contains(text, "34080100000000010001"));
  CHECK(contains(text, kBuyerId));
  CHECK(contains(text, "1999.00"));
  CHECK(contains(text, "259.87"));
  CHECK(contains(text, "乡镇财政所"));
  CHECK(contains(text, "购买人签字 Buyer"));
  CHECK(contains(text, "销售网点盖章 Outlet (stamp)"));
  CHECK(contains(text, "乡镇财政所盖章 Township finance"));  // the rest wraps in its column
  // one page; the PDF only in place once whole
  const auto info = run_program({"pdfinfo", dir.file("refund.pdf")});
  REQUIRE(info.exit_code == 0);
  const auto pages = info.out.find("Pages:");
  REQUIRE(pages != std::string::npos);
  CHECK(std::atoi(info.out.c_str() + pages + 6) == 1);
  struct stat st {};
  CHECK(::stat((dir.file("refund.pdf") + ".part").c_str(), &st) != 0);
}

TEST_CASE("pdf: prints the credit note with the masked ID number only", "[printer][document][a4]") {
  TempDir dir;
  auto p = open("pdf:" + dir.file("credit.pdf"));
  REQUIRE(p.ok());
  REQUIRE(p.value()->print_document(hn::credit_note(tv_credit()), ReceiptOptions{}).ok());
  const std::string text = pdf_text(dir.file("credit.pdf"));
  CHECK(contains(text, "退货凭证"));
  CHECK(contains(text, "C00000007"));
  CHECK(contains(text, "3408**********0013"));
  CHECK(!contains(text, kBuyerId));
  CHECK(contains(text, "34080100000000010001"));
  CHECK(contains(text, "1999.00"));
  CHECK(contains(text, "259.87"));
  CHECK(contains(text, "00000001 已作废 void"));
}

TEST_CASE("a pdf: printer writes one PDF: a second print says so", "[printer][document][a4]") {
  TempDir dir;
  auto p = open("pdf:" + dir.file("once.pdf"));
  REQUIRE(p.ok());
  REQUIRE(p.value()->print_document(hn::credit_note(tv_credit()), ReceiptOptions{}).ok());
  const auto again = p.value()->print_document(hn::refund_form(tv_refund()), ReceiptOptions{});
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == "PRINTER_WRITE");
  CHECK(contains(pdf_text(dir.file("once.pdf")), "退货凭证"));  // the first one stands
}

TEST_CASE("cups: hands the document's A4 PDF to lp under its number", "[printer][document]") {
  // A stand-in lp and lpstat, as in transport_test.cpp: the hand-off is what is tested.
  TempDir dir;
  write_file(dir.file("lp"), "#!/bin/sh\necho \"$@\" >> \"" + dir.file("lp-args") +
                                 "\"\ncp \"$5\" \"" + dir.file("handed.pdf") + "\"\n");
  ::chmod(dir.file("lp").c_str(), 0755);
  write_file(dir.file("lpstat"), "#!/bin/sh\n[ \"$2\" = counter-a4 ]\n");
  ::chmod(dir.file("lpstat").c_str(), 0755);
  const std::string old_path = std::getenv("PATH") ? std::getenv("PATH") : "";
  ::setenv("PATH", (dir.path() + ":" + old_path).c_str(), 1);
  auto p = open("cups:counter-a4");
  ::setenv("PATH", old_path.c_str(), 1);
  REQUIRE(p.ok());
  REQUIRE(p.value()->print_document(hn::refund_form(tv_refund()), ReceiptOptions{}).ok());
  CHECK(contains(read_file(dir.file("lp-args")), "-d counter-a4 -t document F00000003"));
  CHECK(contains(pdf_text(dir.file("handed.pdf")), "34080100000000010001"));
}
