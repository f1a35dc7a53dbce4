#include "ui/first_run.hpp"

#include <exception>
#include <memory>
#include <thread>
#include <vector>

#include <wx/app.h>
#include <wx/button.h>
#include <wx/dialog.h>
#include <wx/panel.h>
#include <wx/simplebook.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include "app/paths.hpp"
#include "app/terminal.hpp"
#include "core/text.hpp"
#include "ui/i18n.hpp"
#include "ui/trace.hpp"
#include "ui/worker.hpp"

namespace hn::ui {

namespace {

const wxColour kRed(0xc6, 0x28, 0x28), kGrey(0x55, 0x55, 0x55);

// Which page and field a problem of check_init_options / Terminal::init is about.
struct FieldOf {
  const char* code;
  int page;
  int field;
};
constexpr FieldOf kFieldOf[] = {
    {"OUTLET_CODE_INVALID", 0, 0}, {"OUTLET_NAME_INVALID", 0, 1}, {"COUNTY_INVALID", 0, 2},
    {"LOGIN_INVALID", 1, 0},       {"NAME_INVALID", 1, 1},        {"PIN_INVALID", 1, 2},
};

class FirstRunWizard : public wxDialog {
 public:
  explicit FirstRunWizard(std::string db_path)
      : wxDialog(nullptr, wxID_ANY, _("Huinong POS: first start"), wxDefaultPosition, wxDefaultSize,
                 wxDEFAULT_DIALOG_STYLE),
        db_path_(std::move(db_path)) {
    auto* root = new wxBoxSizer(wxVERTICAL);
    auto* title = new wxStaticText(this, wxID_ANY, _("Set up this terminal"));
    title->SetFont(title->GetFont().Scaled(1.8f).Bold());
    root->Add(title, 0, wxALL, 16);
    auto* intro = new wxStaticText(
        this, wxID_ANY,
        wxString::Format(_("There is no terminal database yet (%s). Create the outlet as registered with the "
                           "county's commerce bureau, and its first manager, who then adds the clerks."),
                         U(db_path_)));
    intro->Wrap(560);
    root->Add(intro, 0, wxLEFT | wxRIGHT | wxBOTTOM, 16);
    step_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
    step_->SetFont(step_->GetFont().Scaled(1.2f).Bold());
    root->Add(step_, 0, wxLEFT | wxRIGHT, 16);

    book_ = new wxSimplebook(this);
    pages_.resize(2);
    add_page(0, {{_("Outlet code"), _("as registered, e.g. AH-XX-0001 (letters, digits, -)"), 0},
                 {_("Outlet name"), _("as printed on the invoices"), 0},
                 {_("County code"), _("6 digits of the county, e.g. 341322"), 0}});
    add_page(1, {{_("Manager login"), _("lowercase letters and digits, e.g. wang"), 0},
                 {_("Manager name"), _("shown at sign-in"), 0},
                 {_("PIN"), _("4 to 12 digits"), wxTE_PASSWORD},
                 {_("PIN again"), wxEmptyString, wxTE_PASSWORD}});
    root->Add(book_, 0, wxEXPAND | wxALL, 12);

    message_ = new wxStaticText(this, wxID_ANY, wxEmptyString);
    message_->SetForegroundColour(kRed);
    root->Add(message_, 0, wxEXPAND | wxLEFT | wxRIGHT, 16);

    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    back_ = new wxButton(this, wxID_ANY, _("Back"));
    next_ = new wxButton(this, wxID_ANY, wxEmptyString);
    auto* cancel = new wxButton(this, wxID_CANCEL, _("Cancel (Esc)"));
    cancel_ = cancel;
    buttons->Add(back_, 0, wxRIGHT, 8);
    buttons->Add(next_, 0, wxRIGHT, 8);
    buttons->Add(cancel);
    root->Add(buttons, 0, wxALIGN_RIGHT | wxALL, 16);
    back_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { show_page(0, 0); });
    next_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { advance(); });
    // Not while the outlet is being created: it would exist all the same.
    cancel->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
      if (busy_) return;
      // Once created, the outlet exists: closing the last page is finishing.
      EndModal(page_ == 2 ? wxID_OK : wxID_CANCEL);
    });
    Bind(wxEVT_CLOSE_WINDOW, [this](wxCloseEvent& e) {
      if (busy_ && e.CanVeto()) return e.Veto();
      EndModal(page_ == 2 ? wxID_OK : wxID_CANCEL);
    });
    SetEscapeId(wxID_CANCEL);
    SetSizerAndFit(root);
    show_page(0, 0);
    CentreOnScreen();
    // Ready once shown and the event loop runs: keys typed from then on reach the first field.
    Bind(wxEVT_SHOW, [this](wxShowEvent& e) {
      e.Skip();
      if (e.IsShown()) CallAfter([this] { trace("first_run_ready", {{"db", db_path_}}); });
    });
  }

  ~FirstRunWizard() override {
    if (init_thread_.joinable()) init_thread_.join();
  }

  const std::string& manager_login() const { return created_login_; }

 private:
  struct FieldSpec {
    wxString label;
    wxString hint;
    long style;
  };

  void add_page(int page, const std::vector<FieldSpec>& fields) {
    auto* panel = new wxPanel(book_);
    auto* grid = new wxFlexGridSizer(3, 8, 12);
    grid->AddGrowableCol(1);
    for (std::size_t i = 0; i < fields.size(); ++i) {
      auto* label = new wxStaticText(panel, wxID_ANY, fields[i].label);
      label->SetFont(label->GetFont().Scaled(1.15f));
      auto* text = new wxTextCtrl(panel, wxID_ANY, wxEmptyString, wxDefaultPosition, wxSize(260, -1),
                                  fields[i].style | wxTE_PROCESS_ENTER);
      text->SetFont(text->GetFont().Scaled(1.15f));
      auto* hint = new wxStaticText(panel, wxID_ANY, fields[i].hint);
      hint->SetForegroundColour(kGrey);
      grid->Add(label, 0, wxALIGN_CENTER_VERTICAL);
      grid->Add(text, 1, wxEXPAND);
      grid->Add(hint, 0, wxALIGN_CENTER_VERTICAL);
      // Enter moves on to the next field, and from the last one to the next step: no mouse.
      text->Bind(wxEVT_TEXT_ENTER, [this, page, i, n = fields.size()](wxCommandEvent&) {
        if (i + 1 < n) pages_[static_cast<std::size_t>(page)][i + 1]->SetFocus();
        else advance();
      });
      pages_[static_cast<std::size_t>(page)].push_back(text);
    }
    panel->SetSizer(grid);
    book_->AddPage(panel, wxEmptyString);
  }

  wxTextCtrl* field(int page, int index) {
    return pages_[static_cast<std::size_t>(page)][static_cast<std::size_t>(index)];
  }
  std::string value(int page, int index) { return trim(field(page, index)->GetValue().utf8_string()); }

  void show_page(int page, int focus) {
    page_ = page;
    book_->SetSelection(static_cast<std::size_t>(page));
    step_->SetLabel(page == 0 ? _("Step 1 of 2: the outlet") : _("Step 2 of 2: the first manager"));
    next_->SetLabel(page == 0 ? _("Next (Enter)") : _("Create the outlet (Enter)"));
    back_->Enable(page > 0);
    field(page, focus)->SetFocus();
    field(page, focus)->SelectAll();
    Layout();
    trace("first_run_page", {{"page", page + 1}});
  }

  void say(const wxString& text, const std::string& code) {
    message_->SetLabel(text);
    message_->Wrap(560);
    Fit();
    if (!code.empty()) trace("first_run_problem", {{"code", code}, {"message", text.utf8_string()}});
  }

  // The app's own checks decide; the page holding the field concerned comes back with it focused.
  void show_problem(const app::Problem& p) {
    say(pick(p.message_zh, p.message_en), p.code);
    if (const FieldOf* f = field_of(p.code)) show_page(f->page, f->field);
  }
  static const FieldOf* field_of(const std::string& code) {
    for (const auto& f : kFieldOf)
      if (code == f.code) return &f;
    return nullptr;
  }

  app::InitOptions options() {
    app::InitOptions o;
    o.outlet_code = value(0, 0);
    o.outlet_name = value(0, 1);
    o.county = value(0, 2);
    o.manager_login = value(1, 0);
    o.manager_name = value(1, 1);
    o.manager_pin = field(1, 2)->GetValue().utf8_string();
    o.assets_dir = app::assets_dir();
    return o;
  }

  // The last page: the manager's recovery code, shown once, to be copied onto paper.
  void show_recovery_code(const std::string& code) {
    auto* panel = new wxPanel(book_);
    auto* col = new wxBoxSizer(wxVERTICAL);
    auto* shown = new wxStaticText(panel, wxID_ANY, U(code));
    shown->SetFont(wxFont(wxFontInfo(28).Family(wxFONTFAMILY_TELETYPE).Bold()));
    auto* why = new wxStaticText(
        panel, wxID_ANY,
        _("Copy this recovery code onto paper now and keep it apart from the terminal. If the manager is "
          "locked out or forgets the PIN, it sets a new PIN once (huinong user recover). It is shown only "
          "this once."));
    why->Wrap(520);
    col->Add(shown, 0, wxALL, 8);
    col->Add(why, 0, wxALL, 8);
    panel->SetSizer(col);
    book_->AddPage(panel, wxEmptyString);
    page_ = 2;
    book_->SetSelection(2);
    step_->SetLabel(_("The outlet is created: the manager's recovery code"));
    next_->SetLabel(_("I have copied it: finish (Enter)"));
    back_->Hide();
    cancel_->Hide();  // the outlet exists: Esc now finishes too
    say(wxEmptyString, "");
    next_->SetFocus();
    next_->SetDefault();
    Fit();
    Layout();
    // The code itself never goes into a trace or a log.
    trace("first_run_recovery_shown", {{"digits", 16}});
  }

  void advance() {
    if (busy_) return;
    if (page_ == 2) {
      trace("first_run_done", {{"outlet_code", created_code_}, {"manager", created_login_}});
      return EndModal(wxID_OK);
    }
    const app::InitOptions o = options();
    const auto checked = app::check_init_options(o);
    if (page_ == 0) {
      // Only the outlet's fields hold up the first step; the manager's are not filled in yet.
      if (!checked) {
        const FieldOf* f = field_of(checked.problem().code);
        if (f && f->page == 0) return show_problem(checked.problem());
      }
      say(wxEmptyString, "");
      return show_page(1, 0);
    }
    if (!checked && checked.problem().code == "PIN_INVALID") {
      // The app's message names the CLI's environment variable; here the PIN is typed.
      say(_("The PIN must have 4 to 12 digits."), "PIN_INVALID");
      return show_page(1, 2);
    }
    if (!checked) return show_problem(checked.problem());
    if (o.manager_pin != field(1, 3)->GetValue().utf8_string()) {
      field(1, 2)->Clear();
      field(1, 3)->Clear();
      say(_("The two PINs differ: type the PIN twice again."), "PIN_MISMATCH");
      return show_page(1, 2);
    }
    create(o);
  }

  // Terminal::init writes the database, its key files and the first journal entries: off the
  // UI thread (STYLE.md 4), the answer back with CallAfter while this dialog lives.
  void create(const app::InitOptions& o) {
    busy_ = true;
    next_->Disable();
    back_->Disable();
    say(_("Creating the outlet..."), "");
    auto token = liveness_.token();
    const std::string db = db_path_;
    if (init_thread_.joinable()) init_thread_.join();
    init_thread_ = std::thread([this, token, db, o] {
      auto result = std::make_shared<app::Result<app::InitResult>>(app::Problem{});
      try {
        *result = app::Terminal::init(db, o, app::SystemClock());
      } catch (const std::exception& e) {
        *result = app::Problem{app::ProblemKind::Internal, "SETUP",
                               std::string("无法创建数据库 ") + db + ":" + e.what() + "。请检查目录和权限。",
                               "cannot create the database " + db + ": " + e.what() +
                                   ". Check the directory and its permissions."};
      }
      wxTheApp->CallAfter([this, token, result, login = o.manager_login, code = o.outlet_code] {
        if (!*token) return;
        busy_ = false;
        next_->Enable();
        back_->Enable();
        if (!*result) return show_problem(result->problem());
        created_login_ = login;
        created_code_ = code;
        show_recovery_code(result->value().recovery_code);
      });
    });
  }

  std::string db_path_;
  wxSimplebook* book_ = nullptr;
  std::vector<std::vector<wxTextCtrl*>> pages_;
  wxStaticText* step_ = nullptr;
  wxStaticText* message_ = nullptr;
  wxButton* back_ = nullptr;
  wxButton* next_ = nullptr;
  wxButton* cancel_ = nullptr;
  int page_ = 0;
  bool busy_ = false;
  std::string created_login_;
  std::string created_code_;
  std::thread init_thread_;
  Liveness liveness_;
};

}  // namespace

std::optional<std::string> run_first_run_wizard(const std::string& db_path) {
  FirstRunWizard wizard(db_path);
  if (wizard.ShowModal() != wxID_OK) {
    trace("first_run_cancelled");
    return std::nullopt;
  }
  return wizard.manager_login();
}

}  // namespace hn::ui
