#pragma once
// Where ESC/POS bytes go: a device or plain file, a serial port, or a network printer's raw
// TCP port (9100). Each is opened (connected) first, so that an unreachable printer is known
// before anything is recorded; then written; and asked for its status where it can answer.
#include <memory>
#include <string>

#include "printer/error.hpp"
#include "printer/escpos.hpp"

namespace hn::printer {

class PrinterPort {
 public:
  virtual ~PrinterPort() = default;
  virtual Result<Done> write(const std::string& bytes) = 0;
  // DLE EOT 1..4; a status with answered = false when the printer says nothing in time.
  virtual escpos::PrinterStatus status(int timeout_ms) = 0;
  virtual std::string describe() const = 0;
};

// /dev/usb/lp0 or a regular file (appended to, created owner-only: receipts carry the ID
// number). Files cannot answer status requests.
Result<std::unique_ptr<PrinterPort>> open_file_port(const std::string& path);
// 8N1, no flow control, raw; baud one of 9600 19200 38400 57600 115200.
Result<std::unique_ptr<PrinterPort>> open_serial_port(const std::string& path, int baud);
// Connects within `timeout_ms`; writes time out after 5 s without progress.
Result<std::unique_ptr<PrinterPort>> open_tcp_port(const std::string& host, int port,
                                                   int timeout_ms = 3000);

}  // namespace hn::printer
