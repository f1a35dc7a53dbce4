#include "ui/form_dialog.hpp"

#include "ui/main_frame.hpp"

namespace hn::ui {

std::optional<app::UserRecord> ask_manager(MainFrame& frame) {
  FormDialog dlg(&frame, _("Manager approval"));
  auto* login = dlg.text(_("Manager login"));
  auto* pin = dlg.text(_("PIN"), wxEmptyString, wxTE_PASSWORD);
  dlg.finish(_("Approve (Enter)"));
  std::optional<app::UserRecord> approved;
  dlg.on_submit = [&] {
    const std::string l = text_of(login), p = pin->GetValue().utf8_string();
    pin->Clear();
    frame.worker().ask<app::Result<app::UserRecord>>(
        dlg.liveness, [l, p](app::Terminal& t) { return t.authorize(l, p, {app::Role::Manager}); },
        [&dlg, &approved](app::Result<app::UserRecord>& r) {
          if (!r) return dlg.say(r.problem());
          approved = r.value();
          dlg.EndModal(wxID_OK);
        });
  };
  dlg.ShowModal();
  return approved;
}

}  // namespace hn::ui
