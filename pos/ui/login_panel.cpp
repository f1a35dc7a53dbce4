#include "ui/login_panel.hpp"

#include <algorithm>

#include <wx/button.h>
#include <wx/sizer.h>
#include <wx/stockitem.h>

#include "ui/display_names.hpp"
#include "ui/i18n.hpp"
#include "ui/main_frame.hpp"
#include "ui/trace.hpp"

namespace hn::ui {

LoginPanel::LoginPanel(wxWindow* parent, MainFrame& frame) : wxPanel(parent), frame_(frame) {
  auto* outer = new wxBoxSizer(wxVERTICAL);
  auto* title = new wxStaticText(this, wxID_ANY, _("Huinong POS"));
  title->SetFont(title->GetFont().Scaled(2.0f).Bold());
  outlet_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
  outlet_->SetFont(outlet_->GetFont().Scaled(1.3f));
  outer->AddStretchSpacer();
  outer->Add(title, 0, wxALIGN_CENTER | wxALL, 8);
  outer->Add(outlet_, 0, wxALIGN_CENTER | wxBOTTOM, 24);

  auto* row = new wxBoxSizer(wxHORIZONTAL);
  auto* left = new wxBoxSizer(wxVERTICAL);
  left->Add(new wxStaticText(this, wxID_ANY, _("Operator (Up/Down)")), 0, wxBOTTOM, 4);
  list_ = new wxListBox(this, wxID_ANY, wxDefaultPosition, wxSize(320, 240));
  list_->SetFont(list_->GetFont().Scaled(1.3f));
  left->Add(list_, 1, wxEXPAND);
  row->Add(left, 0, wxEXPAND | wxRIGHT, 24);

  auto* right = new wxBoxSizer(wxVERTICAL);
  right->Add(new wxStaticText(this, wxID_ANY, _("PIN (digits, then Enter)")), 0, wxBOTTOM, 4);
  pin_ = new wxTextCtrl(this, wxID_ANY, wxEmptyString, wxDefaultPosition, wxSize(240, -1),
                        wxTE_PASSWORD | wxTE_PROCESS_ENTER);
  pin_->SetFont(pin_->GetFont().Scaled(1.6f));
  right->Add(pin_, 0, wxEXPAND | wxBOTTOM, 8);
  auto* pad = new wxGridSizer(4, 3, 4, 4);
  for (const char* key : {"7", "8", "9", "4", "5", "6", "1", "2", "3", "←", "0", "OK"}) {
    // "OK" reads as wxWidgets' own 确定, like every dialog's; the key itself stays "OK".
    const wxString label = std::string(key) == "OK" ? wxGetStockLabel(wxID_OK, wxSTOCK_NOFLAGS) : wxString::FromUTF8(key);
    auto* b = new wxButton(this, wxID_ANY, label, wxDefaultPosition, wxSize(76, 52));
    b->SetFont(b->GetFont().Scaled(1.4f));
    // The pad is for touch screens; the keyboard never needs it, so it takes no focus.
    b->SetCanFocus(false);
    b->Bind(wxEVT_BUTTON, [this, key](wxCommandEvent&) { press(wxString::FromUTF8(key)); });
    pad->Add(b, 0, wxEXPAND);
  }
  right->Add(pad, 0, wxEXPAND);
  row->Add(right, 0, wxEXPAND);
  outer->Add(row, 0, wxALIGN_CENTER);
  message_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
  message_->SetForegroundColour(wxColour(0xc6, 0x28, 0x28));
  message_->SetFont(message_->GetFont().Scaled(1.2f));
  outer->Add(message_, 0, wxALIGN_CENTER | wxALL, 12);
  outer->AddStretchSpacer();
  SetSizer(outer);

  pin_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { submit(); });
  pin_->Bind(wxEVT_KEY_DOWN, [this](wxKeyEvent& e) {
    // Up/Down in the PIN field choose the operator, as the label over the list says; left to
    // the toolkit they moved the focus to nothing visible and the keys after were lost.
    const int k = e.GetKeyCode();
    if (k != WXK_UP && k != WXK_DOWN && k != WXK_NUMPAD_UP && k != WXK_NUMPAD_DOWN) return e.Skip();
    const int n = static_cast<int>(list_->GetCount());
    if (n > 0) {
      const int sel = list_->GetSelection();
      const int next = sel == wxNOT_FOUND ? 0 : std::clamp(sel + (k == WXK_UP || k == WXK_NUMPAD_UP ? -1 : 1), 0, n - 1);
      list_->SetSelection(next);
      if (static_cast<std::size_t>(next) < users_.size())
        trace("login_user_chosen", {{"login", users_[static_cast<std::size_t>(next)].login}, {"from", "pin"}});
    }
    pin_->SetFocus();
  });
  list_->Bind(wxEVT_LISTBOX_DCLICK, [this](wxCommandEvent&) { pin_->SetFocus(); });
  list_->Bind(wxEVT_KEY_DOWN, [this](wxKeyEvent& e) {
    // Enter or a digit on the list moves on to the PIN, so nobody has to reach for the mouse.
    const int k = e.GetKeyCode();
    if (k == WXK_RETURN || k == WXK_NUMPAD_ENTER) {
      pin_->SetFocus();
    } else if (k >= '0' && k <= '9') {
      pin_->SetFocus();
      pin_->AppendText(wxString(static_cast<wxChar>(k)));
    } else {
      e.Skip();
    }
  });
}

void LoginPanel::set_outlet(const Outlet& outlet) {
  outlet_->SetLabel(U(outlet.name) + "  (" + U(outlet.code) + ")");
  Layout();
}

void LoginPanel::load_users() {
  frame_.worker().ask<std::vector<app::UserRecord>>(
      liveness_, [](app::Terminal& t) { return t.users(); },
      [this](std::vector<app::UserRecord>& users) {
        // A reload at the lock keeps the one who locked selected (users added or deactivated on
        // the manager screens show here without a restart).
        const int was = list_->GetSelection();
        const std::string keep =
            was != wxNOT_FOUND && static_cast<std::size_t>(was) < users_.size() ? users_[static_cast<std::size_t>(was)].login : "";
        users_.clear();
        list_->Clear();
        for (const auto& u : users) {
          if (!u.active) continue;
          users_.push_back(u);
          list_->Append(U(u.name) + "  " + U(u.login) + "  (" + role_name(u.role) + ")" +
                        (u.locked ? wxString(" - ") + _("locked") : wxString()));
        }
        if (!users_.empty()) list_->SetSelection(0);
        if (!frame_.options().preselect_user.empty()) select_login(frame_.options().preselect_user);
        if (!keep.empty()) select_login(keep);
        wxWindow* focus = users_.size() == 1 || !frame_.options().preselect_user.empty() || !keep.empty()
                              ? static_cast<wxWindow*>(pin_)
                              : static_cast<wxWindow*>(list_);
        // Focus taken again selects the PIN typed so far, and the next digit would replace it.
        if (wxWindow::FindFocus() != focus) focus->SetFocus();
        trace("login_ready", {{"users", users_.size()}});
      });
}

void LoginPanel::select_login(const std::string& login) {
  for (std::size_t i = 0; i < users_.size(); ++i)
    if (users_[i].login == login) list_->SetSelection(static_cast<int>(i));
}

void LoginPanel::prepare(const std::string& login, const wxString& message) {
  select_login(login);
  pin_->Clear();
  message_->SetLabel(message);
  Layout();
  pin_->SetFocus();
}

void LoginPanel::press(const wxString& key) {
  if (key == "OK") submit();
  else if (key == wxString::FromUTF8("←")) pin_->Remove(std::max(0L, pin_->GetLastPosition() - 1), pin_->GetLastPosition());
  else pin_->AppendText(key);
  pin_->SetFocus();
}

void LoginPanel::submit() {
  const int sel = list_->GetSelection();
  if (busy_ || sel == wxNOT_FOUND || static_cast<std::size_t>(sel) >= users_.size()) return;
  busy_ = true;
  const std::string login = users_[static_cast<std::size_t>(sel)].login;
  const std::string pin = pin_->GetValue().utf8_string();
  pin_->Clear();
  frame_.worker().ask<app::Result<app::UserRecord>>(
      liveness_,
      [login, pin](app::Terminal& t) {
        auto r = t.authenticate(login, pin);
        if (r) t.record_login(r.value());
        return r;
      },
      [this](app::Result<app::UserRecord>& r) {
        busy_ = false;
        if (!r) {
          message_->SetLabel(pick(r.problem().message_zh, r.problem().message_en));
          Layout();
          trace("login_failed", {{"code", r.problem().code}});
          if (r.problem().code == "USER_LOCKED") load_users();
          pin_->SetFocus();
          return;
        }
        message_->SetLabel(wxEmptyString);
        frame_.logged_in(r.value());
        // The daily backup (DESIGN.md "Data"), after the screen is ready: at the first sign-in
        // of a day, when a manager has set backup.dir.
        const app::UserRecord user = r.value();
        frame_.worker().ask<app::Result<std::optional<app::BackupResult>>>(
            liveness_, [user](app::Terminal& t) { return t.backup_if_due(user); },
            [](app::Result<std::optional<app::BackupResult>>& b) {
              if (!b) trace("backup_failed", {{"code", b.problem().code}, {"message_en", b.problem().message_en}});
              else if (b.value()) trace("backup", {{"file", b.value()->file}, {"removed", b.value()->removed.size()}});
            });
      });
}

}  // namespace hn::ui
