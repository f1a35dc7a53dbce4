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
#include "ui/trace.hpp"

namespace hn::ui {

namespace {
const wxColour kRed(0xc6, 0x28, 0x28), kAmber(0xb3, 0x6b, 0x00), kGreen(0x1b, 0x7f, 0x3b),
    kGrey(0x70, 0x70, 0x70), kCheckMe(0xff, 0xe0, 0x82);

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
      {"#", 30},          {_("Label card"), 175}, {_("Serial"), 160}, {_("Model"), 170},
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
  right->Add(lines_, 1, wxEXPAND | wxBOTTOM, 6);
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
        "F7 New sale   F9 Manager   F10 Check out   F11 Lock   F12 Reprint") +
          "   " + pick("Shift+F3 摄像头读码", "Shift+F3 Camera"));
  keys->SetFont(keys->GetFont().Bold());
  keys->SetBackgroundColour(wxColour(0x26, 0x32, 0x38));
  keys->SetForegroundColour(*wxWHITE);
  root->Add(keys, 0, wxEXPAND | wxALL, 0);
  SetSizer(root);

  id_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { on_id_text(); });
  id_->Bind(wxEVT_KEY_DOWN, [this](wxKeyEvent& e) {
    if (e.GetKeyCode() == WXK_RETURN || e.GetKeyCode() == WXK_NUMPAD_ENTER) check_id(true);
    else e.Skip();
  });
  id_->Bind(wxEVT_SET_FOCUS, [this](wxFocusEvent& e) {
    // A masked number is for reading: focusing the field starts a new entry.
    if (id_shown_masked_) {
      id_shown_masked_ = false;
      id_->ChangeValue(wxEmptyString);
    }
    e.Skip();
  });
  // A field the clerk corrects by hand is no longer the reader's doubt (ChangeValue, used when
  // a document fills the panel, sends no event).
  name_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { mark_doubtful(name_, false); on_buyer_changed(); });
  household_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { mark_doubtful(household_, false); on_buyer_changed(); });
  hukou_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) { mark_doubtful(hukou_, false); on_buyer_changed(); });
  documents_ = std::make_unique<DocumentScanner>(frame_.options().document_files, frame_.options().camera_device);
  for (wxWindow* w : {static_cast<wxWindow*>(name_), static_cast<wxWindow*>(household_)}) {
    w->Bind(wxEVT_KEY_DOWN, [this, w](wxKeyEvent& e) {
      if (e.GetKeyCode() == WXK_RETURN || e.GetKeyCode() == WXK_NUMPAD_ENTER) {
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
    case WXK_F7: new_sale(); return true;
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

void SalePanel::on_id_text() { check_id(false); }

void SalePanel::check_id(bool entered) {
  if (id_shown_masked_) return;
  hide_receipt();
  const std::string text = trim(id_->GetValue().utf8_string());
  session_.buyer.id_text.clear();
  session_.buyer.county.reset();  // a county the card reader gave belongs to the card's number
  // An 18-character number is checked as soon as it is complete; a first-generation 15-digit
  // one when the clerk presses Enter (it is also a prefix of every 18-digit number).
  if (text.size() == 18 || (entered && !text.empty())) {
    IdNumberError err{};
    const auto today = local_time_from_unix(app::SystemClock().unix_seconds(), 480).date;
    const auto id = IdNumber::parse(text, today, &err);
    if (id) {
      // Accepted: keep the number for the sale, show it masked (personal data on screen).
      session_.buyer.id_text = id->digits();
      id_shown_masked_ = true;
      id_->ChangeValue(U(id->masked()));
      id_state_->SetLabel(wxString::FromUTF8("✓ ") + _("valid ID number"));
      id_state_->SetForegroundColour(kGreen);
      trace("id_accepted", {{"masked", id->masked()}});
      if (name_->IsEmpty()) name_->SetFocus();
      else if (household_->IsEmpty()) household_->SetFocus();
      else scan_->SetFocus();
    } else {
      Cart probe;
      probe.buyer.id_text = text;
      // The engine's own wording for why the number is wrong.
      SaleContext ctx;
      Catalog empty_catalog;
      PolicyPhase phase;
      ctx.catalog = &empty_catalog;
      ctx.policy = &phase;
      ctx.today = today;
      const SaleCheck c = check_sale(ctx, probe);
      for (const auto& f : c.findings)
        if (f.code == FindingCode::IdInvalid) {
          id_state_->SetLabel(wxString::FromUTF8("✗ ") + pick(f.message_zh, f.message_en));
          trace("id_rejected", {{"message_zh", f.message_zh}});
        }
      id_state_->SetForegroundColour(kRed);
    }
  } else if (!text.empty()) {
    id_state_->SetLabel(wxString::Format(_("%d of 18 characters"), static_cast<int>(text.size())));
    id_state_->SetForegroundColour(kGrey);
  } else {
    id_state_->SetLabel(wxEmptyString);
  }
  id_state_->Wrap(300);
  Layout();
  update_reader_arm();
  request_preview();
}

void SalePanel::on_buyer_changed() {
  hide_receipt();
  session_.buyer.name = trim(name_->GetValue().utf8_string());
  session_.buyer.household = trim(household_->GetValue().utf8_string());
  session_.buyer.hukou = hukou_->GetSelection() == 1 ? Hukou::NonAgricultural : Hukou::Agricultural;
  request_preview();
}

void SalePanel::on_scan_enter() {
  hide_receipt();
  const bool burst = detector_.finish(enter_at_ != 0 ? enter_at_ : now_ms());
  enter_at_ = 0;
  const std::string code = trim(scan_->GetValue().utf8_string());
  scan_->Clear();
  if (code.empty()) return;
  scans_.push_back({code, burst ? app::EntryMode::Scanned : app::EntryMode::Typed,
                    std::chrono::steady_clock::now()});
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
            return is_valid_card_no(code) && t.store().card_exists(code);
          });
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
        if (scan && p.outcome == app::ScanOutcome::AlreadyInCart) {
          hint_->SetLabel(wxString::Format(_("Card %s is already in this sale"), U(p.scanned)));
          hint_->SetForegroundColour(kRed);
        }
        pump_scans();
      });
}

void SalePanel::show(const Preview& p, double scan_ms) {
  check_ = p.check;
  prices_ = p.prices;
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
                      {"state", refused ? "refused" : warned ? "warn" : "ok"}});
  }
  if (!session_.lines.empty()) lines_->EnsureVisible(static_cast<long>(session_.lines.size()) - 1);
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
  remaining_->SetLabel(session_.buyer.household.empty() ? wxString(_("(type the household number)")) : remaining);
  remaining_->Wrap(300);
  total_->SetLabel(wxString::Format(_("Total %s"), U(format_yuan(check_.total))));
  subsidy_->SetLabel(wxString::Format(_("Subsidy %s"), U(format_yuan(check_.subsidy))));
  pay_->SetLabel(wxString::Format(_("Buyer pays now %s"), U(format_yuan(check_.total))));
  const bool ready = !checking_out_ && session_.ready(check_);
  checkout_->Enable(ready);
  const auto [zh, en] = session_.next_step(&check_);
  hint_->SetLabel(pick(zh, en));
  hint_->SetForegroundColour(check_.refused() && !session_.lines.empty() ? kRed : wxColour(0x1f, 0x4e, 0x9a));
  Layout();

  nlohmann::json event = {{"lines", traced},
                          {"findings", traced_findings},
                          {"checkout_enabled", ready},
                          {"total", format_yuan(check_.total)},
                          {"subsidy", format_yuan(check_.subsidy)}};
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

void SalePanel::checkout() {
  if (checking_out_ || !session_.ready(check_)) {
    // Check out pressed on a cart the rules refuse: an attempt the manager's report counts
    // (journaled with its codes, never the buyer).
    if (!checking_out_ && check_.refused() && !session_.lines.empty()) {
      const SaleCheck check = check_;
      const app::UserRecord clerk = user_;
      frame_.worker().post([check, clerk](app::Terminal& t) { t.record_refused_attempt(clerk, check); });
    }
    trace("checkout_blocked");
    return;
  }
  checking_out_ = true;
  checkout_->Enable(false);
  const Cart cart = session_.cart(prices_);
  const app::UserRecord clerk = user_;
  const std::string dir = frame_.options().invoice_dir;
  struct Outcome {
    app::Result<app::CheckoutResult> result = app::Problem{};
    std::string text;
  };
  frame_.worker().ask<Outcome>(
      liveness_,
      [cart, clerk](app::Terminal& t) {
        Outcome o;
        o.result = t.checkout(clerk, cart);
        if (o.result && o.result->invoice) o.text = render_invoice_text(*o.result->invoice);
        return o;
      },
      [this, dir](Outcome& o) {
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
        last_sale_->SetLabel(wxString::Format(_("Last sale: invoice %s, total %s"), U(inv.invoice_no),
                                              U(format_yuan(inv.total))));
        trace("sale_committed", {{"invoice_no", inv.invoice_no},
                                 {"total", format_yuan(inv.total)},
                                 {"subsidy", format_yuan(inv.subsidy)},
                                 {"invoice_file", dir + "/invoice-" + inv.invoice_no + ".png"},
                                 {"provisional", o.result->provisional}});
        counter_printer().invoice(liveness_, inv, o.text, image, dir, /*open_drawer=*/true,
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

void SalePanel::mark_doubtful(wxWindow* field, bool doubtful) {
  field->SetBackgroundColour(doubtful ? kCheckMe : wxNullColour);
  field->Refresh();
}

void SalePanel::scan_document() {
  if (documents_->busy()) return;
  hide_receipt();
  // Personal data: the buyer agrees first; the picture is never kept (issue 9).
  wxMessageDialog ask(this,
                      _("Has the buyer agreed to have the ID card or household register read?\n"
                        "The picture is kept in memory only while it is read, and never stored or sent."),
                      _("Scan document"), wxYES_NO | wxICON_QUESTION);
  // Enter says yes once the clerk has asked the buyer; Escape says no. Traced once the dialog is up.
  CallAfter([] { trace("document_consent_shown"); });
  if (ask.ShowModal() != wxID_YES) {
    trace("document_declined");
    return;
  }
  std::string file;
  if (documents_->needs_file()) {
    wxFileDialog pick_file(this, _("The scanned picture of the document"), wxEmptyString, wxEmptyString,
                           _("Pictures (*.png;*.jpg;*.jpeg;*.bmp;*.pgm)|*.png;*.jpg;*.jpeg;*.bmp;*.pgm"),
                           wxFD_OPEN | wxFD_FILE_MUST_EXIST);
    if (pick_file.ShowModal() != wxID_OK) return;
    file = pick_file.GetPath().utf8_string();
  }
  document_note_->SetLabel(_("Reading the document..."));
  document_note_->SetForegroundColour(wxColour(0x1f, 0x4e, 0x9a));
  trace("document_reading");
  documents_->scan(liveness_, file, [this](DocumentOutcome& o) {
    if (!o.reading) {
      document_note_->SetLabel(pick(o.error_zh, o.error_en));
      document_note_->SetForegroundColour(kRed);
      document_note_->Wrap(300);
      Layout();
      trace("document_failed", {{"code", o.error_code}});
      return;
    }
    apply_document(*o.reading);
  });
}

void SalePanel::apply_document(const document::Reading& r) {
  using document::Kind;
  const auto field = [&r](const char* name) -> const document::FieldReading* { return r.field(name); };
  nlohmann::json filled = nlohmann::json::array(), doubtful = nlohmann::json::array();
  for (const auto& f : r.fields)
    if (f.doubtful) doubtful.push_back(f.name);
  wxString note;
  bool red = false;
  bool panel_doubt = false;  // a field on this screen is yellow
  const auto fill_text = [&](wxTextCtrl* ctrl, const document::FieldReading* f) {
    if (!f || f->text.empty()) return;
    ctrl->ChangeValue(U(f->text));
    mark_doubtful(ctrl, f->doubtful);
    panel_doubt = panel_doubt || f->doubtful;
    filled.push_back(f->name);
  };
  // The ID number: into the sale only when its check digit and printed birth date hold; else
  // the clerk types it (F2). Shown masked, as every ID number on this screen.
  const auto take_id = [&](const document::FieldReading* f) {
    if (!f) return;
    const auto id = f->text.empty() ? std::nullopt : IdNumber::parse(f->text, std::nullopt);
    if (r.id_check == document::IdCheck::Ok && id) {
      if (!session_.buyer.id_text.empty() && session_.buyer.id_text != id->digits() && r.kind == Kind::HukouMember) {
        note = _("The ID number on the household register page is not the one of the ID card: check both documents");
        red = true;
        return;
      }
      session_.buyer.id_text = id->digits();
      id_shown_masked_ = true;
      id_->ChangeValue(U(id->masked()));
      mark_doubtful(id_, false);
      id_state_->SetLabel(wxString::FromUTF8("✓ ") + _("read from the document, check digit holds"));
      id_state_->SetForegroundColour(kGreen);
      filled.push_back("id_number");
    } else {
      session_.buyer.id_text.clear();
      id_shown_masked_ = false;
      id_->ChangeValue(wxEmptyString);
      mark_doubtful(id_, true);
      panel_doubt = true;
      id_state_->SetLabel(wxString::FromUTF8("✗ ") + pick(document::id_check_zh(r.id_check), document::id_check_en(r.id_check)));
      id_state_->SetForegroundColour(kRed);
    }
    id_state_->Wrap(300);
  };
  switch (r.kind) {
    case Kind::IdFront:
      fill_text(name_, field("name"));
      take_id(field("id_number"));
      break;
    case Kind::HukouMember:
      if (name_->IsEmpty()) fill_text(name_, field("name"));
      else if (field("name") && !field("name")->text.empty() &&
               trim(name_->GetValue().utf8_string()) != field("name")->text) {
        note = _("The name on the household register page is not the one typed or read: check it");
        red = true;
        mark_doubtful(name_, true);
      }
      take_id(field("id_number"));
      break;
    case Kind::HukouFirst: {
      fill_text(household_, field("household_no"));
      const auto* type = field("hukou_type");
      const auto parsed = type ? document::parse_hukou_type(type->text) : std::nullopt;
      if (parsed && parsed->type != document::HukouType::Unstated) {
        hukou_->SetSelection(parsed->type == document::HukouType::Agricultural ? 0 : 1);
        filled.push_back("hukou_type");
      }
      // POLICY R4: the 户别 decides eligibility; anything short of a sure reading is the clerk's.
      const bool doubt = !parsed || type->doubtful || parsed->type == document::HukouType::Unstated;
      mark_doubtful(hukou_, doubt);
      panel_doubt = panel_doubt || doubt;
      break;
    }
    case Kind::IdBack:
      break;
  }
  if (note.empty()) {
    const wxString what = pick(std::string(document::kind_name_zh(r.kind)), std::string(document::kind_name_en(r.kind)));
    note = r.all_sure()    ? wxString::Format(_("%s read: every field is sure"), what)
           : panel_doubt ? wxString::Format(_("%s read: check the fields in yellow against the document"), what)
                         : wxString::Format(_("%s read: the fields this sale uses are sure"), what);
    if (r.kind == Kind::IdBack)
      if (const auto* v = field("validity"); v && !v->text.empty())
        note += "  " + wxString::Format(_("Valid: %s"), U(v->text));
  }
  document_note_->SetLabel(note);
  document_note_->SetForegroundColour(red ? kRed : panel_doubt ? kAmber : kGreen);
  document_note_->Wrap(300);
  on_buyer_changed();
  Layout();
  const std::string masked_id = session_.buyer.id_text.empty() ? "" : IdNumber::parse(session_.buyer.id_text, std::nullopt)->masked();
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& f : r.fields)
    fields[f.name] = {{"doubtful", f.doubtful}, {"confidence", f.confidence}};
  trace("document_read", {{"kind", std::string(document::kind_code(r.kind))},
                          {"id_check", std::string(document::id_check_code(r.id_check))},
                          {"filled", filled},
                          {"doubtful", doubtful},
                          {"fields", fields},
                          {"buyer_id_masked", masked_id},
                          {"seconds", r.seconds}});
  // The journal records that a document was read, with the buyer's consent; not the picture,
  // not a field's text.
  const app::UserRecord clerk = user_;
  nlohmann::json summary = {{"kind", std::string(document::kind_code(r.kind))},
                            {"fields_read", filled},
                            {"fields_doubtful", doubtful},
                            {"id_check", std::string(document::id_check_code(r.id_check))},
                            {"source", documents_->needs_file() ? "file" : "camera"},
                            {"buyer_agreed", true},
                            {"image_kept", false}};
  frame_.worker().post([clerk, summary](app::Terminal& t) { t.record_document_read(clerk, summary); });
}

}  // namespace hn::ui
