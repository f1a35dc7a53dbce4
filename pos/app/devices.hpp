#pragma once
// The counter's input devices as the screens see them: an ID card source, serial scanners and
// a camera whose frames are decoded for label cards and serials. Small interfaces only; the
// drivers behind them live in hardware/ and are adapted in pos/devices/ (huinong_devices), so
// neither the UI nor the CLI includes a hardware/ header for the counter's work. Every outcome
// a counter meets (no card, unplugged, a bad frame) is a value with a short message in both
// languages, never an exception.
#include "app/device_settings.hpp"
#include "core/region.hpp"
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"

namespace hn::store {
class Store;
}

namespace hn::app {

// ---- settings: pos/app/device_settings.hpp (keys, defaults, checks, read_device_settings) ----

// ---- ID card ----------------------------------------------------------------------------

// A 居民身份证 as read, decoded (UTF-8, YYYYMMDD dates). The photo is the card's WLT bytes,
// only ever in memory.
struct IdCardData {
  std::string name;
  std::string id_number;  // as on the card; check it with core's IdNumber before use
  std::string sex_zh, sex_en;
  std::string birth;  // YYYYMMDD
  std::string nation;
  std::string address;
  std::string issuer;
  std::string valid_from;  // YYYYMMDD
  std::string valid_to;    // YYYYMMDD or 长期
  std::string county_code;  // the 6-digit county the card gives for COUNTY_MISMATCH
  std::vector<std::uint8_t> photo;
  bool expired(Date today) const;
};

// The county named in an address ("安徽省宿州市萧县龙城镇..." -> "萧县"): the first 县, 区,
// 旗 or county-level 市 after the province and the prefecture; "" when none is found.
std::string address_county_name(const std::string& address);
// The county code of the card's address (POLICY R7: the registration as it stands), from the
// shipped table assets/regions/counties.tsv (read once); empty when the address names no county
// the table knows, and the caller keeps the ID number's first six digits.
std::string address_county_code(const std::string& address);
// The shipped table itself, read on first use.
const RegionTable& shipped_regions();

enum class DeviceState {
  Ready,      // there and answering (for the reader: a card was read, or none is on it)
  NoCard,     // the reader answers but holds no card
  Unplugged,  // the device is not there; it is looked for again on the next poll
  Error,      // there, but something went wrong (bad frames, permission, a fault)
};
const char* device_state_name(DeviceState state);  // "ready", "no_card", "unplugged", "error"

struct CardPoll {
  DeviceState state = DeviceState::NoCard;
  std::optional<IdCardData> card;  // present when a card was read
  std::string code;                // for Unplugged and Error: READER_UNPLUGGED, ...
  std::string message_zh, message_en;
};

class IdCardSource {
 public:
  virtual ~IdCardSource() = default;
  // One bounded attempt to read the card on the reader (blocking: call it off the UI thread).
  virtual CardPoll poll() = 0;
  virtual std::string where() const = 0;  // the path, for messages
};

// The card's photo decoded for the screen: RGB, 8 bits a sample, row by row.
struct CardPhoto {
  bool decoded = false;
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;
  std::string message_zh, message_en;  // why there is no picture
};

// ---- scanners ---------------------------------------------------------------------------

struct ScanPoll {
  DeviceState state = DeviceState::Ready;
  std::optional<std::string> code;  // one scanned code
  std::string code_name;            // for Unplugged and Error: SCANNER_UNPLUGGED, ...
  std::string message_zh, message_en;
};

class ScanSource {
 public:
  virtual ~ScanSource() = default;
  // Waits up to `wait` for one code (blocking: call it off the UI thread).
  virtual ScanPoll next(std::chrono::milliseconds wait) = 0;
  virtual std::string where() const = 0;
};

// ---- camera -----------------------------------------------------------------------------

struct FrameDecode {
  bool ok = false;                 // a frame was grabbed and searched
  std::vector<std::string> codes;  // every code found on it, in ZXing's order
  std::string code;                // when !ok: CAMERA_UNAVAILABLE, ...
  std::string message_zh, message_en;
};

class FrameDecodeSource {
 public:
  virtual ~FrameDecodeSource() = default;
  // Grabs up to `frames` frames until one holds a code (blocking: call it off the UI thread).
  virtual FrameDecode grab_and_decode(int frames) = 0;
  virtual std::string where() const = 0;
};

// ---- what is plugged in ----------------------------------------------------------------

struct FoundDevices {
  std::vector<std::string> serial_ports;  // /dev/serial/by-id/* first, then ttyUSB*, ttyACM*
  std::vector<std::string> printer_queues;  // CUPS queues (lpstat -e), as cups:QUEUE
  std::vector<std::string> usb_printers;    // /dev/usb/lp*
  std::vector<std::string> cameras;         // /dev/video*
};

}  // namespace hn::app
