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
#include "ui/i18n.hpp"
#include "ui/palette.hpp"
#include "ui/main_frame.hpp"
#include "ui/trace.hpp"

#include "ui/form_dialog.hpp"
namespace hn::ui {

using namespace palette;

namespace {

struct SettingsData {
  std::vector<std::string> phases;
  std::string phase;
  std::string language = "zh_CN";
  int idle_minutes = 5;
  std::string county_mismatch = "warn";
  Outlet outlet;
};

void settings(MainFrame& frame, const app::UserRecord& manager) {
  FormDialog dlg(&frame, _("Settings"));
  Liveness& live = dlg.liveness;
  auto* outlet = dlg.text(_("Outlet"));
  outlet->SetEditable(false);
  auto* phase = dlg.choice(_("Policy phase"), wxArrayString());
  wxArrayString langs;
  langs.Add(wxString::FromUTF8("中文"));
  langs.Add("English");
  auto* language = dlg.choice(_("Language (applies at next start)"), langs);
  wxArrayString mismatch;
  mismatch.Add(_("warn"));
  mismatch.Add(_("refuse"));
  auto* county = dlg.choice(_("Buyer from another county"), mismatch);
  auto* idle = dlg.text(_("Lock after idle minutes (0 = never)"));
  auto* printer = dlg.text(_("Invoice printer"), wxString::Format(_("PDF and PNG files in %s"), U(frame.options().invoice_dir)));
  printer->SetEditable(false);
  dlg.finish(_("Save (Enter)"));
  SettingsData loaded;
  frame.worker().ask<SettingsData>(
      live,
      [](app::Terminal& t) {
        SettingsData d;
        const app::Settings s = t.settings();
        d.phases = t.policy_phase_ids();
        d.phase = s.policy_phase;
        d.language = s.language;
        d.idle_minutes = s.idle_lock_minutes;
        d.county_mismatch = t.policy().county_mismatch == MismatchAction::Refuse ? "refuse" : "warn";
        d.outlet = t.outlet();
        return d;
      },
      [&](SettingsData& d) {
        loaded = d;
        outlet->ChangeValue(U(d.outlet.name + " (" + d.outlet.code + ", " + d.outlet.county + ")"));
        phase->Clear();
        for (const auto& p : d.phases) phase->Append(U(p));
        phase->SetStringSelection(U(d.phase));
        language->SetSelection(d.language == "en" ? 1 : 0);
        county->SetSelection(d.county_mismatch == "refuse" ? 1 : 0);
        idle->ChangeValue(wxString::Format("%d", d.idle_minutes));
        dlg.Fit();
      });
  dlg.on_submit = [&] {
    const std::string new_phase = phase->GetStringSelection().utf8_string();
    const std::string lang = language->GetSelection() == 1 ? "en" : "zh_CN";
    const std::string mm = county->GetSelection() == 1 ? "refuse" : "warn";
    const std::string minutes = text_of(idle);
    frame.worker().ask<app::Result<app::Done>>(
        live,
        [=](app::Terminal& t) -> app::Result<app::Done> {
          if (!new_phase.empty() && new_phase != loaded.phase) {
            auto r = t.use_policy(manager, new_phase);
            if (!r) return r;
          }
          for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
                   {"ui.language", lang}, {"policy.county_mismatch", mm}, {"ui.idle_lock_minutes", minutes}}) {
            auto r = t.change_setting(manager, key, value);
            if (!r) return r;
          }
          return app::Done{};
        },
        [&dlg](app::Result<app::Done>& r) {
          if (!r) return dlg.say(r.problem());
          dlg.say(_("Saved."), false);
        });
  };
  dlg.ShowModal();
}
}  // namespace

void run_manager_menu(MainFrame& frame, const app::UserRecord& current) {
  std::optional<app::UserRecord> manager;
  if (current.role == app::Role::Manager) manager = current;
  else manager = ask_manager(frame);
  if (!manager) return;
  wxDialog dlg(&frame, wxID_ANY, _("Manager functions"));
  auto* s = new wxBoxSizer(wxVERTICAL);
  s->Add(new wxStaticText(&dlg, wxID_ANY, wxString::Format(_("Manager: %s. Press a number key."), U(manager->name))),
         0, wxALL, 12);
  const std::pair<wxString, std::function<void()>> items[] = {
      {_("&1  Goods receipt"), [&] { goods_receipt(frame, *manager); }},
      {_("&2  Users"), [&] { users(frame, *manager); }},
      {_("&3  Returns"), [&] { returns_screen(frame, *manager); }},
      {_("&4  Daily report"), [&] { show_report_dialog(frame, *manager); }},
      {_("&5  Settings"), [&] { settings(frame, *manager); }},
      {_("&6  Rejected by the province"), [&] { tasks(frame, *manager); }},
      {U("&7  ") + pick("设备", "Devices"), [&] { show_devices_page(frame, *manager); }},
      {_("&8  Closing the day"), [&] { closing_screen(frame, *manager); }},
      {_("&9  Backups and audit export"), [&] { backup_screen(frame, *manager); }},
      {_("&0  Province connection"), [&] { province_screen(frame, *manager); }},
      // The eleventh entry has a letter: K for 库存 (kùcún), as the clerks say it.
      {_("&K  Stock"), [&] { stock_screen(frame, *manager); }},
  };
  std::vector<std::function<void()>> actions;
  for (const auto& [label, action] : items) {
    auto* b = new wxButton(&dlg, wxID_ANY, label, wxDefaultPosition, wxSize(320, 44));
    b->SetFont(b->GetFont().Scaled(1.2f));
    b->Bind(wxEVT_BUTTON, [action = action](wxCommandEvent&) { action(); });
    s->Add(b, 0, wxLEFT | wxRIGHT | wxBOTTOM, 12);
    actions.push_back(action);
  }
  s->Add(new wxButton(&dlg, wxID_CANCEL, _("Close (Esc)")), 0, wxALIGN_RIGHT | wxALL, 12);
  dlg.SetSizerAndFit(s);
  dlg.SetEscapeId(wxID_CANCEL);
  dlg.Bind(wxEVT_CHAR_HOOK, [&](wxKeyEvent& e) {
    const int k = e.GetKeyCode();
    // 1..9, then 0 for the tenth entry, as on the keyboard's row.
    const std::size_t index = k == '0' ? 9 : static_cast<std::size_t>(k - '1');
    if (k >= '0' && k <= '9' && index < actions.size()) actions[index]();
    else if ((k == 'K' || k == 'k') && actions.size() > 10) actions[10]();
    else e.Skip();
  });
  dlg.CentreOnParent();
  trace("manager_menu", {{"manager", manager->login}});
  dlg.ShowModal();
}

}  // namespace hn::ui
