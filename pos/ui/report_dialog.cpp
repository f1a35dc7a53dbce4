// The daily report on screen: the figures of `huinong report daily` — summary, a bar chart
// per category, the line of the last 30 days, tables per category and per clerk, refused
// attempts by code and the pending uploads with their deadlines — and its export to a
// spreadsheet CSV and an A4 PDF beside the database (reports/).
#include <wx/button.h>
#include <wx/dcbuffer.h>
#include <wx/dialog.h>
#include <wx/listctrl.h>
#include <wx/notebook.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <filesystem>
#include <fstream>

#include "app/day_close.hpp"
#include "app/paths.hpp"
#include "core/text.hpp"
#include "printer/report_pdf.hpp"
#include "ui/i18n.hpp"
#include "ui/main_frame.hpp"
#include "ui/manager_dialogs.hpp"
#include "ui/trace.hpp"

namespace hn::ui {

namespace {
const wxColour kAmountBlue(0x42, 0x7a, 0xb8);
const wxColour kSubsidyGreen(0x2e, 0x9e, 0x5b);

class CategoryChart : public wxPanel {
 public:
  explicit CategoryChart(wxWindow* parent) : wxPanel(parent, wxID_ANY, wxDefaultPosition, wxSize(420, 230)) {
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
    const int left = 10, bottom = size.y - 40, top = 46;  // room for the legend and the amount above a bar
    const int slot = (size.x - 2 * left) / static_cast<int>(std::max<std::size_t>(cats.size(), 3));
    const int bar = std::min(70, slot - 16);
    int x = left;
    dc.SetFont(GetFont());
    for (const auto& [c, t] : cats) {
      const int h = static_cast<int>((bottom - top) * static_cast<double>(t.total) / static_cast<double>(max_total));
      // The bar is the amount; its green part is the subsidy inside it.
      dc.SetBrush(wxBrush(kAmountBlue));
      dc.SetPen(*wxTRANSPARENT_PEN);
      dc.DrawRectangle(x + (slot - bar) / 2, bottom - h, bar, h);
      const int sh = static_cast<int>((bottom - top) * static_cast<double>(t.subsidy) / static_cast<double>(max_total));
      dc.SetBrush(wxBrush(kSubsidyGreen));
      dc.DrawRectangle(x + (slot - bar) / 2, bottom - sh, bar, sh);
      dc.SetTextForeground(*wxBLACK);
      const wxString name = pick(std::string(category_name_zh(c)), std::string(category_name_en(c)));
      dc.DrawText(name, x + (slot - dc.GetTextExtent(name).x) / 2, bottom + 6);
      const wxString amount = U(format_yuan(t.total));
      dc.DrawText(amount, x + (slot - dc.GetTextExtent(amount).x) / 2, bottom - h - 18);
      x += slot;
    }
    dc.SetTextForeground(kSubsidyGreen);
    dc.DrawText(_("green: subsidy within the amount"), left, 6);
  }
  DailyReport report_;
};

// The amount of each of the last 30 days as a line, the subsidy as a second one.
class TrendChart : public wxPanel {
 public:
  explicit TrendChart(wxWindow* parent) : wxPanel(parent, wxID_ANY, wxDefaultPosition, wxSize(420, 230)) {
    SetBackgroundStyle(wxBG_STYLE_PAINT);
    Bind(wxEVT_PAINT, [this](wxPaintEvent&) { paint(); });
  }
  void set(const DailyReport& r) {
    series_ = r.figures.series;
    Refresh();
  }

 private:
  void paint() {
    wxAutoBufferedPaintDC dc(this);
    dc.SetBackground(*wxWHITE_BRUSH);
    dc.Clear();
    dc.SetFont(GetFont());
    const wxSize size = GetClientSize();
    const int left = 12, right = size.x - 12, top = 30, bottom = size.y - 30;
    dc.SetTextForeground(kAmountBlue);
    dc.DrawText(_("Last 30 days: amount (blue), subsidy (green)"), left, 6);
    dc.SetPen(wxPen(wxColour(0xdd, 0xdd, 0xdd)));
    for (int g = 0; g <= 4; ++g) dc.DrawLine(left, top + (bottom - top) * g / 4, right, top + (bottom - top) * g / 4);
    if (series_.empty()) return;
    Fen max_total = 1;
    for (const auto& p : series_) max_total = std::max(max_total, p.total);
    const double step = series_.size() > 1 ? static_cast<double>(right - left) / static_cast<double>(series_.size() - 1) : 0;
    auto point = [&](std::size_t i, Fen v) {
      return wxPoint(left + static_cast<int>(step * static_cast<double>(i)),
                     bottom - static_cast<int>((bottom - top) * static_cast<double>(v) / static_cast<double>(max_total)));
    };
    for (int pass = 0; pass < 2; ++pass) {
      dc.SetPen(wxPen(pass == 0 ? kAmountBlue : kSubsidyGreen, 2));
      for (std::size_t i = 1; i < series_.size(); ++i) {
        const Fen a = pass == 0 ? series_[i - 1].total : series_[i - 1].subsidy;
        const Fen b = pass == 0 ? series_[i].total : series_[i].subsidy;
        dc.DrawLine(point(i - 1, a), point(i, b));
      }
    }
    dc.SetTextForeground(*wxBLACK);
    dc.DrawText(U(series_.front().date.iso().substr(5)), left, bottom + 6);
    const wxString last = U(series_.back().date.iso().substr(5));
    dc.DrawText(last, right - dc.GetTextExtent(last).x, bottom + 6);
    const wxString max_text = U(format_yuan(max_total));
    dc.DrawText(max_text, right - dc.GetTextExtent(max_text).x, top - 16);
  }
  std::vector<DayPoint> series_;
};

wxListCtrl* table(wxWindow* parent, std::initializer_list<std::pair<wxString, int>> columns) {
  auto* t = new wxListCtrl(parent, wxID_ANY, wxDefaultPosition, wxSize(-1, 160), wxLC_REPORT);
  int i = 0;
  for (const auto& [title, width] : columns)
    t->AppendColumn(title, i++ == 0 ? wxLIST_FORMAT_LEFT : wxLIST_FORMAT_RIGHT, width);
  return t;
}

void add_row(wxListCtrl* t, const std::vector<wxString>& cells) {
  const long i = t->InsertItem(t->GetItemCount(), cells.at(0));
  for (std::size_t c = 1; c < cells.size(); ++c) t->SetItem(i, static_cast<int>(c), cells[c]);
}

wxString count(int n) { return wxString::Format("%d", n); }

// Where the exports go: reports/ beside the database.
std::string reports_dir(const std::string& db_path) {
  return (std::filesystem::path(db_path).parent_path() / "reports").string();
}
}  // namespace

void show_report_dialog(MainFrame& frame, const app::UserRecord& manager) {
  wxDialog dlg(&frame, wxID_ANY, _("Daily report"), wxDefaultPosition, wxSize(900, 760),
               wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER);
  Liveness liveness;
  auto* s = new wxBoxSizer(wxVERTICAL);
  auto* row = new wxBoxSizer(wxHORIZONTAL);
  row->Add(new wxStaticText(&dlg, wxID_ANY, _("Date (YYYY-MM-DD, Enter)")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
  auto* date = new wxTextCtrl(&dlg, wxID_ANY, wxEmptyString, wxDefaultPosition, wxSize(140, -1), wxTE_PROCESS_ENTER);
  row->Add(date, 0);
  // A period (issue 16): `huinong report period --from --to`, validated as the CLI does.
  row->Add(new wxStaticText(&dlg, wxID_ANY, _("to (for a period)")), 0, wxALIGN_CENTER_VERTICAL | wxLEFT | wxRIGHT, 8);
  auto* to_date = new wxTextCtrl(&dlg, wxID_ANY, wxEmptyString, wxDefaultPosition, wxSize(140, -1), wxTE_PROCESS_ENTER);
  row->Add(to_date, 0);
  row->AddStretchSpacer();
  auto* export_csv = new wxButton(&dlg, wxID_ANY, _("Export CSV (F5)"));
  auto* export_pdf = new wxButton(&dlg, wxID_ANY, _("Export PDF (F6)"));
  row->Add(export_csv, 0, wxRIGHT, 6);
  row->Add(export_pdf, 0);
  s->Add(row, 0, wxALL | wxEXPAND, 10);
  auto* summary = new wxStaticText(&dlg, wxID_ANY, wxEmptyString);
  summary->SetFont(summary->GetFont().Scaled(1.1f));
  s->Add(summary, 0, wxLEFT | wxRIGHT | wxEXPAND, 10);
  auto* charts = new wxBoxSizer(wxHORIZONTAL);
  auto* chart = new CategoryChart(&dlg);
  auto* trend = new TrendChart(&dlg);
  charts->Add(chart, 1, wxEXPAND | wxRIGHT, 6);
  charts->Add(trend, 1, wxEXPAND);
  s->Add(charts, 1, wxEXPAND | wxALL, 10);
  auto* book = new wxNotebook(&dlg, wxID_ANY);
  auto* categories = table(book, {{_("Category"), 200}, {_("Items"), 80}, {_("Amount"), 130}, {_("Subsidy"), 120},
                                  {_("Central 80%"), 120}, {_("Provincial 20%"), 120}});
  auto* clerks = table(book, {{_("Clerk"), 200}, {_("Sales"), 70}, {_("Items"), 70}, {_("Amount"), 130},
                              {_("Subsidy"), 120}, {_("Refused"), 80}});
  auto* pending = table(book, {{_("Sale date"), 140}, {_("Sales"), 70}, {_("Invoices"), 190}, {_("Due"), 130},
                               {_("State"), 160}});
  auto* refusals = table(book, {{_("Refusal"), 300}, {_("Code"), 220}, {_("Attempts"), 100}});
  book->AddPage(categories, _("By category"));
  book->AddPage(clerks, _("By clerk"));
  book->AddPage(pending, _("Pending uploads"));
  book->AddPage(refusals, _("Refused attempts"));
  s->Add(book, 0, wxEXPAND | wxLEFT | wxRIGHT, 10);
  auto* status = new wxStaticText(&dlg, wxID_ANY, wxEmptyString);
  s->Add(status, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, 10);
  s->Add(new wxButton(&dlg, wxID_CANCEL, _("Close (Esc)")), 0, wxALIGN_RIGHT | wxALL, 10);
  dlg.SetSizer(s);
  dlg.SetEscapeId(wxID_CANCEL);

  std::optional<DailyReport> shown;
  auto load = [&](std::optional<Date> when, std::optional<Date> until = std::nullopt) {
    frame.worker().ask<DailyReport>(
        liveness,
        [when, until](app::Terminal& t) {
          return until ? t.period_report(*when, *until) : t.daily_report(when.value_or(t.now().date));
        },
        [&, until](DailyReport& r) {
          shown = r;
          const auto& f = r.figures;
          date->ChangeValue(U(f.date.iso()));
          to_date->ChangeValue(until ? U(f.to.iso()) : wxString());
          date->SetFocus();  // keyboard alone: type another date (and a "to" date) and Enter
          summary->SetLabel(wxString::Format(
              _("Sales %d, items %d, amount %s, subsidy %s (central %s, provincial %s); returns %d; "
                "pending upload %d"),
              f.sales_count, r.items_count, U(format_yuan(r.total)), U(format_yuan(r.subsidy)),
              U(format_yuan(r.subsidy_central)), U(format_yuan(r.subsidy_provincial)), f.returns_count,
              f.pending_upload) +
              "\n" +
              wxString::Format(_("Pre-returns %d (%s); refused attempts %d; overdue uploads %d, due today %d"),
                               f.pre_returns_count, U(format_yuan(f.pre_returns_total)), f.refused_attempts,
                               r.pending_overdue, r.pending_last_day));
          summary->Wrap(860);
          for (auto* t : {categories, clerks, pending, refusals}) t->DeleteAllItems();
          for (const auto& [c, t] : f.by_category) {
            const auto& sp = r.category_split.at(c);
            add_row(categories, {pick(std::string(category_name_zh(c)), std::string(category_name_en(c))), count(t.count),
                                 U(format_yuan(t.total)), U(format_yuan(t.subsidy)), U(format_yuan(sp.central)),
                                 U(format_yuan(sp.provincial))});
          }
          add_row(categories, {_("All"), count(r.items_count), U(format_yuan(r.total)), U(format_yuan(r.subsidy)),
                               U(format_yuan(r.subsidy_central)), U(format_yuan(r.subsidy_provincial))});
          for (const auto& [login, c] : f.by_clerk)
            add_row(clerks, {U(c.name + " (" + login + ")"), count(c.sales), count(c.items), U(format_yuan(c.total)),
                             U(format_yuan(c.subsidy)), count(c.refused)});
          for (const auto& p : f.pending)
            add_row(pending, {U(p.sale_date.iso()), count(p.count), U(p.first_invoice + " - " + p.last_invoice),
                              U(p.due.iso()),
                              p.state == DeadlineState::Overdue   ? _("Overdue")
                              : p.state == DeadlineState::LastDay ? _("Due today")
                                                                  : _("On time")});
          for (const auto& [code, n] : f.refused_by_code)
            add_row(refusals, {pick(refusal_title_zh(code), refusal_title_en(code)), U(code), count(n)});
          chart->set(r);
          trend->set(r);
          dlg.Layout();
          trace("report_shown", {{"date", f.date.iso()}, {"to", until ? f.to.iso() : ""}, {"sales_count", f.sales_count},
                                 {"total", format_yuan(r.total)}, {"subsidy", format_yuan(r.subsidy)},
                                 {"clerks", f.by_clerk.size()}, {"refused_attempts", f.refused_attempts},
                                 {"pending_upload", f.pending_upload}, {"series_days", f.series.size()}});
        });
  };
  // The export runs on the worker (it writes files); the dialog says where it went.
  auto export_as = [&](const std::string& format) {
    if (!shown) return;
    const DailyReport r = *shown;
    const std::string dir = reports_dir(frame.options().db_path);
    frame.worker().ask<std::string>(
        liveness,
        [r, dir, format](app::Terminal& t) -> std::string {
          const ReportHeading h{t.outlet().name, t.outlet().code, t.now().iso()};
          std::string bytes;
          if (format == "csv") {
            bytes = render_report_spreadsheet_csv(r, h);
          } else {
            auto pdf = printer::report_pdf(r, h);
            if (!pdf) return "!" + pdf.error().message_zh + " / " + pdf.error().message_en;
            bytes = std::move(pdf.value());
          }
          std::error_code ec;
          std::filesystem::create_directories(dir, ec);
          const std::string span = r.figures.to == r.figures.date ? r.figures.date.iso()
                                                                  : r.figures.date.iso() + "_" + r.figures.to.iso();
          const std::string path = dir + "/report-" + span + "." + format;
          std::ofstream out(path, std::ios::binary | std::ios::trunc);
          out << bytes;
          out.close();
          return out ? path : "!cannot write " + path;
        },
        [&, format](std::string& path) {
          if (!path.empty() && path[0] == '!') {
            frame.show_error(U(path.substr(1)));
            return;
          }
          status->SetLabel(wxString::Format(_("Written: %s"), U(path)));
          trace("report_exported", {{"format", format}, {"path", path}});
        });
  };
  export_csv->Bind(wxEVT_BUTTON, [&](wxCommandEvent&) { export_as("csv"); });
  export_pdf->Bind(wxEVT_BUTTON, [&](wxCommandEvent&) { export_as("pdf"); });
  dlg.Bind(wxEVT_CHAR_HOOK, [&](wxKeyEvent& ev) {
    if (ev.GetKeyCode() == WXK_F5) export_as("csv");
    else if (ev.GetKeyCode() == WXK_F6) export_as("pdf");
    else ev.Skip();
  });
  auto on_enter = [&](wxCommandEvent&) {
    const auto d = parse_iso_date(trim(date->GetValue().utf8_string()));
    const std::string until_text = trim(to_date->GetValue().utf8_string());
    const auto until = parse_iso_date(until_text);
    if (!d || (!until_text.empty() && !until)) return frame.show_error(_("Type the date as YYYY-MM-DD."));
    if (!until) return load(*d);
    if (const auto period = app::check_period(*d, *until); !period)
      return frame.show_error(U("[" + period.problem().code + "] ") +
                              pick(period.problem().message_zh, period.problem().message_en));
    load(*d, *until);
  };
  date->Bind(wxEVT_TEXT_ENTER, on_enter);
  to_date->Bind(wxEVT_TEXT_ENTER, on_enter);
  (void)manager;  // the menu has already checked the role
  load(std::nullopt);
  dlg.CentreOnParent();
  dlg.ShowModal();
}

}  // namespace hn::ui
