// F9 → 6: what the province rejected, settled by the manager.
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
#include "ui/ask.hpp"

namespace hn::ui {

using namespace palette;

// What the province rejected: the manager settles each sale as unsubsidised or cancelled,
// with a reason, and the invoice as it now stands is printed for the buyer.
void tasks(MainFrame& frame, const app::UserRecord& manager) {
  wxDialog dlg(&frame, wxID_ANY, _("Rejected by the province"), wxDefaultPosition, wxSize(860, 420));
  Liveness liveness;
  auto* list = new wxListCtrl(&dlg, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
  list->AppendColumn(_("Task"), wxLIST_FORMAT_LEFT, 60);
  list->AppendColumn(_("Invoice"), wxLIST_FORMAT_LEFT, 100);
  list->AppendColumn(_("Code"), wxLIST_FORMAT_LEFT, 150);
  list->AppendColumn(_("What the province said"), wxLIST_FORMAT_LEFT, 520);
  auto* hint = new wxStaticText(&dlg, wxID_ANY,
                                _("U: the sale stands without subsidy (tell the buyer). C: cancel the sale, take the "
                                  "goods back and refund. The reason goes into the journal."));
  hint->Wrap(820);
  auto* s = new wxBoxSizer(wxVERTICAL);
  s->Add(list, 1, wxEXPAND | wxALL, 8);
  s->Add(hint, 0, wxLEFT | wxRIGHT, 8);
  auto* buttons = new wxBoxSizer(wxHORIZONTAL);
  auto* unsubsidised = new wxButton(&dlg, wxID_ANY, _("&Unsubsidised sale"));
  auto* cancel = new wxButton(&dlg, wxID_ANY, _("&Cancel the sale"));
  auto* acknowledge = new wxButton(&dlg, wxID_ANY, _("&Acknowledge"));
  buttons->Add(unsubsidised, 0, wxRIGHT, 8);
  buttons->Add(cancel, 0, wxRIGHT, 8);
  buttons->Add(acknowledge, 0, wxRIGHT, 8);
  buttons->Add(new wxButton(&dlg, wxID_CANCEL, _("Close (Esc)")));
  s->Add(buttons, 0, wxALIGN_RIGHT | wxALL, 8);
  dlg.SetSizer(s);
  struct Row {
    app::Task task;
    std::string invoice;
    Fen total = 0;  // the sale's total, refunded when it is cancelled
  };
  std::vector<Row> rows;
  auto reload = [&] {
    frame.worker().ask<std::vector<Row>>(
        liveness,
        [](app::Terminal& t) {
          std::vector<Row> out;
          for (auto& e : t.task_list("open")) out.push_back({std::move(e.task), e.invoice_no, e.total});
          return out;
        },
        [&](std::vector<Row>& all) {
          rows = all;
          list->DeleteAllItems();
          for (const auto& r : rows) {
            const long i = list->InsertItem(list->GetItemCount(), wxString::Format("#%lld", (long long)r.task.id));
            list->SetItem(i, 1, U(r.invoice));
            list->SetItem(i, 2, U(r.task.code));
            list->SetItem(i, 3, pick(r.task.message_zh, r.task.message_en));
          }
          if (!rows.empty())
            list->SetItemState(0, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
          trace("tasks_shown", {{"open", rows.size()}});
        });
  };
  auto settle = [&](const std::string& action) {
    const long sel = list->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    if (sel < 0 || static_cast<std::size_t>(sel) >= rows.size()) return;
    const Row row = rows[static_cast<std::size_t>(sel)];
    FormDialog form(&dlg, wxString::Format(_("Task #%lld, invoice %s"), (long long)row.task.id, U(row.invoice)));
    auto* reason = form.text(_("Reason"));
    form.finish(action == "cancel" ? _("Cancel the sale (Enter)")
                : action == "unsubsidised" ? _("Make it unsubsidised (Enter)")
                                           : _("Acknowledge (Enter)"));
    form.on_submit = [&] {
      const std::string why = text_of(reason);
      // Cancelling takes the goods back and refunds the whole sale: asked first (issue 16).
      if (action == "cancel" && !why.empty()) {
        Question q{"cancel_sale",
                   _("Cancel the sale"),
                   wxString::Format(_("Cancel the sale on invoice %s: take the goods back and refund %s yuan to the "
                                      "buyer?"),
                                    U(row.invoice), U(format_yuan(row.total))),
                   _("Do not cancel (Enter)"),
                   _("Cancel the sale (Y)"),
                   {{"amount", format_yuan(row.total)}, {"invoice", row.invoice}}};
        if (!ask_before_loss(&form, q)) return;
      }
      const std::int64_t id = row.task.id;
      const std::string dir = frame.options().invoice_dir;
      frame.worker().ask<app::Result<app::TaskResolution>>(
          form.liveness, [=](app::Terminal& t) { return t.resolve_task(manager, id, action, why); },
          [&form, dir](app::Result<app::TaskResolution>& r) {
            if (!r) return form.say(r.problem());
            trace("task_resolved", {{"task", r->task.id}, {"resolution", r->task.resolution}});
            if (r->invoice) print_counter_invoice(form.liveness, *r->invoice, dir);
            form.EndModal(wxID_OK);
          });
    };
    if (form.ShowModal() != wxID_OK) return;
    frame.refresh_status();
    reload();
  };
  unsubsidised->Bind(wxEVT_BUTTON, [&](wxCommandEvent&) { settle("unsubsidised"); });
  cancel->Bind(wxEVT_BUTTON, [&](wxCommandEvent&) { settle("cancel"); });
  acknowledge->Bind(wxEVT_BUTTON, [&](wxCommandEvent&) { settle("acknowledge"); });
  reload();
  dlg.SetEscapeId(wxID_CANCEL);
  dlg.CentreOnParent();
  list->SetFocus();
  dlg.ShowModal();
}

}  // namespace hn::ui
