#include "ui/ask.hpp"

#include <wx/button.h>
#include <wx/dialog.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include "ui/i18n.hpp"
#include "ui/palette.hpp"
#include "ui/trace.hpp"

namespace hn::ui {

bool ask_before_loss(wxWindow* parent, const Question& q) {
  wxDialog dlg(parent, wxID_ANY, q.title);
  auto* s = new wxBoxSizer(wxVERTICAL);
  auto* text = new wxStaticText(&dlg, wxID_ANY, q.text);
  text->SetFont(text->GetFont().Scaled(1.2f));
  text->Wrap(520);
  s->Add(text, 0, wxALL, 16);
  auto* buttons = new wxBoxSizer(wxHORIZONTAL);
  auto* safe = new wxButton(&dlg, wxID_CANCEL, q.safe);
  auto* risky = new wxButton(&dlg, wxID_YES, q.risky);
  risky->SetForegroundColour(palette::kRed);
  buttons->Add(safe, 0, wxRIGHT, 12);
  buttons->Add(risky);
  s->Add(buttons, 0, wxALIGN_RIGHT | wxLEFT | wxRIGHT | wxBOTTOM, 16);
  dlg.SetSizerAndFit(s);
  safe->SetDefault();
  dlg.SetEscapeId(wxID_CANCEL);
  dlg.SetAffirmativeId(wxID_CANCEL);
  risky->Bind(wxEVT_BUTTON, [&dlg](wxCommandEvent&) { dlg.EndModal(wxID_YES); });
  // The risky answer's key is the last character in its label's brackets: "(Y)".
  const wxString label = q.risky;
  const int open = label.Find('(', true);
  const wxChar risky_key = open != wxNOT_FOUND && open + 1 < static_cast<int>(label.length())
                               ? static_cast<wxChar>(wxToupper(label[static_cast<std::size_t>(open) + 1]))
                               : 0;
  dlg.Bind(wxEVT_CHAR_HOOK, [&](wxKeyEvent& e) {
    const int k = e.GetKeyCode();
    if (k == WXK_RETURN || k == WXK_NUMPAD_ENTER || k == WXK_ESCAPE) {
      dlg.EndModal(wxID_CANCEL);  // whatever has the focus: Enter is the safe answer
      return;
    }
    if (risky_key != 0 && !e.HasAnyModifiers() && k < 128 && wxToupper(k) == risky_key) {
      dlg.EndModal(wxID_YES);
      return;
    }
    e.Skip();
  });
  dlg.CentreOnParent();
  safe->SetFocus();
  nlohmann::json shown = {{"id", q.id}, {"text", q.text.utf8_string()}};
  for (const auto& [k, v] : q.details.items()) shown[k] = v;
  dlg.CallAfter([shown] { trace("question", shown); });
  const bool risky_chosen = dlg.ShowModal() == wxID_YES;
  trace("answer", {{"id", q.id}, {"answer", risky_chosen ? "risky" : "safe"}});
  return risky_chosen;
}

}  // namespace hn::ui
