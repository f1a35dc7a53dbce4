#pragma once
// Questions before loss (issue 16): a sale thrown away, a return that refunds, a sale
// cancelled. The safe answer is the default: Enter and Esc both give it, so a key pressed out
// of habit loses nothing. The other answer takes a deliberate act: its own key (shown on its
// button), a click, or Tab to it and Space.
#include <string>

#include <nlohmann/json.hpp>
#include <wx/string.h>
#include <wx/window.h>

namespace hn::ui {

struct Question {
  std::string id;          // stable, for the trace: "new_sale", "open_return", ...
  wxString title;
  wxString text;           // what is lost, with the amount when there is one
  wxString safe;           // the default answer's button: "Keep the sale (Enter)"
  wxString risky;          // the other answer's button, naming its key: "Discard the sale (Y)"
  nlohmann::json details = nlohmann::json::object();  // traced with the question
};

// True only when the risky answer was chosen. Traces "question" once the dialog is up (tests
// answer it then) and "answer" with "safe" or "risky".
bool ask_before_loss(wxWindow* parent, const Question& q);

}  // namespace hn::ui
