// Printer URIs, and each ESC/POS transport against the sink: a file, a serial line (a real
// pty), TCP 9100 on loopback; printers that answer "no paper", that say nothing, that are not
// there; and CUPS through a stand-in `lp` (no CUPS server here: the hand-off is what is tested).
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "loopback.hpp"
#include "printer/printer.hpp"
#include "printer/sink.hpp"

using namespace hn::printer;
using namespace hn_print_test;
using hn::test::closed_port;

namespace {

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

bool has_line(const Printout& p, const std::string& text) {
  for (const auto& l : p.lines())
    if (l == text) return true;
  return false;
}

Result<std::unique_ptr<InvoicePrinter>> open(const std::string& uri) {
  const auto u = parse_printer_uri(uri);
  REQUIRE(u.ok());
  return open_printer(u.value());
}

}  // namespace

TEST_CASE("printer URIs parse into kind, place, paper and baud", "[printer][uri]") {
  auto f = parse_printer_uri("escpos+file:/dev/usb/lp0");
  REQUIRE(f.ok());
  CHECK(f->kind == PrinterUri::Kind::EscPosFile);
  CHECK(f->path == "/dev/usb/lp0");
  CHECK(f->paper == Paper::Mm80);
  auto s = parse_printer_uri("escpos+serial:/dev/ttyUSB0?baud=115200&paper=58");
  REQUIRE(s.ok());
  CHECK(s->kind == PrinterUri::Kind::EscPosSerial);
  CHECK(s->baud == 115200);
  CHECK(s->paper == Paper::Mm58);
  auto t = parse_printer_uri("escpos+tcp://192.168.1.87:9100");
  REQUIRE(t.ok());
  CHECK(t->path == "192.168.1.87");
  CHECK(t->port == 9100);
  auto t6 = parse_printer_uri("escpos+tcp://[::1]:9101?paper=58");
  REQUIRE(t6.ok());
  CHECK(t6->path == "::1");
  CHECK(t6->port == 9101);
  CHECK(parse_printer_uri("escpos+tcp://printer.local")->port == 9100);
  CHECK(parse_printer_uri("pdf:/tmp/x.pdf")->kind == PrinterUri::Kind::Pdf);
  CHECK(parse_printer_uri("cups:counter")->path == "counter");

  for (const char* bad :
       {"lp0", "escpos+file:", "escpos+serial:/dev/ttyS0", "escpos+serial:/dev/ttyS0?baud=1234",
        "escpos+tcp://host:0", "escpos+tcp://host:99999", "escpos+tcp://:9100",
        "escpos+file:/x?paper=76", "escpos+file:/x?colour=red", "http://printer/", "pdf:"}) {
    INFO(bad);
    const auto r = parse_printer_uri(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "PRINTER_URI");
    CHECK(contains(r.error().message_zh, "无效"));
    CHECK(contains(r.error().message_en, "invalid"));
  }
}

TEST_CASE("the file transport appends receipts to the file, owner-only", "[printer][transport]") {
  TempDir dir;
  const std::string path = dir.file("lp0");
  auto p = open("escpos+file:" + path + "?paper=58");
  REQUIRE(p.ok());
  auto inv = two_item_invoice();
  ReceiptOptions o;
  o.paper = Paper::Mm58;
  REQUIRE(p.value()->print(inv, o).ok());
  inv.copy_no = 1;
  REQUIRE(p.value()->print(inv, o).ok());
  const Printout out = parse_escpos(read_file(path));
  CHECK(out.problems.empty());
  CHECK(out.of(PrintedItem::Kind::Cut).size() == 2);
  CHECK(has_line(out, "副本 COPY 1"));
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);  // a receipt carries the buyer's ID number
}

TEST_CASE("a file that cannot be opened is an error before anything is printed",
          "[printer][transport]") {
  auto p = open("escpos+file:/nonexistent-huinong-dir/lp0");
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().code == "PRINTER_UNREACHABLE");
  CHECK(contains(p.error().message_en, "/nonexistent-huinong-dir/lp0"));
}

TEST_CASE("the TCP transport prints to the loopback sink after asking its status",
          "[printer][transport]") {
  SinkServer sink;
  {
    auto p = open("escpos+tcp://127.0.0.1:" + std::to_string(sink.port()));
    REQUIRE(p.ok());
    REQUIRE(p.value()->print(two_item_invoice(), ReceiptOptions{}).ok());
  }  // closing the connection ends the job
  REQUIRE(sink.wait_for_jobs(1, 5000));
  const Printout out = parse_escpos(sink.jobs()[0]);
  CHECK(out.problems.empty());
  CHECK(out.status_requests == 4);  // DLE EOT 1..4, all answered "well"
  CHECK(has_line(out, "家电下乡产品销售发票"));
  CHECK(out.of(PrintedItem::Kind::Cut).size() == 1);
}

TEST_CASE("a network printer out of paper is refused before printing", "[printer][transport]") {
  SinkAnswers answers;
  answers.paper = 0x12 | 0x60;    // DLE EOT 4: paper roll end
  answers.offline = 0x12 | 0x20;  // DLE EOT 2: stopped for paper end
  SinkServer sink(answers);
  auto p = open("escpos+tcp://127.0.0.1:" + std::to_string(sink.port()));
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().code == "PRINTER_NOT_READY");
  CHECK(contains(p.error().message_zh, "缺纸"));
  CHECK(contains(p.error().message_en, "out of paper"));
}

TEST_CASE("a network printer that never answers status still prints", "[printer][transport]") {
  SinkAnswers silent;
  silent.answer = false;
  SinkServer sink(silent);
  {
    auto p = open("escpos+tcp://127.0.0.1:" + std::to_string(sink.port()));
    REQUIRE(p.ok());
    REQUIRE(p.value()->print(two_item_invoice(), ReceiptOptions{}).ok());
  }
  REQUIRE(sink.wait_for_jobs(1, 5000));
  CHECK(has_line(parse_escpos(sink.jobs()[0]), "家电下乡产品销售发票"));
}

TEST_CASE("a closed TCP port is an error value", "[printer][transport]") {
  auto p = open("escpos+tcp://127.0.0.1:" + std::to_string(closed_port()));
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().code == "PRINTER_UNREACHABLE");
  CHECK(contains(p.error().message_zh, "连接不上"));
}

TEST_CASE("the serial transport prints over a pty and reads the printer's status",
          "[printer][transport]") {
  int master = -1, slave = -1;
  char name[128] = {};
  REQUIRE(::openpty(&master, &slave, name, nullptr, nullptr) == 0);
  ::close(slave);  // the transport opens the slave side by name
  std::string received;
  std::atomic<bool> done{false};
  std::thread printer_side([&] {  // the printer: keeps bytes, answers DLE EOT
    std::size_t scanned = 0;
    while (!done) {
      pollfd p{master, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::read(master, buf, sizeof buf);
      if (n <= 0) continue;
      received.append(buf, static_cast<std::size_t>(n));
      for (; scanned + 3 <= received.size(); ++scanned)
        if (received[scanned] == 0x10 && received[scanned + 1] == 0x04) {
          const char ok = 0x12;
          if (::write(master, &ok, 1) != 1) break;
        }
    }
  });
  {
    auto p = open(std::string("escpos+serial:") + name + "?baud=19200&paper=58");
    REQUIRE(p.ok());
    ReceiptOptions o;
    o.paper = Paper::Mm58;
    REQUIRE(p.value()->print(two_item_invoice(), o).ok());
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  done = true;
  printer_side.join();
  ::close(master);
  const Printout out = parse_escpos(received);
  CHECK(out.problems.empty());
  CHECK(out.status_requests == 4);
  CHECK(has_line(out, "家电下乡产品销售发票"));
  CHECK(out.of(PrintedItem::Kind::Cut).size() == 1);
  CHECK_FALSE(open("escpos+serial:/dev/null?baud=9600").ok());  // not a serial port
}

TEST_CASE("A4 to PDF writes the whole file or nothing", "[printer][transport]") {
  TempDir dir;
  auto p = open("pdf:" + dir.file("invoice.pdf"));
  REQUIRE(p.ok());
  REQUIRE(p.value()->print(two_item_invoice(), ReceiptOptions{}).ok());
  CHECK(read_file(dir.file("invoice.pdf")).substr(0, 5) == "%PDF-");
  struct stat st {};
  CHECK(::stat(dir.file("invoice.pdf.part").c_str(), &st) != 0);
  CHECK_FALSE(open("pdf:/nonexistent-huinong-dir/invoice.pdf").ok());
}

TEST_CASE("cups: hands the A4 PDF to lp -d QUEUE", "[printer][transport]") {
  // Stand-ins for lp and lpstat: there is no CUPS server here. What is tested is the hand-off
  // (arguments, the PDF, exit codes), not CUPS.
  TempDir dir;
  // A stand-in lp that records its arguments and keeps the file it was given.
  write_file(dir.file("lp"), "#!/bin/sh\necho \"$@\" >> \"" + dir.file("lp-args") +
                                 "\"\ncp \"$5\" \"" + dir.file("handed.pdf") +
                                 "\"\n[ \"$2\" != broken ]\n");
  ::chmod(dir.file("lp").c_str(), 0755);
  // and a stand-in lpstat that knows the queues counter-a4 and broken
  write_file(dir.file("lpstat"), "#!/bin/sh\n[ \"$2\" = counter-a4 ] || [ \"$2\" = broken ]\n");
  ::chmod(dir.file("lpstat").c_str(), 0755);
  const std::string old_path = std::getenv("PATH") ? std::getenv("PATH") : "";
  ::setenv("PATH", (dir.path() + ":" + old_path).c_str(), 1);
  auto p = open("cups:counter-a4");
  REQUIRE(p.ok());
  const auto printed = p.value()->print(two_item_invoice(), ReceiptOptions{});
  auto broken = open("cups:broken");
  REQUIRE(broken.ok());
  const auto refused = broken.value()->print(two_item_invoice(), ReceiptOptions{});
  const auto unknown_queue = open("cups:nowhere");
  ::setenv("PATH", dir.path().c_str(), 1);  // no lp anywhere else... but ours: remove it
  ::unlink(dir.file("lp").c_str());
  const auto no_lp = open("cups:counter-a4");
  ::setenv("PATH", old_path.c_str(), 1);

  REQUIRE(printed.ok());
  CHECK(contains(read_file(dir.file("lp-args")), "-d counter-a4 -t invoice 00000001"));
  CHECK(read_file(dir.file("handed.pdf")).substr(0, 5) == "%PDF-");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "PRINTER_CUPS");
  REQUIRE_FALSE(unknown_queue.ok());
  CHECK(contains(unknown_queue.error().message_en, "CUPS has no print queue nowhere"));
  REQUIRE_FALSE(no_lp.ok());
  CHECK(contains(no_lp.error().message_en, "no lp command"));
}
