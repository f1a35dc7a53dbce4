// The payment step of the counter's checkout (issue 16). Keyboard only:
//   Enter   take the amount typed (empty: all that is still due) in the chosen method; when the
//           payments cover the amount due the sale goes on to be committed
//   F2 / F3 / F4   现金 cash / 银行卡 bank card / 移动支付 mobile payment for the next payment
//           (card and mobile ask for the reference of the slip or voucher: Enter moves to it)
//   F5      take back the last payment added
//   Esc     back to the cart, nothing stored
#include "ui/payment_dialog.hpp"

#include <algorithm>

#include <wx/dialog.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include "core/text.hpp"
#include "ui/i18n.hpp"
#include "ui/palette.hpp"
#include "ui/trace.hpp"

namespace hn::ui {

using namespace palette;

bool PaymentTaken::cash() const { return takes_cash(payments); }

namespace {

wxString method_name(PaymentMethod m) {
  switch (m) {
    case PaymentMethod::Cash: return _("Cash");
    case PaymentMethod::Card: return _("Bank card");
    case PaymentMethod::Mobile: return _("Mobile payment");
  }
  return _("Cash");
}

wxString yuan(Fen f) { return U("￥" + format_yuan(f)); }

class PaymentDialog : public wxDialog {
 public:
  PaymentDialog(wxWindow* parent, Fen due) : wxDialog(parent, wxID_ANY, _("Payment")), due_(due) {
    auto* s = new wxBoxSizer(wxVERTICAL);
    auto* caption = new wxStaticText(this, wxID_ANY, _("Amount due"));
    s->Add(caption, 0, wxLEFT | wxRIGHT | wxTOP, 16);
    auto* due_text = new wxStaticText(this, wxID_ANY, yuan(due));
    due_text->SetFont(due_text->GetFont().Scaled(3.0f).Bold());
    s->Add(due_text, 0, wxLEFT | wxRIGHT, 16);
    remaining_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
    remaining_->SetFont(remaining_->GetFont().Scaled(1.5f).Bold());
    s->Add(remaining_, 0, wxLEFT | wxRIGHT | wxTOP, 16);
    change_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
    change_->SetFont(change_->GetFont().Scaled(2.6f).Bold());
    change_->SetForegroundColour(kGreen);
    s->Add(change_, 0, wxLEFT | wxRIGHT | wxTOP, 16);

    list_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxSize(520, 110), wxLC_REPORT | wxLC_SINGLE_SEL);
    list_->AppendColumn(_("Method"), wxLIST_FORMAT_LEFT, 150);
    list_->AppendColumn(_("Reference"), wxLIST_FORMAT_LEFT, 230);
    list_->AppendColumn(_("Amount"), wxLIST_FORMAT_RIGHT, 130);
    s->Add(list_, 0, wxEXPAND | wxALL, 16);

    auto* grid = new wxFlexGridSizer(2, 8, 8);
    grid->AddGrowableCol(1);
    grid->Add(new wxStaticText(this, wxID_ANY, _("Method")), 0, wxALIGN_CENTER_VERTICAL);
    method_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
    method_->SetFont(method_->GetFont().Scaled(1.3f).Bold());
    grid->Add(method_, 1, wxEXPAND);
    grid->Add(new wxStaticText(this, wxID_ANY, _("Amount (empty: all still due)")), 0, wxALIGN_CENTER_VERTICAL);
    amount_ = new wxTextCtrl(this, wxID_ANY, wxEmptyString, wxDefaultPosition, wxSize(300, -1), wxTE_PROCESS_ENTER);
    amount_->SetFont(amount_->GetFont().Scaled(1.6f));
    grid->Add(amount_, 1, wxEXPAND);
    grid->Add(new wxStaticText(this, wxID_ANY, _("Reference (card slip or voucher)")), 0, wxALIGN_CENTER_VERTICAL);
    reference_ = new wxTextCtrl(this, wxID_ANY, wxEmptyString, wxDefaultPosition, wxSize(300, -1),
                                wxTE_PROCESS_ENTER);
    grid->Add(reference_, 1, wxEXPAND);
    s->Add(grid, 0, wxEXPAND | wxLEFT | wxRIGHT, 16);

    message_ = new wxStaticText(this, wxID_ANY, wxEmptyString, wxDefaultPosition, wxSize(520, -1));
    s->Add(message_, 0, wxEXPAND | wxALL, 16);
    auto* keys = new wxStaticText(this, wxID_ANY,
                                  _("Enter: take the amount (empty: all still due, in cash unless chosen)\n"
                                    "F2 Cash   F3 Bank card   F4 Mobile payment   F5 Take back the last payment\n"
                                    "Esc: back to the cart, nothing is stored"));
    keys->SetForegroundColour(kGrey);
    s->Add(keys, 0, wxLEFT | wxRIGHT | wxBOTTOM, 16);
    SetSizerAndFit(s);
    SetEscapeId(wxID_NONE);  // Esc is ours: it says so in the trace

    amount_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { update(); });
    amount_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) {
      // Card and mobile need their reference before the payment can be taken.
      if (method_choice_ != PaymentMethod::Cash && text_of(reference_).empty()) {
        reference_->SetFocus();
        trace("payment_reference_asked");
        return;
      }
      submit();
    });
    reference_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { submit(); });
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
      switch (e.GetKeyCode()) {
        case WXK_ESCAPE:
          trace("payment_cancelled");
          EndModal(wxID_CANCEL);
          return;
        case WXK_F2: choose(PaymentMethod::Cash); return;
        case WXK_F3: choose(PaymentMethod::Card); return;
        case WXK_F4: choose(PaymentMethod::Mobile); return;
        case WXK_F5: take_back(); return;
        default: e.Skip();
      }
    });
    choose(PaymentMethod::Cash);
    CentreOnParent();
    // Said once the dialog runs its own loop, so the keys a test sends after it reach the field.
    CallAfter([this] {
      amount_->SetFocus();
      trace("payment_shown", {{"due", format_yuan(due_)}});
    });
  }

  const std::optional<PaymentTaken>& taken() const { return taken_; }

 private:
  static std::string text_of(wxTextCtrl* t) { return trim(t->GetValue().utf8_string()); }

  Fen added() const {
    Fen sum = 0;
    for (const auto& p : payments_) sum += p.amount;
    return sum;
  }

  void choose(PaymentMethod m) {
    method_choice_ = m;
    method_->SetLabel(method_name(m));
    reference_->Enable(m != PaymentMethod::Cash);
    reference_->Clear();  // each slip or voucher has its own reference
    amount_->SetFocus();
    amount_->SelectAll();
    trace("payment_method", {{"method", std::string(payment_method_code(m))}});
    update();
  }

  // What the screen says as the clerk types: what is still due, and the change the typed cash
  // gives (only cash gives change; a card over what is due is refused on Enter).
  void update() {
    const Fen still = std::max<Fen>(0, due_ - added());
    const auto typed = parse_yuan(text_of(amount_));
    Fen change = std::max<Fen>(0, added() - due_);
    if (typed && method_choice_ == PaymentMethod::Cash) change = std::max<Fen>(0, added() + *typed - due_);
    remaining_->SetLabel(wxString::Format(_("Still due: %s"), yuan(still)));
    change_->SetLabel(change > 0 ? wxString::Format(_("Change: %s"), yuan(change)) : wxString());
    Layout();
    Fit();
    trace("payment_state", {{"due", format_yuan(due_)},
                            {"still_due", format_yuan(still)},
                            {"change", format_yuan(change)},
                            {"change_shown", change_->GetLabel().utf8_string()},
                            {"method", std::string(payment_method_code(method_choice_))},
                            {"payments", payments_.size()}});
  }

  void say(const wxString& text, const wxColour& colour) {
    message_->SetLabel(text);
    message_->SetForegroundColour(colour);
    message_->Wrap(520);
    Layout();
    Fit();
  }

  void refuse(const std::string& code, const wxString& text) {
    say(U(code) + ": " + text, kRed);
    trace("payment_refused", {{"code", code}, {"text", message_->GetLabel().utf8_string()}});
  }

  void submit() {
    const std::string text = text_of(amount_);
    Payment p;
    p.method = method_choice_;
    if (p.method != PaymentMethod::Cash) p.reference = text_of(reference_);
    if (text.empty()) {
      p.amount = due_ - added();
    } else if (const auto amount = parse_yuan(text)) {
      p.amount = *amount;
    } else {
      amount_->SetFocus();
      amount_->SelectAll();
      refuse("PAYMENT_INVALID", _("The amount is not understood: type it as 2000 or 2000.00."));
      return;
    }
    std::vector<Payment> candidate = payments_;
    candidate.push_back(p);
    const Settlement s = settle_payments(due_, candidate);
    if (s.ok()) {
      taken_ = PaymentTaken{s.payments, s.change};
      nlohmann::json methods = nlohmann::json::array(), paid = nlohmann::json::array();
      for (const auto& q : s.payments) {
        methods.push_back(std::string(payment_method_code(q.method)));
        paid.push_back({{"method", std::string(payment_method_code(q.method))},
                        {"amount", format_yuan(q.amount)},
                        {"reference", q.reference}});
      }
      trace("payment_done", {{"methods", methods}, {"payments", paid}, {"change", format_yuan(s.change)}});
      EndModal(wxID_OK);
      return;
    }
    const PaymentProblem& problem = *s.problem;
    if (problem.code != "PAYMENT_SHORT") {
      // Wrong amount, missing reference, a card over what is due: nothing is added.
      if (p.method != PaymentMethod::Cash && !is_valid_payment_reference(p.reference)) reference_->SetFocus();
      else {
        amount_->SetFocus();
        amount_->SelectAll();
      }
      refuse(problem.code, pick(problem.message_zh, problem.message_en));
      return;
    }
    // Part of the amount: kept in the list, the rest still to take (in cash unless chosen).
    payments_ = candidate;
    const long row = list_->InsertItem(list_->GetItemCount(), method_name(p.method));
    list_->SetItem(row, 1, U(p.reference));
    list_->SetItem(row, 2, yuan(p.amount));
    amount_->Clear();
    choose(PaymentMethod::Cash);
    say(pick(problem.message_zh, problem.message_en), kAmber);
    trace("payment_added", {{"method", std::string(payment_method_code(p.method))},
                            {"amount", format_yuan(p.amount)},
                            {"still_due", format_yuan(due_ - added())}});
  }

  void take_back() {
    if (payments_.empty()) return;
    payments_.pop_back();
    list_->DeleteItem(list_->GetItemCount() - 1);
    say(wxEmptyString, kGrey);
    trace("payment_taken_back", {{"payments", payments_.size()}});
    update();
  }

  Fen due_;
  PaymentMethod method_choice_ = PaymentMethod::Cash;
  std::vector<Payment> payments_;  // taken so far, short of the amount due together
  std::optional<PaymentTaken> taken_;
  wxStaticText* remaining_ = nullptr;
  wxStaticText* change_ = nullptr;
  wxStaticText* method_ = nullptr;
  wxStaticText* message_ = nullptr;
  wxListCtrl* list_ = nullptr;
  wxTextCtrl* amount_ = nullptr;
  wxTextCtrl* reference_ = nullptr;
};

}  // namespace

std::optional<PaymentTaken> take_payment(wxWindow* parent, Fen due) {
  PaymentDialog dlg(parent, due);
  if (dlg.ShowModal() != wxID_OK) return std::nullopt;
  return dlg.taken();
}

}  // namespace hn::ui
