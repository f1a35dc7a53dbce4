// F9 → 1: goods receipt. As the boxes arrive: the model once, then each box's label card and
// its serial, the card checked as soon as it is scanned and the pair received at once
// (app Terminal::receive_card: the checks of a file's row, journaled like a file), listed here;
// or a supplier's card batch file chosen with F3 (the CSV import).
#include "ui/manager_dialogs.hpp"

#include <algorithm>
#include <cctype>

#include <wx/button.h>
#include <wx/dialog.h>
#include <wx/filedlg.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include "platform/files.hpp"
#include "app/paths.hpp"
#include "core/text.hpp"
#include "ui/form_dialog.hpp"
#include "ui/i18n.hpp"
#include "ui/main_frame.hpp"
#include "ui/palette.hpp"
#include "ui/trace.hpp"

namespace hn::ui {

using namespace palette;

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The catalog models whose code is `typed` (any case), else contain it: a manager types part of
// the code or scans the box's model barcode. Only a help to find the code: the use case checks
// the model again.
std::vector<const CatalogModel*> models_matching(const Catalog& catalog, const std::string& typed) {
  std::vector<const CatalogModel*> found;
  const std::string want = lower(typed);
  if (want.empty()) return found;
  for (const auto& [code, model] : catalog.models()) {
    if (lower(code) == want) return {&model};
    if (lower(code).find(want) != std::string::npos) found.push_back(&model);
  }
  return found;
}

}  // namespace

void goods_receipt(MainFrame& frame, const app::UserRecord& manager) {
  wxDialog dlg(&frame, wxID_ANY, _("Goods receipt"), wxDefaultPosition, wxSize(900, 620));
  Liveness liveness;
  auto* grid = new wxFlexGridSizer(2, 8, 8);
  grid->AddGrowableCol(1);
  auto field = [&](const wxString& label) {
    auto* l = new wxStaticText(&dlg, wxID_ANY, label);
    l->SetFont(l->GetFont().Scaled(1.2f));
    grid->Add(l, 0, wxALIGN_CENTER_VERTICAL);
    auto* t = new wxTextCtrl(&dlg, wxID_ANY, wxEmptyString, wxDefaultPosition, wxSize(420, -1), wxTE_PROCESS_ENTER);
    t->SetFont(t->GetFont().Scaled(1.3f));
    grid->Add(t, 1, wxEXPAND);
    return t;
  };
  auto* model = field(_("Model (type part of the code)"));
  grid->AddSpacer(1);
  auto* model_name = new wxStaticText(&dlg, wxID_ANY, wxEmptyString);
  grid->Add(model_name, 0, wxEXPAND);
  auto* card = field(_("Label card"));
  auto* serial = field(_("Product serial"));
  auto* prompt = new wxStaticText(&dlg, wxID_ANY, wxEmptyString);
  prompt->SetFont(prompt->GetFont().Scaled(1.3f).Bold());
  prompt->SetForegroundColour(kBlue);
  auto* message = new wxStaticText(&dlg, wxID_ANY, wxEmptyString);
  message->SetFont(message->GetFont().Scaled(1.1f));
  auto* list = new wxListCtrl(&dlg, wxID_ANY, wxDefaultPosition, wxSize(-1, 220), wxLC_REPORT | wxLC_SINGLE_SEL);
  list->AppendColumn(_("No."), wxLIST_FORMAT_RIGHT, 50);
  list->AppendColumn(_("Label card"), wxLIST_FORMAT_LEFT, 240);
  list->AppendColumn(_("Product serial"), wxLIST_FORMAT_LEFT, 260);
  list->AppendColumn(_("Model"), wxLIST_FORMAT_LEFT, 260);
  list->SetCanFocus(false);  // the scans go to the fields; the list only shows what came in
  auto* count = new wxStaticText(&dlg, wxID_ANY, wxEmptyString);
  auto* s = new wxBoxSizer(wxVERTICAL);
  s->Add(grid, 0, wxEXPAND | wxALL, 12);
  s->Add(prompt, 0, wxEXPAND | wxLEFT | wxRIGHT, 12);
  s->Add(message, 0, wxEXPAND | wxALL, 12);
  s->Add(new wxStaticText(&dlg, wxID_ANY, _("Received on this screen")), 0, wxLEFT | wxRIGHT, 12);
  s->Add(list, 1, wxEXPAND | wxLEFT | wxRIGHT, 12);
  s->Add(count, 0, wxLEFT | wxRIGHT | wxTOP, 12);
  auto* buttons = new wxBoxSizer(wxHORIZONTAL);
  auto* import = new wxButton(&dlg, wxID_ANY, _("Import a card batch file (F3)"));
  import->SetCanFocus(false);
  buttons->Add(import, 0, wxRIGHT, 8);
  buttons->Add(new wxButton(&dlg, wxID_CANCEL, _("Close (Esc)")));
  s->Add(buttons, 0, wxALIGN_RIGHT | wxALL, 12);
  dlg.SetSizer(s);

  Catalog catalog;
  std::int64_t batch = 0;  // the goods receipt this screen's scans go into, once the first is in
  int received = 0;
  bool busy = false;
  auto say = [&](const wxString& text, bool error) {
    message->SetLabel(text);
    message->SetForegroundColour(error ? kRed : kGreen);
    message->Wrap(860);
    dlg.Layout();
    trace("dialog_message", {{"dialog", dlg.GetTitle().utf8_string()}, {"text", text.utf8_string()}, {"error", error}});
  };
  auto ask_for = [&](wxTextCtrl* next, const wxString& what) {
    prompt->SetLabel(what);
    next->SetFocus();
    next->SelectAll();
    dlg.Layout();
  };
  auto ask_card = [&] { ask_for(card, _("Scan the label card of the next box")); };

  model->Bind(wxEVT_TEXT_ENTER, [&](wxCommandEvent&) {
    const auto found = models_matching(catalog, text_of(model));
    if (found.size() != 1) {
      model_name->SetLabel(wxEmptyString);
      wxString names;
      for (std::size_t i = 0; i < found.size() && i < 5; ++i) names += (i ? ", " : "") + U(found[i]->model_code);
      say(found.empty() ? wxString::Format(_("No model of the catalog matches %s: type more of its code, or import "
                                             "the catalog first."),
                                           U(text_of(model)))
                        : wxString::Format(_("%d models match: %s. Type more of the code."),
                                           static_cast<int>(found.size()), names),
          true);
      return ask_for(model, _("Type or scan the model of the boxes"));
    }
    const CatalogModel& m = *found.front();
    model->ChangeValue(U(m.model_code));
    model_name->SetLabel(U(m.brand + " " + m.name + "  " + m.spec));
    trace("goods_model", {{"model", m.model_code}});
    ask_card();
  });

  card->Bind(wxEVT_TEXT_ENTER, [&](wxCommandEvent&) {
    if (busy) return;
    if (text_of(model).empty()) {
      say(_("Type or scan the model of the boxes first."), true);
      return ask_for(model, _("Type or scan the model of the boxes"));
    }
    const CardReceiptRow row{0, text_of(card), "", text_of(model)};
    if (row.card_no.empty()) return;
    busy = true;
    frame.worker().ask<app::Result<app::Done>>(
        liveness, [manager, row](app::Terminal& t) { return t.check_card_receipt(manager, row); },
        [&, row](app::Result<app::Done>& r) {
          busy = false;
          trace("goods_card_checked", {{"card", row.card_no}, {"ok", r.ok()}, {"code", r ? "" : r.problem().code}});
          if (!r) {
            say(pick(r.problem().message_zh, r.problem().message_en), true);
            if (r.problem().field == "model_code") return ask_for(model, _("Type or scan the model of the boxes"));
            return ask_card();
          }
          say(wxEmptyString, false);
          ask_for(serial, wxString::Format(_("Now scan the serial of card %s"), U(row.card_no)));
        });
  });

  serial->Bind(wxEVT_TEXT_ENTER, [&](wxCommandEvent&) {
    if (busy) return;
    if (text_of(card).empty()) return ask_card();
    const CardReceiptRow row{0, text_of(card), text_of(serial), text_of(model)};
    if (row.serial_no.empty()) return;
    busy = true;
    frame.worker().ask<app::Result<app::CardReceived>>(
        liveness, [manager, row, batch](app::Terminal& t) { return t.receive_card(manager, row, batch); },
        [&](app::Result<app::CardReceived>& r) {
          busy = false;
          if (!r) {
            trace("goods_card_refused", {{"code", r.problem().code}});
            say(pick(r.problem().message_zh, r.problem().message_en), true);
            if (r.problem().field == "serial_no")
              return ask_for(serial, wxString::Format(_("Now scan the serial of card %s"), U(text_of(card))));
            if (r.problem().field == "model_code") return ask_for(model, _("Type or scan the model of the boxes"));
            return ask_card();
          }
          batch = r->batch;
          ++received;
          const long i = list->InsertItem(0, wxString::Format("%d", received));  // the newest on top
          list->SetItem(i, 1, U(r->row.card_no));
          list->SetItem(i, 2, U(r->row.serial_no));
          list->SetItem(i, 3, U(r->row.model_code));
          count->SetLabel(wxString::Format(_("%d received on this screen, goods receipt #%lld"), received,
                                           static_cast<long long>(batch)));
          say(wxString::Format(_("Card %s received (serial %s)."), U(r->row.card_no), U(r->row.serial_no)), false);
          card->Clear();
          serial->Clear();
          trace("card_received", {{"card", r->row.card_no}, {"serial", r->row.serial_no}, {"model", r->row.model_code},
                                  {"batch", batch}, {"received", received}});
          ask_card();
        });
  });

  import->Bind(wxEVT_BUTTON, [&](wxCommandEvent&) {
    if (busy) return;
    wxFileDialog choose(&dlg, _("The card batch file (CSV: card_no,serial_no,model_code)"), wxEmptyString,
                        wxEmptyString, _("Card batch files (*.csv)|*.csv;*.CSV|All files|*"),
                        wxFD_OPEN | wxFD_FILE_MUST_EXIST);
    dlg.CallAfter([] { trace("goods_file_chooser"); });
    if (choose.ShowModal() != wxID_OK) return ask_card();
    const std::string file = choose.GetPath().utf8_string();
    busy = true;
    frame.worker().ask<app::Result<app::ImportSummary>>(
        liveness,
        [file, manager](app::Terminal& t) -> app::Result<app::ImportSummary> {
          const auto text = app::read_input_file(file, files::Kind::CardsCsv);
          if (!text) return text.problem();
          return t.receive_cards(manager, text.value(), file);
        },
        [&, file](app::Result<app::ImportSummary>& r) {
          busy = false;
          if (!r) {
            trace("goods_file_refused", {{"code", r.problem().code}});
            say(pick(r.problem().message_zh, r.problem().message_en), true);
          } else {
            trace("goods_file_received", {{"file", file}, {"cards", r->count}});
            say(wxString::Format(_("%d label cards received from %s."), r->count, U(file)), false);
          }
          ask_card();
        });
  });

  dlg.Bind(wxEVT_CHAR_HOOK, [&](wxKeyEvent& e) {
    if (e.GetKeyCode() != WXK_F3) return e.Skip();
    wxCommandEvent click(wxEVT_BUTTON, import->GetId());
    click.SetEventObject(import);
    import->GetEventHandler()->ProcessEvent(click);
  });

  // The catalog once, for finding the model's code as it is typed.
  frame.worker().ask<Catalog>(
      liveness, [](app::Terminal& t) { return t.catalog(); },
      [&](Catalog& c) {
        catalog = c;
        trace("goods_receipt_shown", {{"models", catalog.size()}});
      });
  count->SetLabel(wxString::Format(_("%d received on this screen"), 0));
  ask_for(model, _("Type or scan the model of the boxes"));
  dlg.SetEscapeId(wxID_CANCEL);
  dlg.CentreOnParent();
  dlg.ShowModal();
}

}  // namespace hn::ui
