// F9 → 8: the stock. The label cards by model, in stock, sold and taken back (a return or an
// exchange), and each card with the goods receipt it came in; a model code (or part of it) or
// a card typed or scanned into the field narrows both lists.
#include "ui/manager_dialogs.hpp"

#include <filesystem>

#include <wx/button.h>
#include <wx/dialog.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include "core/text.hpp"
#include "ui/form_dialog.hpp"
#include "ui/i18n.hpp"
#include "ui/main_frame.hpp"
#include "ui/palette.hpp"
#include "ui/trace.hpp"

namespace hn::ui {

using namespace palette;

namespace {

// Cards listed at most: a shop's whole history can hold a million; the counts cover them all.
constexpr int kCardsShown = 500;

struct StockData {
  std::string filter;
  std::vector<app::StockCount> models;
  std::vector<app::StockEntry> cards;
  Catalog catalog;
};

wxString state_name(const std::string& state) {
  if (state == "in_stock") return _("in stock");
  if (state == "sold") return _("sold");
  return _("taken back");
}

// Where a card came from: the goods receipt's number, time, and its file or the scanning.
wxString receipt_text(const app::StockEntry& e) {
  const wxString from = e.source == "scan" ? _("scanned") : U(std::filesystem::path(e.source).filename().string());
  return wxString::Format("#%lld  %s  %s", static_cast<long long>(e.receipt), U(e.received_at), from);
}

}  // namespace

void stock_screen(MainFrame& frame, const app::UserRecord& manager) {
  (void)manager;  // reached through the manager menu; reading needs no further right
  wxDialog dlg(&frame, wxID_ANY, _("Stock"), wxDefaultPosition, wxSize(1000, 660));
  Liveness liveness;
  auto* row = new wxBoxSizer(wxHORIZONTAL);
  auto* label = new wxStaticText(&dlg, wxID_ANY, _("Model or label card (type or scan, Enter; empty: all)"));
  row->Add(label, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
  auto* filter = new wxTextCtrl(&dlg, wxID_ANY, wxEmptyString, wxDefaultPosition, wxSize(320, -1), wxTE_PROCESS_ENTER);
  filter->SetFont(filter->GetFont().Scaled(1.2f));
  row->Add(filter, 1, wxEXPAND);
  auto* models = new wxListCtrl(&dlg, wxID_ANY, wxDefaultPosition, wxSize(-1, 200), wxLC_REPORT | wxLC_SINGLE_SEL);
  models->AppendColumn(_("Model"), wxLIST_FORMAT_LEFT, 230);
  models->AppendColumn(_("Product"), wxLIST_FORMAT_LEFT, 330);
  models->AppendColumn(_("In stock"), wxLIST_FORMAT_RIGHT, 120);
  models->AppendColumn(_("Sold"), wxLIST_FORMAT_RIGHT, 120);
  models->AppendColumn(_("Taken back"), wxLIST_FORMAT_RIGHT, 120);
  auto* totals = new wxStaticText(&dlg, wxID_ANY, wxEmptyString);
  totals->SetFont(totals->GetFont().Scaled(1.2f).Bold());
  auto* cards = new wxListCtrl(&dlg, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
  cards->AppendColumn(_("Label card"), wxLIST_FORMAT_LEFT, 200);
  cards->AppendColumn(_("Product serial"), wxLIST_FORMAT_LEFT, 200);
  cards->AppendColumn(_("Model"), wxLIST_FORMAT_LEFT, 190);
  cards->AppendColumn(_("State"), wxLIST_FORMAT_LEFT, 90);
  cards->AppendColumn(_("Goods receipt"), wxLIST_FORMAT_LEFT, 280);
  auto* note = new wxStaticText(&dlg, wxID_ANY, wxEmptyString);
  auto* s = new wxBoxSizer(wxVERTICAL);
  s->Add(row, 0, wxEXPAND | wxALL, 12);
  s->Add(models, 0, wxEXPAND | wxLEFT | wxRIGHT, 12);
  s->Add(totals, 0, wxEXPAND | wxALL, 12);
  s->Add(cards, 1, wxEXPAND | wxLEFT | wxRIGHT, 12);
  s->Add(note, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, 12);
  s->Add(new wxButton(&dlg, wxID_CANCEL, _("Close (Esc)")), 0, wxALIGN_RIGHT | wxALL, 12);
  dlg.SetSizer(s);

  auto load = [&] {
    const std::string wanted = text_of(filter);
    frame.worker().ask<StockData>(
        liveness,
        [wanted](app::Terminal& t) {
          return StockData{wanted, t.stock_by_model(wanted), t.stock_cards(wanted, kCardsShown), t.catalog()};
        },
        [&](StockData& d) {
          models->DeleteAllItems();
          std::int64_t in_stock = 0, sold = 0, returned = 0;
          nlohmann::json shown = nlohmann::json::array();
          for (const auto& m : d.models) {
            const long i = models->InsertItem(models->GetItemCount(), U(m.model_code));
            if (const auto* known = d.catalog.find(m.model_code))
              models->SetItem(i, 1, U(known->brand + " " + known->name + " " + known->spec));
            models->SetItem(i, 2, wxString::Format("%lld", static_cast<long long>(m.in_stock)));
            models->SetItem(i, 3, wxString::Format("%lld", static_cast<long long>(m.sold)));
            models->SetItem(i, 4, wxString::Format("%lld", static_cast<long long>(m.returned)));
            in_stock += m.in_stock;
            sold += m.sold;
            returned += m.returned;
            shown.push_back({{"model", m.model_code}, {"in_stock", m.in_stock}, {"sold", m.sold}, {"returned", m.returned}});
          }
          totals->SetLabel(wxString::Format(_("In stock %lld, sold %lld, taken back %lld"), static_cast<long long>(in_stock),
                                            static_cast<long long>(sold), static_cast<long long>(returned)));
          cards->DeleteAllItems();
          for (const auto& c : d.cards) {
            const long i = cards->InsertItem(cards->GetItemCount(), U(c.card_no));
            cards->SetItem(i, 1, U(c.serial_no));
            cards->SetItem(i, 2, U(c.model_code));
            cards->SetItem(i, 3, state_name(c.state));
            cards->SetItem(i, 4, receipt_text(c));
            if (c.state == "sold") cards->SetItemTextColour(i, kGrey);
            else if (c.state == "returned") cards->SetItemTextColour(i, kAmber);
          }
          const std::int64_t all = in_stock + sold + returned;
          note->SetLabel(d.models.empty() && !d.filter.empty()
                             ? wxString::Format(_("No label card or model matches %s."), U(d.filter))
                         : all > kCardsShown
                             ? wxString::Format(_("The first %d of %lld cards are listed: type a model or card to narrow."),
                                                kCardsShown, static_cast<long long>(all))
                             : wxString());
          note->SetForegroundColour(d.models.empty() ? kRed : kGrey);
          dlg.Layout();
          trace("stock_shown", {{"filter", d.filter}, {"models", shown}, {"cards", d.cards.size()},
                                {"in_stock", in_stock}, {"sold", sold}, {"returned", returned}});
          filter->SelectAll();
        });
  };
  filter->Bind(wxEVT_TEXT_ENTER, [&](wxCommandEvent&) { load(); });
  load();
  dlg.SetEscapeId(wxID_CANCEL);
  dlg.CentreOnParent();
  filter->SetFocus();
  dlg.ShowModal();
}

}  // namespace hn::ui
