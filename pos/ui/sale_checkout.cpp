// The counter's checkout: F10's commit, the invoice printed and shown, F12's reprint. Part of
// SalePanel, kept apart from sale_panel.cpp.
#include "ui/sale_panel.hpp"

#include <algorithm>
#include <wx/filedlg.h>
#include <wx/msgdlg.h>
#include <wx/sizer.h>
#include <wx/statbox.h>
#include <wx/textdlg.h>
#include "core/id_number.hpp"
#include "core/text.hpp"
#include "ui/counter_printer.hpp"
#include "ui/i18n.hpp"
#include "ui/invoice_image.hpp"
#include "ui/main_frame.hpp"
#include "ui/manager_dialogs.hpp"
#include "ui/payment_dialog.hpp"
#include "ui/trace.hpp"

#include "ui/palette.hpp"

namespace hn::ui {

using namespace palette;

void SalePanel::checkout() {
  if (checking_out_ || !session_.ready(check_)) {
    // Check out pressed on a cart the rules refuse: an attempt the manager's report counts
    // (journaled with its codes, never the buyer).
    if (!checking_out_ && check_.refused() && !session_.lines.empty()) {
      const SaleCheck check = check_;
      const app::UserRecord clerk = user_;
      frame_.worker().post([check, clerk](app::Terminal& t) { t.record_refused_attempt(clerk, check); });
    }
    explain_blocked();  // never silently nothing: the hint line says why (issue 16)
    return;
  }
  // The payment step (issue 16): Esc there goes back to the cart with nothing stored.
  trace("checkout_key", {{"due", format_yuan(check_.total)}});
  checking_out_ = true;
  const std::optional<PaymentTaken> paid = take_payment(this, check_.total);
  if (!paid) {
    checking_out_ = false;
    scan_->SetFocus();
    return;
  }
  checkout_->Enable(false);
  const Cart cart = session_.cart(prices_);
  const std::vector<Payment> payments = paid->payments;
  const bool drawer = paid->cash();
  const app::UserRecord clerk = user_;
  const std::string dir = frame_.options().invoice_dir;
  struct Outcome {
    app::Result<app::CheckoutResult> result = app::Problem{};
    std::string text;
  };
  frame_.worker().ask<Outcome>(
      liveness_,
      [cart, clerk, payments](app::Terminal& t) {
        Outcome o;
        o.result = t.checkout(clerk, cart, payments);
        if (o.result && o.result->invoice) o.text = render_invoice_text(*o.result->invoice);
        return o;
      },
      [this, dir, drawer](Outcome& o) {
        checking_out_ = false;
        if (!o.result) {
          frame_.show_error(pick(o.result.problem().message_zh, o.result.problem().message_en));
          request_preview();
          return;
        }
        if (!o.result->sale) {  // refused at commit time (another terminal, a race): say why
          Preview p;
          p.session = session_;
          p.check = o.result->check;
          p.prices = prices_;
          show(p, -1);
          trace("checkout_refused");
          return;
        }
        const Invoice& inv = *o.result->invoice;
        // The sale is committed: printing can fail or be repeated, the sale cannot. It prints in
        // the background (the drawer opens for the original), or goes to files with no printer.
        const wxImage image = render_invoice_image(inv, o.text);
        last_invoice_ = std::stoll(inv.invoice_no);
        print_note_->SetLabel(wxEmptyString);
        // The change stays on the screen until the next sale: the clerk counts it out after the
        // payment dialog has gone.
        if (o.result->change > 0)
          last_sale_->SetLabel(wxString::Format(_("Last sale: invoice %s, total %s, change %s"), U(inv.invoice_no),
                                                U(format_yuan(inv.total)), U(format_yuan(o.result->change))));
        else
          last_sale_->SetLabel(wxString::Format(_("Last sale: invoice %s, total %s"), U(inv.invoice_no),
                                                U(format_yuan(inv.total))));
        trace("sale_committed", {{"invoice_no", inv.invoice_no},
                                 {"total", format_yuan(inv.total)},
                                 {"subsidy", format_yuan(inv.subsidy)},
                                 {"invoice_file", dir + "/invoice-" + inv.invoice_no + ".png"},
                                 {"provisional", o.result->provisional},
                                 {"change", format_yuan(o.result->change)},
                                 {"drawer", drawer}});
        // The drawer opens when cash was taken; a sale paid by card or mobile alone keeps it shut.
        counter_printer().invoice(liveness_, inv, o.text, image, dir, /*open_drawer=*/drawer,
                                  [this](const PrintOutcome& p) { show_print(p); });
        frame_.sale_made();
        new_sale();
        // On the screen the buyer's ID number is masked like everywhere else on screens; the
        // paper and the invoice file carry it in full, as the policy demands.
        Invoice shown = inv;
        shown.buyer_id = mask_id_text(inv.buyer_id);
        show_receipt(render_invoice_image(shown, render_invoice_text(shown)));
      });
}

void SalePanel::show_print(const PrintOutcome& p) {
  if (p.ok) {
    if (!p.to_printer && p.copy_no == 0) return;  // files, as ever: nothing to say
    print_note_->SetLabel(p.copy_no > 0 ? wxString::Format(_("Invoice %s printed again: COPY %d"), U(p.invoice_no), p.copy_no)
                                        : wxString::Format(_("Invoice %s printed"), U(p.invoice_no)));
    print_note_->SetForegroundColour(kGreen);
  } else {
    // The sale stands whatever the printer did; one key prints it again.
    print_note_->SetLabel(wxString::Format(_("Printing failed: %s The sale is saved. Press F12 to print it again."),
                                           pick(p.message_zh, p.message_en)));
    print_note_->SetForegroundColour(kRed);
  }
  print_note_->Wrap(520);
  trace("print_note", {{"ok", p.ok}, {"text", print_note_->GetLabel().utf8_string()}, {"red", !p.ok}});
  Layout();
}

void SalePanel::reprint_last() {
  if (last_invoice_ == 0) {
    trace("reprint_nothing");
    return;
  }
  print_note_->SetLabel(_("Printing a copy..."));
  print_note_->SetForegroundColour(kGrey);
  Layout();
  trace("reprint_requested", {{"invoice_no", format_invoice_no(last_invoice_)}});
  counter_printer().copy(liveness_, user_, last_invoice_, frame_.options().invoice_dir,
                         [this](const PrintOutcome& p) { show_print(p); });
}

void SalePanel::show_receipt(const wxImage& image) {
  receipt_image_->SetBitmap(wxBitmap(image));
  lines_->Hide();
  receipt_->Show();
  receipt_->FitInside();
  Layout();
  trace("receipt_shown");
}

void SalePanel::hide_receipt() {
  if (!receipt_->IsShown()) return;
  receipt_->Hide();
  lines_->Show();
  Layout();
}


}  // namespace hn::ui
