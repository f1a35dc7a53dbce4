// The A4 invoice as PDF, checked the way a person would: its text through poppler's pdftotext
// (against a golden file), where the ID number sits on the page (pdftotext -bbox), the
// Chinese font embedded (pdffonts), and a rendering of the page (pdftoppm).
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "printer/a4.hpp"

using namespace hn_print_test;

namespace {

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

std::string pdf_of(const hn::Invoice& inv, const TempDir& dir, const std::string& name) {
  const auto pdf = hn::printer::invoice_pdf(inv);
  REQUIRE(pdf.ok());
  const std::string path = dir.file(name);
  write_file(path, pdf.value());
  return path;
}

struct Box {
  double x_min = 0, y_min = 0, x_max = 0, y_max = 0;
};

// Where pdftotext -bbox puts a word (points, origin top left):
//   <word xMin="..." yMin="..." xMax="..." yMax="...">WORD</word>
bool word_box(const std::string& bbox_html, const std::string& word, Box& box) {
  const auto end = bbox_html.find("\">" + word + "</word>");
  if (end == std::string::npos) return false;
  const auto start = bbox_html.rfind("<word ", end);
  if (start == std::string::npos) return false;
  return std::sscanf(bbox_html.c_str() + start,
                     "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &box.x_min,
                     &box.y_min, &box.x_max, &box.y_max) == 4;
}

// pdffonts' columns for the font whose name contains `family`: name type encoding emb sub
// uni object-number generation. True when it is embedded as a subset.
bool font_embedded(const std::string& pdffonts, const std::string& family) {
  std::istringstream lines(pdffonts);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(family) == std::string::npos) continue;
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string x; words >> x;) w.push_back(x);
    if (w.size() >= 6 && w[w.size() - 5] == "yes" && w[w.size() - 4] == "yes") return true;
  }
  return false;
}

}  // namespace

TEST_CASE("the A4 invoice's text reads as the golden file", "[printer][a4]") {
  TempDir dir;
  const std::string pdf = pdf_of(two_item_invoice(), dir, "invoice.pdf");
  const auto text = run_program({"pdftotext", "-layout", "-enc", "UTF-8", pdf, "-"});
  REQUIRE(text.exit_code == 0);
  CHECK(contains(text.out, "340822198001010013"));
  CHECK(contains(text.out, "王秀英"));
  CHECK(contains(text.out, "家电下乡产品销售发票"));
  CHECK(contains(text.out, "34080200000000020001"));
  check_golden("invoice_a4.txt", text.out);
}

TEST_CASE("the A4 invoice shows each payment and the change under the totals", "[printer][a4][payment]") {
  TempDir dir;
  hn::Invoice inv = two_item_invoice();
  inv.payments = {{hn::PaymentMethod::Mobile, 100000, "WX-8812"}, {hn::PaymentMethod::Cash, 280000, ""}};
  inv.change = 200;
  const auto text = run_program({"pdftotext", "-layout", "-enc", "UTF-8", pdf_of(inv, dir, "paid.pdf"), "-"});
  REQUIRE(text.exit_code == 0);
  INFO(text.out);
  CHECK(contains(text.out, "实收 Paid 移动支付 Mobile (WX-8812): ￥1000.00"));
  CHECK(contains(text.out, "实收 Paid 现金 Cash: ￥2800.00"));
  CHECK(contains(text.out, "找零 Change: ￥2.00"));
  // Paid exactly in cash (the golden file's invoice), the page says only "实收 Paid now".
  const auto plain = run_program({"pdftotext", "-layout", "-enc", "UTF-8", pdf_of(two_item_invoice(), dir, "plain.pdf"), "-"});
  CHECK_FALSE(contains(plain.out, "找零"));
}

TEST_CASE("the A4 invoice puts the buyer, the ID number and every card in the top-right corner",
          "[printer][a4]") {
  TempDir dir;
  const std::string pdf = pdf_of(two_item_invoice(), dir, "invoice.pdf");
  const auto bbox = run_program({"pdftotext", "-bbox", "-enc", "UTF-8", pdf, "-"});
  REQUIRE(bbox.exit_code == 0);
  const double page_width = 595.28, margin = 48;
  for (const std::string word :
       {"340822198001010013", "34080100000000010001", "34080200000000020001", "王秀英"}) {
    Box b;
    INFO(word);
    REQUIRE(word_box(bbox.out, word, b));
    CHECK(b.x_max > page_width - margin - 2);  // flush with the right margin
    CHECK(b.x_min > page_width / 2);           // in the right half
    CHECK(b.y_max < 120);                      // within the top 120 points of 842
  }
  // and the title comes below the block
  Box id, title;
  REQUIRE(word_box(bbox.out, "340822198001010013", id));
  REQUIRE(word_box(bbox.out, "家电下乡产品销售发票", title));
  CHECK(title.y_min > id.y_max);
}

TEST_CASE("the A4 invoice embeds WenQuanYi Zen Hei and renders to an image", "[printer][a4]") {
  TempDir dir;
  auto inv = two_item_invoice();
  inv.copy_no = 2;
  const std::string pdf = pdf_of(inv, dir, "copy.pdf");
  const auto fonts = run_program({"pdffonts", pdf});
  REQUIRE(fonts.exit_code == 0);
  INFO(fonts.out);
  CHECK(font_embedded(fonts.out, "WenQuanYi"));
  const auto text = run_program({"pdftotext", "-enc", "UTF-8", pdf, "-"});
  CHECK(contains(text.out, "副本 COPY 2"));

  const std::string png = dir.file("page");
  REQUIRE(run_program({"pdftoppm", "-r", "50", "-png", "-singlefile", pdf, png}).exit_code == 0);
  struct stat st {};
  REQUIRE(::stat((png + ".png").c_str(), &st) == 0);
  CHECK(st.st_size > 5000);
}

TEST_CASE("README images: the A4 invoice page and the 80 mm receipt", "[printer][a4][.readme]") {
  // Hidden: run by hand with HUINONG_UPDATE_GOLDEN=1 to refresh invoice_a4.png.
  TempDir dir;
  const std::string pdf = pdf_of(two_item_invoice(), dir, "invoice.pdf");
  const std::string out = std::string(HUINONG_PRINTER_TESTS_DIR) + "/invoice_a4";
  REQUIRE(run_program({"pdftoppm", "-r", "60", "-png", "-singlefile", pdf, out}).exit_code == 0);
}
