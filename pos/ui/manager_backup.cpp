// F9 → 9: backups and the audit export (issue 16), to a chosen directory or a USB stick: the
// `huinong backup --to`, `huinong restore --from` and `huinong audit export` of the command
// line, on the same use cases. A mounted removable medium (a directory under /media or
// /run/media) is offered first. A restore asks first (Enter = no), checks the backup in full,
// sets the database in use aside, and closes the counter, which must be started again on it.
#include "ui/manager_dialogs.hpp"

#include <ctime>
#include <filesystem>
#include <fstream>

#include <wx/app.h>
#include <wx/dirdlg.h>
#include <wx/filedlg.h>
#include <wx/msgdlg.h>
#include <wx/textctrl.h>

#include "app/audit.hpp"
#include "app/paths.hpp"
#include "ui/ask.hpp"
#include "ui/form_dialog.hpp"
#include "ui/main_frame.hpp"

namespace hn::ui {

namespace {
// Mount points of removable media, as the desktop mounts them: /media/USER/LABEL, /media/LABEL,
// /run/media/USER/LABEL. The first is offered.
std::vector<std::string> removable_media() {
  std::vector<std::string> out;
  std::ifstream mounts("/proc/mounts");
  std::string device, point, rest;
  while (mounts >> device >> point && std::getline(mounts, rest))
    if (point.rfind("/media/", 0) == 0 || point.rfind("/run/media/", 0) == 0) out.push_back(point);
  return out;
}

std::string stamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  return buf;
}

struct Exported {
  std::string file;
  std::size_t bytes = 0;
  std::string fingerprint;
};
}  // namespace

void backup_screen(MainFrame& frame, const app::UserRecord& manager) {
  FormDialog dlg(&frame, _("Backups and audit export"));
  Liveness& live = dlg.liveness;
  auto* dir = dlg.text(_("Directory or USB stick (F4: choose)"));
  dlg.finish(_("Back up (Enter)"));
  dlg.say(_("Enter: back up to the directory. F5: audit export there. F6: restore from a backup file."), false);
  const auto media = removable_media();
  frame.worker().ask<std::string>(
      live, [](app::Terminal& t) { return t.settings().backup_dir; },
      [&, media](std::string& backup_dir) {
        dir->ChangeValue(U(!media.empty() ? media.front() : backup_dir));
        dir->SetFocus();
        dir->SetInsertionPointEnd();
        trace("backup_shown", {{"removable", media.size()}, {"dir", dir->GetValue().utf8_string()}});
      });

  dlg.on_submit = [&] {
    const std::string to = text_of(dir);
    if (to.empty()) return dlg.say(_("Choose a directory first (F4)."), true);
    frame.worker().ask<app::Result<app::BackupResult>>(
        live, [manager, to](app::Terminal& t) { return t.backup(manager, to); },
        [&dlg](app::Result<app::BackupResult>& r) {
          if (!r) {
            trace("backup_done", {{"ok", false}, {"code", r.problem().code}});
            return dlg.say_coded(r.problem());
          }
          // Directory and file names on lines of their own: a path has no space to wrap at.
          const std::filesystem::path file(r->file), key(r->key_file);
          dlg.say(wxString::Format(_("Backed up and checked, %lld sales, into\n%s\n%s and its key file %s: keep both "
                                     "together."),
                                   static_cast<long long>(r->sales), U(file.parent_path().string()),
                                   U(file.filename().string()), U(key.filename().string())),
                  false);
          trace("backup_done", {{"ok", true}, {"file", r->file}, {"key_file", r->key_file}});
        });
  };

  auto audit_export = [&] {
    const std::string to = text_of(dir);
    if (to.empty()) return dlg.say(_("Choose a directory first (F4)."), true);
    frame.worker().ask<app::Result<Exported>>(
        live,
        [manager, to](app::Terminal& t) -> app::Result<Exported> {
          const auto bundle = t.audit_export(manager, std::nullopt, std::nullopt);
          if (!bundle) return bundle.problem();
          Exported e;
          e.file = (std::filesystem::path(to) / ("huinong-audit-" + t.outlet().code + "-" + stamp() + ".json")).string();
          // It holds buyers' ID numbers: owner-only, like the database (as the CLI writes it).
          if (!app::write_private_file(e.file, bundle.value()))
            return app::bad_input("OUT_UNWRITABLE", "无法写入 " + e.file, "cannot write " + e.file);
          e.bytes = bundle->size();
          e.fingerprint = app::key_fingerprint(t.signing_key().public_hex());
          return e;
        },
        [&dlg](app::Result<Exported>& r) {
          if (!r) {
            trace("audit_exported", {{"ok", false}, {"code", r.problem().code}});
            return dlg.say_coded(r.problem());
          }
          const std::filesystem::path file(r->file);
          dlg.say(wxString::Format(_("Audit file written (%llu bytes) into\n%s\n%s\nSigned by the terminal key %s. It "
                                     "holds buyers' personal data: keep it safe."),
                                   static_cast<unsigned long long>(r->bytes), U(file.parent_path().string()),
                                   U(file.filename().string()), U(r->fingerprint)),
                  false);
          trace("audit_exported", {{"ok", true}, {"file", r->file}, {"bytes", r->bytes}});
        });
  };

  auto restore = [&] {
    // A backup file typed in the field is taken as it is; else the file chooser.
    std::string from = text_of(dir);
    std::error_code ec;
    if (from.empty() || !std::filesystem::is_regular_file(from, ec)) {
      wxFileDialog pick_file(&dlg, _("The backup to restore"), U(from), wxEmptyString,
                             _("Backups (*.db)|*.db"), wxFD_OPEN | wxFD_FILE_MUST_EXIST);
      if (pick_file.ShowModal() != wxID_OK) return;
      from = pick_file.GetPath().utf8_string();
    }
    const bool go = ask_before_loss(
        &dlg, {"restore", _("Restore a backup"),
               wxString::Format(_("Restore the backup %s?\nIt is checked in full first. The database in use "
                                  "is set aside (kept, never deleted) and replaced; sales made after the "
                                  "backup are not in it. The counter closes afterwards and must be started "
                                  "again."),
                                U(from)),
               _("Do not restore (Enter)"), _("Restore (Y)"), {{"file", from}}});
    if (!go) {
      trace("restore_declined");
      return dlg.say(_("Nothing was restored."), false);
    }
    const std::string db = frame.options().db_path;
    frame.worker().ask<app::Result<app::RestoreResult>>(
        live,
        [from, db](app::Terminal&) {
          const app::SystemClock clock;
          return app::Terminal::restore(from, db, /*force=*/true, clock);
        },
        [&dlg, &frame](app::Result<app::RestoreResult>& r) {
          if (!r) {
            trace("restore_done", {{"ok", false}, {"code", r.problem().code}});
            return dlg.say_coded(r.problem());
          }
          trace("restore_done", {{"ok", true}, {"set_aside", r->set_aside}, {"sales", r->sales}});
          wxMessageBox(
              wxString::Format(_("Checked and restored %s: %lld sales, last invoice %lld, backup as of %s. The "
                                 "database that was in use is kept as %s.\nInvoices issued after the backup are not "
                                 "in it: check them against the paper copies.\nThe counter closes now: start it "
                                 "again."),
                               U(r->from), static_cast<long long>(r->sales), static_cast<long long>(r->last_invoice_no),
                               U(r->last_entry_at), U(r->set_aside)),
              _("Restore a backup"), wxOK | wxICON_INFORMATION, &dlg);
          // The open connection still points at the database set aside: nothing more may be
          // written through it.
          dlg.EndModal(wxID_CANCEL);
          frame.Close(true);
        });
  };

  dlg.Bind(wxEVT_CHAR_HOOK, [&](wxKeyEvent& e) {
    if (e.GetKeyCode() == WXK_F4) {
      wxDirDialog pick_dir(&dlg, _("Where the backup or the audit file goes"), dir->GetValue(),
                           wxDD_DEFAULT_STYLE | wxDD_DIR_MUST_EXIST);
      if (pick_dir.ShowModal() == wxID_OK) dir->ChangeValue(pick_dir.GetPath());
    } else if (e.GetKeyCode() == WXK_F5) {
      audit_export();
    } else if (e.GetKeyCode() == WXK_F6) {
      restore();
    } else {
      e.Skip();
    }
  });
  dlg.ShowModal();
}

}  // namespace hn::ui
