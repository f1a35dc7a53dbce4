#pragma once
// The ESC/POS sink: what a receipt printer would make of a byte stream, for the tests and the
// demo. It reads the commands the encoder writes (and the common ones it does not), turns
// GB18030 text back into UTF-8 lines with their alignment and style, and records QR codes,
// cuts, drawer kicks and status requests. Anything it does not understand is a problem, listed.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "printer/escpos.hpp"

namespace hn::printer {

struct PrintedItem {
  enum class Kind { Line, Qr, Cut, DrawerKick };
  Kind kind = Kind::Line;
  std::string text;  // Line: the text, UTF-8; Qr: the payload
  escpos::Align align = escpos::Align::Left;
  bool bold = false;
  int width = 1;  // character magnification
  int height = 1;
  int qr_model = 0;      // Qr
  int qr_module = 0;     // dots
  char qr_level = '?';   // L M Q H
  bool partial = false;  // Cut
  int pin = 0;           // DrawerKick: 2 or 5
  int pulse_ms = 0;
};

struct Printout {
  std::vector<PrintedItem> items;
  std::vector<std::string> problems;  // unknown commands, undecodable text, truncated data
  int status_requests = 0;            // DLE EOT n seen

  std::vector<std::string> lines() const;  // the text lines, in order
  std::vector<const PrintedItem*> of(PrintedItem::Kind k) const;
};

Printout parse_escpos(const std::string& bytes);

// The paper as a person reads it, `columns` wide: each line placed by its alignment (its
// printed width counting CJK as two columns and the magnification), styles noted after it in
// «», QR codes, cuts and drawer kicks as bracketed lines. Lines wider than the paper are
// listed in problems by parse, and marked here.
std::string render_paper(const Printout& p, int columns);

// The same as a picture of the paper (PNG, 203 dpi, font A cells), QR codes drawn; false when
// the file cannot be written.
bool render_paper_png(const Printout& p, int columns, const std::string& path);

// A printer on TCP port 9100 of 127.0.0.1 (loopback only): it accepts connections one after
// another, keeps every byte each sent, and answers DLE EOT n with the status it is given (or
// stays silent, as many printers do). Stops and joins in its destructor.
// What the sink answers to DLE EOT 1..4 (0x12: all well), or silence.
struct SinkAnswers {
  bool answer = true;
  std::uint8_t printer = 0x12, offline = 0x12, error = 0x12, paper = 0x12;
};

class SinkServer {
 public:
  using Answers = SinkAnswers;
  explicit SinkServer(Answers answers = Answers(), int port = 0);  // 0: any free port
  ~SinkServer();
  SinkServer(const SinkServer&) = delete;
  SinkServer& operator=(const SinkServer&) = delete;

  int port() const { return port_; }
  // The bytes of every connection that has closed, in order.
  std::vector<std::string> jobs() const;
  // Waits until `n` connections have closed; false on timeout.
  bool wait_for_jobs(std::size_t n, int timeout_ms) const;

 private:
  void serve();
  Answers answers_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<std::string> jobs_;
  std::thread thread_;
};

}  // namespace hn::printer
