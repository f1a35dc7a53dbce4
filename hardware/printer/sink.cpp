#include "printer/sink.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "core/text.hpp"
#include "printer/gb18030.hpp"

namespace hn::printer {

using escpos::Align;

std::vector<std::string> Printout::lines() const {
  std::vector<std::string> out;
  for (const auto& i : items)
    if (i.kind == PrintedItem::Kind::Line) out.push_back(i.text);
  return out;
}

std::vector<const PrintedItem*> Printout::of(PrintedItem::Kind k) const {
  std::vector<const PrintedItem*> out;
  for (const auto& i : items)
    if (i.kind == k) out.push_back(&i);
  return out;
}

namespace {

std::string hex(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", c);
  return buf;
}

class Parser {
 public:
  explicit Parser(const std::string& b) : b_(b) {}

  Printout run() {
    while (i_ < b_.size()) step();
    if (!text_.empty()) {
      out_.problems.push_back("text left unprinted at the end (no LF): " + gb18030_to_utf8(text_));
    }
    return std::move(out_);
  }

 private:
  bool have(std::size_t n) const { return i_ + n <= b_.size(); }
  unsigned char at(std::size_t k) const { return static_cast<unsigned char>(b_[i_ + k]); }

  void reset_modes() {
    align_ = Align::Left;
    bold_ = false;
    width_ = height_ = 1;
  }

  void print_line() {
    PrintedItem item;
    bool clean = true;
    item.text = chinese_ ? gb18030_to_utf8(text_, &clean) : text_;
    if (!clean) out_.problems.push_back("undecodable GB18030 in: " + item.text);
    item.align = line_align_;
    item.bold = line_bold_;
    item.width = line_width_;
    item.height = line_height_;
    out_.items.push_back(std::move(item));
    text_.clear();
    started_ = false;
  }

  void truncated(const char* what) {
    out_.problems.push_back(std::string("truncated ") + what + " at byte " + std::to_string(i_));
    i_ = b_.size();
  }

  // GS ( k pL pH cn fn [params]: QR code functions (cn = 49).
  void qr_function() {
    if (!have(5)) return truncated("GS ( k");
    const std::size_t len = at(3) | (static_cast<std::size_t>(at(4)) << 8);
    if (!have(5 + len)) return truncated("GS ( k data");
    const std::string body = b_.substr(i_ + 5, len);
    i_ += 5 + len;
    if (len < 2 || static_cast<unsigned char>(body[0]) != 49) {
      out_.problems.push_back("GS ( k for a symbol other than QR");
      return;
    }
    switch (static_cast<unsigned char>(body[1])) {
      case 65:
        qr_model_ = len >= 3 ? static_cast<unsigned char>(body[2]) - 48 : 0;
        break;
      case 67:
        qr_module_ = len >= 3 ? static_cast<unsigned char>(body[2]) : 0;
        break;
      case 69:
        qr_level_ = len >= 3
                        ? "LMQH"[std::min(3, std::max(0, static_cast<unsigned char>(body[2]) - 48))]
                        : '?';
        break;
      case 80:
        qr_data_ = len >= 3 ? body.substr(3) : "";
        break;
      case 81: {
        if (!text_.empty()) print_line();  // the symbol starts on a line of its own
        PrintedItem q;
        q.kind = PrintedItem::Kind::Qr;
        q.text = qr_data_;
        q.align = align_;
        q.qr_model = qr_model_;
        q.qr_module = qr_module_;
        q.qr_level = qr_level_;
        out_.items.push_back(std::move(q));
        break;
      }
      default:
        out_.problems.push_back("GS ( k QR function " +
                                std::to_string(static_cast<unsigned char>(body[1])));
    }
  }

  void step() {
    const unsigned char c = at(0);
    if (c == escpos::LF) {
      if (!started_) capture_line_modes();
      print_line();
      ++i_;
      return;
    }
    if (c == '\r') {  // CR: ignored, as printers with auto line feed off do
      ++i_;
      return;
    }
    if (c == static_cast<unsigned char>(escpos::ESC)) return esc();
    if (c == static_cast<unsigned char>(escpos::GS)) return gs();
    if (c == static_cast<unsigned char>(escpos::FS)) return fs();
    if (c == static_cast<unsigned char>(escpos::DLE)) {
      if (!have(3)) return truncated("DLE");
      if (at(1) == static_cast<unsigned char>(escpos::EOT))
        ++out_.status_requests;
      else
        out_.problems.push_back("DLE " + hex(at(1)));
      i_ += 3;
      return;
    }
    if (c < 0x20) {
      out_.problems.push_back("control byte " + hex(c));
      ++i_;
      return;
    }
    if (!started_) capture_line_modes();
    text_.push_back(static_cast<char>(c));
    ++i_;
  }

  void capture_line_modes() {
    started_ = true;
    line_align_ = align_;
    line_bold_ = bold_;
    line_width_ = width_;
    line_height_ = height_;
  }

  void esc() {
    if (!have(2)) return truncated("ESC");
    const unsigned char cmd = at(1);
    switch (cmd) {
      case '@':
        reset_modes();
        chinese_ = true;  // Chinese printers start in their Chinese mode
        text_.clear();
        started_ = false;
        i_ += 2;
        return;
      case 'a':
        if (!have(3)) return truncated("ESC a");
        align_ = static_cast<Align>(std::min<unsigned char>(at(2) % 48, 2));
        i_ += 3;
        return;
      case 'E':
        if (!have(3)) return truncated("ESC E");
        bold_ = at(2) & 1;
        i_ += 3;
        return;
      case '!':
        if (!have(3)) return truncated("ESC !");
        bold_ = at(2) & 0x08;
        height_ = (at(2) & 0x10) ? 2 : 1;
        width_ = (at(2) & 0x20) ? 2 : 1;
        i_ += 3;
        return;
      case 'd': {
        if (!have(3)) return truncated("ESC d");
        const int n = at(2);
        i_ += 3;
        const bool pending = started_ || !text_.empty();
        if (pending) print_line();
        for (int k = pending ? 1 : 0; k < n; ++k) {
          capture_line_modes();
          print_line();
        }
        return;
      }
      case 'p': {
        if (!have(5)) return truncated("ESC p");
        PrintedItem k;
        k.kind = PrintedItem::Kind::DrawerKick;
        k.pin = (at(2) & 1) ? 5 : 2;
        k.pulse_ms = at(3) * 2;
        out_.items.push_back(std::move(k));
        i_ += 5;
        return;
      }
      case '-':
      case '2':
      case '3':
      case 't':
      case 'M':
      case 'G':
      case 'J':
      case 'R':
      case 'V':
      case '{':
        // underline, line spacing, code table, font, double-strike, feed dots, charset,
        // 90-degree turn, upside down: one parameter (ESC 2 none); no effect on the text.
        i_ += cmd == '2' ? 2 : 3;
        return;
      default:
        out_.problems.push_back("unknown command ESC " + hex(cmd));
        i_ += 2;
    }
  }

  void gs() {
    if (!have(2)) return truncated("GS");
    const unsigned char cmd = at(1);
    switch (cmd) {
      case '!':
        if (!have(3)) return truncated("GS !");
        width_ = ((at(2) >> 4) & 7) + 1;
        height_ = (at(2) & 7) + 1;
        i_ += 3;
        return;
      case '(':
        if (!have(3)) return truncated("GS (");
        if (at(2) == 'k') return qr_function();
        out_.problems.push_back(std::string("unknown command GS ( ") + static_cast<char>(at(2)));
        i_ += 3;
        return;
      case 'V': {
        if (!have(3)) return truncated("GS V");
        const unsigned char m = at(2);
        if (!text_.empty()) print_line();
        PrintedItem cut;
        cut.kind = PrintedItem::Kind::Cut;
        cut.partial = m == 1 || m == 49 || m == 66;
        out_.items.push_back(std::move(cut));
        i_ += (m == 65 || m == 66) ? 4 : 3;
        return;
      }
      case 'B':
      case 'L':
      case 'W':
        i_ += cmd == 'B' ? 3 : 4;
        return;
      default:
        out_.problems.push_back("unknown command GS " + hex(cmd));
        i_ += 2;
    }
  }

  void fs() {
    if (!have(2)) return truncated("FS");
    switch (at(1)) {
      case '&':
        chinese_ = true;
        i_ += 2;
        return;
      case '.':
        chinese_ = false;
        i_ += 2;
        return;
      case '!':
      case 'C':
        i_ += 3;
        return;  // Chinese print mode, code system
      default:
        out_.problems.push_back("unknown command FS " + hex(at(1)));
        i_ += 2;
    }
  }

  const std::string& b_;
  std::size_t i_ = 0;
  Printout out_;
  std::string text_;
  bool started_ = false;
  bool chinese_ = true;
  Align align_ = Align::Left, line_align_ = Align::Left;
  bool bold_ = false, line_bold_ = false;
  int width_ = 1, height_ = 1, line_width_ = 1, line_height_ = 1;
  int qr_model_ = 0, qr_module_ = 0;
  char qr_level_ = '?';
  std::string qr_data_;
};

std::string styles_of(const PrintedItem& i) {
  std::string s;
  auto add = [&](const std::string& x) { s += (s.empty() ? "" : ", ") + x; };
  if (i.bold) add("bold");
  if (i.width > 1) add(std::to_string(i.width) + "x wide");
  if (i.height > 1) add(std::to_string(i.height) + "x high");
  return s;
}

std::string placed(const std::string& text, int printed_width, Align a, int columns) {
  int pad = 0;
  if (a == Align::Right)
    pad = columns - printed_width;
  else if (a == Align::Center)
    pad = (columns - printed_width) / 2;
  return std::string(static_cast<std::size_t>(std::max(0, pad)), ' ') + text;
}

}  // namespace

Printout parse_escpos(const std::string& bytes) { return Parser(bytes).run(); }

std::string render_paper(const Printout& p, int columns) {
  std::string out;
  for (const auto& i : p.items) {
    switch (i.kind) {
      case PrintedItem::Kind::Line: {
        const int printed = display_width(i.text) * i.width;
        std::string line = placed(i.text, printed, i.align, columns);
        const std::string st = styles_of(i);
        if (!st.empty()) line += "  «" + st + "»";
        if (printed > columns) line += "  «WIDER THAN THE PAPER»";
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
        break;
      }
      case PrintedItem::Kind::Qr: {
        const std::string box = "[QR]";
        out += placed(box, 4, i.align, columns) + "  «QR model " + std::to_string(i.qr_model) +
               ", module " + std::to_string(i.qr_module) + " dots, EC " +
               std::string(1, i.qr_level) + ": " + i.text + "»\n";
        break;
      }
      case PrintedItem::Kind::Cut:
        out += std::string(i.partial ? "~~~~ 切纸 partial cut " : "~~~~ 切纸 full cut ") +
               std::string(static_cast<std::size_t>(std::max(0, columns - 22)), '~') + "\n";
        break;
      case PrintedItem::Kind::DrawerKick:
        out += "[钱箱 cash drawer: pin " + std::to_string(i.pin) + ", " +
               std::to_string(i.pulse_ms) + " ms pulse]\n";
        break;
    }
  }
  return out;
}

// ---- the TCP sink ---------------------------------------------------------------------------

SinkServer::SinkServer(Answers answers, int port) : answers_(answers) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error("sink: socket failed");
  const int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // loopback only
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 4) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("sink: cannot listen on 127.0.0.1:" + std::to_string(port));
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

SinkServer::~SinkServer() {
  stop_ = true;
  thread_.join();
  ::close(listen_fd_);
}

void SinkServer::serve() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::string job;
    std::size_t scanned = 0;
    while (!stop_) {
      pollfd c{fd, POLLIN, 0};
      const int r = ::poll(&c, 1, 50);
      if (r == 0) continue;
      char buf[4096];
      const ssize_t n = r > 0 ? ::read(fd, buf, sizeof buf) : -1;
      if (n <= 0) break;
      job.append(buf, static_cast<std::size_t>(n));
      // Real-time status requests are answered as soon as they arrive.
      for (; scanned + 3 <= job.size(); ++scanned) {
        if (job[scanned] != escpos::DLE || job[scanned + 1] != escpos::EOT || !answers_.answer)
          continue;
        const auto q = static_cast<unsigned char>(job[scanned + 2]);
        const std::uint8_t a = q == 1   ? answers_.printer
                               : q == 2 ? answers_.offline
                               : q == 3 ? answers_.error
                                        : answers_.paper;
        if (q >= 1 && q <= 4 && ::write(fd, &a, 1) != 1) break;
      }
    }
    ::close(fd);
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back(std::move(job));
  }
}

std::vector<std::string> SinkServer::jobs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return jobs_;
}

bool SinkServer::wait_for_jobs(std::size_t n, int timeout_ms) const {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < until) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (jobs_.size() >= n) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace hn::printer
