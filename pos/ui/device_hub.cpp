#include "ui/device_hub.hpp"

#include <wx/app.h>

#include "ui/i18n.hpp"
#include "ui/trace.hpp"

namespace hn::ui {

namespace {
using app::DeviceState;
using namespace std::chrono_literals;

// How often the reader is asked: briskly while a card is awaited, slowly while it only watches
// for the card being lifted off.
constexpr auto kArmedPoll = 250ms;
constexpr auto kIdlePoll = 1000ms;

bool same(const DeviceStatus& a, const DeviceStatus& b) { return a.state == b.state && a.code == b.code; }

// "escpos+tcp://host:9100?paper=58" -> the kind a clerk recognises.
std::pair<std::string, std::string> printer_kind(const std::string& uri) {
  if (uri.empty()) return {"文件", "file"};
  const std::string scheme = uri.substr(0, uri.find(':'));
  if (scheme == "escpos+file") return {"小票机(文件/USB)", "receipt (file/USB)"};
  if (scheme == "escpos+serial") return {"小票机(串口)", "receipt (serial)"};
  if (scheme == "escpos+tcp") return {"小票机(网络)", "receipt (network)"};
  if (scheme == "pdf") return {"PDF 文件", "PDF file"};
  if (scheme == "cups") return {"A4(CUPS)", "A4 (CUPS)"};
  return {"未知", "unknown"};
}
}  // namespace

DeviceHub::DeviceHub(Sources sources, Callbacks callbacks)
    : reader_(std::move(sources.reader)),
      scanners_(std::move(sources.scanners)),
      camera_(std::move(sources.camera)),
      printer_(std::move(sources.printer)),
      callbacks_(std::move(callbacks)) {
  printer_status_ = {"printer", printer_, DeviceState::Ready, "", "", ""};
  // Until the first answer, "starting": the first poll's state is always news (traced), so a
  // test knows when a port has been opened.
  if (reader_) statuses_.push_back({"id_reader", reader_->where(), DeviceState::NoCard, "STARTING", "", ""});
  for (const auto& s : scanners_)
    statuses_.push_back({"scanner", s->where(), DeviceState::Ready, "STARTING", "", ""});
  if (camera_) statuses_.push_back({"camera", camera_->where(), DeviceState::Ready, "", "", ""});
  if (reader_) threads_.emplace_back([this] { reader_loop(); });
  for (std::size_t i = 0; i < scanners_.size(); ++i) threads_.emplace_back([this, i] { scanner_loop(i); });
}

DeviceHub::~DeviceHub() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
  if (camera_thread_.joinable()) camera_thread_.join();
}

template <class F>
void DeviceHub::to_ui(F f) {
  auto token = liveness_.token();
  wxTheApp->CallAfter([token, f = std::move(f)]() mutable {
    if (*token) f();
  });
}

void DeviceHub::arm_reader(bool armed) {
  if (armed_.exchange(armed) != armed && armed) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      kick_ = true;
    }
    wake_.notify_all();
  }
}

void DeviceHub::set_status(std::size_t index, DeviceStatus status) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (same(statuses_[index], status)) return;
    statuses_[index] = status;
  }
  to_ui([this, status] {
    trace("device_status", {{"device", status.device},
                            {"where", status.where},
                            {"state", app::device_state_name(status.state)},
                            {"code", status.code}});
    if (callbacks_.status) callbacks_.status();
  });
}

void DeviceHub::reader_loop() {
  (void)app::shipped_regions();  // the county table read here, off the screen's thread
  // The ID number of the card last read and, as far as the reader tells, still lying there:
  // it is not read into a sale again until it has been lifted off.
  std::string lying;
  while (!stop_) {
    app::CardPoll p = reader_->poll();
    if (stop_) break;
    DeviceStatus s{"id_reader", reader_->where(), p.state, p.code, p.message_zh, p.message_en};
    if (p.state == DeviceState::NoCard) lying.clear();
    if (p.card) {
      if (p.card->id_number != lying && armed_) {
        lying = p.card->id_number;
        // Disarmed at once: the panel re-arms if it refuses the card (an expired one stays
        // lying there, and is not read again either).
        armed_ = false;
        to_ui([this, card = std::move(*p.card)] {
          if (callbacks_.card) callbacks_.card(card);
        });
      }
    }
    set_status(0, s);
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, armed_ ? kArmedPoll : kIdlePoll, [this] { return stop_ || kick_; });
    kick_ = false;
  }
}

void DeviceHub::scanner_loop(std::size_t index) {
  const std::size_t slot = index + (reader_ ? 1 : 0);
  auto& source = *scanners_[index];
  while (!stop_) {
    app::ScanPoll p = source.next(300ms);
    if (stop_) break;
    set_status(slot, {"scanner", source.where(), p.state, p.code_name, p.message_zh, p.message_en});
    if (p.code)
      to_ui([this, code = *p.code] {
        if (callbacks_.scan) callbacks_.scan(code);
      });
  }
}

bool DeviceHub::decode_camera(std::function<void(app::FrameDecode&)> done) {
  if (!camera_ || camera_busy_.exchange(true)) return false;
  if (camera_thread_.joinable()) camera_thread_.join();  // the last grab, already finished
  camera_thread_ = std::thread([this, done = std::move(done)] {
    app::FrameDecode d = camera_->grab_and_decode(5);
    const std::size_t slot = statuses_.size() - 1;
    set_status(slot, {"camera", camera_->where(), d.ok || d.code == "NO_BARCODE" ? DeviceState::Ready : DeviceState::Error,
                      d.ok || d.code == "NO_BARCODE" ? "" : d.code, d.message_zh, d.message_en});
    to_ui([this, done, d]() mutable {
      camera_busy_ = false;
      done(d);
    });
  });
  return true;
}

void DeviceHub::set_printer_state(DeviceStatus status) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (same(printer_status_, status)) return;
    printer_status_ = status;
  }
  trace("device_status", {{"device", "printer"},
                          {"where", status.where},
                          {"state", app::device_state_name(status.state)},
                          {"code", status.code}});
  if (callbacks_.status) callbacks_.status();
}

std::vector<DeviceStatus> DeviceHub::statuses() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return statuses_;
}

bool DeviceHub::any_trouble() const {
  for (const auto& s : statuses())
    if (s.state == DeviceState::Unplugged || s.state == DeviceState::Error) return true;
  std::lock_guard<std::mutex> lock(mutex_);
  return printer_status_.state == DeviceState::Error;
}

wxString DeviceHub::strip_text() const {
  std::string zh, en;
  const auto add = [&](const std::string& z, const std::string& e) {
    if (!zh.empty()) {
      zh += ";";
      en += "; ";
    }
    zh += z;
    en += e;
  };
  const auto all = statuses();
  std::size_t i = 0;
  if (reader_) {
    const auto& s = all[i++];
    switch (s.state) {
      case DeviceState::Ready: add("读卡器:已读证", "ID reader: card read"); break;
      case DeviceState::NoCard: add("读卡器:就绪,无证", "ID reader: ready, no card"); break;
      case DeviceState::Unplugged: add("读卡器:未连接", "ID reader: unplugged"); break;
      case DeviceState::Error: add("读卡器:" + s.message_zh, "ID reader: " + s.message_en); break;
    }
  }
  std::string sz = "扫描枪:键盘口", se = "Scanner: keyboard wedge";
  for (std::size_t k = 0; k < scanners_.size(); ++k) {
    const auto& s = all[i++];
    const std::string n = std::to_string(k + 1);
    switch (s.state) {
      case DeviceState::Ready:
      case DeviceState::NoCard:
        sz += ",串口" + n + "就绪";
        se += ", serial " + n + " ready";
        break;
      case DeviceState::Unplugged:
        sz += ",串口" + n + "未连接";
        se += ", serial " + n + " unplugged";
        break;
      case DeviceState::Error:
        sz += ",串口" + n + ":" + s.message_zh;
        se += ", serial " + n + ": " + s.message_en;
        break;
    }
  }
  add(sz, se);
  if (camera_) {
    const auto& s = all[i++];
    if (s.state == DeviceState::Error) add("摄像头:" + s.message_zh, "camera: " + s.message_en);
    else add("摄像头:Shift+F3", "camera: Shift+F3");
  }
  DeviceState printer_state;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    printer_state = printer_status_.state;
  }
  if (printer_state == DeviceState::Error) {
    add("打印机:故障(F12 重打)", "printer: error (F12 reprints)");
  } else {
    const auto [pz, pe] = printer_kind(printer_);
    add("打印机:" + pz, "printer: " + pe);
  }
  return pick(zh, en);
}

}  // namespace hn::ui
