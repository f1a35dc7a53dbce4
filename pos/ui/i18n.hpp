#pragma once
// Language of the screens: Chinese by default, English selectable. Strings of the UI go
// through _() (gettext catalogs in assets/locale); messages from the core come in both
// languages and `pick` chooses one.
#include <string>

#include <wx/string.h>

class wxMessageDialogBase;

namespace hn::ui {

enum class Language { Chinese, English };

void set_language(Language language);
Language language();
std::string language_code(Language language);  // "zh_CN" | "en"
// Where the gettext catalogs are looked up (LANG/LC_MESSAGES/huinong.mo below it).
std::string translations_dir();

// Labels a message box's buttons with wxWidgets' own translations (确定, 取消, 是, 否): wxGTK
// would hand GTK its stock items ("gtk-ok"), which GTK translates by the process's locale, not
// by the counter's language. Every message box gets this before it shows (a modal dialog hook
// set_language installs); a label the code chose itself is kept.
void name_message_buttons(wxMessageDialogBase& m);

// UTF-8 std::string (the core's text) to wxString; never through the C locale.
inline wxString U(const std::string& utf8) { return wxString::FromUTF8(utf8.c_str()); }
// The message in the screen's language.
inline wxString pick(const std::string& zh, const std::string& en) {
  return U(language() == Language::Chinese ? zh : en);
}

}  // namespace hn::ui
