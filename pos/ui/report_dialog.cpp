// The daily report on screen: the figures of `huinong report daily` as a table and a bar
// chart per category, drawn in the window.
#include <wx/button.h>
#include <wx/dcbuffer.h>
#include <wx/dialog.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include "core/text.hpp"
#include "ui/i18n.hpp"
#include "ui/main_frame.hpp"
#include "ui/manager_dialogs.hpp"
#include "ui/trace.hpp"

namespace hn::ui {

namespace {
class CategoryChart : public wxPanel {
 public:
  explicit CategoryChart(wxWindow* parent) : wxPanel(parent, wxID_ANY, wxDefaultPosition, wxSize(560, 260)) {
    SetBackgroundStyle(wxBG_STYLE_PAINT);
    Bind(wxEVT_PAINT, [this](wxPaintEvent&) { paint(); });
  }
  void set(const DailyReport& r) {
    report_ = r;
    Refresh();
  }

 private:
  void paint() {
    wxAutoBufferedPaintDC dc(this);
    dc.SetBackground(*wxWHITE_BRUSH);
    dc.Clear();
    const wxSize size = GetClientSize();
    const auto& cats = report_.figures.by_category;
    if (cats.empty()) {
      dc.DrawText(_("No sales on this day."), 20, size.y / 2);
      return;
    }
    Fen max_total = 1;
    for (const auto& [c, t] : cats) max_total = std::max(max_total, t.total);
    const int left = 20, bottom = size.y - 40, top = 30;
    const int slot = (size.x - 2 * left) / static_cast<int>(cats.size());
    const int bar = std::min(80, slot - 20);
    int x = left;
    dc.SetFont(GetFont());
    for (const auto& [c, t] : cats) {
      const int h = static_cast<int>((bottom - top) * static_cast<double>(t.total) / static_cast<double>(max_total));
      // The bar is the amount; its green part is the subsidy inside it.
      dc.SetBrush(wxBrush(wxColour(0x42, 0x7a, 0xb8)));
      dc.SetPen(*wxTRANSPARENT_PEN);
      dc.DrawRectangle(x + (slot - bar) / 2, bottom - h, bar, h);
      const int sh = static_cast<int>((bottom - top) * static_cast<double>(t.subsidy) / static_cast<double>(max_total));
      dc.SetBrush(wxBrush(wxColour(0x2e, 0x9e, 0x5b)));
      dc.DrawRectangle(x + (slot - bar) / 2, bottom - sh, bar, sh);
      dc.SetTextForeground(*wxBLACK);
      const wxString name = pick(std::string(category_name_zh(c)), std::string(category_name_en(c)));
      dc.DrawText(name, x + (slot - dc.GetTextExtent(name).x) / 2, bottom + 6);
      const wxString amount = U(format_yuan(t.total));
      dc.DrawText(amount, x + (slot - dc.GetTextExtent(amount).x) / 2, bottom - h - 18);
      x += slot;
    }
    dc.SetTextForeground(wxColour(0x2e, 0x9e, 0x5b));
    dc.DrawText(_("green: subsidy within the amount"), left, 6);
  }
  DailyReport report_;
};
}  // namespace

void show_report_dialog(MainFrame& frame, const app::UserRecord& manager) {
  wxDialog dlg(&frame, wxID_ANY, _("Daily report"), wxDefaultPosition, wxSize(720, 640),
               wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER);
  Liveness liveness;
  auto* s = new wxBoxSizer(wxVERTICAL);
  auto* row = new wxBoxSizer(wxHORIZONTAL);
  row->Add(new wxStaticText(&dlg, wxID_ANY, _("Date (YYYY-MM-DD, Enter)")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
  auto* date = new wxTextCtrl(&dlg, wxID_ANY, wxEmptyString, wxDefaultPosition, wxSize(140, -1), wxTE_PROCESS_ENTER);
  row->Add(date, 0);
  s->Add(row, 0, wxALL, 10);
  auto* summary = new wxStaticText(&dlg, wxID_ANY, wxEmptyString);
  summary->SetFont(summary->GetFont().Scaled(1.1f));
  s->Add(summary, 0, wxLEFT | wxRIGHT | wxEXPAND, 10);
  auto* table = new wxListCtrl(&dlg, wxID_ANY, wxDefaultPosition, wxSize(-1, 170), wxLC_REPORT);
  table->AppendColumn(_("Category"), wxLIST_FORMAT_LEFT, 180);
  table->AppendColumn(_("Items"), wxLIST_FORMAT_RIGHT, 80);
  table->AppendColumn(_("Amount"), wxLIST_FORMAT_RIGHT, 130);
  table->AppendColumn(_("Subsidy"), wxLIST_FORMAT_RIGHT, 130);
  s->Add(table, 0, wxEXPAND | wxALL, 10);
  auto* chart = new CategoryChart(&dlg);
  s->Add(chart, 1, wxEXPAND | wxLEFT | wxRIGHT, 10);
  s->Add(new wxButton(&dlg, wxID_CANCEL, _("Close (Esc)")), 0, wxALIGN_RIGHT | wxALL, 10);
  dlg.SetSizer(s);
  dlg.SetEscapeId(wxID_CANCEL);

  auto load = [&](std::optional<Date> when) {
    frame.worker().ask<DailyReport>(
        liveness, [when](app::Terminal& t) { return t.daily_report(when.value_or(t.now().date)); },
        [&](DailyReport& r) {
          date->ChangeValue(U(r.figures.date.iso()));
          summary->SetLabel(wxString::Format(
              _("Sales %d, items %d, amount %s, subsidy %s (central %s, provincial %s); returns %d; "
                "pending upload %d"),
              r.figures.sales_count, r.items_count, U(format_yuan(r.total)), U(format_yuan(r.subsidy)),
              U(format_yuan(r.subsidy_central)), U(format_yuan(r.subsidy_provincial)), r.figures.returns_count,
              r.figures.pending_upload));
          summary->Wrap(680);
          table->DeleteAllItems();
          for (const auto& [c, t] : r.figures.by_category) {
            const long i = table->InsertItem(table->GetItemCount(),
                                             pick(std::string(category_name_zh(c)), std::string(category_name_en(c))));
            table->SetItem(i, 1, wxString::Format("%d", t.count));
            table->SetItem(i, 2, U(format_yuan(t.total)));
            table->SetItem(i, 3, U(format_yuan(t.subsidy)));
          }
          chart->set(r);
          dlg.Layout();
          trace("report_shown", {{"date", r.figures.date.iso()}, {"sales_count", r.figures.sales_count},
                                 {"total", format_yuan(r.total)}, {"subsidy", format_yuan(r.subsidy)}});
        });
  };
  date->Bind(wxEVT_TEXT_ENTER, [&](wxCommandEvent&) {
    const auto d = parse_iso_date(trim(date->GetValue().utf8_string()));
    if (d) load(*d);
    else frame.show_error(_("Type the date as YYYY-MM-DD."));
  });
  (void)manager;  // the menu has already checked the role
  load(std::nullopt);
  dlg.CentreOnParent();
  dlg.ShowModal();
}

}  // namespace hn::ui
