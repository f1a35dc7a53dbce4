#include "app/device_settings.hpp"

#include <algorithm>
#include <filesystem>

#include "core/printer_uri.hpp"
#include "core/text.hpp"

namespace hn::app {

namespace {

Problem invalid(const std::string& key, const std::string& value, const std::string& zh, const std::string& en) {
  return bad_input("SETTING_INVALID",
                   "设置 " + field_name_zh(key) + " 的值 " + quote_for_message(value) + " 无效:" + zh + ";没有保存任何更改",
                   "the value " + quote_for_message(value) + " is not valid for " + key + ": " + en +
                       "; nothing was changed");
}

bool absolute_path(const std::string& p) {
  return !p.empty() && is_valid_utf8(p) && std::filesystem::path(p).is_absolute() &&
         p.find_first_of("\r\n\t") == std::string::npos;
}

}  // namespace

bool is_device_setting(const std::string& key) {
  return key == kInvoicePrinterKey || key == kCashDrawerKey || key == kIdReaderKey || key == kScannersKey ||
         key == kCameraKey;
}

std::vector<std::string> split_device_list(const std::string& value) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= value.size()) {
    const auto comma = std::min(value.find(',', start), value.size());
    const std::string part = trim(value.substr(start, comma - start));
    if (!part.empty()) out.push_back(part);
    start = comma + 1;
  }
  return out;
}

std::optional<Problem> check_device_setting(const std::string& key, const std::string& value) {
  if (key == kInvoicePrinterKey) {
    if (value.empty()) return std::nullopt;  // files, as before a printer was set
    const auto parsed = parse_printer_address(value);
    if (!parsed.address)
      return bad_input("SETTING_INVALID",
                       parsed.message_zh + ";没有保存任何更改(留空则打印到文件)",
                       parsed.message_en + "; nothing was changed (leave it empty to print to files)");
    // A printer that is a file or a device is named by an absolute path: a relative one would
    // depend on the directory the program happened to start in.
    const auto& a = *parsed.address;
    if ((a.kind == PrinterAddress::Kind::EscPosFile || a.kind == PrinterAddress::Kind::EscPosSerial ||
         a.kind == PrinterAddress::Kind::Pdf) &&
        !absolute_path(a.path))
      return invalid(key, value, "文件或设备应写绝对路径,如 escpos+file:/dev/usb/lp0",
                     "a file or device needs an absolute path, e.g. escpos+file:/dev/usb/lp0");
    if (a.kind == PrinterAddress::Kind::Cups &&
        (a.path.size() > 127 || a.path.find_first_of(" /#\t\\\"'") != std::string::npos))
      return invalid(key, value, "CUPS 队列名不能含空格、/ 或 #(用 lpstat -p 查看)",
                     "a CUPS queue name has no spaces, / or # (see lpstat -p)");
    return std::nullopt;
  }
  if (key == kCashDrawerKey) {
    if (value == "none" || value == "escpos") return std::nullopt;
    return invalid(key, value, "应为 none(没有钱箱)或 escpos(接在小票打印机上的钱箱)",
                   "use none (no drawer) or escpos (the drawer on the receipt printer)");
  }
  if (key == kIdReaderKey || key == kCameraKey) {
    if (value.empty() || absolute_path(value)) return std::nullopt;
    return key == kIdReaderKey
               ? invalid(key, value, "应为读卡器串口的绝对路径(如 /dev/serial/by-id/...),留空表示没有读卡器",
                         "use the reader's serial port as an absolute path (e.g. /dev/serial/by-id/...), or "
                         "empty for none")
               : invalid(key, value, "应为摄像头的绝对路径(如 /dev/video0),留空表示没有摄像头",
                         "use the camera's absolute path (e.g. /dev/video0), or empty for none");
  }
  if (key == kScannersKey) {
    if (trim(value).empty()) return std::nullopt;
    std::vector<std::string> seen;
    std::size_t start = 0;
    while (start <= value.size()) {
      const auto comma = std::min(value.find(',', start), value.size());
      const std::string part = trim(value.substr(start, comma - start));
      if (!absolute_path(part))
        return invalid(key, value, "应为以逗号分隔的串口绝对路径(如 /dev/ttyUSB0,/dev/ttyUSB1),每项都不能为空",
                       "use serial ports as absolute paths separated by commas (e.g. /dev/ttyUSB0,/dev/ttyUSB1), "
                       "none of them empty");
      if (std::find(seen.begin(), seen.end(), part) != seen.end())
        return invalid(key, value, "串口 " + quote_for_message(part) + " 写了两次",
                       "the port " + quote_for_message(part) + " is given twice");
      seen.push_back(part);
      start = comma + 1;
    }
    return std::nullopt;
  }
  return bad_input("SETTING_UNKNOWN", "没有设置项 " + quote_for_message(key),
                   "there is no setting " + quote_for_message(key));
}

DeviceSettings read_device_settings(store::Store& store) {
  DeviceSettings d;
  d.invoice_printer = trim(store.settings().get(kInvoicePrinterKey).value_or(""));
  d.cash_drawer = trim(store.settings().get(kCashDrawerKey).value_or("none"));
  if (d.cash_drawer.empty()) d.cash_drawer = "none";
  d.id_reader = trim(store.settings().get(kIdReaderKey).value_or(""));
  d.scanners = split_device_list(store.settings().get(kScannersKey).value_or(""));
  d.camera = trim(store.settings().get(kCameraKey).value_or(""));
  return d;
}

}  // namespace hn::app
