// F9 → 8: closing the day (issue 16). The figures the closing will sign (sales, subsidy,
// payments per method, the cash the sales took), the cash the manager counted and its
// difference, then the signed closing of `huinong close day --cash-counted`, printed on the
// counter's printer or, without one, written beside the invoices.
#include "ui/manager_dialogs.hpp"

#include <filesystem>

#include <wx/textctrl.h>

#include "app/day_close.hpp"
#include "core/money.hpp"
#include "ui/counter_printer.hpp"
#include "ui/ask.hpp"
#include "ui/form_dialog.hpp"
#include "ui/main_frame.hpp"

namespace hn::ui {

namespace {
wxString yuan(const nlohmann::json& f, const char* key) { return U(format_yuan(f.value(key, Fen{0}))); }

struct Signed {
  app::Closing closing;
  std::vector<std::string> files;  // the paper as files, when no printer is set
  bool to_printer = false;
};
}  // namespace

void closing_screen(MainFrame& frame, const app::UserRecord& manager) {
  FormDialog dlg(&frame, _("Closing the day"));
  Liveness& live = dlg.liveness;
  auto* date = dlg.text(_("Business day (YYYY-MM-DD)"));
  auto* sales = dlg.text(_("Sales"));
  auto* subsidy = dlg.text(_("Subsidy"));
  auto* returns = dlg.text(_("Returns"));
  auto* cash = dlg.text(_("Paid in cash (tendered)"));
  auto* card = dlg.text(_("Paid by bank card"));
  auto* mobile = dlg.text(_("Paid by mobile payment"));
  auto* change = dlg.text(_("Change given"));
  auto* expected = dlg.text(_("Cash the sales took"));
  auto* counted = dlg.text(_("Cash counted (yuan)"));
  auto* difference = dlg.text(_("Difference (counted - expected)"));
  for (auto* t : {sales, subsidy, returns, cash, card, mobile, change, expected, difference}) {
    t->SetEditable(false);
    t->SetBackgroundColour(wxColour(0xf2, 0xf2, 0xf2));
  }
  dlg.finish(_("Sign the closing (Enter)"));

  // What the screen shows now: the preview's date and cash, and the count the manager has seen
  // the difference of (the second Enter on the same count signs).
  std::string shown_date;
  Fen cash_expected = 0;
  std::optional<Fen> confirmed;
  bool closed = false;

  auto load = [&](std::optional<Date> when) {
    frame.worker().ask<app::ClosingPreview>(
        live, [when](app::Terminal& t) { return app::preview_closing(t, when.value_or(t.now().date)); },
        [&](app::ClosingPreview& p) {
          const auto& f = p.figures;
          shown_date = p.date;
          confirmed.reset();
          cash_expected = f.value("cash_net", Fen{0});
          date->ChangeValue(U(p.date));
          sales->ChangeValue(wxString::Format(_("%d sales, %s"), f.value("sales_count", 0), yuan(f, "sales_total")));
          subsidy->ChangeValue(yuan(f, "sales_subsidy"));
          returns->ChangeValue(wxString::Format(_("%d returns, %s"), f.value("returns_count", 0), yuan(f, "returns_total")));
          const auto paid = f.value("payments", nlohmann::json::object());
          cash->ChangeValue(U(format_yuan(paid.value("cash", Fen{0}))));
          card->ChangeValue(U(format_yuan(paid.value("card", Fen{0}))));
          mobile->ChangeValue(U(format_yuan(paid.value("mobile", Fen{0}))));
          change->ChangeValue(yuan(f, "change_given"));
          expected->ChangeValue(yuan(f, "cash_net"));
          difference->ChangeValue(wxEmptyString);
          if (p.refusal) dlg.say_coded(*p.refusal);
          else dlg.say(_("Count the cash in the drawer, type it and press Enter."), false);
          counted->SetFocus();
          trace("closing_shown", {{"date", p.date},
                                  {"sales_count", f.value("sales_count", 0)},
                                  {"cash_net", format_yuan(cash_expected)},
                                  {"refusal", p.refusal ? p.refusal->code : ""}});
        });
  };

  // Signs the closing of `d` with the count `c`; `drop_held` drops the sales still held with it.
  std::function<void(Date, Fen, bool)> sign = [&](Date d, Fen c, bool drop_held) {
    const std::string dir = frame.options().invoice_dir;
    frame.worker().ask<app::Result<Signed>>(
        live,
        [manager, d, c, dir, drop_held](app::Terminal& t) -> app::Result<Signed> {
          auto r = t.close_day(manager, d, c, drop_held);
          if (!r) return r.problem();
          Signed s{r.value(), {}, false};
          const Document paper = app::closing_document(s.closing, t.outlet());
          s.files = counter_printer().papers(t, {{"closing-", paper}}, false, dir);
          s.to_printer = s.files.empty();
          return s;
        },
        [&, d, c, drop_held](app::Result<Signed>& r) {
          if (!r) {
            trace("closing_refused", {{"code", r.problem().code}});
            dlg.say_coded(r.problem());
            // Sales still held: the manager decides here, never the closing by itself (issue 16).
            if (r.problem().code == "HELD_SALES_OPEN" && !drop_held &&
                ask_before_loss(&dlg, {"drop_held_for_closing", _("Sales still held"),
                                       pick(r.problem().message_zh, r.problem().message_en),
                                       _("Keep them, do not close (Enter)"), _("Drop them and close (Y)")}))
              sign(d, c, true);
            return;
          }
          closed = true;
          frame.sale_made();  // the closing is queued for the province: the strip counts it, the uploader sends it
          const auto& f = r->closing.figures;
          const std::string file = r->files.empty() ? std::string() : r->files.front();
          wxString text = wxString::Format(_("The closing of %s is signed and queued for the province."),
                                           U(r->closing.date));
          text += "\n";
          text += r->to_printer ? _("The closing is sent to the printer.")
                                : wxString::Format(_("No printer is set: the closing is written into\n%s\n%s"),
                                                   U(std::filesystem::path(file).parent_path().string()),
                                                   U(std::filesystem::path(file).filename().string()));
          dlg.say(text, false);
          trace("closing_signed", {{"date", r->closing.date},
                                   {"cash_counted", format_yuan(f.value("cash_counted", Fen{0}))},
                                   {"cash_difference", format_yuan(f.value("cash_difference", Fen{0}))},
                                   {"to_printer", r->to_printer},
                                   {"file", r->files.empty() ? std::string() : r->files.front()}});
        });
  };

  dlg.on_submit = [&] {
    if (closed) return;
    const auto day = parse_iso_date(text_of(date));
    if (!day) return dlg.say(_("Type the date as YYYY-MM-DD."), true);
    if (day->iso() != shown_date) return load(*day);  // a new day: its figures first
    const std::string typed = text_of(counted);
    if (typed.empty()) {
      counted->SetFocus();
      return dlg.say(_("Count the cash in the drawer, type it and press Enter."), true);
    }
    const auto count = app::parse_cash_counted(typed);
    if (!count) {
      counted->SetFocus();
      counted->SelectAll();
      return dlg.say_coded(count.problem());
    }
    if (confirmed != count.value()) {
      // The difference first; the same count and Enter again signs.
      confirmed = count.value();
      const Fen diff = count.value() - cash_expected;
      difference->ChangeValue(U(format_yuan(diff)));
      difference->SetForegroundColour(diff == 0 ? palette::kGreen : palette::kRed);
      trace("closing_difference", {{"counted", format_yuan(count.value())}, {"difference", format_yuan(diff)}});
      return dlg.say(diff == 0 ? _("The count matches. Press Enter again to sign the closing.")
                               : _("The count differs from the cash the sales took. Count again, or press Enter "
                                   "again to sign the closing with this difference."),
                     diff != 0);
    }
    sign(*day, count.value(), false);
  };
  load(std::nullopt);
  dlg.ShowModal();
}

}  // namespace hn::ui
