#pragma once
// The one window of the counter: the login page or the sale page, a status strip with the
// uploads against their deadline and the devices, and the idle lock.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <wx/frame.h>
#include <wx/simplebook.h>
#include <wx/stattext.h>
#include <wx/timer.h>

#include "app/terminal.hpp"
#include "ui/i18n.hpp"
#include "ui/uploader.hpp"
#include "ui/worker.hpp"

namespace hn::ui {

struct Options {
  std::string db_path;
  std::string invoice_dir;
  std::string preselect_user;
  // Lock after this many idle minutes (fractions allowed, 0 = never); else the setting.
  std::optional<double> idle_lock_minutes;
  // Where F6 (scan document) takes its picture: image files in turn (the camera's simulator,
  // --document-source), a V4L2 camera (--camera), else the clerk picks a scanned file.
  std::vector<std::string> document_files;
  std::string camera_device;
  // For this run instead of the device.* settings (issue 15): --id-reader PATH, --scanner PATH
  // (repeatable or comma-separated), --camera DEVICE (above); --camera-source IMAGE[,IMAGE...]
  // gives F12 the camera's simulator.
  std::optional<std::string> id_reader;
  std::optional<std::vector<std::string>> scanners;
  std::vector<std::string> camera_files;
};

class LoginPanel;
class SalePanel;
class DeviceHub;

class MainFrame : public wxFrame {
 public:
  MainFrame(Worker& worker, Options options);
  ~MainFrame() override;

  Worker& worker() { return worker_; }
  const Options& options() const { return options_; }
  const app::UserRecord& user() const { return user_; }
  const Outlet& outlet() const { return outlet_; }
  const Liveness& liveness() const { return liveness_; }

  void logged_in(const app::UserRecord& user);
  void lock(const std::string& why);
  void refresh_status();
  // A sale was committed: the uploader should send it soon.
  void sale_made();
  void show_error(const wxString& message);

  // The input devices (issue 15): null until the settings are read, and while the Devices page
  // has them stopped to test them itself.
  DeviceHub* devices() { return devices_hub_.get(); }
  // The sale page is up and a clerk signed in.
  bool selling() const;
  // (Re)starts the devices from the settings and this run's overrides; stop_devices() lets go
  // of every port (each thread joined).
  void start_devices();
  void stop_devices();

 private:
  void on_char_hook(wxKeyEvent& event);
  void on_tick(wxTimerEvent& event);
  void touch() { last_activity_ = std::chrono::steady_clock::now(); }
  void refresh_devices();
  // A printout's outcome (counter_printer): the strip's printer state.
  void printer_outcome(bool ok, const std::string& uri, const std::string& code);
  void apply_printer_state();

  Worker& worker_;
  Options options_;
  Liveness liveness_;
  app::UserRecord user_;
  Outlet outlet_;
  bool logged_in_ = false;
  wxSimplebook* book_ = nullptr;
  LoginPanel* login_ = nullptr;
  SalePanel* sale_ = nullptr;
  wxStaticText* upload_state_ = nullptr;
  wxStaticText* devices_ = nullptr;
  wxStaticText* who_ = nullptr;
  wxStaticText* clock_ = nullptr;
  std::unique_ptr<Uploader> uploader_;
  std::unique_ptr<DeviceHub> devices_hub_;
  std::uint64_t devices_generation_ = 0;
  // The last printout's word on the printer, kept across a restart of the devices.
  bool printer_fault_ = false;
  std::string printer_fault_uri_, printer_fault_code_;
  wxTimer tick_;
  int ticks_ = 0;
  double idle_minutes_ = 5;
  std::chrono::steady_clock::time_point last_activity_ = std::chrono::steady_clock::now();
};

}  // namespace hn::ui
