// The counter's F8 (挂单/取单, issue 16): a buyer who goes home for the 户口簿 leaves the sale
// held and the next buyer is served; on an empty counter F8 lists the held sales, and the one
// recalled comes back with its buyer and lines, checked again by the same preview. Part of
// SalePanel, kept apart from sale_panel.cpp.
#include "ui/sale_panel.hpp"

#include "core/id_number.hpp"
#include "core/money.hpp"
#include "ui/hold_dialog.hpp"
#include "ui/i18n.hpp"
#include "ui/main_frame.hpp"
#include "ui/palette.hpp"
#include "ui/trace.hpp"

namespace hn::ui {

using namespace palette;

void SalePanel::hold_or_recall() {
  if (checking_out_) return;
  if (session_.lines.empty()) {
    if (const auto h = show_hold_dialog(frame_, user_)) recall(*h);
    else scan_->SetFocus();
    return;
  }
  hide_receipt();
  // Lines without a price the clerk set are held as "the cap" (empty caps), as they were.
  const Cart cart = session_.cart({});
  const Fen total = check_.total;
  const app::UserRecord clerk = user_;
  frame_.worker().ask<app::Result<app::HeldSale>>(
      liveness_, [cart, clerk, total](app::Terminal& t) { return t.hold_sale(clerk, cart, total); },
      [this](app::Result<app::HeldSale>& r) {
        if (!r) {
          frame_.show_error(pick(r.problem().message_zh, r.problem().message_en));
          trace("hold_refused", {{"code", r.problem().code}});
          return;
        }
        const std::int64_t id = r->id;
        new_sale();
        last_sale_->SetLabel(wxString::Format(_("Sale held: #%lld (F8 on an empty counter recalls it)"),
                                              static_cast<long long>(id)));
        trace("sale_held", {{"hold", id}, {"label", last_sale_->GetLabel().utf8_string()}});
      });
}

void SalePanel::recall(const app::HeldSale& h) {
  new_sale();
  session_.held_id = h.id;
  session_.buyer.name = h.buyer_name;
  session_.buyer.household = h.household;
  session_.buyer.hukou = h.hukou;
  for (const auto& l : h.lines) {
    app::CounterLine line;
    line.card_no = l.card_no;
    line.serial_no = l.serial_no;
    line.price = l.price;
    session_.lines.push_back(std::move(line));
  }
  name_->ChangeValue(U(h.buyer_name));
  household_->ChangeValue(U(h.household));
  hukou_->SetSelection(h.hukou == Hukou::NonAgricultural ? 1 : 0);
  // The ID number as it was held: a valid one shown masked as ever, else as typed, checked again.
  const auto today = local_time_from_unix(app::SystemClock().unix_seconds(), 480).date;
  if (const auto id = IdNumber::parse(h.buyer_id, today)) {
    session_.buyer.id_text = id->digits();
    session_.buyer.county = h.buyer_county;
    id_shown_masked_ = true;
    id_->ChangeValue(U(id->masked()));
    id_state_->SetLabel(wxString::FromUTF8("✓ ") + _("valid ID number"));
    id_state_->SetForegroundColour(kGreen);
  } else {
    id_->ChangeValue(U(h.buyer_id));
    check_id(false);
  }
  last_sale_->SetLabel(wxString::Format(_("Held sale #%lld recalled"), static_cast<long long>(h.id)));
  trace("hold_recalled", {{"hold", h.id}, {"lines", h.lines.size()}});
  request_preview();
  scan_->SetFocus();
}

}  // namespace hn::ui
