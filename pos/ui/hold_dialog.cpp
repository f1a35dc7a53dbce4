#include "ui/hold_dialog.hpp"

#include "ui/ask.hpp"

#include <wx/dialog.h>
#include <wx/listctrl.h>
#include <wx/msgdlg.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include "core/money.hpp"
#include "ui/form_dialog.hpp"
#include "ui/main_frame.hpp"

namespace hn::ui {

namespace {
using nlohmann::json;

class HoldDialog : public wxDialog {
 public:
  HoldDialog(MainFrame& frame, const app::UserRecord& user)
      : wxDialog(&frame, wxID_ANY, _("Held sales")), frame_(frame), user_(user) {
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(new wxStaticText(this, wxID_ANY,
                            _("Enter: recall the selected sale into the counter   Delete: drop it   Esc: close")),
           0, wxALL, 12);
    list_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxSize(820, 300), wxLC_REPORT | wxLC_SINGLE_SEL);
    const std::pair<wxString, int> columns[] = {{_("Hold no."), 60},     {_("Buyer"), 120},  {_("ID number"), 190},
                                                {_("Items"), 60},   {_("Total"), 100},  {_("Held at"), 160},
                                                {_("By"), 80}};
    for (const auto& [title, width] : columns) list_->AppendColumn(title, wxLIST_FORMAT_LEFT, width);
    s->Add(list_, 1, wxEXPAND | wxLEFT | wxRIGHT, 12);
    message_ = new wxStaticText(this, wxID_ANY, wxEmptyString, wxDefaultPosition, wxSize(800, -1));
    s->Add(message_, 0, wxEXPAND | wxALL, 12);
    s->Add(new wxButton(this, wxID_CANCEL, _("Close (Esc)")), 0, wxALIGN_RIGHT | wxLEFT | wxRIGHT | wxBOTTOM, 12);
    SetSizerAndFit(s);
    SetEscapeId(wxID_CANCEL);
    CentreOnParent();
    // Enter and Delete act on the selected row wherever the focus is.
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
      const int k = e.GetKeyCode();
      if (k == WXK_RETURN || k == WXK_NUMPAD_ENTER) recall();
      else if (k == WXK_DELETE || k == WXK_NUMPAD_DELETE) drop();
      else e.Skip();
    });
    reload();
  }
  std::optional<app::HeldSale> recalled;

 private:
  void reload() {
    frame_.worker().ask<std::vector<app::HeldSale>>(
        live_, [](app::Terminal& t) { return t.held_sales(); },
        [this](std::vector<app::HeldSale>& held) {
          held_ = held;
          list_->DeleteAllItems();
          json shown = json::array();
          for (const auto& h : held_) {
            const long row = list_->InsertItem(list_->GetItemCount(), wxString::Format("#%lld", static_cast<long long>(h.id)));
            list_->SetItem(row, 1, U(h.buyer_name));
            list_->SetItem(row, 2, U(h.buyer_id_masked));
            list_->SetItem(row, 3, wxString::Format("%zu", h.lines.size()));
            list_->SetItem(row, 4, U(format_yuan(h.total)));
            list_->SetItem(row, 5, U(h.held_at.size() >= 16 ? h.held_at.substr(0, 10) + " " + h.held_at.substr(11, 5)
                                                             : h.held_at));
            list_->SetItem(row, 6, U(h.user_login));
            shown.push_back({{"hold", h.id},
                             {"buyer", h.buyer_name},
                             {"id_masked", h.buyer_id_masked},
                             {"items", h.lines.size()},
                             {"total", format_yuan(h.total)},
                             {"by", h.user_login}});
          }
          if (!held_.empty()) {
            list_->SetItemState(0, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED,
                                wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
            list_->SetFocus();
          }
          if (held_.empty()) say(_("No sale is held."), false);
          trace("hold_list", {{"held", shown}});
        });
  }

  int selected() const {
    const long row = list_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    return row >= 0 && static_cast<std::size_t>(row) < held_.size() ? static_cast<int>(row) : -1;
  }

  void say(const wxString& text, bool error) {
    message_->SetLabel(text);
    message_->SetForegroundColour(error ? palette::kRed : palette::kGreen);
    message_->Wrap(800);
    if (!text.empty())
      trace("dialog_message", {{"dialog", GetTitle().utf8_string()}, {"text", text.utf8_string()}, {"error", error}});
  }

  void recall() {
    const int row = selected();
    if (row < 0) return;
    const std::int64_t id = held_[static_cast<std::size_t>(row)].id;
    const app::UserRecord clerk = user_;
    frame_.worker().ask<app::Result<app::HeldSale>>(
        live_, [id, clerk](app::Terminal& t) { return t.recall_hold(clerk, id); },
        [this](app::Result<app::HeldSale>& r) {
          if (!r) {
            say(pick(r.problem().message_zh, r.problem().message_en), true);
            return reload();
          }
          recalled = r.value();
          EndModal(wxID_OK);
        });
  }

  // Dropping loses the buyer's sale: asked first, and Enter keeps it (issue 16).
  void drop() {
    const int row = selected();
    if (row < 0) return;
    const app::HeldSale h = held_[static_cast<std::size_t>(row)];
    const bool go = ask_before_loss(
        this, {"drop_hold", _("Drop held sale"),
               wxString::Format(_("Drop held sale #%lld (%s, %zu items, %s)? Its label cards become free "
                                  "to sell to another buyer."),
                                static_cast<long long>(h.id), U(h.buyer_name), h.lines.size(), U(format_yuan(h.total))),
               _("Keep it (Enter)"), _("Drop it (Y)"), {{"hold", h.id}}});
    if (!go) {
      trace("hold_kept", {{"hold", h.id}});
      list_->SetFocus();
      return;
    }
    // Dropping is a manager's decision: a clerk asks one at the counter.
    std::optional<app::UserRecord> manager;
    if (user_.role == app::Role::Manager) manager = user_;
    else manager = ask_manager(frame_);
    if (!manager) {
      trace("hold_kept", {{"hold", h.id}});
      return;
    }
    const std::string reason = pick("柜台删除", "dropped at the counter").utf8_string();
    const app::UserRecord m = *manager;
    frame_.worker().ask<app::Result<app::HeldSale>>(
        live_, [id = h.id, m, reason](app::Terminal& t) { return t.drop_hold(m, id, reason); },
        [this](app::Result<app::HeldSale>& r) {
          if (!r) say(pick(r.problem().message_zh, r.problem().message_en), true);
          else {
            trace("hold_dropped", {{"hold", r->id}});
            say(wxString::Format(_("Held sale #%lld dropped: its label cards are free."), static_cast<long long>(r->id)),
                false);
          }
          reload();
        });
  }

  MainFrame& frame_;
  app::UserRecord user_;
  Liveness live_;
  wxListCtrl* list_ = nullptr;
  wxStaticText* message_ = nullptr;
  std::vector<app::HeldSale> held_;
};
}  // namespace

std::optional<app::HeldSale> show_hold_dialog(MainFrame& frame, const app::UserRecord& user) {
  HoldDialog dlg(frame, user);
  trace("hold_dialog");
  dlg.ShowModal();
  return dlg.recalled;
}

}  // namespace hn::ui
