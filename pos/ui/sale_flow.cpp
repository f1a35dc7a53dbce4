// The counter's corrections and questions (issue 16): F7 asks before a cart is thrown away,
// F10 on a blocked sale says why, a scanned serial's fate is said in the hint line, the detail
// pane shows the selected line whole, 户号 is checked for its form. Part of SalePanel; the
// rules live in app::CounterSession (pos/app/counter.cpp), where they are unit-tested.
#include "ui/sale_panel.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "ui/ask.hpp"
#include "ui/i18n.hpp"
#include "ui/main_frame.hpp"
#include "ui/palette.hpp"
#include "ui/trace.hpp"

namespace hn::ui {

using namespace palette;

namespace {
const char* outcome_name(app::ScanOutcome o) {
  switch (o) {
    case app::ScanOutcome::NewLine: return "new_line";
    case app::ScanOutcome::SerialPaired: return "serial_paired";
    case app::ScanOutcome::AlreadyInCart: return "already_in_cart";
    case app::ScanOutcome::NotACard: return "unknown_card";
    case app::ScanOutcome::SerialReplaced: return "serial_replaced";
    case app::ScanOutcome::NoLineWaits: return "no_line_waits";
    case app::ScanOutcome::SerialInCart: return "serial_in_cart";
  }
  return "";
}
}  // namespace

void SalePanel::discard_sale() {
  if (!session_.lines.empty()) {
    Fen total = 0;
    for (const Fen p : prices_) total += p;
    Question q{"new_sale",
               _("New sale"),
               wxString::Format(_("Throw away this sale of %d line(s), %s yuan, and start a new one?"),
                                static_cast<int>(session_.lines.size()), U(format_yuan(total))),
               _("Keep the sale (Enter)"),
               _("Throw it away (Y)"),
               {{"lines", session_.lines.size()}, {"total", format_yuan(total)}}};
    if (!ask_before_loss(this, q)) {
      scan_->SetFocus();
      return;
    }
  }
  new_sale();
}

void SalePanel::explain_blocked() {
  const auto why = session_.blockers(check_);
  nlohmann::json reasons = nlohmann::json::array();
  for (const auto& b : why)
    reasons.push_back({{"code", b.code}, {"item", b.item}, {"message_zh", b.message_zh}, {"message_en", b.message_en}});
  wxString text;
  if (checking_out_) {
    text = _("Checking out: wait for the invoice.");
  } else if (!why.empty()) {
    // The first reason in full; how many more there are (the detail pane lists a line's own).
    const auto& b = why.front();
    text = _("Cannot check out:") + " " +
           (b.item >= 0 ? wxString::Format(_("line %d: "), b.item + 1) : wxString()) + pick(b.message_zh, b.message_en) +
           " [" + U(b.code) + "]";
    if (why.size() > 1) text += " " + wxString::Format(_("(and %d more, see the red lines)"), static_cast<int>(why.size() - 1));
  }
  if (!text.empty()) {
    hint_->SetLabel(text);
    hint_->SetForegroundColour(kRed);
    hint_->Wrap(std::max(300, hint_->GetParent()->GetClientSize().x / 2));
    Layout();
  }
  trace("checkout_blocked", {{"reasons", reasons}, {"hint", text.utf8_string()}});
}

void SalePanel::after_scan(const Preview& p) {
  const int line = p.session.scanned_line();
  wxString text;
  bool red = false;
  switch (p.outcome) {
    case app::ScanOutcome::AlreadyInCart:
      text = wxString::Format(_("Card %s is already in this sale"), U(p.scanned));
      red = true;
      break;
    case app::ScanOutcome::SerialInCart:
      text = wxString::Format(_("Serial %s is already on line %d"), U(p.scanned), line + 1);
      red = true;
      break;
    case app::ScanOutcome::NoLineWaits:
      text = wxString::Format(_("%s is not a label card of this outlet and no line waits for a serial: scan the "
                                "product's label card first"),
                              U(p.scanned));
      red = true;
      break;
    case app::ScanOutcome::SerialReplaced:
      // Corrected in place; while the new serial is still wrong, the hint says to scan again.
      if (!session_.mismatched(static_cast<std::size_t>(line)))
        text = wxString::Format(_("Line %d: serial replaced by %s and checked again"), line + 1, U(p.scanned));
      break;
    default: break;
  }
  if (!text.empty()) {
    hint_->SetLabel(text);
    hint_->SetForegroundColour(red ? kRed : kGreen);
    Layout();
  }
  trace("scan_outcome", {{"code", p.scanned}, {"outcome", outcome_name(p.outcome)}, {"line", line},
                         {"lines", p.session.lines.size()}});
}

void SalePanel::show_detail() {
  long row = lines_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
  if (row < 0) row = session_.scanned_line();
  if (row < 0 || static_cast<std::size_t>(row) >= session_.lines.size())
    row = static_cast<long>(session_.lines.size()) - 1;
  wxString text;
  bool refused = false;
  if (row >= 0 && static_cast<std::size_t>(row) < session_.lines.size()) {
    const auto i = static_cast<std::size_t>(row);
    const auto& l = session_.lines[i];
    text = wxString::Format(_("Line %d   Label card: %s   Serial: %s"), static_cast<int>(i + 1), U(l.card_no),
                            l.serial_no.empty() ? _("not scanned yet") : U(l.serial_no));
    if (i < check_.lines.size() && check_.lines[i].model)
      text += "   " + wxString::Format(_("Model: %s"), U(check_.lines[i].model->brand + " " + check_.lines[i].model->model_code));
    for (const auto& f : check_.findings) {
      if (f.item != static_cast<int>(i)) continue;
      text += "\n" + (f.severity == Severity::Refuse ? _("Refused") : _("Warning")) + " [" +
              U(std::string(finding_code_name(f.code))) + "] " + pick(f.message_zh, f.message_en);
      refused = refused || f.severity == Severity::Refuse;
    }
  }
  if (text == detail_text_) return;
  detail_text_ = text;
  detail_->SetLabel(text);
  detail_->SetForegroundColour(refused ? kRed : wxColour(0x26, 0x32, 0x38));
  detail_->Wrap(std::max(400, lines_->GetClientSize().x - 8));
  Layout();
  trace("line_detail", {{"line", row}, {"text", detail_->GetLabel().utf8_string()}});
}

bool SalePanel::show_household_form(bool entered) {
  const std::string& text = session_.buyer.household;
  const auto problem = app::household_problem(text);
  // While it is typed, a number too short is not yet wrong; a letter no 户号 has already is.
  const bool alnum = std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  });
  const bool say = problem && (entered || !alnum || text.size() > 20);
  household_state_->SetLabel(say ? wxString::FromUTF8("✗ ") + pick(problem->message_zh, problem->message_en) + " [" +
                                       U(problem->code) + "]"
                                 : wxString());
  household_state_->Wrap(300);
  Layout();
  if (entered) trace("household_entered", {{"code", problem ? problem->code : ""}});
  return !problem;
}

void SalePanel::clear_id_marks() {
  id_state_->SetLabel(wxEmptyString);
  mark_doubtful(id_, false);
  session_.buyer.id_text.clear();
  session_.buyer.county.reset();
  clear_card();
  trace("id_cleared");
  update_reader_arm();
  request_preview();
}

}  // namespace hn::ui
