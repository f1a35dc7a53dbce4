#pragma once
// Barcode scanners on a serial port (RS-232, or USB in "virtual COM" mode): each scan is the
// code's bytes and then the suffix the scanner is configured to send, CR, LF, CRLF or none.
// With no suffix, a pause in the bytes ends a code. (Keyboard-wedge scanners are typed input
// and belong to the GUI.) It lives beside the ID card reader because both sit on the same
// serial platform layer.
#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "frame.hpp"
#include "serial_port.hpp"

namespace hn::hw {

enum class ScanSuffix { CR, LF, CRLF, None };

const char* scan_suffix_name(ScanSuffix suffix);  // "cr", "lf", "crlf", "none"
std::optional<ScanSuffix> parse_scan_suffix(std::string_view name);
Bytes suffix_bytes(ScanSuffix suffix);

// Pure: cuts a byte stream into codes by the suffix setting. Tolerant where it costs nothing:
// expecting CR, the LF of a CRLF scanner is dropped; expecting CRLF, the code ends at the LF
// and the CR before it is dropped, so a scanner sending LF alone is read the same. Empty codes
// (a suffix alone) are skipped.
class ScanAssembler {
 public:
  explicit ScanAssembler(ScanSuffix suffix, std::size_t max_length = 256)
      : suffix_(suffix), max_length_(max_length) {}
  void feed(const std::uint8_t* data, std::size_t n);
  void feed(const Bytes& data) { feed(data.data(), data.size()); }
  // The next complete code.
  std::optional<std::string> next();
  // Bytes that no suffix has ended yet.
  bool pending() const { return !partial_.empty(); }
  // The line went quiet: hands over the bytes no suffix ended (with ScanSuffix::None, that is
  // how every code ends).
  std::optional<std::string> flush();
  // Longer than max_length with no suffix in sight: noise, or a scanner sending no suffix.
  bool overlong() const { return partial_.size() > max_length_; }

 private:
  ScanSuffix suffix_;
  std::size_t max_length_;
  std::string partial_;
  std::deque<std::string> done_;
};

enum class ScanStatus {
  Ok,
  Timeout,       // no scan within the wait
  Unterminated,  // bytes came but no suffix ended them: the scanner's suffix setting differs
  Unplugged,     // the port is gone; the next call opens it again
  PortError,     // cannot use the port: permission denied, not a serial device
};
const char* scan_status_name(ScanStatus status);

struct ScanResult {
  ScanStatus status = ScanStatus::Timeout;
  std::string code;    // the code (Ok) or the stray bytes (Unterminated)
  std::string detail;  // the system's error text
  bool ok() const { return status == ScanStatus::Ok; }
};

// What the counter holds: a serial scanner here, the keyboard wedge in the GUI, a fake in tests.
class Scanner {
 public:
  virtual ~Scanner() = default;
  virtual ScanResult next_scan(std::chrono::milliseconds wait) = 0;
};

struct ScannerSettings {
  ScanSuffix suffix = ScanSuffix::CR;  // most scanners' factory setting
  int baud = 9600;                     // likewise
  // With no suffix: the silence that ends a code. A scanner sends a code in one burst (at 9600
  // baud 1 ms a byte; USB adapters forward every 1-16 ms), and a person takes far longer than
  // this to aim at the next label.
  std::chrono::milliseconds gap{50};
  // With a suffix: bytes left unended this long are reported as Unterminated.
  std::chrono::milliseconds stale{500};
  std::size_t max_length = 256;
};

class SerialScanner final : public Scanner {
 public:
  explicit SerialScanner(std::string path, ScannerSettings settings = {});
  // Opens the port now (next_scan also does it when needed): scans sent before the port is
  // open are lost, as with a real port, so a test opens it before scanning.
  ScanResult open();
  ScanResult next_scan(std::chrono::milliseconds wait) override;
  const std::string& path() const { return path_; }

 private:
  ScanResult port_trouble(PortStatus status);

  std::string path_;
  ScannerSettings settings_;
  SerialPort port_;
  ScanAssembler assembler_;
  std::chrono::steady_clock::time_point last_byte_{};
};

// A simulated serial scanner: the device end of a pseudo-terminal that "scans" codes, with a
// stable symlink like the ID card reader simulator's (reader_simulator.hpp).
class ScannerSimulator {
 public:
  // Throws std::runtime_error when the system gives no pty.
  explicit ScannerSimulator(std::string link = "");
  ~ScannerSimulator();
  ScannerSimulator(const ScannerSimulator&) = delete;
  ScannerSimulator& operator=(const ScannerSimulator&) = delete;

  std::string port() const { return link_.empty() ? pty_.slave_path() : link_; }
  // Sends `code` and `suffix` in one burst, or, with `piece` > 0, in pieces of that many bytes
  // `piece_gap` apart, as a slow USB adapter delivers them.
  bool scan(std::string_view code, ScanSuffix suffix, std::size_t piece = 0,
            std::chrono::milliseconds piece_gap = std::chrono::milliseconds(0));
  bool send_raw(const Bytes& bytes);
  void unplug();     // hangs the line up and removes the link
  void plug_back();  // a new pty, the link pointed at it

 private:
  std::string link_;
  PseudoTerminal pty_;
};

}  // namespace hn::hw
