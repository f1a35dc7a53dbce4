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
#include "ui/palette.hpp"
#include "ui/trace.hpp"

namespace hn::ui {

using namespace palette;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

wxString category_text(Category c) {
  return pick(std::string(category_name_zh(c)), std::string(category_name_en(c)));
}

wxStaticText* big_label(wxWindow* parent, const wxString& text, float scale = 1.6f) {
  auto* l = new wxStaticText(parent, wxID_ANY, text);
  l->SetFont(l->GetFont().Scaled(scale).Bold());
  return l;
}

nlohmann::json finding_json(const Finding& f) {
  return {{"code", finding_code_name(f.code)},
          {"severity", severity_name(f.severity)},
          {"item", f.item},
          {"message_zh", f.message_zh},
          {"message_en", f.message_en}};
}
}  // namespace

SalePanel::SalePanel(wxWindow* parent, MainFrame& frame) : wxPanel(parent), frame_(frame) { build(); }

void SalePanel::build() {
  auto* root = new wxBoxSizer(wxVERTICAL);
  auto* body = new wxBoxSizer(wxHORIZONTAL);

  // Buyer panel.
  auto* buyer_box = new wxStaticBoxSizer(wxVERTICAL, this, _("Buyer"));
  auto* grid = new wxFlexGridSizer(2, 6, 8);
  grid->AddGrowableCol(1);
  auto label = [&](const wxString& text) {
    grid->Add(new wxStaticText(buyer_box->GetStaticBox(), wxID_ANY, text), 0, wxALIGN_CENTER_VERTICAL);
  };
  label(_("ID number (F2)"));
  id_ = new wxTextCtrl(buyer_box->GetStaticBox(), wxID_ANY, wxEmptyString, wxDefaultPosition, wxSize(230, -1));
  id_->SetFont(id_->GetFont().Scaled(1.2f));
  id_->SetMaxLength(18);
  grid->Add(id_, 1, wxEXPAND);
  grid->AddSpacer(0);
  id_state_ = new wxStaticText(buyer_box->GetStaticBox(), wxID_ANY, wxEmptyString);
  grid->Add(id_state_, 1, wxEXPAND);
  label(_("Name"));
  name_ = new wxTextCtrl(buyer_box->GetStaticBox(), wxID_ANY);
  grid->Add(name_, 1, wxEXPAND);
  label(_("Household no."));
  household_ = new wxTextCtrl(buyer_box->GetStaticBox(), wxID_ANY);
  grid->Add(household_, 1, wxEXPAND);
  grid->AddSpacer(0);
  household_state_ = new wxStaticText(buyer_box->GetStaticBox(), wxID_ANY, wxEmptyString);
  household_state_->SetForegroundColour(kRed);
  grid->Add(household_state_, 1, wxEXPAND);
  label(_("Hukou"));
  hukou_ = new wxChoice(buyer_box->GetStaticBox(), wxID_ANY);
  hukou_->Append(_("agricultural"));
  hukou_->Append(_("non-agricultural"));
  hukou_->SetSelection(0);
  grid->Add(hukou_, 1, wxEXPAND);
  buyer_box->Add(grid, 0, wxEXPAND | wxALL, 6);
  buyer_box->Add(new wxStaticText(buyer_box->GetStaticBox(), wxID_ANY, _("Household may still buy:")), 0,
                 wxLEFT | wxTOP, 6);
  remaining_ = new wxStaticText(buyer_box->GetStaticBox(), wxID_ANY, wxEmptyString);
  buyer_box->Add(remaining_, 0, wxALL | wxEXPAND, 6);
  document_note_ = new wxStaticText(buyer_box->GetStaticBox(), wxID_ANY, wxEmptyString);
  buyer_box->Add(document_note_, 0, wxALL | wxEXPAND, 6);
  build_card_area(buyer_box->GetStaticBox(), buyer_box);
  body->Add(buyer_box, 0, wxEXPAND | wxALL, 6);

  // Scan field, lines, findings.
  auto* right = new wxBoxSizer(wxVERTICAL);
  auto* scan_row = new wxBoxSizer(wxHORIZONTAL);
  scan_row->Add(big_label(this, _("Scan (F3)"), 1.3f), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
  scan_ = new wxTextCtrl(this, wxID_ANY, wxEmptyString, wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER);
  scan_->SetFont(scan_->GetFont().Scaled(1.4f));
  scan_row->Add(scan_, 1, wxEXPAND);
  right->Add(scan_row, 0, wxEXPAND | wxBOTTOM, 4);
  hint_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
  hint_->SetFont(hint_->GetFont().Scaled(1.15f));
  hint_->SetForegroundColour(wxColour(0x1f, 0x4e, 0x9a));
  right->Add(hint_, 0, wxEXPAND | wxBOTTOM, 6);

  lines_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxSize(-1, 260), wxLC_REPORT | wxLC_SINGLE_SEL);
  const std::pair<wxString, int> columns[] = {
      {"#", 30},          {_("Label card"), 200}, {_("Serial"), 200}, {_("Model"), 170},
      {_("Category"), 80}, {_("Cap"), 72},         {_("Price"), 72},   {_("Subsidy"), 68},
      {_("Status"), 300}};
  for (const auto& [title, width] : columns) lines_->AppendColumn(title, wxLIST_FORMAT_LEFT, width);
  // The status column takes what is left, so findings beside a line are read in full.
  lines_->Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
    int used = 0;
    for (int c = 0; c + 1 < lines_->GetColumnCount(); ++c) used += lines_->GetColumnWidth(c);
    lines_->SetColumnWidth(lines_->GetColumnCount() - 1, std::max(200, lines_->GetClientSize().x - used));
    e.Skip();
  });
  // The card and serial columns fit a whole 20-digit card number and a long serial, so the
  // digits where two numbers differ are never the ones cut off (issue 16).
  const int digits = lines_->GetTextExtent("00000000000000000000").x + 24;
  lines_->SetColumnWidth(1, std::max(200, digits));
  lines_->SetColumnWidth(2, std::max(200, digits));
  lines_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent& e) { show_detail(); e.Skip(); });
  right->Add(lines_, 1, wxEXPAND | wxBOTTOM, 6);
  // The selected (else the last scanned) line in full, wrapped: card, serial, model and every
  // finding's whole text, which a list column would cut off.
  detail_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
  detail_->SetFont(detail_->GetFont().Scaled(1.1f));
  right->Add(detail_, 0, wxEXPAND | wxBOTTOM, 6);
  receipt_ = new wxScrolledWindow(this, wxID_ANY, wxDefaultPosition, wxSize(-1, 260));
  receipt_->SetBackgroundColour(wxColour(0xe0, 0xe0, 0xe0));
  receipt_image_ = new wxStaticBitmap(receipt_, wxID_ANY, wxBitmap(1, 1));
  auto* rs = new wxBoxSizer(wxVERTICAL);
  rs->Add(receipt_image_, 0, wxALIGN_CENTER_HORIZONTAL | wxALL, 8);
  receipt_->SetSizer(rs);
  receipt_->SetScrollRate(10, 10);
  receipt_->Hide();
  right->Add(receipt_, 1, wxEXPAND | wxBOTTOM, 6);

  right->Add(new wxStaticText(this, wxID_ANY, _("Policy check")), 0, wxBOTTOM, 2);
  findings_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxSize(-1, 120),
                             wxLC_REPORT | wxLC_NO_HEADER | wxLC_SINGLE_SEL);
  findings_->AppendColumn(wxEmptyString, wxLIST_FORMAT_LEFT, 1200);
  findings_->SetCanFocus(false);
  right->Add(findings_, 0, wxEXPAND);
  body->Add(right, 1, wxEXPAND | wxALL, 6);
  root->Add(body, 1, wxEXPAND);

  // Totals and checkout.
  auto* totals = new wxBoxSizer(wxHORIZONTAL);
  total_ = big_label(this, wxEmptyString);
  subsidy_ = big_label(this, wxEmptyString);
  pay_ = big_label(this, wxEmptyString);
  subsidy_->SetForegroundColour(kGreen);
  totals->Add(total_, 0, wxALL | wxALIGN_CENTER_VERTICAL, 8);
  totals->Add(subsidy_, 0, wxALL | wxALIGN_CENTER_VERTICAL, 8);
  totals->Add(pay_, 0, wxALL | wxALIGN_CENTER_VERTICAL, 8);
  totals->AddStretchSpacer();
  last_sale_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
  auto* last = new wxBoxSizer(wxVERTICAL);
  last->Add(last_sale_, 0, wxALIGN_RIGHT);
  print_note_ = new wxStaticText(this, wxID_ANY, wxEmptyString);  // the printer's word (F12)
  last->Add(print_note_, 0, wxALIGN_RIGHT | wxTOP, 2);
  totals->Add(last, 0, wxALL | wxALIGN_CENTER_VERTICAL, 8);
  checkout_ = new wxButton(this, wxID_ANY, _("Check out (F10)"), wxDefaultPosition, wxSize(200, 56));
  checkout_->SetFont(checkout_->GetFont().Scaled(1.4f).Bold());
  checkout_->SetCanFocus(false);
  totals->Add(checkout_, 0, wxALL, 6);
  root->Add(totals, 0, wxEXPAND);

  auto* keys = new wxStaticText(
      this, wxID_ANY,
      _("F1 Help   F2 ID number   F3 Scan   F4 Change price   F5 Remove line   F6 Scan document   "
        "F7 New sale   F8 Hold/recall   F9 Manager   F10 Check out   F11 Lock   F12 Reprint   Shift+F3 Camera"));
  keys->SetFont(keys->GetFont().Bold());
  keys->SetBackgroundColour(wxColour(0x26, 0x32, 0x38));
  keys->SetForegroundColour(*wxWHITE);
  root->Add(keys, 0, wxEXPAND | wxALL, 0);
  SetSizer(root);

  id_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { on_id_text(); });
  id_->Bind(wxEVT_KEY_DOWN, [this](wxKeyEvent& e) {
    if (e.GetKeyCode() != WXK_RETURN && e.GetKeyCode() != WXK_NUMPAD_ENTER) return e.Skip();
    if (!id_shown_masked_) check_id(true);
    // Enter, and only Enter, moves on: an accepted number to the next empty field.
    if (id_shown_masked_) (name_->IsEmpty() ? static_cast<wxWindow*>(name_)
                           : household_->IsEmpty() ? static_cast<wxWindow*>(household_)
                                                    : static_cast<wxWindow*>(scan_))->SetFocus();
  });
  id_->Bind(wxEVT_SET_FOCUS, [this](wxFocusEvent& e) {
    // A masked number is for reading: focusing the field starts a new entry.
    if (id_shown_masked_) {
      id_shown_masked_ = false;
      id_->ChangeValue(wxEmptyString);
      clear_id_marks();  // the ✓ and the card's details go with the number
    }
    e.Skip();
  });
  // A field the clerk corrects by hand is no longer the reader's doubt (ChangeValue, used when
  // a document fills the panel, sends no event).
  name_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { mark_doubtful(name_, false); on_buyer_changed(); });
  household_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) {
    mark_doubtful(household_, false);
    on_buyer_changed();
    show_household_form(false);
  });
  hukou_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) { mark_doubtful(hukou_, false); on_buyer_changed(); });
  documents_ = std::make_unique<DocumentScanner>(frame_.options().document_files, frame_.options().camera_device);
  for (wxWindow* w : {static_cast<wxWindow*>(name_), static_cast<wxWindow*>(household_)}) {
    w->Bind(wxEVT_KEY_DOWN, [this, w](wxKeyEvent& e) {
      if (e.GetKeyCode() == WXK_RETURN || e.GetKeyCode() == WXK_NUMPAD_ENTER) {
        // A 户号 that is not one keeps the focus, its refusal under it.
        if (w == household_ && !show_household_form(true)) return;
        (w == name_ ? static_cast<wxWindow*>(household_) : static_cast<wxWindow*>(scan_))->SetFocus();
        return;
      }
      e.Skip();
    });
  }
  scan_->Bind(wxEVT_CHAR, [this](wxKeyEvent& e) {
    // The key's own time (the X server's, in ms), so a busy event loop does not stretch a burst.
    const std::int64_t at = e.GetTimestamp() != 0 ? static_cast<std::int64_t>(e.GetTimestamp()) : now_ms();
    if (e.GetKeyCode() == WXK_RETURN || e.GetKeyCode() == WXK_NUMPAD_ENTER)
      enter_at_ = at;
    else if (e.GetKeyCode() >= 32)
      detector_.key(at);
    e.Skip();
  });
  scan_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { on_scan_enter(); });
  checkout_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { checkout(); });
  // A return's paper that did not print says so here too, once the returns screen is closed.
  counter_printer().on_failure(liveness_, [this](const PrintOutcome& p) { show_print(p); });
}

void SalePanel::start(const app::UserRecord& user) {
  const bool same = user.login == user_.login;
  user_ = user;
  if (!same) new_sale();
  else request_preview();
  id_->SetFocus();
}

bool SalePanel::handle_key(wxKeyEvent& event) {
  switch (event.GetKeyCode()) {
    case WXK_F1: show_help(); return true;
    case WXK_F2: id_->SetFocus(); return true;
    case WXK_F4: change_price(); return true;
    case WXK_F5: remove_line(); return true;
    case WXK_F6: scan_document(); return true;
    case WXK_F7: discard_sale(); return true;
    case WXK_F8: hold_or_recall(); return true;  // 挂单/取单 (sale_hold.cpp)
    case WXK_F9: open_manager_menu(); return true;
    case WXK_F10: checkout(); return true;
    case WXK_F3:
      // Shift+F3: the same scan field, read from the camera (stickers the scanner cannot read).
      if (event.ShiftDown()) camera_scan();
      else scan_->SetFocus();
      return true;
    case WXK_F12: reprint_last(); return true;
    default: return false;
  }
}

void SalePanel::on_scan_enter() {
  hide_receipt();
  const bool burst = detector_.finish(enter_at_ != 0 ? enter_at_ : now_ms());
  enter_at_ = 0;
  const std::string code = trim(scan_->GetValue().utf8_string());
  scan_->Clear();
  if (code.empty()) return;
  scans_.push_back({code, burst ? app::EntryMode::Scanned : app::EntryMode::Typed,
                    std::chrono::steady_clock::now(),
                    static_cast<int>(lines_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED))});
  trace("scan", {{"code", code}, {"mode", burst ? "scanner" : "typed"}});
  pump_scans();
}

void SalePanel::pump_scans() {
  if (scan_busy_ || scans_.empty()) return;
  scan_busy_ = true;
  Scan s = scans_.front();
  scans_.pop_front();
  request_preview(s);
}

void SalePanel::request_preview(std::optional<Scan> scan) {
  const std::uint64_t generation = ++generation_;
  app::CounterSession session = session_;
  std::map<std::string, Fen> caps = caps_;
  const auto started = scan ? scan->at : std::chrono::steady_clock::now();
  frame_.worker().ask<Preview>(
      liveness_,
      [session, caps, scan](app::Terminal& t) mutable {
        Preview p;
        if (scan) {
          p.scanned = scan->code;
          p.outcome = session.scan(scan->code, scan->mode, [&t](const std::string& code) {
            return is_valid_card_no(code) && t.card_exists(code);
          }, scan->selected);
        }
        auto prices_for = [&](const app::CounterSession& s) {
          std::vector<Fen> caps_now;
          for (const auto& l : s.lines) caps_now.push_back(caps.count(l.card_no) ? caps[l.card_no] : 0);
          return caps_now;
        };
        Cart cart = session.cart(prices_for(session));
        p.check = t.preview(cart);
        // A line's price defaults to its cap (the bid price): learn new caps, check again.
        bool learned = false;
        for (std::size_t i = 0; i < p.check.lines.size(); ++i) {
          const auto& l = p.check.lines[i];
          if (l.cap > 0 && !caps.count(l.card_no)) {
            caps[l.card_no] = l.cap;
            learned = learned || !session.lines[i].price;
          }
        }
        if (learned) {
          cart = session.cart(prices_for(session));
          p.check = t.preview(cart);
        }
        for (const auto& item : cart.items) p.prices.push_back(item.price);
        p.session = std::move(session);
        return p;
      },
      [this, generation, scan, started](Preview& p) {
        if (scan) {
          scan_busy_ = false;
          session_ = p.session;  // scans apply in order, one at a time
        } else if (generation != generation_) {
          return;  // a newer check is on its way
        }
        for (std::size_t i = 0; i < p.check.lines.size(); ++i)
          if (p.check.lines[i].cap > 0) caps_[p.check.lines[i].card_no] = p.check.lines[i].cap;
        // The session may have changed while the check ran (typing in the buyer panel):
        // only show results that match what is on screen now.
        const bool current = p.session.lines.size() == session_.lines.size() &&
                             p.session.buyer.id_text == session_.buyer.id_text &&
                             p.session.buyer.household == session_.buyer.household &&
                             p.session.buyer.name == session_.buyer.name &&
                             p.session.buyer.hukou == session_.buyer.hukou;
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        if (current) show(p, scan ? ms : -1);
        else request_preview();
        if (scan) after_scan(p);
        pump_scans();
      });
}

void SalePanel::show(const Preview& p, double scan_ms) {
  check_ = p.check;
  prices_ = p.prices;
  session_.checked(check_);  // the next serial knows which line it corrects
  const long kept = lines_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
  lines_->Freeze();
  lines_->DeleteAllItems();
  nlohmann::json traced = nlohmann::json::array();
  for (std::size_t i = 0; i < session_.lines.size() && i < check_.lines.size(); ++i) {
    const auto& line = session_.lines[i];
    const auto& pl = check_.lines[i];
    const long row = lines_->InsertItem(static_cast<long>(i), wxString::Format("%d", static_cast<int>(i + 1)));
    lines_->SetItem(row, 1, U(line.card_no) + (line.card_entry == app::EntryMode::Typed ? _(" (typed)") : wxString()));
    lines_->SetItem(row, 2, line.serial_no.empty() ? _("scan the serial") : U(line.serial_no) +
                    (line.serial_entry == app::EntryMode::Typed ? _(" (typed)") : wxString()));
    if (pl.model) {
      lines_->SetItem(row, 3, U(pl.model->brand + " " + pl.model->model_code));
      lines_->SetItem(row, 4, category_text(pl.model->category));
    }
    if (pl.cap > 0) lines_->SetItem(row, 5, U(format_yuan(pl.cap)));
    lines_->SetItem(row, 6, U(format_yuan(i < prices_.size() ? prices_[i] : 0)));
    lines_->SetItem(row, 7, U(format_yuan(pl.subsidy)));
    wxString status;
    bool refused = false, warned = false;
    for (const auto& f : check_.findings) {
      if (f.item != static_cast<int>(i)) continue;
      if (!status.empty()) status += "; ";
      status += pick(f.message_zh, f.message_en);
      (f.severity == Severity::Refuse ? refused : warned) = true;
    }
    if (status.empty()) status = line.serial_no.empty() ? _("waiting for the product serial") : wxString::FromUTF8("✓");
    lines_->SetItem(row, 8, status);
    lines_->SetItemTextColour(row, refused ? kRed : warned ? kAmber : line.serial_no.empty() ? kGrey : kGreen);
    traced.push_back({{"card", line.card_no},
                      {"serial", line.serial_no},
                      {"model", pl.model ? pl.model->model_code : ""},
                      {"price", format_yuan(i < prices_.size() ? prices_[i] : 0)},
                      {"subsidy", format_yuan(pl.subsidy)},
                      {"card_entry", line.card_entry == app::EntryMode::Scanned ? "scanner" : "typed"},
                      {"serial_entry", line.serial_entry == app::EntryMode::Scanned ? "scanner" : "typed"},
                      {"state", refused ? "refused" : warned ? "warn" : "ok"}});
  }
  if (!session_.lines.empty()) lines_->EnsureVisible(static_cast<long>(session_.lines.size()) - 1);
  if (kept >= 0 && kept < lines_->GetItemCount())  // the clerk's selection outlives a check
    lines_->SetItemState(kept, wxLIST_STATE_SELECTED, wxLIST_STATE_SELECTED);
  lines_->Thaw();

  findings_->DeleteAllItems();
  nlohmann::json traced_findings = nlohmann::json::array();
  // Buyer findings only once the buyer is typed in; line findings always.
  const bool buyer_entered = !session_.buyer.id_text.empty() || !session_.lines.empty();
  for (const auto& f : check_.findings) {
    if (!buyer_entered && f.item < 0) continue;
    if (f.code == FindingCode::InvoiceEmpty && session_.lines.empty()) continue;
    const wxString where = f.item >= 0 ? wxString::Format(_("line %d: "), f.item + 1) : wxString();
    const long row = findings_->InsertItem(findings_->GetItemCount(),
                                           (f.severity == Severity::Refuse ? _("Refused") : _("Warning")) +
                                               " [" + U(std::string(finding_code_name(f.code))) + "] " + where +
                                               pick(f.message_zh, f.message_en));
    findings_->SetItemTextColour(row, f.severity == Severity::Refuse ? kRed : kAmber);
    traced_findings.push_back(finding_json(f));
  }

  wxString remaining;
  for (const auto& [cat, n] : check_.remaining) {
    if (!remaining.empty()) remaining += "   ";
    remaining += category_text(cat) + wxString::Format(" %d", n);
  }
  // No quota for a 户号 that is not one: it would be a quota for nobody.
  remaining_->SetLabel(session_.buyer.household.empty()               ? wxString(_("(type the household number)"))
                       : app::household_problem(session_.buyer.household) ? wxString(_("(check the household number)"))
                                                                          : remaining);
  remaining_->Wrap(300);
  total_->SetLabel(wxString::Format(_("Total %s"), U(format_yuan(check_.total))));
  subsidy_->SetLabel(wxString::Format(_("Subsidy %s"), U(format_yuan(check_.subsidy))));
  pay_->SetLabel(wxString::Format(_("Buyer pays now %s"), U(format_yuan(check_.total))));
  const bool ready = !checking_out_ && session_.ready(check_);
  checkout_->Enable(ready);
  const auto [zh, en] = session_.next_step(&check_);
  hint_->SetLabel(pick(zh, en));
  hint_->SetForegroundColour(check_.refused() && !session_.lines.empty() ? kRed : wxColour(0x1f, 0x4e, 0x9a));
  show_detail();
  Layout();

  nlohmann::json event = {{"lines", traced},
                          {"findings", traced_findings},
                          {"checkout_enabled", ready},
                          {"total", format_yuan(check_.total)},
                          {"subsidy", format_yuan(check_.subsidy)},
                          {"hint", hint_->GetLabel().utf8_string()},
                          // The buyer panel's marks, never the numbers themselves.
                          {"buyer", {{"id_set", !session_.buyer.id_text.empty()},
                                     {"id_state", id_state_->GetLabel().utf8_string()},
                                     {"name_set", !session_.buyer.name.empty()},
                                     {"household_state", household_state_->GetLabel().utf8_string()},
                                     {"remaining", remaining_->GetLabel().utf8_string()}}}};
  if (scan_ms >= 0) event["scan_to_shown_ms"] = scan_ms;
  trace("screen", event);
}

int SalePanel::selected_line() const {
  const long sel = lines_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
  if (sel >= 0) return static_cast<int>(sel);
  return session_.lines.empty() ? -1 : static_cast<int>(session_.lines.size()) - 1;
}

void SalePanel::change_price() {
  const int line = selected_line();
  if (line < 0) return;
  const auto idx = static_cast<std::size_t>(line);
  const Fen current = idx < prices_.size() ? prices_[idx] : 0;
  wxTextEntryDialog dlg(this,
                        wxString::Format(_("New price for card %s (yuan). Prices may go down, never up."),
                                         U(session_.lines[idx].card_no)),
                        _("Change price"), U(format_yuan(current)));
  if (dlg.ShowModal() != wxID_OK) return;
  const auto price = parse_yuan(trim(dlg.GetValue().utf8_string()));
  if (!price) {
    frame_.show_error(_("Not a price: write yuan with up to two decimals, e.g. 1899.00"));
    return;
  }
  session_.set_price(idx, *price);
  trace("price_changed", {{"line", line}, {"price", format_yuan(*price)}});
  request_preview();
  scan_->SetFocus();
}

void SalePanel::remove_line() {
  const int line = selected_line();
  if (line < 0) return;
  session_.remove(static_cast<std::size_t>(line));
  request_preview();
  scan_->SetFocus();
}

void SalePanel::new_sale() {
  session_.clear();
  prices_.clear();
  scans_.clear();
  id_shown_masked_ = false;
  id_->ChangeValue(wxEmptyString);
  id_state_->SetLabel(wxEmptyString);
  name_->ChangeValue(wxEmptyString);
  household_->ChangeValue(wxEmptyString);
  household_state_->SetLabel(wxEmptyString);
  hukou_->SetSelection(0);
  document_note_->SetLabel(wxEmptyString);
  clear_card();
  for (wxWindow* w : {static_cast<wxWindow*>(id_), static_cast<wxWindow*>(name_), static_cast<wxWindow*>(household_),
                      static_cast<wxWindow*>(hukou_)})
    mark_doubtful(w, false);
  request_preview();
  id_->SetFocus();
  update_reader_arm();
  trace("new_sale");
}

void SalePanel::show_help() {
  wxMessageBox(_("F2 ID number: type or read the buyer's ID card; it is checked as you type.\n"
                 "F3 Scan: scan the label card, then the product's serial.\n"
                 "F4 Change price: lower the price of the selected line (never above the cap).\n"
                 "F5 Remove line   F7 New sale   F9 Manager functions\n"
                 "F6 Scan document: read the buyer's ID card or household register page with the camera or a "
                 "scanned file; fields in yellow must be checked against the document.\n"
                 "F10 Check out: commits the sale, then prints the invoice.\n"
                 "F12 Reprint: prints the last sale's invoice again, marked COPY (after a printer failure).\n"
                 "F11 or Ctrl+L: lock the screen.") +
                   "\n" + _("F8 Hold: with lines, holds the sale (buyer and lines; the cards stay reserved) and clears "
                           "the counter for the next buyer; on an empty counter, lists the held sales: Enter recalls "
                           "one, Delete drops one.") +
                   "\n" +
                   _("Payment (after F10): Enter takes the amount due in cash; type the cash tendered to see the "
                     "change; F3 bank card, F4 mobile payment (with the reference); Esc back to the cart.") +
                   "\n" +
                   pick("Shift+F3 摄像头:把标识卡或序列号标签对准摄像头读码(扫描枪读不出时用)。\n"
                        "身份证阅读器:把身份证放在阅读器上,买方信息自动填入;照片仅供核对,不保存。",
                        "Shift+F3 Camera: hold a label card or serial sticker up to the camera (for stickers the "
                        "scanner cannot read).\nID card reader: put the card on the reader and the buyer panel "
                        "fills by itself; the photo is for comparing faces and never kept."),
               _("Keys"), wxOK | wxICON_INFORMATION, this);
}

void SalePanel::open_manager_menu() {
  run_manager_menu(frame_, user_);
  request_preview();
  scan_->SetFocus();
}

}  // namespace hn::ui
