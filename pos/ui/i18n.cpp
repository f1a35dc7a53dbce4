#include "ui/i18n.hpp"

#include <cstdlib>

#include <wx/filename.h>
#include <wx/intl.h>
#include <wx/translation.h>

#include "app/paths.hpp"

#ifndef HUINONG_BUILD_LOCALE_DIR
#define HUINONG_BUILD_LOCALE_DIR ""
#endif
#ifndef HUINONG_INSTALL_LOCALE_DIR
#define HUINONG_INSTALL_LOCALE_DIR "/usr/share/locale"
#endif

namespace hn::ui {

namespace {
Language g_language = Language::Chinese;

wxString locale_dir() {
  if (const char* env = std::getenv("HUINONG_LOCALE_DIR"); env && *env) return wxString::FromUTF8(env);
  // Installed: PREFIX/share/locale beside PREFIX/bin/huinong-pos, wherever the package was
  // unpacked; then the build tree; then the compiled-in install directory.
  if (const std::string share = app::installed_share_dir();
      !share.empty() && wxFileName::FileExists(wxString::FromUTF8(share) + "/locale/zh_CN/LC_MESSAGES/huinong.mo"))
    return wxString::FromUTF8(share) + "/locale";
  if (wxFileName::DirExists(wxString::FromUTF8(HUINONG_BUILD_LOCALE_DIR) + "/zh_CN"))
    return wxString::FromUTF8(HUINONG_BUILD_LOCALE_DIR);
  return wxString::FromUTF8(HUINONG_INSTALL_LOCALE_DIR);
}
}  // namespace

void set_language(Language language) {
  g_language = language;
  auto* translations = new wxTranslations;
  wxTranslations::Set(translations);  // takes ownership
  if (language == Language::Chinese) {
    wxFileTranslationsLoader::AddCatalogLookupPathPrefix(locale_dir());
    translations->SetLanguage("zh_CN");
    translations->AddCatalog("huinong");
  } else {
    translations->SetLanguage(wxLANGUAGE_ENGLISH_US);
  }
}

Language language() { return g_language; }

std::string translations_dir() { return locale_dir().utf8_string(); }

std::string language_code(Language language) { return language == Language::Chinese ? "zh_CN" : "en"; }

}  // namespace hn::ui
