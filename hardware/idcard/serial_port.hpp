#pragma once
// The platform layer for serial devices: a serial port, and the device end of one (a
// pseudo-terminal) for the simulators. The only header here with an implementation per
// platform: serial_port_posix.cpp (termios, Linux and the BSDs); a Windows build adds
// serial_port_windows.cpp (CreateFile on \\.\COMn, DCB, COMMTIMEOUTS; com0com pairs for the
// simulators) and changes nothing else.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "frame.hpp"

namespace hn::hw {

enum class PortStatus {
  Ok,
  Timeout,  // nothing arrived (or could be sent) in time
  Gone,     // the device vanished: unplugged, hung up, or its path no longer exists
  Failed,   // cannot use it: permission denied, not a serial device, bad settings
};

class SerialPort {
 public:
  SerialPort() = default;
  ~SerialPort();
  SerialPort(SerialPort&& other) noexcept;
  SerialPort& operator=(SerialPort&& other) noexcept;
  SerialPort(const SerialPort&) = delete;
  SerialPort& operator=(const SerialPort&) = delete;

  // Opens `path` (a device, or a symlink to one) at `baud`, 8 data bits, no parity, one stop
  // bit, raw: no echo, no line editing, no CR/LF translation, no flow control. Input already
  // waiting is discarded.
  PortStatus open(const std::string& path, int baud = 115200);
  bool is_open() const { return handle_ != -1; }
  void close();

  PortStatus write_all(const std::uint8_t* data, std::size_t n, std::chrono::milliseconds timeout);
  PortStatus write_all(const Bytes& data, std::chrono::milliseconds timeout) {
    return write_all(data.data(), data.size(), timeout);
  }
  // Waits up to `timeout` for input, then appends what has arrived (at most `max` bytes).
  PortStatus read_some(Bytes& out, std::chrono::milliseconds timeout, std::size_t max = 4096);
  // Drops input that arrived but was not read (a previous answer's leftovers).
  void discard_input();

  // The system's error number and its text, for the last Gone or Failed.
  int error_number() const { return error_; }
  std::string error_text() const;

 private:
  std::intptr_t handle_ = -1;  // a file descriptor here; a HANDLE on Windows
  int error_ = 0;
};

// Whether a device path currently exists (a symlink counts only if its target does).
bool device_present(const std::string& path);

// For simulators: makes `link` a symlink to `target`, replacing any old one by rename() so a
// driver never finds the path missing or half-made. Throws std::runtime_error when it cannot.
void link_device(const std::string& link, const std::string& target);
void unlink_device(const std::string& link);

// The device end of a serial line, for simulators: a pseudo-terminal pair whose slave side is
// the "port" a driver opens. The simulator keeps the slave open itself too, so a driver
// closing and reopening the port does not hang the line up; close() does, like an unplug.
class PseudoTerminal {
 public:
  PseudoTerminal() = default;
  ~PseudoTerminal();
  PseudoTerminal(const PseudoTerminal&) = delete;
  PseudoTerminal& operator=(const PseudoTerminal&) = delete;

  // A fresh pair in raw mode; false (with error_text()) when the system has none to give.
  bool open();
  bool is_open() const { return master_ != -1; }
  void close();
  // The path a driver opens, e.g. /dev/pts/7. A new pair gets a new path.
  const std::string& slave_path() const { return slave_path_; }

  PortStatus write_all(const std::uint8_t* data, std::size_t n);
  PortStatus write_all(const Bytes& data) { return write_all(data.data(), data.size()); }
  PortStatus read_some(Bytes& out, std::chrono::milliseconds timeout, std::size_t max = 4096);
  std::string error_text() const;

 private:
  int master_ = -1;
  int slave_hold_ = -1;
  std::string slave_path_;
  int error_ = 0;
};

}  // namespace hn::hw
