// The counter's buyer panel: the ID number checked as it is typed, the household, and F6's
// document reading (issue 9). Part of SalePanel, kept apart from sale_panel.cpp.
#include "ui/sale_panel.hpp"

#include <algorithm>
#include <wx/filedlg.h>
#include <wx/msgdlg.h>
#include <wx/sizer.h>
#include <wx/statbox.h>
#include <wx/textdlg.h>
#include "core/id_number.hpp"
#include "core/text.hpp"
#include "ui/counter_printer.hpp"
#include "ui/i18n.hpp"
#include "ui/invoice_image.hpp"
#include "ui/main_frame.hpp"
#include "ui/manager_dialogs.hpp"
#include "ui/trace.hpp"

#include "ui/palette.hpp"

namespace hn::ui {

using namespace palette;

void SalePanel::on_id_text() { check_id(false); }

void SalePanel::check_id(bool entered) {
  if (id_shown_masked_) return;
  hide_receipt();
  const std::string text = trim(id_->GetValue().utf8_string());
  session_.buyer.id_text.clear();
  session_.buyer.county.reset();  // a county the card reader gave belongs to the card's number
  // An 18-character number is checked as soon as it is complete; a first-generation 15-digit
  // one when the clerk presses Enter (it is also a prefix of every 18-digit number).
  if (text.size() == 18 || (entered && !text.empty())) {
    IdNumberError err{};
    const auto today = local_time_from_unix(app::SystemClock().unix_seconds(), 480).date;
    const auto id = IdNumber::parse(text, today, &err);
    if (id) {
      // Accepted: keep the number for the sale, show it masked (personal data on screen).
      session_.buyer.id_text = id->digits();
      id_shown_masked_ = true;
      id_->ChangeValue(U(id->masked()));
      id_state_->SetLabel(wxString::FromUTF8("✓ ") + _("valid ID number"));
      id_state_->SetForegroundColour(kGreen);
      trace("id_accepted", {{"masked", id->masked()}, {"entered", entered}});
      // The focus stays: Enter moves on (the key handler), never a number becoming complete,
      // or a clerk who presses Enter after each field lands the name in 户号 (issue 16).
    } else {
      Cart probe;
      probe.buyer.id_text = text;
      // The engine's own wording for why the number is wrong.
      SaleContext ctx;
      Catalog empty_catalog;
      PolicyPhase phase;
      ctx.catalog = &empty_catalog;
      ctx.policy = &phase;
      ctx.today = today;
      const SaleCheck c = check_sale(ctx, probe);
      for (const auto& f : c.findings)
        if (f.code == FindingCode::IdInvalid) {
          id_state_->SetLabel(wxString::FromUTF8("✗ ") + pick(f.message_zh, f.message_en));
          trace("id_rejected", {{"message_zh", f.message_zh}});
        }
      id_state_->SetForegroundColour(kRed);
    }
  } else if (!text.empty()) {
    id_state_->SetLabel(wxString::Format(_("%d of 18 characters"), static_cast<int>(text.size())));
    id_state_->SetForegroundColour(kGrey);
  } else {
    id_state_->SetLabel(wxEmptyString);
  }
  id_state_->Wrap(300);
  Layout();
  update_reader_arm();
  request_preview();
}

void SalePanel::on_buyer_changed() {
  hide_receipt();
  session_.buyer.name = trim(name_->GetValue().utf8_string());
  session_.buyer.household = trim(household_->GetValue().utf8_string());
  session_.buyer.hukou = hukou_->GetSelection() == 1 ? Hukou::NonAgricultural : Hukou::Agricultural;
  request_preview();
}


void SalePanel::mark_doubtful(wxWindow* field, bool doubtful) {
  field->SetBackgroundColour(doubtful ? kCheckMe : wxNullColour);
  field->Refresh();
}

void SalePanel::scan_document() {
  if (documents_->busy()) return;
  hide_receipt();
  // Personal data: the buyer agrees first; the picture is never kept (issue 9).
  wxMessageDialog ask(this,
                      _("Has the buyer agreed to have the ID card or household register read?\n"
                        "The picture is kept in memory only while it is read, and never stored or sent."),
                      _("Scan document"), wxYES_NO | wxICON_QUESTION);
  // Enter says yes once the clerk has asked the buyer; Escape says no. Traced once the dialog is up.
  CallAfter([] { trace("document_consent_shown"); });
  if (ask.ShowModal() != wxID_YES) {
    trace("document_declined");
    return;
  }
  std::string file;
  if (documents_->needs_file()) {
    wxFileDialog pick_file(this, _("The scanned picture of the document"), wxEmptyString, wxEmptyString,
                           _("Pictures (*.png;*.jpg;*.jpeg;*.bmp;*.pgm)|*.png;*.jpg;*.jpeg;*.bmp;*.pgm"),
                           wxFD_OPEN | wxFD_FILE_MUST_EXIST);
    if (pick_file.ShowModal() != wxID_OK) return;
    file = pick_file.GetPath().utf8_string();
  }
  document_note_->SetLabel(_("Reading the document..."));
  document_note_->SetForegroundColour(wxColour(0x1f, 0x4e, 0x9a));
  trace("document_reading");
  documents_->scan(liveness_, file, [this](DocumentOutcome& o) {
    if (!o.reading) {
      document_note_->SetLabel(pick(o.error_zh, o.error_en));
      document_note_->SetForegroundColour(kRed);
      document_note_->Wrap(300);
      Layout();
      trace("document_failed", {{"code", o.error_code}});
      return;
    }
    apply_document(*o.reading);
  });
}

void SalePanel::apply_document(const document::Reading& r) {
  using document::Kind;
  const auto field = [&r](const char* name) -> const document::FieldReading* { return r.field(name); };
  nlohmann::json filled = nlohmann::json::array(), doubtful = nlohmann::json::array();
  for (const auto& f : r.fields)
    if (f.doubtful) doubtful.push_back(f.name);
  wxString note;
  bool red = false;
  bool panel_doubt = false;  // a field on this screen is yellow
  const auto fill_text = [&](wxTextCtrl* ctrl, const document::FieldReading* f) {
    if (!f || f->text.empty()) return;
    ctrl->ChangeValue(U(f->text));
    mark_doubtful(ctrl, f->doubtful);
    panel_doubt = panel_doubt || f->doubtful;
    filled.push_back(f->name);
  };
  // The ID number: into the sale only when its check digit and printed birth date hold; else
  // the clerk types it (F2). Shown masked, as every ID number on this screen.
  const auto take_id = [&](const document::FieldReading* f) {
    if (!f) return;
    const auto id = f->text.empty() ? std::nullopt : IdNumber::parse(f->text, std::nullopt);
    if (r.id_check == document::IdCheck::Ok && id) {
      if (!session_.buyer.id_text.empty() && session_.buyer.id_text != id->digits() && r.kind == Kind::HukouMember) {
        note = _("The ID number on the household register page is not the one of the ID card: check both documents");
        red = true;
        return;
      }
      session_.buyer.id_text = id->digits();
      id_shown_masked_ = true;
      id_->ChangeValue(U(id->masked()));
      mark_doubtful(id_, false);
      id_state_->SetLabel(wxString::FromUTF8("✓ ") + _("read from the document, check digit holds"));
      id_state_->SetForegroundColour(kGreen);
      filled.push_back("id_number");
    } else {
      session_.buyer.id_text.clear();
      id_shown_masked_ = false;
      id_->ChangeValue(wxEmptyString);
      mark_doubtful(id_, true);
      panel_doubt = true;
      id_state_->SetLabel(wxString::FromUTF8("✗ ") + pick(document::id_check_zh(r.id_check), document::id_check_en(r.id_check)));
      id_state_->SetForegroundColour(kRed);
    }
    id_state_->Wrap(300);
  };
  switch (r.kind) {
    case Kind::IdFront:
      fill_text(name_, field("name"));
      take_id(field("id_number"));
      break;
    case Kind::HukouMember:
      if (name_->IsEmpty()) fill_text(name_, field("name"));
      else if (field("name") && !field("name")->text.empty() &&
               trim(name_->GetValue().utf8_string()) != field("name")->text) {
        note = _("The name on the household register page is not the one typed or read: check it");
        red = true;
        mark_doubtful(name_, true);
      }
      take_id(field("id_number"));
      break;
    case Kind::HukouFirst: {
      fill_text(household_, field("household_no"));
      const auto* type = field("hukou_type");
      const auto parsed = type ? document::parse_hukou_type(type->text) : std::nullopt;
      if (parsed && parsed->type != document::HukouType::Unstated) {
        hukou_->SetSelection(parsed->type == document::HukouType::Agricultural ? 0 : 1);
        filled.push_back("hukou_type");
      }
      // POLICY R4: the 户别 decides eligibility; anything short of a sure reading is the clerk's.
      const bool doubt = !parsed || type->doubtful || parsed->type == document::HukouType::Unstated;
      mark_doubtful(hukou_, doubt);
      panel_doubt = panel_doubt || doubt;
      break;
    }
    case Kind::IdBack:
      break;
  }
  if (note.empty()) {
    const wxString what = pick(std::string(document::kind_name_zh(r.kind)), std::string(document::kind_name_en(r.kind)));
    note = r.all_sure()    ? wxString::Format(_("%s read: every field is sure"), what)
           : panel_doubt ? wxString::Format(_("%s read: check the fields in yellow against the document"), what)
                         : wxString::Format(_("%s read: the fields this sale uses are sure"), what);
    if (r.kind == Kind::IdBack)
      if (const auto* v = field("validity"); v && !v->text.empty())
        note += "  " + wxString::Format(_("Valid: %s"), U(v->text));
  }
  document_note_->SetLabel(note);
  document_note_->SetForegroundColour(red ? kRed : panel_doubt ? kAmber : kGreen);
  document_note_->Wrap(300);
  on_buyer_changed();
  Layout();
  const std::string masked_id = session_.buyer.id_text.empty() ? "" : IdNumber::parse(session_.buyer.id_text, std::nullopt)->masked();
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& f : r.fields)
    fields[f.name] = {{"doubtful", f.doubtful}, {"confidence", f.confidence}};
  trace("document_read", {{"kind", std::string(document::kind_code(r.kind))},
                          {"id_check", std::string(document::id_check_code(r.id_check))},
                          {"filled", filled},
                          {"doubtful", doubtful},
                          {"fields", fields},
                          {"buyer_id_masked", masked_id},
                          {"seconds", r.seconds}});
  // The journal records that a document was read, with the buyer's consent; not the picture,
  // not a field's text.
  const app::UserRecord clerk = user_;
  nlohmann::json summary = {{"kind", std::string(document::kind_code(r.kind))},
                            {"fields_read", filled},
                            {"fields_doubtful", doubtful},
                            {"id_check", std::string(document::id_check_code(r.id_check))},
                            {"source", documents_->needs_file() ? "file" : "camera"},
                            {"buyer_agreed", true},
                            {"image_kept", false}};
  frame_.worker().post([clerk, summary](app::Terminal& t) { t.record_document_read(clerk, summary); });
}

}  // namespace hn::ui
