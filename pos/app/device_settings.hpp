#pragma once
// The counter's devices as the manager sets them (Terminal::change_setting, journaled):
// their keys, their defaults, and the one check of each value's form. The drivers that use
// them live in hardware/; what is stored here is only where each device is.
#include <optional>
#include <string>
#include <vector>

#include "app/problem.hpp"
#include "store/store.hpp"

namespace hn::app {

// A printer URI as `huinong reprint` takes (core/printer_uri.hpp); "" = the invoice goes to
// files (PNG and text beside the database), as before any printer was set.
inline constexpr const char* kInvoicePrinterKey = "device.invoice_printer";
// "none" or "escpos": the drawer on the receipt printer's kick-out connector.
inline constexpr const char* kCashDrawerKey = "device.cash_drawer";
// The ID card reader's serial port (an absolute path), "" = none.
inline constexpr const char* kIdReaderKey = "device.id_reader";
// Serial barcode scanners: absolute paths separated by commas, "" = none (the keyboard wedge
// always works).
inline constexpr const char* kScannersKey = "device.scanners";
// The V4L2 camera (an absolute path), "" = none.
inline constexpr const char* kCameraKey = "device.camera";

struct DeviceSettings {
  std::string invoice_printer;        // "" = files
  std::string cash_drawer = "none";   // none | escpos
  std::string id_reader;              // ""
  std::vector<std::string> scanners;  // empty
  std::string camera;                 // ""
};

// Whether `key` is one of the device.* keys above.
bool is_device_setting(const std::string& key);
// The value's form for `key` (a device key): SETTING_INVALID with what is wrong and what to
// write, in both languages, or nothing when it is good. A printer URI is checked on its parse.
std::optional<Problem> check_device_setting(const std::string& key, const std::string& value);
// The stored settings, defaults where none is stored.
DeviceSettings read_device_settings(store::Store& store);
// "a,b , c" -> {"a","b","c"} (blank entries dropped).
std::vector<std::string> split_device_list(const std::string& value);

}  // namespace hn::app
