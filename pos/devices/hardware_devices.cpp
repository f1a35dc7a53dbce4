#include "devices/hardware_devices.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "core/text.hpp"
#include "id_card_reader.hpp"
#include "imaging/camera.hpp"
#include "imaging/decode.hpp"
#include "serial_scanner.hpp"

namespace hn::devices {

namespace {

// ---- ID card reader ---------------------------------------------------------------------

app::CardPoll trouble(app::DeviceState state, std::string code, std::string zh, std::string en) {
  app::CardPoll p;
  p.state = state;
  p.code = std::move(code);
  p.message_zh = std::move(zh);
  p.message_en = std::move(en);
  return p;
}

app::IdCardData card_data(const hw::IdCard& c) {
  app::IdCardData d;
  d.name = c.name;
  d.id_number = c.id_number;
  d.sex_zh = c.sex_zh();
  d.sex_en = c.sex_en();
  d.birth = c.birth;
  d.nation = c.nation();
  d.address = c.address;
  d.issuer = c.issuer;
  d.valid_from = c.valid_from;
  d.valid_to = c.valid_to;
  d.county_code = c.county();
  d.photo.assign(c.photo.begin(), c.photo.end());
  return d;
}

class ReaderSource final : public app::IdCardSource {
 public:
  explicit ReaderSource(std::string path) : reader_(std::move(path)) {}
  std::string where() const override { return reader_.path(); }

  app::CardPoll poll() override {
    using hw::ReadStatus;
    const hw::ReadResult r = reader_.read_card();
    const std::string detail = escape_for_message(r.detail);
    switch (r.status) {
      case ReadStatus::Ok: {
        app::CardPoll p;
        p.state = app::DeviceState::Ready;
        p.card = card_data(*r.card);
        return p;
      }
      case ReadStatus::NoCard: return {};
      case ReadStatus::CardRemoved:
        return trouble(app::DeviceState::Error, "ID_CARD_REMOVED", "读卡时身份证被移开:请把证件平放在阅读器上",
                       "the card moved while it was read: lay it flat on the reader");
      case ReadStatus::BadChecksum:
      case ReadStatus::ShortFrame:
        return trouble(app::DeviceState::Error, "READER_BAD_FRAME", "阅读器数据出错:正在重读",
                       "garbled data from the reader: reading again");
      case ReadStatus::Timeout:
        return trouble(app::DeviceState::Error, "READER_TIMEOUT", "阅读器无应答:检查端口和电源",
                       "the reader does not answer: check its port and power");
      case ReadStatus::Unplugged:
        return trouble(app::DeviceState::Unplugged, "READER_UNPLUGGED", "阅读器未连接:请插好数据线",
                       "the reader is not connected: plug its cable in");
      case ReadStatus::PortError:
        return trouble(app::DeviceState::Error, "READER_PORT_ERROR",
                       "阅读器端口无法使用(" + detail + "):检查权限(dialout 组)和设置的端口",
                       "the reader's port cannot be used (" + detail +
                           "): check permissions (the dialout group) and the configured port");
      case ReadStatus::ReaderFault:
        return trouble(app::DeviceState::Error, "READER_FAULT", "阅读器报告故障:请重新插拔阅读器",
                       "the reader reports a fault: unplug it and plug it back in");
      case ReadStatus::OtherCard:
        return trouble(app::DeviceState::Error, "ID_CARD_TYPE", "不是居民身份证:请用居民身份证,或按 F2 输入",
                       "not a resident ID card: use the resident ID card, or type the number (F2)");
    }
    return {};
  }

 private:
  hw::IdCardReader reader_;
};

// ---- serial scanner ---------------------------------------------------------------------

class SerialScanSource final : public app::ScanSource {
 public:
  explicit SerialScanSource(std::string path) : scanner_(std::move(path)) {}
  std::string where() const override { return scanner_.path(); }

  app::ScanPoll next(std::chrono::milliseconds wait) override {
    using hw::ScanStatus;
    const hw::ScanResult r = scanner_.next_scan(wait);
    app::ScanPoll p;
    switch (r.status) {
      case ScanStatus::Ok: p.code = r.code; return p;
      case ScanStatus::Timeout: return p;
      case ScanStatus::Unterminated:
        p.state = app::DeviceState::Error;
        p.code_name = "SCANNER_SUFFIX";
        p.message_zh = "扫描枪发来的条码没有结束符:把扫描枪设为以回车(CR)结尾";
        p.message_en = "the scanner's codes have no ending: set it to end each code with CR";
        return p;
      case ScanStatus::Unplugged:
        p.state = app::DeviceState::Unplugged;
        p.code_name = "SCANNER_UNPLUGGED";
        p.message_zh = "扫描枪未连接:请插好数据线";
        p.message_en = "the scanner is not connected: plug its cable in";
        break;
      case ScanStatus::PortError:
        p.state = app::DeviceState::Error;
        p.code_name = "SCANNER_PORT_ERROR";
        p.message_zh = "扫描枪端口无法使用(" + escape_for_message(r.detail) + "):检查权限(dialout 组)";
        p.message_en = "the scanner's port cannot be used (" + escape_for_message(r.detail) +
                       "): check permissions (the dialout group)";
        break;
    }
    // Unplugged and port trouble answer at once: wait here, so a caller's loop does not spin.
    std::this_thread::sleep_for(std::min(wait, std::chrono::milliseconds(500)));
    return p;
  }

 private:
  hw::SerialScanner scanner_;
};

// ---- camera -----------------------------------------------------------------------------

app::FrameDecode decode_failure(const imaging::Error& e) {
  app::FrameDecode d;
  d.code = e.code;
  d.message_zh = e.message_zh;
  d.message_en = e.message_en;
  return d;
}

class CameraDecodeSource final : public app::FrameDecodeSource {
 public:
  // `frames` given: the simulator's still pictures, kept for good; else the V4L2 camera at
  // `device`, opened on the first grab and again after a failed one.
  CameraDecodeSource(std::string device, std::unique_ptr<imaging::FrameSource> frames)
      : device_(std::move(device)), still_(frames != nullptr), frames_(std::move(frames)) {}
  std::string where() const override { return device_; }

  app::FrameDecode grab_and_decode(int frames) override {
    app::FrameDecode last;
    last.code = "NO_BARCODE";
    last.message_zh = "摄像头画面中没有找到条码:把标识卡或序列号标签放近、放正、光线均匀后再按一次";
    last.message_en = "no barcode in the camera's picture: hold the label card or serial sticker closer, "
                      "square and evenly lit, then press again";
    for (int i = 0; i < std::max(1, frames); ++i) {
      if (!frames_) {
        imaging::CameraOptions o;
        o.device = device_;
        auto cam = imaging::V4l2Camera::open(o);
        if (!cam) return decode_failure(cam.error());
        frames_ = std::move(cam.value());
      }
      auto image = frames_->grab(2000);
      if (!image) {
        if (!still_) frames_.reset();  // opened again on the next grab
        return decode_failure(image.error());
      }
      imaging::DecodeOptions options;
      options.fallback_passes = true;  // a clerk waits for one picture: try hard on it
      const auto codes = imaging::decode(image->view(), options);
      if (!codes) return decode_failure(codes.error());
      if (!codes->empty()) {
        app::FrameDecode d;
        d.ok = true;
        for (const auto& c : codes.value()) d.codes.push_back(c.text);
        return d;
      }
    }
    return last;
  }

 private:
  std::string device_;
  bool still_;
  std::unique_ptr<imaging::FrameSource> frames_;
};

// ---- finding devices --------------------------------------------------------------------

std::vector<std::string> entries(const std::string& dir, const std::string& prefix) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (prefix.empty() || name.rfind(prefix, 0) == 0) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string lpstat_path() {
  for (const char* dir : {"/usr/bin", "/bin", "/usr/local/bin"}) {
    const std::string p = std::string(dir) + "/lpstat";
    if (::access(p.c_str(), X_OK) == 0) return p;
  }
  return "";
}

}  // namespace

std::unique_ptr<app::IdCardSource> open_id_reader(const std::string& path) {
  return std::make_unique<ReaderSource>(path);
}

std::unique_ptr<app::ScanSource> open_serial_scanner(const std::string& path) {
  return std::make_unique<SerialScanSource>(path);
}

std::unique_ptr<app::FrameDecodeSource> open_camera(const std::string& device) {
  return std::make_unique<CameraDecodeSource>(device, nullptr);
}

std::unique_ptr<app::FrameDecodeSource> open_still_frames(std::vector<std::string> files) {
  const std::string where = files.empty() ? std::string() : files.front();
  return std::make_unique<CameraDecodeSource>(where, std::make_unique<imaging::StillFrames>(std::move(files)));
}

app::FoundDevices find_devices() {
  app::FoundDevices f;
  // Stable names first: they survive a replug (a ttyUSBn number may not).
  f.serial_ports = entries("/dev/serial/by-id", "");
  for (const char* prefix : {"ttyUSB", "ttyACM"})
    for (auto& p : entries("/dev", prefix)) f.serial_ports.push_back(p);
  f.usb_printers = entries("/dev/usb", "lp");
  f.cameras = entries("/dev", "video");
  // CUPS queues: `lpstat -e` lists their names, one a line (no shell: popen of a fixed path).
  if (const std::string lpstat = lpstat_path(); !lpstat.empty()) {
    if (FILE* p = ::popen((lpstat + " -e 2>/dev/null").c_str(), "r")) {
      char line[256];
      while (std::fgets(line, sizeof line, p) && f.printer_queues.size() < 64) {
        const std::string q = trim(line);
        if (!q.empty() && check_text("queue", q, TextKind::SettingValue).ok()) f.printer_queues.push_back("cups:" + q);
      }
      ::pclose(p);
    }
  }
  return f;
}

}  // namespace hn::devices
