#pragma once
// Sign-in: choose the user, type the PIN (keyboard, or the on-screen pad). Five wrong PINs
// lock the account until a manager unlocks it (the store counts them).
#include <vector>

#include <wx/listbox.h>
#include <wx/panel.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include "app/terminal.hpp"
#include "ui/worker.hpp"

namespace hn::ui {

class MainFrame;

class LoginPanel : public wxPanel {
 public:
  LoginPanel(wxWindow* parent, MainFrame& frame);
  void set_outlet(const Outlet& outlet);
  void load_users();
  // Back to the sign-in page with `login` chosen and a message.
  void prepare(const std::string& login, const wxString& message);

 private:
  void submit();
  void press(const wxString& key);
  void select_login(const std::string& login);

  MainFrame& frame_;
  Liveness liveness_;
  std::vector<app::UserRecord> users_;
  wxStaticText* outlet_ = nullptr;
  wxListBox* list_ = nullptr;
  wxTextCtrl* pin_ = nullptr;
  wxStaticText* message_ = nullptr;
  bool busy_ = false;
};

}  // namespace hn::ui
