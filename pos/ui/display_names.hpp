#pragma once
// What the screens call the codes they show (issue 16: no "clerk" or "none" on a Chinese
// screen). The codes themselves stay in the database, the journal, the CLI and JSON.
#include <string>

#include <wx/string.h>

#include "app/terminal.hpp"

namespace hn::ui {

// 营业员, 店长, 稽核员.
wxString role_name(app::Role r);
// device.cash_drawer: "none" | "escpos" (app/device_settings.hpp) and back; a value this
// version does not know is shown, and kept, as stored.
wxString cash_drawer_name(const std::string& code);
std::string cash_drawer_code(const wxString& name);

}  // namespace hn::ui
