// The printers' second line of defence (issue 14, item 3): text that reached the database
// before control characters were refused (here written straight into the SQLite file, past
// every check) never becomes a printer command. A product name holding ESC p (the cash drawer
// kick), NUL and CR LF with a fake total, and a clerk name holding ESC @, printed by
// `huinong reprint` to an ESC/POS file and to PDF, and written as the text invoice.
#include <algorithm>
#include <string>

#include <catch2/catch.hpp>

#include "cli_harness.hpp"
#include "core/text.hpp"
#include "fixtures.hpp"
#include "printer/sink.hpp"

using hn::printer::parse_escpos;
using hn::printer::PrintedItem;
using hn::printer::Printout;
using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {

// 液晶 ESC p NUL 25 250 CR LF "合计 Total: 0.00" LF 彩电: a drawer kick and a fake line.
const std::string kEvilName =
    "'液晶' || char(27) || 'p' || char(0) || char(25) || char(250) || char(13) || char(10) || "
    "'合计 Total: 0.00' || char(10) || '彩电'";

std::size_t count_byte(const std::string& bytes, char b) {
  return static_cast<std::size_t>(std::count(bytes.begin(), bytes.end(), b));
}

std::string reprint_to(const DemoOutlet& outlet, const std::string& invoice, const std::string& printer) {
  const auto r = outlet.run({"reprint", "--user", d::kClerk, "--invoice", invoice, "--printer", printer},
                            {{"HUINONG_PIN", d::kClerkPin}});
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  return printer;
}

bool control_free(const std::string& s) {
  return std::none_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\n') || u == 0x7F;
  });
}

}  // namespace

TEST_CASE("control characters stored in a product name and a clerk name never reach the printer as commands",
          "[printer][hardening]") {
  DemoOutlet outlet;
  // Invoice 00000001: a clean sale of the TCL TV, the yardstick of the printer's own commands.
  const auto clean = outlet.sell(sale_to("王秀英", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTclTv1) + "=1699.00"));
  INFO(clean.describe());
  REQUIRE(clean.exit_code == 0);

  // Past every check: straight into the file, as a damaged import or an old version could have.
  tamper(outlet.db(), "UPDATE catalog_models SET name = " + kEvilName + " WHERE model_code = 'HISENSE-TLM26V68'");
  tamper(outlet.db(), "UPDATE users SET name = '李' || char(27) || '@' || char(29) || 'V' || '营业员' WHERE login = 'li'");

  // Invoice 00000002: the Hisense TV, whose stored name now holds the commands.
  const std::string text_invoice = outlet.file("invoice-2.txt");
  const auto evil = outlet.sell(sale_to("王秀英", d::kIdLi, d::kHouseholdB)
                                    .item(std::string(d::kTv1) + "=1999.00")
                                    .option("--invoice-out", text_invoice));
  INFO(evil.describe());
  REQUIRE(evil.exit_code == 0);
  REQUIRE(evil.json()["invoice_no"] == "00000002");

  // The clean sale reprinted after the clerk's name changed too: the same commands but for the text.
  const std::string clean_bin = outlet.file("clean.bin"), evil_bin = outlet.file("evil.bin");
  reprint_to(outlet, "1", "escpos+file:" + clean_bin);
  reprint_to(outlet, "2", "escpos+file:" + evil_bin);
  const std::string clean_bytes = *read_file(clean_bin), evil_bytes = *read_file(evil_bin);

  // Read back by the sink: nothing it does not understand, no drawer kick, no fake line.
  const Printout p = parse_escpos(evil_bytes);
  INFO("evil receipt:\n" << hn::printer::render_paper(p, 48));
  CHECK(p.problems.empty());
  CHECK(p.of(PrintedItem::Kind::DrawerKick).empty());
  for (const auto& line : p.lines()) {
    CHECK(hn::trim(line) != "合计 Total: 0.00");
    CHECK(control_free(line));
  }
  const auto lines = p.lines();
  CHECK(std::any_of(lines.begin(), lines.end(),
                    [](const std::string& l) { return l.find("液晶?p") != std::string::npos; }));
  // The only ESC, GS, FS and DLE bytes are the printer's own commands: as many as in the clean
  // receipt (the stored text changed only left-aligned lines, which carry no command).
  CHECK(count_byte(evil_bytes, 0x1B) == count_byte(clean_bytes, 0x1B));
  CHECK(count_byte(evil_bytes, 0x1D) == count_byte(clean_bytes, 0x1D));
  CHECK(count_byte(evil_bytes, 0x1C) == count_byte(clean_bytes, 0x1C));
  CHECK(count_byte(evil_bytes, 0x10) == count_byte(clean_bytes, 0x10));
  CHECK(count_byte(evil_bytes, 0x00) == count_byte(clean_bytes, 0x00));

  // The text invoice written at the sale: one line per line, no control character.
  const auto text = read_file(text_invoice);
  REQUIRE(text.has_value());
  CHECK(control_free(*text));
  CHECK(contains(*text, "液晶"));
  for (const auto& line : lines_of(*text)) CHECK(hn::trim(line) != "合计 Total: 0.00");

  // The A4 PDF: the name is there, without its control characters.
  const std::string pdf = outlet.file("evil.pdf");
  reprint_to(outlet, "2", "pdf:" + pdf);
  const auto pdf_text = hn_print_test::run_program({"pdftotext", "-enc", "UTF-8", pdf, "-"});
  REQUIRE(pdf_text.exit_code == 0);
  CHECK(contains(pdf_text.out, "液晶"));
  CHECK(contains(pdf_text.out, "彩电"));
  CHECK(control_free(pdf_text.out.substr(0, pdf_text.out.find('\f'))));
}
