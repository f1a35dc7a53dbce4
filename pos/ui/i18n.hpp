#pragma once
// Language of the screens: Chinese by default, English selectable. Strings of the UI go
// through _() (gettext catalogs in assets/locale); messages from the core come in both
// languages and `pick` chooses one.
#include <string>

#include <wx/string.h>

namespace hn::ui {

enum class Language { Chinese, English };

void set_language(Language language);
Language language();
std::string language_code(Language language);  // "zh_CN" | "en"
// Where the gettext catalogs are looked up (LANG/LC_MESSAGES/huinong.mo below it).
std::string translations_dir();

// UTF-8 std::string (the core's text) to wxString; never through the C locale.
inline wxString U(const std::string& utf8) { return wxString::FromUTF8(utf8.c_str()); }
// The message in the screen's language.
inline wxString pick(const std::string& zh, const std::string& en) {
  return U(language() == Language::Chinese ? zh : en);
}

}  // namespace hn::ui
