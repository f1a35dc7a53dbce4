#pragma once
// The manager screens' building blocks: a label / field form whose Enter submits, and the
// manager approval asked at the moment of need.
#include <functional>
#include <optional>
#include <string>

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/dialog.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include "app/terminal.hpp"
#include "core/text.hpp"
#include "ui/i18n.hpp"
#include "ui/palette.hpp"
#include "ui/trace.hpp"
#include "ui/worker.hpp"

namespace hn::ui {

class MainFrame;

inline std::string text_of(wxTextCtrl* t) { return trim(t->GetValue().utf8_string()); }

// A dialog laid out as label / field rows, a message line and OK/Cancel; Enter is OK.
class FormDialog : public wxDialog {
 public:
  FormDialog(wxWindow* parent, const wxString& title) : wxDialog(parent, wxID_ANY, title) {
    grid_ = new wxFlexGridSizer(2, 8, 8);
    grid_->AddGrowableCol(1);
    message_ = new wxStaticText(this, wxID_ANY, wxEmptyString, wxDefaultPosition, wxSize(460, -1));
  }
  wxTextCtrl* text(const wxString& label, const wxString& value = wxEmptyString, long style = 0) {
    grid_->Add(new wxStaticText(this, wxID_ANY, label), 0, wxALIGN_CENTER_VERTICAL);
    auto* t = new wxTextCtrl(this, wxID_ANY, value, wxDefaultPosition, wxSize(300, -1), style | wxTE_PROCESS_ENTER);
    t->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { submit(); });
    grid_->Add(t, 1, wxEXPAND);
    return t;
  }
  wxChoice* choice(const wxString& label, const wxArrayString& items) {
    grid_->Add(new wxStaticText(this, wxID_ANY, label), 0, wxALIGN_CENTER_VERTICAL);
    auto* c = new wxChoice(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, items);
    c->SetSelection(0);
    grid_->Add(c, 1, wxEXPAND);
    return c;
  }
  void finish(const wxString& ok_label) {
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(grid_, 0, wxEXPAND | wxALL, 12);
    s->Add(message_, 0, wxEXPAND | wxLEFT | wxRIGHT, 12);
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    auto* ok = new wxButton(this, wxID_OK, ok_label);
    ok->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { submit(); });
    buttons->Add(ok, 0, wxRIGHT, 8);
    buttons->Add(new wxButton(this, wxID_CANCEL, _("Close (Esc)")));
    s->Add(buttons, 0, wxALIGN_RIGHT | wxALL, 12);
    SetSizerAndFit(s);
    SetEscapeId(wxID_CANCEL);
    CentreOnParent();
  }
  void say(const wxString& text, bool error) {
    message_->SetLabel(text);
    message_->SetForegroundColour(error ? palette::kRed : palette::kGreen);
    message_->Wrap(460);
    trace("dialog_message", {{"dialog", GetTitle().utf8_string()}, {"text", text.utf8_string()}, {"error", error}});
    Fit();
  }
  void say(const app::Problem& p) { say(pick(p.message_zh, p.message_en), true); }
  // A refusal with its stable code in front, so the manager can quote it.
  void say_coded(const app::Problem& p) { say(U("[" + p.code + "] ") + pick(p.message_zh, p.message_en), true); }
  std::function<void()> on_submit;
  Liveness liveness;

 private:
  void submit() {
    if (on_submit) on_submit();
  }
  wxFlexGridSizer* grid_;
  wxStaticText* message_;
};

// Asks for a manager's login and PIN; the approved manager, or nothing.
std::optional<app::UserRecord> ask_manager(MainFrame& frame);

}  // namespace hn::ui
