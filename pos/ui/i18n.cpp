#include "ui/i18n.hpp"

#include <cstdlib>

#include <wx/filename.h>
#include <wx/intl.h>
#include <wx/modalhook.h>
#include <wx/msgdlg.h>
#include <wx/stockitem.h>
#include <wx/translation.h>

#include "app/paths.hpp"
#include "ui/trace.hpp"

#ifndef HUINONG_BUILD_LOCALE_DIR
#define HUINONG_BUILD_LOCALE_DIR ""
#endif
#ifndef HUINONG_INSTALL_LOCALE_DIR
#define HUINONG_INSTALL_LOCALE_DIR "/usr/share/locale"
#endif

namespace hn::ui {

namespace {
// Where Debian puts the catalogs of the libraries it packages (wxstd-3.2.mo among them).
constexpr const char* kSystemLocaleDir = "/usr/share/locale";
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
class MessageButtonsHook : public wxModalDialogHook {
 public:
  int Enter(wxDialog* dialog) override {
    if (auto* m = dynamic_cast<wxMessageDialogBase*>(dialog)) name_message_buttons(*m);
    return wxID_NONE;
  }
};
}  // namespace

void name_message_buttons(wxMessageDialogBase& m) {
  // A label still a GTK stock item is a default (or a stock id the code gave): named here,
  // without a mnemonic (GTK showed "确认(_O)" as it is); Enter and Esc answer a message box.
  const auto named = [](const wxString& label, wxWindowID id) -> wxString {
    return label.StartsWith("gtk-") ? wxGetStockLabel(id, wxSTOCK_NOFLAGS) : label;
  };
  m.SetYesNoCancelLabels(named(m.GetYesLabel(), wxID_YES), named(m.GetNoLabel(), wxID_NO),
                         named(m.GetCancelLabel(), wxID_CANCEL));
  m.SetOKLabel(named(m.GetOKLabel(), wxID_OK));
  m.SetHelpLabel(named(m.GetHelpLabel(), wxID_HELP));
}

void set_language(Language language) {
  g_language = language;
  static MessageButtonsHook* hook = nullptr;  // lives as long as the process
  if (!hook) (hook = new MessageButtonsHook)->Register();
  auto* translations = new wxTranslations;
  wxTranslations::Set(translations);  // takes ownership
  if (language == Language::Chinese) {
    wxFileTranslationsLoader::AddCatalogLookupPathPrefix(locale_dir());
    translations->SetLanguage("zh_CN");
    translations->AddCatalog("huinong");
    // wxWidgets' own strings (OK, Cancel, Yes, No on buttons and message boxes): its catalog
    // wxstd-3.2.mo, from Debian's wx3.2-i18n (a Depends of the .deb), in the system's locale
    // directory wherever this program itself was installed.
    wxFileTranslationsLoader::AddCatalogLookupPathPrefix(wxString::FromUTF8(kSystemLocaleDir));
    const bool wx_own = translations->AddStdCatalog();
    trace("translations", {{"language", "zh_CN"}, {"wxstd", wx_own}});
  } else {
    translations->SetLanguage(wxLANGUAGE_ENGLISH_US);
  }
}

Language language() { return g_language; }

std::string translations_dir() { return locale_dir().utf8_string(); }

std::string language_code(Language language) { return language == Language::Chinese ? "zh_CN" : "en"; }

}  // namespace hn::ui
