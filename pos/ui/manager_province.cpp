// F9 → 0: the province connection (issue 16): the server's address, the outlet's credential
// directory and the pinned key, saved as `huinong sync setup` saves them (the same checks:
// app::setup_sync over sync/client/link_checks), and "Test connection" (F5), which tries the
// values as typed and answers in plain words: reachable, TLS and the pinned key held, the
// credential accepted; or what is wrong and what to do.
#include "ui/manager_dialogs.hpp"

#include <wx/dirdlg.h>
#include <wx/textctrl.h>

#include "app/province_link.hpp"
#include "ui/form_dialog.hpp"
#include "ui/main_frame.hpp"

namespace hn::ui {

namespace {
struct LinkSettings {
  std::string server, credential_dir, pinned;
};
}  // namespace

void province_screen(MainFrame& frame, const app::UserRecord& manager) {
  FormDialog dlg(&frame, _("Province connection"));
  Liveness& live = dlg.liveness;
  auto* server = dlg.text(_("Server address (https://...)"));
  auto* credential = dlg.text(_("Credential directory (F4: choose)"));
  auto* pinned = dlg.text(_("Pinned server key (sha256//..., optional)"));
  dlg.finish(_("Save (Enter)"));
  dlg.say(_("F5: test the connection with the values as typed. Enter: save them."), false);

  frame.worker().ask<LinkSettings>(
      live,
      [](app::Terminal& t) {
        const app::Settings s = t.settings();
        return LinkSettings{s.sync_server, s.sync_credential_dir, s.sync_pinned_public_key};
      },
      [&](LinkSettings& s) {
        server->ChangeValue(U(s.server));
        credential->ChangeValue(U(s.credential_dir));
        pinned->ChangeValue(U(s.pinned));
        server->SetFocus();
        server->SetInsertionPointEnd();
        trace("province_shown", {{"configured", !s.server.empty()}});
      });

  dlg.on_submit = [&] {
    const std::string url = text_of(server), dir = text_of(credential), pin = text_of(pinned);
    frame.worker().ask<app::Result<std::string>>(
        live, [=](app::Terminal& t) { return app::setup_sync(t, manager, url, dir, pin); },
        [&dlg, &frame](app::Result<std::string>& r) {
          if (!r) {
            trace("province_saved", {{"ok", false}, {"code", r.problem().code}});
            return dlg.say_coded(r.problem());
          }
          frame.sale_made();  // the strip says where uploads go now, and what waits goes up
          dlg.say(wxString::Format(_("Saved: uploads go to %s. F5 tests the connection."), U(r.value())), false);
          trace("province_saved", {{"ok", true}, {"server", r.value()}});
        });
  };
  auto test = [&] {
    const std::string url = text_of(server), dir = text_of(credential), pin = text_of(pinned);
    dlg.say(_("Testing the connection..."), false);
    frame.worker().ask<app::LinkTest>(
        live, [=](app::Terminal& t) { return app::test_province_link(t, url, dir, pin); },
        [&dlg](app::LinkTest& r) {
          dlg.say((r.ok ? wxString() : U("[" + r.code + "] ")) + pick(r.message_zh, r.message_en), !r.ok);
          trace("province_tested", {{"ok", r.ok}, {"code", r.code}});
        });
  };
  dlg.Bind(wxEVT_CHAR_HOOK, [&](wxKeyEvent& e) {
    if (e.GetKeyCode() == WXK_F5) {
      test();
    } else if (e.GetKeyCode() == WXK_F4) {
      wxDirDialog pick_dir(&dlg, _("The outlet's credential directory"), credential->GetValue(),
                           wxDD_DEFAULT_STYLE | wxDD_DIR_MUST_EXIST);
      if (pick_dir.ShowModal() == wxID_OK) credential->ChangeValue(pick_dir.GetPath());
    } else {
      e.Skip();
    }
  });
  dlg.ShowModal();
}

}  // namespace hn::ui
