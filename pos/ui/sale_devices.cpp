// The counter screen's devices (issue 15): the ID card reader filling the buyer panel, serial
// scanners feeding the scan field as the keyboard wedge does, and the camera key (Shift+F3) reading
// a label card or serial sticker. Kept apart from sale_panel.cpp; the devices themselves run in
// DeviceHub (main_frame owns it), behind pos/app/devices.hpp.
#include <wx/sizer.h>

#include "core/id_number.hpp"
#include "devices/hardware_devices.hpp"
#include "ui/device_hub.hpp"
#include "ui/i18n.hpp"
#include "ui/palette.hpp"
#include "ui/main_frame.hpp"
#include "ui/sale_panel.hpp"
#include "ui/trace.hpp"

namespace hn::ui {

using namespace palette;

namespace {

Date today() { return local_time_from_unix(app::SystemClock().unix_seconds(), 480).date; }

std::string dashed(const std::string& yyyymmdd) {
  const auto d = parse_compact_date(yyyymmdd);
  return d ? d->iso() : yyyymmdd;
}
}  // namespace

void SalePanel::build_card_area(wxWindow* box, wxSizer* sizer) {
  auto* row = new wxBoxSizer(wxHORIZONTAL);
  card_photo_ = new wxStaticBitmap(box, wxID_ANY, wxBitmap(1, 1));
  card_photo_->Hide();
  row->Add(card_photo_, 0, wxRIGHT, 6);
  card_info_ = new wxStaticText(box, wxID_ANY, wxEmptyString);
  row->Add(card_info_, 1, wxEXPAND);
  sizer->Add(row, 0, wxALL | wxEXPAND, 6);
}

void SalePanel::clear_card() {
  card_info_->SetLabel(wxEmptyString);
  card_photo_->SetBitmap(wxBitmap(1, 1));
  card_photo_->Hide();
}

bool SalePanel::wants_card() const { return session_.buyer.id_text.empty() && !checking_out_; }

void SalePanel::update_reader_arm() {
  if (DeviceHub* hub = frame_.devices()) hub->arm_reader(frame_.selling() && wants_card());
}

void SalePanel::card_read(const app::IdCardData& card) {
  if (!wants_card()) {  // the clerk typed a number meanwhile: theirs stands
    trace("id_card_ignored");
    return;
  }
  hide_receipt();
  IdNumberError err{};
  const auto id = IdNumber::parse(card.id_number, today(), &err);
  const auto refuse = [&](const std::string& code, const std::string& zh, const std::string& en) {
    id_state_->SetLabel(wxString::FromUTF8("✗ ") + pick(zh, en) + " [" + U(code) + "]");
    id_state_->SetForegroundColour(kRed);
    id_state_->Wrap(300);
    clear_card();
    Layout();
    trace("id_card_refused", {{"code", code}, {"masked", id ? id->masked() : mask_id_text(card.id_number)}});
    update_reader_arm();  // the next card is welcome; this one, left lying, is not read again
  };
  if (!id)
    return refuse("ID_CARD_NUMBER_INVALID", "读卡器读出的身份证号码校验不通过:请核对证件,或按 F2 输入",
                  "the ID number read from the card does not check out: check the card, or type it (F2)");
  if (card.expired(today()))
    return refuse("ID_CARD_EXPIRED",
                  "身份证已过期(有效期至 " + dashed(card.valid_to) + "):请出示有效证件或临时身份证",
                  "the ID card has expired (valid to " + dashed(card.valid_to) +
                      "): ask for a valid card or a temporary ID card");

  // Accepted: the buyer panel filled, the number shown masked as every ID number on screen.
  session_.buyer.id_text = id->digits();
  // POLICY R7: the county of the household registration as the card's address gives it; the
  // ID number's first six digits (where the number was first given) only when the address
  // names no county the table knows.
  const std::string address_code = app::address_county_code(card.address);
  const std::string county_code = address_code.empty() ? card.county_code : address_code;
  session_.buyer.county = county_code.empty() ? std::nullopt : std::optional<std::string>(county_code);
  id_shown_masked_ = true;
  id_->ChangeValue(U(id->masked()));
  mark_doubtful(id_, false);
  id_state_->SetLabel(wxString::FromUTF8("✓ ") + pick("读卡器读出,校验通过", "read by the card reader, it checks out"));
  id_state_->SetForegroundColour(kGreen);
  id_state_->Wrap(300);
  name_->ChangeValue(U(card.name));
  mark_doubtful(name_, false);

  const std::string county = app::address_county_name(card.address);
  const std::string valid = card.valid_to == "长期" ? std::string("长期") : dashed(card.valid_to);
  wxString info = pick(card.sex_zh + " · " + card.nation + "族 · 出生 " + dashed(card.birth) + "\n住址 " +
                           (county.empty() ? std::string("—") : county) + " · 有效期至 " + valid,
                       card.sex_en + " · " + card.nation + " · born " + dashed(card.birth) + "\naddress " +
                           (county.empty() ? std::string("—") : county) + " · valid to " +
                           (card.valid_to == "长期" ? std::string("long-term") : valid));
  const app::CardPhoto photo = devices::decode_card_photo(card.photo);
  if (photo.decoded) {
    wxImage image(photo.width, photo.height);
    std::copy(photo.rgb.begin(), photo.rgb.end(), image.GetData());
    card_photo_->SetBitmap(wxBitmap(image));
    card_photo_->Show();
  } else {
    card_photo_->Hide();
    info += "\n" + pick(photo.message_zh, photo.message_en);
  }
  card_info_->SetLabel(info);
  card_info_->SetForegroundColour(kBlue);
  Layout();
  on_buyer_changed();  // name and the rest into the session, and a fresh check
  household_->SetFocus();
  update_reader_arm();
  // Traced last: what a test types next lands in 户号.
  trace("id_card_read", {{"masked", id->masked()},
                         {"name_filled", !card.name.empty()},
                         {"sex", card.sex_en},
                         {"nation", card.nation},
                         {"birth", card.birth},
                         {"county", county},
                         {"county_code", county_code},
                         {"county_from", address_code.empty() ? "id_number" : "address"},
                         {"valid_to", card.valid_to},
                         {"photo", photo.decoded ? "shown" : "needs_decoder"}});
}

void SalePanel::serial_scan(const std::string& code) {
  // Exactly the wedge's path from here on: a scanned (not typed) code, in order.
  hide_receipt();
  const std::string c = trim(code);
  if (c.empty()) return;
  scans_.push_back({c, app::EntryMode::Scanned, std::chrono::steady_clock::now()});
  trace("scan", {{"code", c}, {"mode", "scanner"}, {"source", "serial"}});
  pump_scans();
}

void SalePanel::camera_scan() {
  DeviceHub* hub = frame_.devices();
  const auto say = [this](const wxString& text, const wxColour& colour) {
    hint_->SetLabel(text);
    hint_->SetForegroundColour(colour);
    Layout();
  };
  if (!hub || !hub->has_camera()) {
    say(pick("没有设置摄像头:经理在 F9 设置 → 设备 中选择", "no camera is set: a manager chooses one in F9 Settings, Devices"),
        kRed);
    trace("camera_failed", {{"code", "CAMERA_NOT_SET"}});
    return;
  }
  hide_receipt();
  if (!hub->decode_camera([this, say](app::FrameDecode& d) {
        if (!d.ok) {
          say(pick(d.message_zh, d.message_en), kRed);
          trace("camera_failed", {{"code", d.code}});
          return;
        }
        trace("camera_decoded", {{"codes", d.codes}});
        scans_.push_back({d.codes.front(), app::EntryMode::Scanned, std::chrono::steady_clock::now()});
        trace("scan", {{"code", d.codes.front()}, {"mode", "scanner"}, {"source", "camera"}});
        pump_scans();
      }))
    return;  // a grab is already running
  say(pick("摄像头读取中:把标识卡或序列号标签对准摄像头", "reading with the camera: hold the label card or serial sticker up to it"),
      kBlue);
  trace("camera_reading");
}

}  // namespace hn::ui
