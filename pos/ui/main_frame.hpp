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
};

class LoginPanel;
class SalePanel;

class MainFrame : public wxFrame {
 public:
  MainFrame(Worker& worker, Options options);

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

 private:
  void on_char_hook(wxKeyEvent& event);
  void on_tick(wxTimerEvent& event);
  void touch() { last_activity_ = std::chrono::steady_clock::now(); }

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
  wxTimer tick_;
  int ticks_ = 0;
  double idle_minutes_ = 5;
  std::chrono::steady_clock::time_point last_activity_ = std::chrono::steady_clock::now();
};

}  // namespace hn::ui
