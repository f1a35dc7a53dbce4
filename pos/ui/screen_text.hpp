#pragma once
// Every text the screens show, for the check that a Chinese screen has no English left
// (issue 16). With --trace on, the application writes a "screen_text" trace line
//   {"event":"screen_text","reason":"asked"|"message","seq":N,
//    "windows":[{"screen":TITLE,"class":CLASS,"texts":[...]}...]}
// - "asked": when the process gets SIGUSR1 (the GUI tests send it once a screen has settled:
//   tests/gui/screen_text.hpp), for every shown top-level window, walked child by child:
//   titles, labels, buttons, hints, choices and list items, list columns and rows, text fields;
// - "message": when a message box (wxMessageDialog, native on GTK, so not walkable) is shown:
//   its caption, text and the button labels wx hands to GTK;
// and a "dialog_shown" line {"screen":TITLE} when any other modal dialog is about to show.
// Off unless tracing: nothing is installed and no timer runs.
#include <string>
#include <vector>

#include <wx/window.h>

namespace hn::ui {

// The texts `root` and its shown children display, in window order.
std::vector<std::string> screen_texts(wxWindow* root);
// Installs the SIGUSR1 request, the message-box hook and the timer; only when tracing.
void install_screen_text_trace();

}  // namespace hn::ui
