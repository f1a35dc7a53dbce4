#pragma once
// The counter's input devices at work: the ID card reader polled on its own thread, each serial
// scanner read on its own, the camera grabbed and decoded on demand. Blocking reads never run
// on the UI thread; what they find comes back with CallAfter, and only while the hub lives.
// Everything here goes through pos/app/devices.hpp's interfaces.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/devices.hpp"
#include "ui/worker.hpp"

namespace hn::ui {

// One device's state as the status strip shows it.
struct DeviceStatus {
  std::string device;  // "id_reader", "scanner", "camera", "printer"
  std::string where;   // its path or URI
  app::DeviceState state = app::DeviceState::Ready;
  std::string code;
  std::string message_zh, message_en;
};

class DeviceHub {
 public:
  struct Sources {
    std::unique_ptr<app::IdCardSource> reader;
    std::vector<std::unique_ptr<app::ScanSource>> scanners;
    std::unique_ptr<app::FrameDecodeSource> camera;
    std::string printer;  // the configured printer URI ("" = invoices to files)
  };
  struct Callbacks {
    std::function<void(const app::IdCardData&)> card;   // a card put on the reader, once
    std::function<void(const std::string&)> scan;        // a serial scanner's code
    std::function<void()> status;                        // some device's state changed
  };

  DeviceHub(Sources sources, Callbacks callbacks);
  ~DeviceHub();  // stops and joins every thread (each read is bounded)
  DeviceHub(const DeviceHub&) = delete;
  DeviceHub& operator=(const DeviceHub&) = delete;

  // The reader delivers cards only while armed (the sale has no buyer yet); while disarmed it
  // keeps watching, slower, so that a card lifted off and put back is read again, and a card
  // left lying there is not.
  void arm_reader(bool armed);
  bool has_reader() const { return reader_ != nullptr; }
  bool has_camera() const { return camera_ != nullptr; }
  // Grabs and decodes on a thread of its own; `done` on the UI thread. False when there is no
  // camera or a grab is already running.
  bool decode_camera(std::function<void(app::FrameDecode&)> done);

  // The invoice printer's state, from the last printout sent to it (counter_printer): Error
  // after a failure, until the next printout goes through. UI thread; traced when it changes.
  void set_printer_state(DeviceStatus status);

  std::vector<DeviceStatus> statuses() const;
  // "读卡器:就绪 | 扫描枪:键盘口, 串口就绪 | 摄像头 | 打印机:文件", in the screen's language;
  // "打印机:故障(F12 重打)" while the printer is in trouble.
  wxString strip_text() const;
  bool any_trouble() const;

 private:
  void reader_loop();
  void scanner_loop(std::size_t index);
  void set_status(std::size_t index, DeviceStatus status);
  template <class F>
  void to_ui(F f);

  std::unique_ptr<app::IdCardSource> reader_;
  std::vector<std::unique_ptr<app::ScanSource>> scanners_;
  std::unique_ptr<app::FrameDecodeSource> camera_;
  std::string printer_;
  Callbacks callbacks_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<DeviceStatus> statuses_;  // reader (if any), scanners, camera (if any)
  DeviceStatus printer_status_;         // Ready until a printout fails
  bool kick_ = false;                   // arm_reader: poll now
  std::atomic<bool> stop_{false};
  std::atomic<bool> armed_{false};
  std::atomic<bool> camera_busy_{false};
  std::vector<std::thread> threads_;
  std::thread camera_thread_;
  Liveness liveness_;
};

}  // namespace hn::ui
