// huinong-pos: the counter application. Options: --db PATH (else $HUINONG_DB, else the data
// directory), --lang zh_CN|en, --user LOGIN (preselected at sign-in), --invoice-dir DIR,
// --trace FILE (or $HUINONG_UI_TRACE), --idle-lock MINUTES, --document-source IMAGE[,IMAGE...] or
// --camera DEVICE (where F6 takes the picture of an ID card or 户口簿 page, and Shift+F3 reads codes),
// --id-reader PATH, --scanner PATH[,PATH...] (this run's devices instead of the device.* settings),
// --camera-source IMAGE[,IMAGE...] (the Shift+F3 camera simulator), --printer URI (in place of
// device.invoice_printer for this run), --version. Without a
// database at the path, the first-run wizard creates the outlet and its first manager.
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <wx/app.h>
#include <wx/cmdline.h>
#include <wx/image.h>
#include <wx/msgdlg.h>
#include <wx/uilocale.h>

#include "app/devices.hpp"
#include "app/paths.hpp"
#include "app/terminal.hpp"
#include "printer/invoice_output.hpp"
#include "ui/counter_printer.hpp"
#include "ui/first_run.hpp"
#include "ui/i18n.hpp"
#include "ui/main_frame.hpp"
#include "ui/screen_text.hpp"
#include "ui/trace.hpp"
#include "ui/worker.hpp"

namespace hn::ui {

// The process's exit status when the application decided it (a bad option: 2; the first-run
// wizard cancelled: 0); wxEntry itself says -1 whenever OnInit returns false.
int g_exit_code = -1;

class HuinongApp : public wxApp {
 public:
  bool OnInit() override {
    wxUILocale::UseDefault();
    wxInitAllImageHandlers();
    Options o;
    std::string lang;
    std::string trace_path;
    std::optional<std::string> printer_uri;
    if (const char* t = std::getenv("HUINONG_UI_TRACE")) trace_path = t;
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i].utf8_string();
      auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i].utf8_string() : std::string(); };
      if (a == "--db") o.db_path = value();
      else if (a == "--lang") lang = value();
      else if (a == "--user") o.preselect_user = value();
      else if (a == "--invoice-dir") o.invoice_dir = value();
      else if (a == "--trace") trace_path = value();
      else if (a == "--idle-lock") o.idle_lock_minutes = std::atof(value().c_str());
      else if (a == "--document-source") {
        const std::string list = value();
        for (std::size_t start = 0, comma; start <= list.size(); start = comma + 1) {
          comma = list.find(',', start);
          if (comma == std::string::npos) comma = list.size();
          if (comma > start) o.document_files.push_back(list.substr(start, comma - start));
        }
      } else if (a == "--camera") o.camera_device = value();
      else if (a == "--printer") printer_uri = value();  // device.invoice_printer, for this run
      else if (a == "--id-reader") o.id_reader = value();
      else if (a == "--scanner") {
        if (!o.scanners) o.scanners.emplace();
        for (auto& p : app::split_device_list(value())) o.scanners->push_back(p);
      } else if (a == "--camera-source") o.camera_files = app::split_device_list(value());
      else {
        std::cerr << "未知选项 unknown option: " << a
                  << "\nhuinong-pos [--db PATH] [--lang zh_CN|en] [--user LOGIN] [--invoice-dir DIR] "
                     "[--trace FILE] [--idle-lock MINUTES] [--document-source IMAGE[,IMAGE...] | --camera DEVICE] "
                     "[--printer URI] [--id-reader PATH] [--scanner PATH[,PATH...]] [--camera-source IMAGE[,IMAGE...]] "
                     "[--version]\n";
        g_exit_code = 2;
        return false;
      }
    }
    if (!trace_path.empty()) trace_open(trace_path);
    install_screen_text_trace();  // tracing only: the texts of every screen on SIGUSR1
    app::set_invoice_output_factory(hn::printer::invoice_output_factory());
    if (printer_uri && !printer_uri->empty()) {
      if (auto checked = app::open_invoice_output({*printer_uri, false}); !checked) {
        std::cerr << checked.problem().message_zh << "\n" << checked.problem().message_en << "\n";
        g_exit_code = 2;
        return false;
      }
    }
    if (o.db_path.empty()) o.db_path = app::default_db_path();
    if (o.invoice_dir.empty())
      o.invoice_dir = (std::filesystem::path(o.db_path).parent_path() / "invoices").string();
    set_language(lang == "en" ? Language::English : Language::Chinese);
    if (!std::filesystem::exists(o.db_path)) {
      // First start on this PC: the technician creates the outlet (Terminal::init, as
      // `huinong init` does); its first manager is then the one signing in.
      const auto manager = run_first_run_wizard(o.db_path);
      if (!manager) {  // cancelled: nothing was created
        g_exit_code = 0;
        return false;
      }
      o.preselect_user = *manager;
    }
    worker_ = std::make_unique<Worker>(o.db_path, [this](const std::string& zh, const std::string& en) {
      trace("error", {{"message_zh", zh}, {"message_en", en}});
      wxMessageBox(pick(zh, en), _("Huinong POS"), wxOK | wxICON_ERROR);
    });
    // The stored language wins when none was given on the command line.
    if (lang.empty()) {
      std::string stored;
      worker_->post([&stored](app::Terminal& t) { stored = t.settings().language; });
      worker_->drain();
      if (stored == "en") set_language(Language::English);
    }
    printer_ = std::make_unique<CounterPrinter>(*worker_, printer_uri);
    auto* frame = new MainFrame(*worker_, o);
    frame->Show();
    trace("started");
    return true;
  }

  int OnExit() override {
    printer_.reset();  // its thread may still hand the worker a copy to number
    worker_.reset();
    return wxApp::OnExit();
  }

 private:
  std::unique_ptr<Worker> worker_;
  std::unique_ptr<CounterPrinter> printer_;
};

}  // namespace hn::ui

wxIMPLEMENT_APP_NO_MAIN(hn::ui::HuinongApp);

// --version answers before GTK starts, so it works without a display (the package test runs it).
int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "--version") {
      std::cout << "huinong-pos " << HUINONG_VERSION << "\n数据 data: " << hn::app::assets_dir()
                << "\n翻译 translations: " << hn::ui::translations_dir() << "\n";
      return 0;
    }
  const int rc = wxEntry(argc, argv);
  return hn::ui::g_exit_code >= 0 ? hn::ui::g_exit_code : rc;
}
