// F9 → 2: the terminal's users. A manager adds a user, sets a new PIN (which also unlocks),
// changes a role, unlocks, deactivates: each through the use case the CLI's `huinong user ...`
// calls (app/users.cpp), each journaled there. The keys are on the buttons; the list keeps the
// focus, Up/Down choose the user.
#include "ui/manager_dialogs.hpp"

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/dialog.h>
#include <wx/listctrl.h>
#include <wx/msgdlg.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include "core/text.hpp"
#include "ui/ask.hpp"
#include "ui/display_names.hpp"
#include "ui/form_dialog.hpp"
#include "ui/i18n.hpp"
#include "ui/main_frame.hpp"
#include "ui/palette.hpp"
#include "ui/trace.hpp"

namespace hn::ui {

using namespace palette;

namespace {

// The roles in the order the choices list them; the words are the sign-in screen's.
constexpr app::Role kRoles[] = {app::Role::Clerk, app::Role::Manager, app::Role::Auditor};

wxArrayString role_names() {
  wxArrayString names;
  for (const auto r : kRoles) names.Add(role_name(r));
  return names;
}

// A new PIN typed twice: the PIN, or a message saying what is wrong (is_valid_pin is the rule
// the use case applies again).
std::optional<std::string> pin_of(FormDialog& form, wxTextCtrl* pin, wxTextCtrl* again) {
  const std::string p = pin->GetValue().utf8_string();
  if (p != again->GetValue().utf8_string()) {
    form.say(_("The two PINs differ."), true);
    return std::nullopt;
  }
  if (!app::is_valid_pin(p)) {
    form.say(_("The PIN must have 4 to 12 digits."), true);
    return std::nullopt;
  }
  return p;
}

}  // namespace

void users(MainFrame& frame, const app::UserRecord& manager) {
  wxDialog dlg(&frame, wxID_ANY, _("Users"), wxDefaultPosition, wxSize(760, 460));
  Liveness liveness;
  auto* list = new wxListCtrl(&dlg, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
  list->AppendColumn(_("Login"), wxLIST_FORMAT_LEFT, 140);
  list->AppendColumn(_("Name"), wxLIST_FORMAT_LEFT, 180);
  list->AppendColumn(_("Role"), wxLIST_FORMAT_LEFT, 120);
  list->AppendColumn(_("State"), wxLIST_FORMAT_LEFT, 200);
  auto* message = new wxStaticText(&dlg, wxID_ANY, wxEmptyString);
  auto* s = new wxBoxSizer(wxVERTICAL);
  s->Add(list, 1, wxEXPAND | wxALL, 8);
  s->Add(message, 0, wxEXPAND | wxLEFT | wxRIGHT, 8);
  auto* buttons = new wxBoxSizer(wxHORIZONTAL);
  auto button = [&](const wxString& label) {
    auto* b = new wxButton(&dlg, wxID_ANY, label);
    b->SetCanFocus(false);  // the list keeps the focus: the keys act on its selection
    buttons->Add(b, 0, wxRIGHT, 8);
    return b;
  };
  auto* add = button(_("Add user (F2)"));
  auto* reset = button(_("New PIN (F3)"));
  auto* role = button(_("Role (F4)"));
  auto* unlock = button(_("Unlock (F5)"));
  auto* deactivate = button(_("Deactivate (F8)"));
  buttons->Add(new wxButton(&dlg, wxID_CANCEL, _("Close (Esc)")));
  s->Add(buttons, 0, wxALIGN_RIGHT | wxALL, 8);
  dlg.SetSizer(s);

  auto say = [&](const wxString& text, bool error) {
    message->SetLabel(text);
    message->SetForegroundColour(error ? kRed : kGreen);
    message->Wrap(720);
    dlg.Layout();
    trace("dialog_message", {{"dialog", dlg.GetTitle().utf8_string()}, {"text", text.utf8_string()}, {"error", error}});
  };
  auto say_problem = [&](const app::Problem& p) { say(pick(p.message_zh, p.message_en), true); };

  std::vector<app::UserRecord> rows;
  auto reload = [&](const std::string& select) {
    frame.worker().ask<std::vector<app::UserRecord>>(
        liveness, [](app::Terminal& t) { return t.users(); },
        [&, select](std::vector<app::UserRecord>& all) {
          rows = all;
          list->DeleteAllItems();
          long chosen = 0;
          nlohmann::json shown = nlohmann::json::array();
          for (const auto& u : rows) {
            const long r = list->InsertItem(list->GetItemCount(), U(u.login));
            list->SetItem(r, 1, U(u.name));
            list->SetItem(r, 2, role_name(u.role));
            list->SetItem(r, 3, !u.active ? _("deactivated") : u.locked ? _("locked") : wxString());
            if (!u.active) list->SetItemTextColour(r, kGrey);
            else if (u.locked) list->SetItemTextColour(r, kRed);
            if (u.login == select) chosen = r;
            shown.push_back({{"login", u.login}, {"role", app::role_code(u.role)}, {"active", u.active},
                             {"locked", u.locked}, {"role_shown", role_name(u.role).utf8_string()}});
          }
          if (!rows.empty()) {
            list->SetItemState(chosen, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED,
                               wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
            list->EnsureVisible(chosen);
          }
          list->SetFocus();
          trace("users_shown", {{"users", shown}, {"selected", rows.empty() ? "" : rows[chosen].login}});
        });
  };
  auto selected = [&]() -> std::optional<app::UserRecord> {
    const long sel = list->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    if (sel < 0 || static_cast<std::size_t>(sel) >= rows.size()) return std::nullopt;
    return rows[static_cast<std::size_t>(sel)];
  };
  // A form over the users list; traced once it is up, so a test types into it, not before.
  auto show_form = [&](FormDialog& form, const char* kind) {
    form.CallAfter([kind] { trace("user_form", {{"kind", kind}}); });
    const int answer = form.ShowModal();
    list->SetFocus();
    return answer;
  };

  add->Bind(wxEVT_BUTTON, [&](wxCommandEvent&) {
    FormDialog form(&dlg, _("Add user"));
    auto* login = form.text(_("Login"));
    auto* name = form.text(_("Name"));
    auto* role_choice = form.choice(_("Role"), role_names());
    auto* pin = form.text(_("PIN (4-12 digits)"), wxEmptyString, wxTE_PASSWORD);
    auto* again = form.text(_("PIN again"), wxEmptyString, wxTE_PASSWORD);
    form.finish(_("Add (Enter)"));
    std::string added;
    form.on_submit = [&] {
      const auto p = pin_of(form, pin, again);
      if (!p) return;
      const std::string l = text_of(login), n = text_of(name);
      const app::Role r = kRoles[std::max(0, role_choice->GetSelection())];
      frame.worker().ask<app::Result<app::Done>>(
          form.liveness, [=](app::Terminal& t) { return t.add_user(manager, l, n, r, *p); },
          [&form, &added, l, r](app::Result<app::Done>& res) {
            if (!res) return form.say(res.problem());
            added = l;
            trace("user_added", {{"login", l}, {"role", app::role_code(r)}});
            form.EndModal(wxID_OK);
          });
    };
    if (show_form(form, "add") != wxID_OK) return;
    say(wxString::Format(_("User %s added."), U(added)), false);
    reload(added);
  });

  reset->Bind(wxEVT_BUTTON, [&](wxCommandEvent&) {
    const auto user = selected();
    if (!user) return;
    FormDialog form(&dlg, wxString::Format(_("New PIN for %s (%s)"), U(user->name), U(user->login)));
    auto* pin = form.text(_("New PIN (4-12 digits)"), wxEmptyString, wxTE_PASSWORD);
    auto* again = form.text(_("PIN again"), wxEmptyString, wxTE_PASSWORD);
    form.finish(_("Set the PIN (Enter)"));
    const std::string who = user->login;
    form.on_submit = [&] {
      const auto p = pin_of(form, pin, again);
      if (!p) return;
      frame.worker().ask<app::Result<app::Done>>(
          form.liveness, [=](app::Terminal& t) { return t.reset_pin(manager, who, *p); },
          [&form, who](app::Result<app::Done>& res) {
            if (!res) return form.say(res.problem());
            trace("user_pin_reset", {{"login", who}});
            form.EndModal(wxID_OK);
          });
    };
    if (show_form(form, "reset_pin") != wxID_OK) return;
    say(wxString::Format(_("New PIN set for %s; the account is unlocked."), U(who)), false);
    reload(who);
  });

  role->Bind(wxEVT_BUTTON, [&](wxCommandEvent&) {
    const auto user = selected();
    if (!user) return;
    FormDialog form(&dlg, wxString::Format(_("Role of %s (%s)"), U(user->name), U(user->login)));
    auto* role_choice = form.choice(_("Role"), role_names());
    for (std::size_t i = 0; i < std::size(kRoles); ++i)
      if (kRoles[i] == user->role) role_choice->SetSelection(static_cast<int>(i));
    form.finish(_("Change the role (Enter)"));
    // The choice takes Up/Down; Enter on it changes the role, as Enter on a text field would.
    form.Bind(wxEVT_CHAR_HOOK, [&form](wxKeyEvent& e) {
      if (e.GetKeyCode() == WXK_RETURN || e.GetKeyCode() == WXK_NUMPAD_ENTER) form.on_submit();
      else e.Skip();
    });
    const std::string who = user->login;
    std::string changed_to;
    form.on_submit = [&] {
      const std::string to(app::role_code(kRoles[std::max(0, role_choice->GetSelection())]));
      frame.worker().ask<app::Result<std::string>>(
          form.liveness, [=](app::Terminal& t) { return t.change_role(manager, who, to); },
          [&form, &changed_to, who, to](app::Result<std::string>& res) {
            if (!res) {
              trace("user_refused", {{"login", who}, {"code", res.problem().code}});
              return form.say(res.problem());
            }
            changed_to = to;
            trace("user_role_changed", {{"login", who}, {"from", res.value()}, {"to", to}});
            form.EndModal(wxID_OK);
          });
    };
    if (show_form(form, "role") != wxID_OK) return;
    say(wxString::Format(_("The role of %s is now: %s."), U(who), role_name(*app::parse_role(changed_to))), false);
    reload(who);
  });

  unlock->Bind(wxEVT_BUTTON, [&](wxCommandEvent&) {
    const auto user = selected();
    if (!user) return;
    const std::string who = user->login;
    frame.worker().ask<app::Result<app::Done>>(
        liveness, [=](app::Terminal& t) { return t.unlock_user(manager, who); },
        [&, who](app::Result<app::Done>& res) {
          if (!res) return say_problem(res.problem());
          trace("user_unlocked", {{"login", who}});
          say(wxString::Format(_("%s is unlocked."), U(who)), false);
          reload(who);
        });
  });

  deactivate->Bind(wxEVT_BUTTON, [&](wxCommandEvent&) {
    const auto user = selected();
    if (!user) return;
    // A question first: deactivation cannot be undone on this screen. Enter keeps the user.
    const std::string who = user->login;
    const bool go = ask_before_loss(
        &dlg, {"deactivate_user", _("Deactivate user"),
               wxString::Format(_("Deactivate %s (%s)? They can no longer sign in; their sales stay on "
                                  "record. This cannot be undone here."),
                                U(user->name), U(user->login)),
               _("Keep the user (Enter)"), _("Deactivate (Y)"), {{"login", who}}});
    list->SetFocus();
    if (!go) {
      trace("question_declined", {{"about", "deactivate_user"}, {"login", who}});
      return;
    }
    frame.worker().ask<app::Result<app::Done>>(
        liveness, [=](app::Terminal& t) { return t.deactivate_user(manager, who); },
        [&, who](app::Result<app::Done>& res) {
          if (!res) {
            trace("user_refused", {{"login", who}, {"code", res.problem().code}});
            return say_problem(res.problem());
          }
          trace("user_deactivated", {{"login", who}});
          say(wxString::Format(_("%s is deactivated and can no longer sign in."), U(who)), false);
          reload(who);
        });
  });

  dlg.Bind(wxEVT_CHAR_HOOK, [&](wxKeyEvent& e) {
    wxButton* target = nullptr;
    switch (e.GetKeyCode()) {
      case WXK_F2: target = add; break;
      case WXK_F3: target = reset; break;
      case WXK_F4: target = role; break;
      case WXK_F5: target = unlock; break;
      case WXK_F8: target = deactivate; break;
      default: break;
    }
    if (!target) return e.Skip();
    wxCommandEvent click(wxEVT_BUTTON, target->GetId());
    click.SetEventObject(target);
    target->GetEventHandler()->ProcessEvent(click);
  });
  reload(manager.login);
  dlg.SetEscapeId(wxID_CANCEL);
  dlg.CentreOnParent();
  list->SetFocus();
  dlg.ShowModal();
}

}  // namespace hn::ui
