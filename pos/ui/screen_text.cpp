#include "ui/screen_text.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>

#include <wx/anybutton.h>
#include <wx/app.h>
#include <wx/checkbox.h>
#include <wx/ctrlsub.h>
#include <wx/listctrl.h>
#include <wx/menuitem.h>
#include <wx/modalhook.h>
#include <wx/msgdlg.h>
#include <wx/notebook.h>
#include <wx/radiobut.h>
#include <wx/statbox.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/textentry.h>
#include <wx/timer.h>
#include <wx/toplevel.h>

#include "ui/i18n.hpp"
#include "ui/trace.hpp"

namespace hn::ui {

namespace {

std::atomic<bool> g_asked{false};
int g_seq = 0;
std::vector<wxMessageDialogBase*> g_open_messages;  // message boxes being shown (native: no children to walk)

void add(std::vector<std::string>& out, const wxString& text) {
  if (!text.empty()) out.push_back(text.utf8_string());
}

void walk(wxWindow* w, std::vector<std::string>& out) {
  if (!w->IsShown()) return;
  if (auto* tlw = dynamic_cast<wxTopLevelWindow*>(w)) add(out, tlw->GetTitle());
  if (auto* box = dynamic_cast<wxStaticBox*>(w)) add(out, box->GetLabelText());
  else if (auto* label = dynamic_cast<wxStaticText*>(w)) add(out, label->GetLabelText());
  else if (auto* button = dynamic_cast<wxAnyButton*>(w)) add(out, button->GetLabelText());
  else if (auto* check = dynamic_cast<wxCheckBox*>(w)) add(out, check->GetLabelText());
  else if (auto* radio = dynamic_cast<wxRadioButton*>(w)) add(out, radio->GetLabelText());
  if (auto* list = dynamic_cast<wxListCtrl*>(w); list && list->InReportView()) {
    for (int c = 0; c < list->GetColumnCount(); ++c) {
      wxListItem col;
      col.SetMask(wxLIST_MASK_TEXT);
      list->GetColumn(c, col);
      add(out, col.GetText());
    }
    for (long r = 0; r < list->GetItemCount(); ++r)
      for (int c = 0; c < list->GetColumnCount(); ++c) add(out, list->GetItemText(r, c));
  }
  // Choices, combo boxes and list boxes: every item offered, not only the one selected.
  if (auto* items = dynamic_cast<wxItemContainerImmutable*>(w))
    for (unsigned i = 0; i < items->GetCount(); ++i) add(out, items->GetString(i));
  if (auto* entry = dynamic_cast<wxTextEntry*>(w)) {
    add(out, entry->GetValue());
    add(out, entry->GetHint());
  } else if (auto* text = dynamic_cast<wxTextCtrl*>(w)) {
    add(out, text->GetValue());  // multi-line controls are no wxTextEntry on every port
  }
  if (auto* book = dynamic_cast<wxNotebook*>(w))
    for (std::size_t p = 0; p < book->GetPageCount(); ++p) add(out, book->GetPageText(p));
  for (wxWindow* child : w->GetChildren())
    if (!child->IsTopLevel()) walk(child, out);
}

nlohmann::json message_texts(wxMessageDialogBase* m) {
  std::vector<std::string> texts;
  add(texts, m->GetCaption());
  add(texts, m->GetMessage());
  add(texts, m->GetExtendedMessage());
  const long style = m->GetMessageDialogStyle();
  // The buttons as they read (without their mnemonic's "&").
  const auto button = [&texts](const wxString& label) { add(texts, wxStripMenuCodes(label)); };
  if (style & wxYES_NO) {
    button(m->GetYesLabel());
    button(m->GetNoLabel());
  } else {
    button(m->GetOKLabel());  // wxOK, the default when neither is given
  }
  if (style & wxCANCEL) button(m->GetCancelLabel());
  if (style & wxHELP) button(m->GetHelpLabel());
  return {{"screen", m->GetCaption().utf8_string()}, {"class", "wxMessageDialog"}, {"texts", texts}};
}

// Message boxes on GTK are native: what they say is taken when they are shown.
class MessageHook : public wxModalDialogHook {
 public:
  int Enter(wxDialog* dialog) override {
    if (auto* m = dynamic_cast<wxMessageDialogBase*>(dialog)) {
      name_message_buttons(*m);  // as they will show, whichever hook runs first
      g_open_messages.push_back(m);
      trace("screen_text", {{"reason", "message"}, {"seq", ++g_seq}, {"windows", nlohmann::json::array({message_texts(m)})}});
    } else if (dialog) {
      // Any other modal dialog: a test waits for it before asking for its texts.
      trace("dialog_shown", {{"screen", dialog->GetTitle().utf8_string()}});
    }
    return wxID_NONE;
  }
  void Exit(wxDialog* dialog) override {
    g_open_messages.erase(std::remove(g_open_messages.begin(), g_open_messages.end(),
                                      dynamic_cast<wxMessageDialogBase*>(dialog)),
                          g_open_messages.end());
  }
};

void trace_asked() {
  nlohmann::json windows = nlohmann::json::array();
  for (auto* node = wxTopLevelWindows.GetFirst(); node; node = node->GetNext())
    if (wxWindow* w = node->GetData(); w->IsShown())
      windows.push_back({{"screen", w->GetLabel().utf8_string()},
                         {"class", w->GetClassInfo()->GetClassName()},
                         {"texts", screen_texts(w)}});
  for (auto* m : g_open_messages) windows.push_back(message_texts(m));
  trace("screen_text", {{"reason", "asked"}, {"seq", ++g_seq}, {"windows", windows}});
}

class AskedTimer : public wxTimer {
 public:
  void Notify() override {
    if (g_asked.exchange(false)) trace_asked();
  }
};

}  // namespace

std::vector<std::string> screen_texts(wxWindow* root) {
  std::vector<std::string> out;
  walk(root, out);
  return out;
}

void install_screen_text_trace() {
  if (!trace_enabled()) return;
  // Both live as long as the process (never destroyed: wx is gone before static destructors).
  (new MessageHook)->Register();
  std::signal(SIGUSR1, [](int) { g_asked = true; });
  // The signal only sets a flag; the walk runs on the UI thread, also inside a modal loop.
  (new AskedTimer)->Start(25);
}

}  // namespace hn::ui
