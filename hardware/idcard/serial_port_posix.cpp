// serial_port.hpp on POSIX: termios for the port, posix_openpt for the simulators' device end.
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "serial_port.hpp"

namespace hn::hw {

namespace {

using Clock = std::chrono::steady_clock;

// The errors with which a device that has gone away answers: a USB adapter pulled out, a tty
// hung up, a pseudo-terminal whose other end closed.
bool is_gone_error(int e) { return e == EIO || e == ENXIO || e == ENODEV || e == ENOENT; }

int poll_ms(std::chrono::milliseconds timeout) {
  return static_cast<int>(std::max<std::chrono::milliseconds::rep>(0, timeout.count()));
}

std::chrono::milliseconds left_until(Clock::time_point deadline) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
}

bool baud_constant(int baud, speed_t& out) {
  switch (baud) {
    case 9600:
      out = B9600;
      return true;
    case 19200:
      out = B19200;
      return true;
    case 38400:
      out = B38400;
      return true;
    case 57600:
      out = B57600;
      return true;
    case 115200:
      out = B115200;
      return true;
    case 230400:
      out = B230400;
      return true;
    default:
      return false;
  }
}

void make_raw(termios& tio) {
  ::cfmakeraw(&tio);
  tio.c_cflag &= ~static_cast<tcflag_t>(PARENB | CSTOPB | CSIZE | CRTSCTS);
  tio.c_cflag |= CS8 | CLOCAL | CREAD;
  tio.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
  // Reads never block in the kernel: poll() does the waiting, with our timeouts.
  tio.c_cc[VMIN] = 0;
  tio.c_cc[VTIME] = 0;
}

// One wait-then-read on a non-blocking descriptor.
PortStatus read_fd(int fd, Bytes& out, std::chrono::milliseconds timeout, std::size_t max,
                   int& error) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    const int r = ::poll(&p, 1, poll_ms(left_until(deadline)));
    if (r < 0) {
      if (errno == EINTR) continue;
      error = errno;
      return PortStatus::Failed;
    }
    if (r == 0) return PortStatus::Timeout;
    if (p.revents & POLLNVAL) {
      error = EBADF;
      return PortStatus::Gone;
    }
    // A hang-up may come with data still queued: read that first; the next call reports Gone.
    std::uint8_t buf[4096];
    const ssize_t n = ::read(fd, buf, std::min(max, sizeof buf));
    if (n > 0) {
      out.insert(out.end(), buf, buf + n);
      return PortStatus::Ok;
    }
    if (n == 0 && (p.revents & (POLLHUP | POLLERR))) {
      // End of file on a tty: it was hung up (the adapter pulled out, the pty master closed).
      error = EIO;
      return PortStatus::Gone;
    }
    if (n == 0) {
      if (Clock::now() >= deadline) return PortStatus::Timeout;
      continue;
    }
    if (errno == EINTR || errno == EAGAIN) {
      if (Clock::now() >= deadline) return PortStatus::Timeout;
      continue;
    }
    error = errno;
    return is_gone_error(errno) ? PortStatus::Gone : PortStatus::Failed;
  }
}

PortStatus write_fd(int fd, const std::uint8_t* data, std::size_t n,
                    std::chrono::milliseconds timeout, int& error) {
  const auto deadline = Clock::now() + timeout;
  std::size_t sent = 0;
  while (sent < n) {
    const ssize_t w = ::write(fd, data + sent, n - sent);
    if (w > 0) {
      sent += static_cast<std::size_t>(w);
      continue;
    }
    if (w < 0 && errno != EAGAIN && errno != EINTR) {
      error = errno;
      return is_gone_error(errno) ? PortStatus::Gone : PortStatus::Failed;
    }
    pollfd p{fd, POLLOUT, 0};
    const int r = ::poll(&p, 1, poll_ms(left_until(deadline)));
    if (r == 0) return PortStatus::Timeout;
    if (r > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)) && !(p.revents & POLLOUT)) {
      error = EIO;
      return PortStatus::Gone;
    }
  }
  return PortStatus::Ok;
}

}  // namespace

// ---- SerialPort ---------------------------------------------------------------------------

SerialPort::~SerialPort() { close(); }

SerialPort::SerialPort(SerialPort&& other) noexcept : handle_(other.handle_), error_(other.error_) {
  other.handle_ = -1;
}

SerialPort& SerialPort::operator=(SerialPort&& other) noexcept {
  if (this != &other) {
    close();
    handle_ = other.handle_;
    error_ = other.error_;
    other.handle_ = -1;
  }
  return *this;
}

PortStatus SerialPort::open(const std::string& path, int baud) {
  close();
  speed_t speed = B0;
  if (!baud_constant(baud, speed)) {
    error_ = EINVAL;
    return PortStatus::Failed;
  }
  // O_NOCTTY: a reader must never become the controlling terminal of the shell that ran us.
  const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    error_ = errno;
    return is_gone_error(errno) ? PortStatus::Gone : PortStatus::Failed;
  }
  termios tio{};
  if (::tcgetattr(fd, &tio) != 0) {  // ENOTTY: a plain file, not a port
    error_ = errno;
    ::close(fd);
    return PortStatus::Failed;
  }
  make_raw(tio);
  ::cfsetispeed(&tio, speed);
  ::cfsetospeed(&tio, speed);
  if (::tcsetattr(fd, TCSANOW, &tio) != 0) {
    error_ = errno;
    ::close(fd);
    return is_gone_error(error_) ? PortStatus::Gone : PortStatus::Failed;
  }
  ::tcflush(fd, TCIOFLUSH);
  handle_ = fd;
  error_ = 0;
  return PortStatus::Ok;
}

void SerialPort::close() {
  if (handle_ != -1) ::close(static_cast<int>(handle_));
  handle_ = -1;
}

PortStatus SerialPort::write_all(const std::uint8_t* data, std::size_t n,
                                 std::chrono::milliseconds timeout) {
  if (handle_ == -1) return PortStatus::Gone;
  return write_fd(static_cast<int>(handle_), data, n, timeout, error_);
}

PortStatus SerialPort::read_some(Bytes& out, std::chrono::milliseconds timeout, std::size_t max) {
  if (handle_ == -1) return PortStatus::Gone;
  return read_fd(static_cast<int>(handle_), out, timeout, max, error_);
}

void SerialPort::discard_input() {
  if (handle_ != -1) ::tcflush(static_cast<int>(handle_), TCIFLUSH);
}

std::string SerialPort::error_text() const { return std::strerror(error_); }

bool device_present(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

void link_device(const std::string& link, const std::string& target) {
  namespace fs = std::filesystem;
  const std::string temp = link + ".new";
  std::error_code ec;
  fs::remove(temp, ec);
  fs::create_symlink(target, temp, ec);
  if (!ec) fs::rename(temp, link, ec);
  if (ec)
    throw std::runtime_error("cannot make the link " + link + " -> " + target + ": " +
                             ec.message());
}

void unlink_device(const std::string& link) {
  std::error_code ec;
  std::filesystem::remove(link, ec);
}

// ---- PseudoTerminal -----------------------------------------------------------------------

PseudoTerminal::~PseudoTerminal() { close(); }

bool PseudoTerminal::open() {
  close();
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) {
    error_ = errno;
    return false;
  }
  char name[128];
  if (::grantpt(master) != 0 || ::unlockpt(master) != 0 ||
      ::ptsname_r(master, name, sizeof name) != 0) {
    error_ = errno;
    ::close(master);
    return false;
  }
  // Raw from the start: on Linux the master's termios calls act on the slave, so a code the
  // scanner simulator sends before any driver opened the port is not echoed back or turned
  // from CR into LF by the line discipline.
  termios tio{};
  if (::tcgetattr(master, &tio) == 0) {
    make_raw(tio);
    ::tcsetattr(master, TCSANOW, &tio);
  }
  ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
  // Holding the slave open keeps the line up while no driver has it open; without it the
  // master reports a hang-up (POLLHUP, EIO) every time a driver closes the port.
  slave_hold_ = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave_hold_ < 0) {
    error_ = errno;
    ::close(master);
    return false;
  }
  master_ = master;
  slave_path_ = name;
  return true;
}

void PseudoTerminal::close() {
  if (master_ != -1) ::close(master_);
  if (slave_hold_ != -1) ::close(slave_hold_);
  master_ = slave_hold_ = -1;
}

PortStatus PseudoTerminal::write_all(const std::uint8_t* data, std::size_t n) {
  if (master_ == -1) return PortStatus::Gone;
  // Bounded: a driver that stopped reading must not wedge the simulator.
  return write_fd(master_, data, n, std::chrono::milliseconds(1000), error_);
}

PortStatus PseudoTerminal::read_some(Bytes& out, std::chrono::milliseconds timeout,
                                     std::size_t max) {
  if (master_ == -1) return PortStatus::Gone;
  return read_fd(master_, out, timeout, max, error_);
}

std::string PseudoTerminal::error_text() const { return std::strerror(error_); }

}  // namespace hn::hw
