// F9 → 2: the terminal's users.
#include "ui/manager_dialogs.hpp"

#include <filesystem>
#include <wx/button.h>
#include <wx/choice.h>
#include <wx/dialog.h>
#include <wx/listctrl.h>
#include <wx/msgdlg.h>
#include <wx/sizer.h>
#include <wx/spinctrl.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include "app/paths.hpp"
#include "core/text.hpp"
#include "ui/counter_printer.hpp"
#include "ui/display_names.hpp"
#include "ui/i18n.hpp"
#include "ui/palette.hpp"
#include "ui/main_frame.hpp"
#include "ui/trace.hpp"
#include "ui/form_dialog.hpp"

namespace hn::ui {

using namespace palette;

void users(MainFrame& frame, const app::UserRecord& manager) {
  wxDialog dlg(&frame, wxID_ANY, _("Users"), wxDefaultPosition, wxSize(640, 420));
  Liveness liveness;
  auto* list = new wxListCtrl(&dlg, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
  list->AppendColumn(_("Login"), wxLIST_FORMAT_LEFT, 140);
  list->AppendColumn(_("Name"), wxLIST_FORMAT_LEFT, 160);
  list->AppendColumn(_("Role"), wxLIST_FORMAT_LEFT, 100);
  list->AppendColumn(_("State"), wxLIST_FORMAT_LEFT, 160);
  auto* s = new wxBoxSizer(wxVERTICAL);
  s->Add(list, 1, wxEXPAND | wxALL, 8);
  auto* buttons = new wxBoxSizer(wxHORIZONTAL);
  auto* add = new wxButton(&dlg, wxID_ANY, _("&Add user"));
  auto* unlock = new wxButton(&dlg, wxID_ANY, _("&Unlock"));
  buttons->Add(add, 0, wxRIGHT, 8);
  buttons->Add(unlock, 0, wxRIGHT, 8);
  buttons->Add(new wxButton(&dlg, wxID_CANCEL, _("Close (Esc)")));
  s->Add(buttons, 0, wxALIGN_RIGHT | wxALL, 8);
  dlg.SetSizer(s);
  std::vector<app::UserRecord> rows;
  auto reload = [&] {
    frame.worker().ask<std::vector<app::UserRecord>>(
        liveness, [](app::Terminal& t) { return t.store().users(); },
        [&](std::vector<app::UserRecord>& all) {
          rows = all;
          list->DeleteAllItems();
          for (const auto& u : rows) {
            const long r = list->InsertItem(list->GetItemCount(), U(u.login));
            list->SetItem(r, 1, U(u.name));
            list->SetItem(r, 2, role_name(u.role));
            list->SetItem(r, 3, u.locked ? _("locked") : wxString());
            if (u.locked) list->SetItemTextColour(r, kRed);
          }
          if (!rows.empty()) list->SetItemState(0, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED,
                                                wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
        });
  };
  add->Bind(wxEVT_BUTTON, [&](wxCommandEvent&) {
    FormDialog form(&dlg, _("Add user"));
    auto* login = form.text(_("Login"));
    auto* name = form.text(_("Name"));
    wxArrayString roles;
    roles.Add(_("clerk"));
    roles.Add(_("manager"));
    roles.Add(_("auditor"));
    auto* role = form.choice(_("Role"), roles);
    auto* pin = form.text(_("PIN (4-12 digits)"), wxEmptyString, wxTE_PASSWORD);
    auto* again = form.text(_("PIN again"), wxEmptyString, wxTE_PASSWORD);
    form.finish(_("Add (Enter)"));
    form.on_submit = [&] {
      if (pin->GetValue() != again->GetValue()) return form.say(_("The two PINs differ."), true);
      const std::string l = text_of(login), n = text_of(name), p = pin->GetValue().utf8_string();
      const store::Role r = role->GetSelection() == 1 ? store::Role::Manager
                            : role->GetSelection() == 2 ? store::Role::Auditor
                                                        : store::Role::Clerk;
      frame.worker().ask<app::Result<app::Done>>(
          form.liveness, [=](app::Terminal& t) { return t.add_user(manager, l, n, r, p); },
          [&form](app::Result<app::Done>& res) {
            if (!res) return form.say(res.problem());
            form.EndModal(wxID_OK);
          });
    };
    if (form.ShowModal() == wxID_OK) reload();
  });
  unlock->Bind(wxEVT_BUTTON, [&](wxCommandEvent&) {
    const long sel = list->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    if (sel < 0 || static_cast<std::size_t>(sel) >= rows.size()) return;
    const std::string login = rows[static_cast<std::size_t>(sel)].login;
    frame.worker().ask<app::Result<app::Done>>(
        liveness, [=](app::Terminal& t) { return t.unlock_user(manager, login); },
        [&](app::Result<app::Done>& res) {
          if (!res) frame.show_error(pick(res.problem().message_zh, res.problem().message_en));
          reload();
        });
  });
  reload();
  dlg.SetEscapeId(wxID_CANCEL);
  dlg.CentreOnParent();
  list->SetFocus();
  dlg.ShowModal();
}

}  // namespace hn::ui
