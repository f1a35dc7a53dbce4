#include "ui/display_names.hpp"

#include <wx/intl.h>

namespace hn::ui {

wxString role_name(app::Role r) {
  switch (r) {
    case app::Role::Manager: return _("manager");
    case app::Role::Auditor: return _("auditor");
    case app::Role::Clerk: break;
  }
  return _("clerk");
}

wxString cash_drawer_name(const std::string& code) {
  if (code == "escpos") return _("On the receipt printer (ESC/POS)");
  if (code == "none") return _("No cash drawer");
  return wxString::FromUTF8(code.c_str());
}

std::string cash_drawer_code(const wxString& name) {
  for (const char* code : {"none", "escpos"})
    if (name == cash_drawer_name(code)) return code;
  return name.utf8_string();
}

}  // namespace hn::ui
