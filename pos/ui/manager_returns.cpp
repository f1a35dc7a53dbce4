// F9 → 3: returns and exchanges (POLICY "Returns").
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

namespace {
// The returns screen: find the sale by invoice number, card number or the receipt's QR code,
// open the return (the manager approves by being here), and see every open return with where
// it stands at the province and what the clerk must do next (POLICY "Returns").
struct ReturnRow {
  app::ReturnRequest request;
  std::string invoice;
  std::string next;
  Fen price = 0;  // what the buyer paid for the product, refunded when the return completes
};

std::vector<ReturnRow> open_returns(app::Terminal& t) {
  std::vector<ReturnRow> rows;
  for (const auto& r : t.returns_in("open"))
    rows.push_back({r.request, format_invoice_no(r.sale.invoice_no), pick(r.decision.next_zh, r.decision.next_en).utf8_string(),
                    r.item.price});
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

// What a return would refund, for the question before it goes through: the line of `card` on
// the invoice, if both are there (else the return itself says what is wrong).
struct ReturnProbe {
  std::int64_t invoice_no = 0;
  std::optional<Fen> price;
};
ReturnProbe probe_return(app::Terminal& t, std::int64_t invoice, const std::string& card) {
  ReturnProbe p;
  const auto no = invoice_for(t, invoice, card);
  if (!no) return p;
  p.invoice_no = no.value();
  if (const auto sale = t.sale_by_invoice(no.value()))
    for (const auto& item : sale->items)
      if (item.card_no == card && !item.returned) p.price = item.price;
  return p;
}
}  // namespace

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
  std::function<void(std::int64_t, const std::string&, const std::string&)> do_return;
  auto submit = [&] {
    const auto lookup = parse_return_lookup(text_of(find));
    if (!lookup) return say(_("Type the invoice number, type or scan the label card, or scan the receipt's QR code."), true);
    std::string c = text_of(card);
    if (c.empty()) c = lookup->card_no;
    if (c.empty()) return say(_("Scan the label card of the product the buyer brings back."), true);
    const std::string why = text_of(reason);
    if (why.empty()) return say(_("Give the reason for the return."), true);
    const std::int64_t invoice = lookup->invoice_no;
    frame.worker().ask<ReturnProbe>(
        liveness, [invoice, c](app::Terminal& t) { return probe_return(t, invoice, c); },
        [&, c, why, invoice](ReturnProbe& probe) {
          // A refund is money out of the till: asked first, naming the amount (issue 16).
          if (probe.price) {
            Question q{"open_return",
                       _("Open the return"),
                       wxString::Format(_("Take back card %s from invoice %s and refund %s yuan to the buyer?"), U(c),
                                        U(format_invoice_no(probe.invoice_no)), U(format_yuan(*probe.price))),
                       _("Do not return (Enter)"),
                       _("Return and refund (Y)"),
                       {{"amount", format_yuan(*probe.price)}, {"card", c}}};
            if (!ask_before_loss(&dlg, q)) {
              say(_("Nothing was returned."), false);
              find->SetFocus();
              return;
            }
          }
          do_return(invoice, c, why);
        });
  };
  do_return = [&](std::int64_t invoice, const std::string& c, const std::string& why) {
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
    const ReturnRow& row = rows[static_cast<std::size_t>(sel)];
    const std::int64_t id = row.request.id;
    Question q{"withdraw_return",
               _("Withdraw the return"),
               wxString::Format(_("Withdraw the return of card %s (invoice %s)? The buyer keeps the goods and the "
                                  "refund of %s yuan is not made."),
                                U(row.request.card_no), U(row.invoice), U(format_yuan(row.price))),
               _("Keep the return (Enter)"),
               _("Withdraw it (Y)"),
               {{"amount", format_yuan(row.price)}, {"card", row.request.card_no}}};
    if (!ask_before_loss(&dlg, q)) return;
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

}  // namespace hn::ui
