#include "ui/main_frame.hpp"

#include <wx/msgdlg.h>
#include <wx/panel.h>
#include <wx/sizer.h>

#include "app/devices.hpp"
#include "devices/hardware_devices.hpp"
#include "ui/counter_printer.hpp"
#include "ui/device_hub.hpp"
#include "ui/login_panel.hpp"
#include "ui/palette.hpp"
#include "ui/sale_panel.hpp"
#include "ui/trace.hpp"

namespace hn::ui {

using namespace palette;

namespace {

struct Startup {
  Outlet outlet;
  int idle_minutes = 5;
};
}  // namespace

MainFrame::MainFrame(Worker& worker, Options options)
    : wxFrame(nullptr, wxID_ANY, _("Huinong POS"), wxDefaultPosition, wxSize(1200, 800)),
      worker_(worker),
      options_(std::move(options)),
      tick_(this) {
  SetMinSize(wxSize(1024, 700));
  // The counter screen owns the display: fill it (a window manager may also maximise).
  SetSize(wxGetClientDisplayRect());
  Maximize();
  auto* root = new wxBoxSizer(wxVERTICAL);
  book_ = new wxSimplebook(this);
  login_ = new LoginPanel(book_, *this);
  sale_ = new SalePanel(book_, *this);
  book_->AddPage(login_, "login");
  book_->AddPage(sale_, "sale");
  root->Add(book_, 1, wxEXPAND);

  auto* strip = new wxPanel(this);
  strip->SetBackgroundColour(wxColour(0xee, 0xee, 0xee));
  auto* s = new wxBoxSizer(wxHORIZONTAL);
  upload_state_ = new wxStaticText(strip, wxID_ANY, _("Uploads: checking..."));
  devices_ = new wxStaticText(strip, wxID_ANY, _("Scanner: keyboard wedge; printer: file"));
  who_ = new wxStaticText(strip, wxID_ANY, wxEmptyString);
  clock_ = new wxStaticText(strip, wxID_ANY, wxEmptyString);
  s->Add(upload_state_, 0, wxALL | wxALIGN_CENTER_VERTICAL, 6);
  s->AddStretchSpacer();
  s->Add(devices_, 0, wxALL | wxALIGN_CENTER_VERTICAL, 6);
  s->Add(who_, 0, wxALL | wxALIGN_CENTER_VERTICAL, 6);
  s->Add(clock_, 0, wxALL | wxALIGN_CENTER_VERTICAL, 6);
  strip->SetSizer(s);
  root->Add(strip, 0, wxEXPAND);
  SetSizer(root);

  Bind(wxEVT_CHAR_HOOK, &MainFrame::on_char_hook, this);
  Bind(wxEVT_TIMER, &MainFrame::on_tick, this);
  tick_.Start(1000);

  worker_.ask<Startup>(
      liveness_,
      [](app::Terminal& t) {
        Startup st;
        st.outlet = t.outlet();
        st.idle_minutes = t.settings().idle_lock_minutes;
        return st;
      },
      [this](Startup& st) {
        outlet_ = st.outlet;
        idle_minutes_ = options_.idle_lock_minutes.value_or(st.idle_minutes);
        SetTitle(_("Huinong POS") + " - " + U(outlet_.name) + " (" + U(outlet_.code) + ")");
        login_->set_outlet(outlet_);
      });
  refresh_status();
  login_->load_users();
  uploader_ = std::make_unique<Uploader>(options_.db_path, [this](const sync::SyncCounts&) { refresh_status(); });
  uploader_->nudge();
  counter_printer().on_printer_state(liveness_, [this](const PrintOutcome& p) {
    printer_outcome(p.ok, p.printer, p.code);
  });
  start_devices();
}

MainFrame::~MainFrame() { devices_hub_.reset(); }

bool MainFrame::selling() const { return logged_in_ && book_->GetSelection() == 1; }

void MainFrame::stop_devices() {
  ++devices_generation_;  // a start still waiting for the settings is dropped
  devices_hub_.reset();
  refresh_devices();
}

void MainFrame::start_devices() {
  stop_devices();
  const std::uint64_t generation = devices_generation_;
  worker_.ask<app::DeviceSettings>(
      liveness_, [](app::Terminal& t) { return t.settings().devices; },
      [this, generation](app::DeviceSettings& d) {
        if (generation != devices_generation_) return;
        // This run's options win over the settings.
        const std::string reader = options_.id_reader.value_or(d.id_reader);
        const std::vector<std::string> scanners = options_.scanners.value_or(d.scanners);
        const std::string camera = !options_.camera_device.empty() ? options_.camera_device : d.camera;
        DeviceHub::Sources sources;
        if (!reader.empty()) sources.reader = devices::open_id_reader(reader);
        for (const auto& path : scanners) sources.scanners.push_back(devices::open_serial_scanner(path));
        if (!options_.camera_files.empty()) sources.camera = devices::open_still_frames(options_.camera_files);
        else if (!camera.empty()) sources.camera = devices::open_camera(camera);
        sources.printer = counter_printer().override_uri().value_or(d.invoice_printer);
        DeviceHub::Callbacks callbacks;
        callbacks.card = [this](const app::IdCardData& card) {
          if (selling()) sale_->card_read(card);
        };
        callbacks.scan = [this](const std::string& code) {
          if (selling()) sale_->serial_scan(code);
          else trace("scan_dropped", {{"why", "not_selling"}});
        };
        callbacks.status = [this] { refresh_devices(); };
        devices_hub_ = std::make_unique<DeviceHub>(std::move(sources), std::move(callbacks));
        apply_printer_state();
        trace("devices_started", {{"id_reader", !reader.empty()},
                                  {"scanners", scanners.size()},
                                  {"camera", devices_hub_->has_camera()}});
        refresh_devices();
        sale_->update_reader_arm();
      });
}

void MainFrame::refresh_devices() {
  const wxString text = devices_hub_ ? devices_hub_->strip_text() : wxString(_("Scanner: keyboard wedge; printer: file"));
  const bool trouble = devices_hub_ && devices_hub_->any_trouble();
  if (devices_->GetLabel() == text) return;
  devices_->SetLabel(text);
  devices_->SetForegroundColour(trouble ? kRed : *wxBLACK);
  devices_->GetParent()->Layout();
  trace("device_strip", {{"text", text.utf8_string()}, {"trouble", trouble}});
}

void MainFrame::printer_outcome(bool ok, const std::string& uri, const std::string& code) {
  printer_fault_ = !ok;
  printer_fault_uri_ = uri;
  printer_fault_code_ = ok ? "" : code;
  apply_printer_state();
  refresh_devices();
}

void MainFrame::apply_printer_state() {
  if (!devices_hub_) return;  // applied when the devices start again
  devices_hub_->set_printer_state({"printer", printer_fault_uri_,
                                   printer_fault_ ? app::DeviceState::Error : app::DeviceState::Ready,
                                   printer_fault_code_, "", ""});
}

void MainFrame::sale_made() {
  refresh_status();
  if (uploader_) uploader_->nudge();
}

void MainFrame::logged_in(const app::UserRecord& user) {
  user_ = user;
  logged_in_ = true;
  touch();
  who_->SetLabel(wxString::Format(_("Operator: %s"), U(user.name)));
  book_->SetSelection(1);
  sale_->start(user);
  sale_->update_reader_arm();
  Layout();
  trace("logged_in", {{"user", user.login}, {"role", app::role_code(user.role)}});
}

void MainFrame::lock(const std::string& why) {
  if (!logged_in_) return;
  logged_in_ = false;
  const auto user = user_;
  worker_.post([user, why](app::Terminal& t) { t.record_logout(user, why); });
  who_->SetLabel(wxEmptyString);
  login_->prepare(user.login, why == "idle" ? _("Locked after a period without use: enter your PIN")
                                            : _("Screen locked: enter your PIN"));
  book_->SetSelection(0);
  login_->load_users();  // as the users are now: a manager may have added or deactivated one
  if (devices_hub_) devices_hub_->arm_reader(false);
  trace("locked", {{"why", why}});
}

void MainFrame::show_error(const wxString& message) {
  trace("error", {{"message", message.utf8_string()}});
  wxMessageBox(message, _("Huinong POS"), wxOK | wxICON_ERROR, this);
}

void MainFrame::refresh_status() {
  worker_.ask<app::UploadStatus>(
      liveness_, [](app::Terminal& t) { return t.upload_status(); },
      [this](app::UploadStatus& s) {
        wxString text;
        wxColour colour = kGreen;
        if (!s.configured) {
          // Nothing goes up without a province server: never green, whatever is pending.
          text = _("No provincial server set");
          colour = kAmber;
          if (s.pending > 0) text += wxString::Format(_(" | uploads pending: %d"), s.pending);
        } else if (s.pending == 0) {
          text = _("Uploads: nothing pending");
        } else {
          text = wxString::Format(_("Uploads pending: %d; oldest %s, due %s"), s.pending,
                                  U(s.oldest->iso()), U(s.due->iso()));
        }
        if (s.pending > 0) {
          if (s.overdue > 0) text += wxString::Format(_(" (%d overdue)"), s.overdue);
          if (s.state == DeadlineState::LastDay) colour = kAmber;
          if (s.state == DeadlineState::Overdue) colour = kRed;
        }
        if (s.configured && !s.last_error.empty()) {
          // "2026-12-06T09:15:02+08:00" -> "12-06 09:15"
          const std::string at = s.last_error_at.size() >= 16
                                     ? s.last_error_at.substr(5, 5) + " " + s.last_error_at.substr(11, 5)
                                     : s.last_error_at;
          text += wxString::Format(_(" | last upload error %s: %s"), U(at), U(escape_for_message(s.last_error, 60)));
          if (colour == kGreen) colour = kAmber;
        }
        if (s.open_tasks > 0) {
          text += wxString::Format(_(" | %d rejected by the province: manager, F9 then 6"), s.open_tasks);
          if (colour == kGreen) colour = kAmber;
        }
        upload_state_->SetLabel(text);
        upload_state_->SetForegroundColour(colour);
        upload_state_->GetParent()->Layout();
        trace("upload_status", {{"pending", s.pending},
                                {"colour", colour == kRed ? "red" : colour == kAmber ? "amber" : "green"},
                                {"configured", s.configured},
                                {"last_error", !s.last_error.empty()},
                                {"text", text.utf8_string()},
                                {"open_tasks", s.open_tasks},
                                {"overdue", s.overdue},
                                {"state", s.state == DeadlineState::OnTime    ? "green"
                                          : s.state == DeadlineState::LastDay ? "amber"
                                                                              : "red"}});
      });
}

void MainFrame::on_char_hook(wxKeyEvent& event) {
  touch();
  if (logged_in_ && book_->GetSelection() == 1) {
    const int key = event.GetKeyCode();
    if (key == WXK_F11 || (event.ControlDown() && (key == 'L' || key == 'l'))) {
      lock("key");
      return;
    }
    if (sale_->handle_key(event)) return;
  }
  event.Skip();
}

void MainFrame::on_tick(wxTimerEvent&) {
  // The outlet's local time (Asia/Shanghai), whatever the PC's own time zone.
  const LocalTime now = local_time_from_unix(app::SystemClock().unix_seconds(), 480);
  const wxString shown = U(now.date.iso() + " " + now.iso().substr(11, 5));
  if (shown != clock_->GetLabel()) {
    // A label's size is fixed when its sizer lays it out: lay the strip out again, or the
    // clock stays as wide as its first label (one character) (issue 16).
    clock_->SetLabel(shown);
    clock_->GetParent()->Layout();
    trace("clock", {{"text", shown.utf8_string()},
                    {"left", clock_->GetPosition().x},
                    {"width", clock_->GetSize().x},
                    {"needs", clock_->GetBestSize().x},
                    {"strip_width", clock_->GetParent()->GetClientSize().x}});
  }
  if (++ticks_ % 30 == 0) refresh_status();
  if (logged_in_ && idle_minutes_ > 0) {
    const auto idle = std::chrono::steady_clock::now() - last_activity_;
    if (idle > std::chrono::duration<double, std::ratio<60>>(idle_minutes_)) lock("idle");
  }
}

}  // namespace hn::ui
