#include "core/printer_uri.hpp"

#include <algorithm>
#include <cstdlib>

#include "core/text.hpp"

namespace hn {

namespace {

PrinterAddressParse bad_uri(const std::string& uri, const std::string& zh, const std::string& en) {
  PrinterAddressParse r;
  r.code = "PRINTER_URI";
  r.message_zh = "打印机地址 " + quote_for_message(uri) + " 无效:" + zh;
  r.message_en = "printer URI " + quote_for_message(uri) + " is invalid: " + en;
  return r;
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.size() <= 6 && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

PrinterAddressParse parse_printer_address(const std::string& uri) {
  PrinterAddress u;
  std::string rest;
  auto starts = [&](const char* prefix) {
    const std::string p = prefix;
    if (uri.compare(0, p.size(), p) != 0) return false;
    rest = uri.substr(p.size());
    return true;
  };
  if (starts("escpos+file:"))
    u.kind = PrinterAddress::Kind::EscPosFile;
  else if (starts("escpos+serial:"))
    u.kind = PrinterAddress::Kind::EscPosSerial;
  else if (starts("escpos+tcp://"))
    u.kind = PrinterAddress::Kind::EscPosTcp;
  else if (starts("pdf:"))
    u.kind = PrinterAddress::Kind::Pdf;
  else if (starts("cups:"))
    u.kind = PrinterAddress::Kind::Cups;
  else
    return bad_uri(uri, "应以 escpos+file:、escpos+serial:、escpos+tcp://、pdf: 或 cups: 开头",
                   "use escpos+file:, escpos+serial:, escpos+tcp://, pdf: or cups:");

  const bool escpos = u.kind == PrinterAddress::Kind::EscPosFile ||
                      u.kind == PrinterAddress::Kind::EscPosSerial ||
                      u.kind == PrinterAddress::Kind::EscPosTcp;
  std::string query;
  if (escpos) {
    const auto q = rest.find('?');
    if (q != std::string::npos) {
      query = rest.substr(q + 1);
      rest = rest.substr(0, q);
    }
  }
  if (rest.empty())
    return bad_uri(uri, "缺少路径、主机或队列名", "the path, host or queue is missing");

  bool baud_given = false;
  std::size_t start = 0;
  while (!query.empty() && start <= query.size()) {
    const auto end = std::min(query.find('&', start), query.size());
    const std::string pair = query.substr(start, end - start);
    const auto eq = pair.find('=');
    const std::string key = pair.substr(0, eq),
                      value = eq == std::string::npos ? "" : pair.substr(eq + 1);
    if (key == "paper" && (value == "58" || value == "80")) {
      u.paper_mm = value == "58" ? 58 : 80;
    } else if (key == "baud" && u.kind == PrinterAddress::Kind::EscPosSerial && all_digits(value)) {
      u.baud = std::atoi(value.c_str());
      baud_given = true;
    } else {
      return bad_uri(uri, "不认识的参数 " + quote_for_message(pair) + "(可用 paper=58|80,串口另有 baud=N)",
                     "unknown parameter " + quote_for_message(pair) + " (paper=58|80; baud=N for serial)");
    }
    start = end + 1;
  }

  switch (u.kind) {
    case PrinterAddress::Kind::EscPosSerial:
      if (!baud_given) return bad_uri(uri, "串口需要 ?baud=N", "a serial printer needs ?baud=N");
      if (u.baud != 9600 && u.baud != 19200 && u.baud != 38400 && u.baud != 57600 &&
          u.baud != 115200)
        return bad_uri(uri, "波特率应为 9600、19200、38400、57600 或 115200",
                       "baud must be 9600, 19200, 38400, 57600 or 115200");
      u.path = rest;
      break;
    case PrinterAddress::Kind::EscPosTcp: {
      std::string host = rest, port;
      bool has_port = false;
      if (host.back() == '/') host.pop_back();
      if (!host.empty() && host.front() == '[') {  // [IPv6]:port
        const auto close = host.find(']');
        if (close == std::string::npos || (close + 1 < host.size() && host[close + 1] != ':'))
          return bad_uri(uri, "主机名无效", "the host is invalid");
        has_port = close + 1 < host.size();
        if (has_port) port = host.substr(close + 2);
        host = host.substr(1, close - 1);
      } else if (const auto colon = host.find(':'); colon != std::string::npos) {
        has_port = true;
        port = host.substr(colon + 1);
        host = host.substr(0, colon);
      }
      if (has_port) {
        if (!all_digits(port) || std::atoi(port.c_str()) < 1 || std::atoi(port.c_str()) > 65535)
          return bad_uri(uri, "端口应为 1-65535", "the port must be 1-65535");
        u.port = std::atoi(port.c_str());
      }
      if (host.empty() || host.find_first_of("/?#@ ") != std::string::npos)
        return bad_uri(uri, "主机名无效", "the host is invalid");
      u.path = host;
      break;
    }
    default:
      u.path = rest;
  }
  PrinterAddressParse ok;
  ok.address = std::move(u);
  return ok;
}

}  // namespace hn
