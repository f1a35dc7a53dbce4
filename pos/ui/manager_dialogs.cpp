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
#include "ui/main_frame.hpp"
#include "ui/trace.hpp"

namespace hn::ui {

namespace {
const wxColour kRed(0xc6, 0x28, 0x28), kGreen(0x1b, 0x7f, 0x3b);

std::string text_of(wxTextCtrl* t) { return trim(t->GetValue().utf8_string()); }

// A dialog laid out as label / field rows, a message line and OK/Cancel; Enter is OK.
class FormDialog : public wxDialog {
 public:
  FormDialog(wxWindow* parent, const wxString& title) : wxDialog(parent, wxID_ANY, title) {
    grid_ = new wxFlexGridSizer(2, 8, 8);
    grid_->AddGrowableCol(1);
    message_ = new wxStaticText(this, wxID_ANY, wxEmptyString, wxDefaultPosition, wxSize(460, -1));
  }
  wxTextCtrl* text(const wxString& label, const wxString& value = wxEmptyString, long style = 0) {
    grid_->Add(new wxStaticText(this, wxID_ANY, label), 0, wxALIGN_CENTER_VERTICAL);
    auto* t = new wxTextCtrl(this, wxID_ANY, value, wxDefaultPosition, wxSize(300, -1), style | wxTE_PROCESS_ENTER);
    t->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { submit(); });
    grid_->Add(t, 1, wxEXPAND);
    return t;
  }
  wxChoice* choice(const wxString& label, const wxArrayString& items) {
    grid_->Add(new wxStaticText(this, wxID_ANY, label), 0, wxALIGN_CENTER_VERTICAL);
    auto* c = new wxChoice(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, items);
    c->SetSelection(0);
    grid_->Add(c, 1, wxEXPAND);
    return c;
  }
  void finish(const wxString& ok_label) {
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(grid_, 0, wxEXPAND | wxALL, 12);
    s->Add(message_, 0, wxEXPAND | wxLEFT | wxRIGHT, 12);
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    auto* ok = new wxButton(this, wxID_OK, ok_label);
    ok->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { submit(); });
    buttons->Add(ok, 0, wxRIGHT, 8);
    buttons->Add(new wxButton(this, wxID_CANCEL, _("Close (Esc)")));
    s->Add(buttons, 0, wxALIGN_RIGHT | wxALL, 12);
    SetSizerAndFit(s);
    SetEscapeId(wxID_CANCEL);
    CentreOnParent();
  }
  void say(const wxString& text, bool error) {
    message_->SetLabel(text);
    message_->SetForegroundColour(error ? kRed : kGreen);
    message_->Wrap(460);
    trace("dialog_message", {{"dialog", GetTitle().utf8_string()}, {"text", text.utf8_string()}, {"error", error}});
    Fit();
  }
  void say(const app::Problem& p) { say(pick(p.message_zh, p.message_en), true); }
  std::function<void()> on_submit;
  Liveness liveness;

 private:
  void submit() {
    if (on_submit) on_submit();
  }
  wxFlexGridSizer* grid_;
  wxStaticText* message_;
};

// Asks for a manager's login and PIN; the approved manager, or nothing.
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
        dlg.liveness, [l, p](app::Terminal& t) { return t.authorize(l, p, {store::Role::Manager}); },
        [&dlg, &approved](app::Result<app::UserRecord>& r) {
          if (!r) return dlg.say(r.problem());
          approved = r.value();
          dlg.EndModal(wxID_OK);
        });
  };
  dlg.ShowModal();
  return approved;
}

void goods_receipt(MainFrame& frame, const app::UserRecord& manager) {
  FormDialog dlg(&frame, _("Goods receipt"));
  auto* path = dlg.text(_("Card batch file (CSV)"), U(app::assets_dir() + "/demo/cards.csv"));
  dlg.finish(_("Receive (Enter)"));
  dlg.on_submit = [&] {
    const std::string file = text_of(path);
    frame.worker().ask<app::Result<app::ImportSummary>>(
        dlg.liveness,
        [file, manager](app::Terminal& t) -> app::Result<app::ImportSummary> {
          const auto text = app::read_input_file(file, files::Kind::CardsCsv);
          if (!text) return text.problem();
          return t.receive_cards(manager, text.value(), file);
        },
        [&dlg](app::Result<app::ImportSummary>& r) {
          if (!r) return dlg.say(r.problem());
          dlg.say(wxString::Format(_("%d label cards received."), r->count), false);
        });
  };
  dlg.ShowModal();
}

// The returns screen: find the sale by invoice number, card number or the receipt's QR code,
// open the return (the manager approves by being here), and see every open return with where
// it stands at the province and what the clerk must do next (POLICY "Returns").
struct ReturnRow {
  store::ReturnRequest request;
  std::string invoice;
  std::string next;
};

std::vector<ReturnRow> open_returns(app::Terminal& t) {
  std::vector<ReturnRow> rows;
  for (const auto& q : t.store().return_requests("open")) {
    auto r = t.return_status(q.id);
    if (!r) continue;
    rows.push_back({q, format_invoice_no(r->sale.invoice_no), pick(r->decision.next_zh, r->decision.next_en).utf8_string()});
  }
  return rows;
}

// The paper a return step produced: to the invoice printer in the background, or without one
// as files beside the invoices (counter_printer.hpp). From a worker job.
std::vector<std::string> file_return_paper(app::Terminal& t, const app::ReturnResult& r, const std::string& dir) {
  return counter_printer().return_papers(t, r, dir);
}

// The invoice the search named, or else the one the card was sold on.
app::Result<std::int64_t> invoice_for(app::Terminal& t, std::int64_t invoice, const std::string& card) {
  if (invoice != 0) return invoice;
  const auto found = t.invoice_of_card(card);
  if (!found)
    return app::bad_input("CARD_NOT_SOLD", "标识卡 " + card + " 不在本机的任何发票上",
                          "card " + card + " is on no invoice of this terminal");
  return *found;
}

void returns_screen(MainFrame& frame, const app::UserRecord& manager) {
  wxDialog dlg(&frame, wxID_ANY, _("Returns"), wxDefaultPosition, wxSize(940, 600));
  Liveness liveness;
  auto* grid = new wxFlexGridSizer(2, 8, 8);
  grid->AddGrowableCol(1);
  auto field = [&](const wxString& label) {
    grid->Add(new wxStaticText(&dlg, wxID_ANY, label), 0, wxALIGN_CENTER_VERTICAL);
    auto* t = new wxTextCtrl(&dlg, wxID_ANY, wxEmptyString, wxDefaultPosition, wxSize(420, -1), wxTE_PROCESS_ENTER);
    grid->Add(t, 1, wxEXPAND);
    return t;
  };
  auto* find = field(_("Invoice no., card no. or scan the receipt's QR code"));
  auto* card = field(_("Label card of the product returned"));
  auto* reason = field(_("Reason"));
  // 换货: the unit of the same model the buyer takes home instead.
  auto* new_card = field(_("Exchange: label card of the new unit"));
  auto* new_serial = field(_("Exchange: serial of the new unit"));
  auto* message = new wxStaticText(&dlg, wxID_ANY, wxEmptyString, wxDefaultPosition, wxSize(900, -1));
  auto* list = new wxListCtrl(&dlg, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
  list->AppendColumn(_("Return"), wxLIST_FORMAT_LEFT, 100);
  list->AppendColumn(_("Invoice"), wxLIST_FORMAT_LEFT, 90);
  list->AppendColumn(_("Card"), wxLIST_FORMAT_LEFT, 190);
  list->AppendColumn(_("Subsidy"), wxLIST_FORMAT_LEFT, 150);
  list->AppendColumn(_("What to do next"), wxLIST_FORMAT_LEFT, 600);
  auto* s = new wxBoxSizer(wxVERTICAL);
  s->Add(grid, 0, wxEXPAND | wxALL, 12);
  auto* actions = new wxBoxSizer(wxHORIZONTAL);
  auto* open = new wxButton(&dlg, wxID_ANY, _("&Open the return (Enter)"));
  auto* exchange = new wxButton(&dlg, wxID_ANY, _("E&xchange for the same model"));
  actions->Add(open, 0, wxRIGHT, 8);
  actions->Add(exchange);
  s->Add(actions, 0, wxLEFT | wxRIGHT, 12);
  s->Add(message, 0, wxEXPAND | wxALL, 12);
  s->Add(new wxStaticText(&dlg, wxID_ANY, _("Returns under way")), 0, wxLEFT | wxRIGHT, 12);
  s->Add(list, 1, wxEXPAND | wxALL, 12);
  auto* buttons = new wxBoxSizer(wxHORIZONTAL);
  auto* refresh = new wxButton(&dlg, wxID_ANY, _("&Ask the province again"));
  auto* withdraw = new wxButton(&dlg, wxID_ANY, _("&Withdraw the return"));
  buttons->Add(refresh, 0, wxRIGHT, 8);
  buttons->Add(withdraw, 0, wxRIGHT, 8);
  buttons->Add(new wxButton(&dlg, wxID_CANCEL, _("Close (Esc)")));
  s->Add(buttons, 0, wxALIGN_RIGHT | wxALL, 8);
  dlg.SetSizer(s);
  auto say = [&](const wxString& text, bool error) {
    message->SetLabel(text);
    message->SetForegroundColour(error ? kRed : kGreen);
    message->Wrap(900);
    trace("dialog_message", {{"dialog", "returns"}, {"text", text.utf8_string()}, {"error", error}});
    dlg.Layout();
  };
  std::vector<ReturnRow> rows;
  auto show = [&](std::vector<ReturnRow>& all) {
    rows = all;
    list->DeleteAllItems();
    for (const auto& r : rows) {
      char no[16];
      std::snprintf(no, sizeof no, "R%08lld", static_cast<long long>(r.request.id));
      const long i = list->InsertItem(list->GetItemCount(), no);
      list->SetItem(i, 1, U(r.invoice));
      list->SetItem(i, 2, U(r.request.card_no));
      list->SetItem(i, 3, U(subsidy_state_words(r.request.province_state)));
      list->SetItem(i, 4, U(r.next));
    }
    trace("returns_shown", {{"open", rows.size()}});
  };
  auto reload = [&] { frame.worker().ask<std::vector<ReturnRow>>(liveness, open_returns, show); };
  const std::string dir = frame.options().invoice_dir;
  auto submit = [&] {
    const auto lookup = parse_return_lookup(text_of(find));
    if (!lookup) return say(_("Type the invoice number, type or scan the label card, or scan the receipt's QR code."), true);
    std::string c = text_of(card);
    if (c.empty()) c = lookup->card_no;
    if (c.empty()) return say(_("Scan the label card of the product the buyer brings back."), true);
    const std::string why = text_of(reason);
    if (why.empty()) return say(_("Give the reason for the return."), true);
    const std::int64_t invoice = lookup->invoice_no;
    frame.worker().ask<app::Result<app::ReturnResult>>(
        liveness,
        [manager, invoice, c, why, dir](app::Terminal& t) -> app::Result<app::ReturnResult> {
          const auto no = invoice_for(t, invoice, c);
          if (!no) return no.problem();
          auto r = t.return_item(manager, manager, no.value(), c, why);
          if (r) file_return_paper(t, r.value(), dir);
          return r;
        },
        [&, say](app::Result<app::ReturnResult>& r) {
          if (!r) return say(pick(r.problem().message_zh, r.problem().message_en), true);
          wxString text = pick(r->decision.next_zh, r->decision.next_en);
          if (r->completed)
            text = wxString::Format(_("Return completed: refund %s."), U(format_yuan(r->item.price))) + " " + text;
          if (r->refund_form)
            text += " " + wxString::Format(_("Refund form %s printed."), U(r->refund_form->number));
          trace("return_step", {{"completed", r->completed},
                                {"province_state", r->request.province_state},
                                {"waits_for", r->request.waits_for}});
          say(text, false);
          find->Clear();
          card->Clear();
          reason->Clear();
          find->SetFocus();
          frame.refresh_status();
          reload();
        });
  };
  auto do_exchange = [&] {
    const auto lookup = parse_return_lookup(text_of(find));
    if (!lookup) return say(_("Type the invoice number, type or scan the label card, or scan the receipt's QR code."), true);
    std::string c = text_of(card);
    if (c.empty()) c = lookup->card_no;
    if (c.empty()) return say(_("Scan the label card of the product the buyer brings back."), true);
    const std::string nc = text_of(new_card), ns = text_of(new_serial), why = text_of(reason);
    if (nc.empty() || ns.empty()) return say(_("Scan the label card and the serial of the new unit."), true);
    if (why.empty()) return say(_("Give the reason for the exchange."), true);
    const std::int64_t invoice = lookup->invoice_no;
    frame.worker().ask<app::Result<app::ExchangeResult>>(
        liveness,
        [manager, invoice, c, nc, ns, why](app::Terminal& t) -> app::Result<app::ExchangeResult> {
          const auto no = invoice_for(t, invoice, c);
          if (!no) return no.problem();
          return t.exchange_item(manager, manager, no.value(), c, nc, ns, why);
        },
        [&, say](app::Result<app::ExchangeResult>& r) {
          if (!r) return say(pick(r.problem().message_zh, r.problem().message_en), true);
          say(wxString::Format(_("Exchanged: card %s replaces %s. The old card is taken back; give the buyer the "
                                 "reprinted invoice %s."),
                               U(r->exchange.new_card), U(r->exchange.old_card), U(r->invoice.invoice_no)),
              false);
          trace("exchange_done", {{"invoice_no", r->invoice.invoice_no},
                                  {"old_card", r->exchange.old_card},
                                  {"new_card", r->exchange.new_card}});
          // The reprinted invoice goes to the printer (its file) after the screen has said so.
          print_counter_invoice(liveness, r->invoice, dir);
          for (auto* t : {find, card, reason, new_card, new_serial}) t->Clear();
          find->SetFocus();
          frame.refresh_status();
        });
  };
  for (auto* t : {find, card, reason}) t->Bind(wxEVT_TEXT_ENTER, [&](wxCommandEvent&) { submit(); });
  for (auto* t : {new_card, new_serial}) t->Bind(wxEVT_TEXT_ENTER, [&](wxCommandEvent&) { do_exchange(); });
  exchange->Bind(wxEVT_BUTTON, [&](wxCommandEvent&) { do_exchange(); });
  open->Bind(wxEVT_BUTTON, [&](wxCommandEvent&) { submit(); });
  refresh->Bind(wxEVT_BUTTON, [&](wxCommandEvent&) {
    frame.worker().ask<std::vector<ReturnRow>>(
        liveness,
        [dir](app::Terminal& t) {
          for (const auto& r : t.advance_open_returns()) file_return_paper(t, r, dir);
          return open_returns(t);
        },
        show);
  });
  withdraw->Bind(wxEVT_BUTTON, [&](wxCommandEvent&) {
    const long sel = list->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    if (sel < 0 || static_cast<std::size_t>(sel) >= rows.size()) return;
    const std::string why = text_of(reason);
    if (why.empty()) return say(_("Give the reason for withdrawing the return in the Reason field."), true);
    const std::int64_t id = rows[static_cast<std::size_t>(sel)].request.id;
    frame.worker().ask<app::Result<app::ReturnResult>>(
        liveness, [manager, id, why](app::Terminal& t) { return t.cancel_return(manager, id, why); },
        [&, say](app::Result<app::ReturnResult>& r) {
          if (!r) return say(pick(r.problem().message_zh, r.problem().message_en), true);
          say(_("The return was withdrawn; the buyer keeps the goods."), false);
          reload();
        });
  });
  reload();
  dlg.SetEscapeId(wxID_CANCEL);
  dlg.CentreOnParent();
  find->SetFocus();
  dlg.ShowModal();
}

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
            list->SetItem(r, 2, U(std::string(store::role_code(u.role))));
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
    store::Task task;
    std::string invoice;
  };
  std::vector<Row> rows;
  auto reload = [&] {
    frame.worker().ask<std::vector<Row>>(
        liveness,
        [](app::Terminal& t) {
          std::vector<Row> out;
          for (auto& task : t.store().tasks("open")) {
            std::string invoice;
            if (task.sale_id)
              if (const auto sale = t.store().find_sale(task.sale_id)) invoice = format_invoice_no(sale->invoice_no);
            out.push_back({std::move(task), invoice});
          }
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
  auto* printer = dlg.text(_("Invoice printer"), U("pdf/png: " + frame.options().invoice_dir));
  printer->SetEditable(false);
  dlg.finish(_("Save (Enter)"));
  SettingsData loaded;
  frame.worker().ask<SettingsData>(
      live,
      [](app::Terminal& t) {
        SettingsData d;
        d.phases = t.store().policy_phase_ids();
        d.phase = t.store().setting("policy.phase").value_or("2008-12");
        d.language = t.store().setting("ui.language").value_or("zh_CN");
        d.idle_minutes = std::stoi(t.store().setting("ui.idle_lock_minutes").value_or("5"));
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
  if (current.role == store::Role::Manager) manager = current;
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
    if (k >= '1' && k <= '7') actions[static_cast<std::size_t>(k - '1')]();
    else e.Skip();
  });
  dlg.CentreOnParent();
  trace("manager_menu", {{"manager", manager->login}});
  dlg.ShowModal();
}

}  // namespace hn::ui
