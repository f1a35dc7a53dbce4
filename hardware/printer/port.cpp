#include "printer/port.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hn::printer {

namespace {

using escpos::PrinterStatus;
using escpos::StatusQuery;

std::string why() { return std::strerror(errno); }

Error port_error(const std::string& code, const std::string& where, const std::string& zh,
                 const std::string& en) {
  const std::string reason = why();
  return {code, "打印机 " + where + " " + zh + "(" + reason + ")",
          "printer " + where + ": " + en + " (" + reason + ")"};
}

// Writes everything, waiting at most `timeout_ms` for each chunk to be taken.
bool write_all(int fd, const std::string& bytes, int timeout_ms) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    pollfd p{fd, POLLOUT, 0};
    const int r = ::poll(&p, 1, timeout_ms);
    if (r == 0) {
      errno = ETIMEDOUT;
      return false;
    }
    if (r < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    const ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == ENOTSOCK) {
      const ssize_t m = ::write(fd, bytes.data() + done, bytes.size() - done);
      if (m < 0 && errno != EINTR && errno != EAGAIN) return false;
      if (m > 0) done += static_cast<std::size_t>(m);
      continue;
    }
    if (n < 0 && errno != EINTR && errno != EAGAIN) return false;
    if (n > 0) done += static_cast<std::size_t>(n);
  }
  return true;
}

// Asks DLE EOT 1..4 and reads one answer byte each; stops at the first silence.
PrinterStatus ask_status(int fd, int timeout_ms) {
  PrinterStatus s;
  for (auto q :
       {StatusQuery::Printer, StatusQuery::Offline, StatusQuery::Error, StatusQuery::PaperRoll}) {
    if (!write_all(fd, escpos::status_request(q), timeout_ms)) return s;
    for (;;) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, timeout_ms) <= 0) return s;
      unsigned char b = 0;
      if (::read(fd, &b, 1) != 1) return s;
      if (!escpos::is_status_byte(b)) continue;  // ASB or noise: not an answer
      escpos::apply_status(s, q, b);
      break;
    }
  }
  return s;
}

class FdPort : public PrinterPort {
 public:
  FdPort(int fd, std::string what, bool answers)
      : fd_(fd), what_(std::move(what)), answers_(answers) {}
  ~FdPort() override { ::close(fd_); }
  FdPort(const FdPort&) = delete;
  FdPort& operator=(const FdPort&) = delete;

  Result<Done> write(const std::string& bytes) override {
    if (!write_all(fd_, bytes, 5000))
      return port_error("PRINTER_WRITE", what_, "写入失败", "writing failed");
    return Done{};
  }
  PrinterStatus status(int timeout_ms) override {
    return answers_ ? ask_status(fd_, timeout_ms) : PrinterStatus{};
  }
  std::string describe() const override { return what_; }

 protected:
  int fd_;
  std::string what_;
  bool answers_;
};

speed_t baud_constant(int baud) {
  switch (baud) {
    case 9600:
      return B9600;
    case 19200:
      return B19200;
    case 38400:
      return B38400;
    case 57600:
      return B57600;
    case 115200:
      return B115200;
    default:
      return B0;
  }
}

}  // namespace

Result<std::unique_ptr<PrinterPort>> open_file_port(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd < 0) return port_error("PRINTER_UNREACHABLE", path, "无法打开", "cannot be opened");
  return std::unique_ptr<PrinterPort>(new FdPort(fd, path, false));
}

Result<std::unique_ptr<PrinterPort>> open_serial_port(const std::string& path, int baud) {
  const speed_t speed = baud_constant(baud);
  if (speed == B0) {
    errno = EINVAL;
    return port_error("PRINTER_URI", path, "不支持波特率 " + std::to_string(baud),
                      "baud " + std::to_string(baud) + " is not supported");
  }
  const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return port_error("PRINTER_UNREACHABLE", path, "串口无法打开",
                      "the serial port cannot be opened");
  termios tio{};
  if (::tcgetattr(fd, &tio) != 0) {
    const int e = errno;
    ::close(fd);
    errno = e;
    return port_error("PRINTER_UNREACHABLE", path, "不是串口", "is not a serial port");
  }
  ::cfmakeraw(&tio);
  tio.c_cflag |= CLOCAL | CREAD;
  tio.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | PARENB | CRTSCTS);
  tio.c_cflag = (tio.c_cflag & ~static_cast<tcflag_t>(CSIZE)) | CS8;
  ::cfsetispeed(&tio, speed);
  ::cfsetospeed(&tio, speed);
  if (::tcsetattr(fd, TCSANOW, &tio) != 0) {
    const int e = errno;
    ::close(fd);
    errno = e;
    return port_error("PRINTER_UNREACHABLE", path, "串口无法设置",
                      "the serial port cannot be set up");
  }
  return std::unique_ptr<PrinterPort>(new FdPort(fd, path + " @" + std::to_string(baud), true));
}

Result<std::unique_ptr<PrinterPort>> open_tcp_port(const std::string& host, int port,
                                                   int timeout_ms) {
  const std::string where = host + ":" + std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || !found) {
    errno = EHOSTUNREACH;
    return port_error("PRINTER_UNREACHABLE", where, "找不到该主机", "no such host");
  }
  std::unique_ptr<addrinfo, void (*)(addrinfo*)> list(found, ::freeaddrinfo);
  int last_errno = ECONNREFUSED;
  for (addrinfo* a = found; a; a = a->ai_next) {
    const int fd =
        ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) continue;
    int r = ::connect(fd, a->ai_addr, a->ai_addrlen);
    if (r != 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      r = ::poll(&p, 1, timeout_ms);
      if (r == 0) {
        errno = ETIMEDOUT;
        r = -1;
      } else if (r > 0) {
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        errno = err;
        r = err == 0 ? 0 : -1;
      }
    }
    if (r == 0) return std::unique_ptr<PrinterPort>(new FdPort(fd, where, true));
    last_errno = errno;
    ::close(fd);
  }
  errno = last_errno;
  return port_error("PRINTER_UNREACHABLE", where, "连接不上", "cannot be reached");
}

}  // namespace hn::printer
