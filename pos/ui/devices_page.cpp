// F9 → 7 "设备 Devices" (issue 15): what is plugged into this PC, the device.* settings chosen
// from it (saved through Terminal::change_setting, journaled), and a test of each: Test read
// (a card on the ID reader, or a scan from a serial scanner) and Test print, saying in plain
// words what is wrong when one fails. The counter's own device threads are stopped while the
// page is open (a port has one user at a time) and started again, with the new settings, after.
#include <atomic>
#include <memory>
#include <thread>

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/combobox.h>
#include <wx/dialog.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include "app/devices.hpp"
#include "app/printing.hpp"
#include "core/id_number.hpp"
#include "core/text.hpp"
#include "devices/hardware_devices.hpp"
#include "ui/display_names.hpp"
#include "ui/i18n.hpp"
#include "ui/palette.hpp"
#include "ui/main_frame.hpp"
#include "ui/manager_dialogs.hpp"
#include "ui/trace.hpp"

namespace hn::ui {

using namespace palette;

namespace {
using namespace std::chrono_literals;

struct TestOutcome {
  bool ok = false;
  std::string code, zh, en;
  std::string masked;  // a card's number, masked
};

// How long a test waits for the person to put a card down or pull the trigger.
constexpr auto kTestWait = 15s;

// The plain words for a reader test that failed: what to check, not just what happened.
TestOutcome explain_reader(const app::CardPoll& p, const std::string& path) {
  TestOutcome o;
  o.code = p.code;
  const std::string where = quote_for_message(path);
  if (p.code == "READER_UNPLUGGED") {
    o.zh = "找不到读卡器 " + where + ":检查 USB 线是否插好;最好选 /dev/serial/by-id/ 下的名字,重新插拔后也不会变。";
    o.en = "no reader at " + where + ": check its USB cable; prefer a name under /dev/serial/by-id/, which stays "
           "the same after a replug.";
  } else if (p.code == "READER_TIMEOUT") {
    o.zh = where + " 上的设备不回答:它可能不是身份证读卡器(比如是扫描枪),或读卡器没有通电。";
    o.en = "the device at " + where + " does not answer: it may not be an ID card reader (a scanner?), or the "
           "reader has no power.";
  } else if (p.code == "READER_PORT_ERROR") {
    o.zh = "没有权限打开 " + where + ":请技术员把收银账户加入 dialout 组(sudo usermod -aG dialout 用户名),再重新登录电脑。";
    o.en = "no permission to open " + where + ": have the technician add the till's account to the dialout group "
           "(sudo usermod -aG dialout USER) and sign in to the PC again.";
  } else {
    o.zh = p.message_zh;
    o.en = p.message_en;
  }
  return o;
}

TestOutcome test_reader(const std::string& path, const std::atomic<bool>& stop) {
  auto reader = devices::open_id_reader(path);
  const auto until = std::chrono::steady_clock::now() + kTestWait;
  app::CardPoll last;
  while (!stop && std::chrono::steady_clock::now() < until) {
    last = reader->poll();
    if (last.card) {
      TestOutcome o;
      o.ok = true;
      const auto id = IdNumber::parse(last.card->id_number, std::nullopt);
      o.masked = id ? id->masked() : mask_id_text(last.card->id_number);
      o.zh = "读卡成功:" + o.masked + "。读卡器可以使用。";
      o.en = "card read: " + o.masked + ". The reader works.";
      return o;
    }
    if (last.state != app::DeviceState::NoCard && last.code != "ID_CARD_REMOVED" && last.code != "READER_BAD_FRAME")
      return explain_reader(last, path);
    std::this_thread::sleep_for(200ms);
  }
  TestOutcome o;
  o.code = "ID_NO_CARD";
  o.zh = "读卡器在回答,但 15 秒内没有放上身份证:把证件平放在读卡器上再按测试。";
  o.en = "the reader answers, but no card was put on it within 15 seconds: lay a card flat on it and test again.";
  return o;
}

TestOutcome test_scanner(const std::string& path, const std::atomic<bool>& stop) {
  auto scanner = devices::open_serial_scanner(path);
  const auto until = std::chrono::steady_clock::now() + kTestWait;
  while (!stop && std::chrono::steady_clock::now() < until) {
    const app::ScanPoll p = scanner->next(300ms);
    TestOutcome o;
    if (p.code) {
      o.ok = true;
      o.zh = "扫描成功:" + escape_for_message(*p.code) + "。扫描枪可以使用。";
      o.en = "scanned: " + escape_for_message(*p.code) + ". The scanner works.";
      return o;
    }
    if (p.state == app::DeviceState::Unplugged) {
      o.code = p.code_name;
      o.zh = "找不到扫描枪 " + quote_for_message(path) + ":检查 USB 线;键盘口扫描枪不用设置,直接扫即可。";
      o.en = "no scanner at " + quote_for_message(path) +
             ": check its cable; a keyboard-wedge scanner needs no setting, it just types.";
      return o;
    }
    if (p.state == app::DeviceState::Error) {
      o.code = p.code_name;
      o.zh = p.message_zh;
      o.en = p.message_en;
      return o;
    }
  }
  TestOutcome o;
  o.code = "SCAN_NONE";
  o.zh = "15 秒内没有收到扫描:扫一张标识卡再试;仍然没有的话,扫描枪可能是键盘口模式(不用设置)或波特率不是 9600。";
  o.en = "no scan came within 15 seconds: scan a label card and test again; if still nothing, the scanner may be in "
         "keyboard mode (needs no setting) or not at 9600 baud.";
  return o;
}

// The test page goes the way every invoice goes (app/printing.hpp's InvoiceOutput, the adapter
// the main registered): a page that comes out proves the counter's own path. A failure is said
// with what to check, not only what happened.
TestOutcome test_printer(const std::string& uri) {
  const app::Result<app::Done> printed = app::print_test_page(uri);
  TestOutcome o;
  const std::string where = quote_for_message(uri);
  if (printed) {
    o.ok = true;
    o.zh = "测试页已送到打印机 " + where + ":请看打印出来的那一页。";
    o.en = "the test page went to " + where + ": look at the printed page.";
    return o;
  }
  const app::Problem& p = printed.problem();
  o.code = p.code;
  std::string hint_zh, hint_en;
  if (p.code == "PRINTER_URI") {
    hint_zh = "打印机地址的写法不对,例如 escpos+tcp://192.168.1.50:9100、escpos+serial:/dev/ttyUSB0?baud=19200、"
              "escpos+file:/dev/usb/lp0 或 cups:队列名。";
    hint_en = "the printer's address is not written right: e.g. escpos+tcp://192.168.1.50:9100, "
              "escpos+serial:/dev/ttyUSB0?baud=19200, escpos+file:/dev/usb/lp0 or cups:QUEUE.";
  } else if (p.code == "PRINTER_UNREACHABLE") {
    hint_zh = "连不上打印机:检查打印机是否开着、数据线或网线是否插好,地址和端口是否写对;串口或 USB 打印机还要有权限"
              "(dialout / lp 组)。";
    hint_en = "the printer cannot be reached: check that it is switched on, its cable is in, and the address and port "
              "are right; a serial or USB printer also needs permission (the dialout / lp group).";
  } else if (p.code == "PRINTER_NOT_READY") {
    hint_zh = "打印机回答了但没有就绪:检查纸卷和机盖,确认它不是脱机状态。";
    hint_en = "the printer answers but is not ready: check the paper roll and the cover, and that it is online.";
  } else if (p.code == "PRINTER_WRITE") {
    hint_zh = "打印到一半断开了:检查数据线或网线后再测试。";
    hint_en = "the connection broke while printing: check the cable and test again.";
  }
  o.zh = "打印测试失败:" + p.message_zh + (hint_zh.empty() ? "" : "。" + hint_zh);
  o.en = "the test print failed: " + p.message_en + (hint_en.empty() ? "" : ". " + hint_en);
  return o;
}

class DevicesDialog : public wxDialog {
 public:
  DevicesDialog(MainFrame& frame, const app::UserRecord& manager)
      : wxDialog(&frame, wxID_ANY, pick("设备", "Devices")), frame_(frame), manager_(manager) {
    found_ = devices::find_devices();
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(new wxStaticText(this, wxID_ANY, pick("本机找到的设备:", "Found on this PC:")), 0, wxLEFT | wxTOP, 12);
    auto* list = new wxTextCtrl(this, wxID_ANY, U(found_text()), wxDefaultPosition, wxSize(640, 120),
                                wxTE_MULTILINE | wxTE_READONLY);
    list->SetCanFocus(false);
    s->Add(list, 0, wxEXPAND | wxALL, 12);
    auto* grid = new wxFlexGridSizer(3, 8, 8);
    grid->AddGrowableCol(1);
    const auto row = [&](const wxString& label, const wxArrayString& items, const wxString& value,
                         const wxString& button, std::function<void()> action, long style = 0) {
      grid->Add(new wxStaticText(this, wxID_ANY, label), 0, wxALIGN_CENTER_VERTICAL);
      auto* c = new wxComboBox(this, wxID_ANY, value, wxDefaultPosition, wxSize(380, -1), items, style);
      grid->Add(c, 1, wxEXPAND);
      if (button.empty()) {
        grid->AddSpacer(0);
      } else {
        auto* b = new wxButton(this, wxID_ANY, button);
        b->Bind(wxEVT_BUTTON, [action](wxCommandEvent&) { action(); });
        grid->Add(b, 0);
      }
      return c;
    };
    std::vector<std::string> printers = found_.printer_queues;
    for (const auto& lp : found_.usb_printers) printers.push_back("escpos+file:" + lp);
    for (const auto& p : found_.serial_ports) printers.push_back("escpos+serial:" + p + "?baud=19200");
    const auto paths = [](const std::vector<std::string>& offered) {
      wxArrayString items;
      for (const auto& o : offered) items.Add(U(o));
      return items;
    };
    reader_ = row(pick("身份证读卡器", "ID card reader"), paths(found_.serial_ports), "",
                  pick("测试读卡 (F2)", "Test read (F2)"), [this] { run_test("read"); });
    scanners_ = row(pick("串口扫描枪(逗号分隔)", "Serial scanners (comma-separated)"), paths(found_.serial_ports), "",
                    pick("测试扫描 (F3)", "Test scan (F3)"), [this] { run_test("scan"); });
    printer_ = row(pick("发票打印机", "Invoice printer"), paths(printers), "", pick("测试打印 (F4)", "Test print (F4)"),
                   [this] { run_test("print"); });
    // The drawer by its name on the screen, its code (none | escpos) in the setting.
    wxArrayString drawers;
    drawers.Add(cash_drawer_name("none"));
    drawers.Add(cash_drawer_name("escpos"));
    drawer_ = row(pick("钱箱", "Cash drawer"), drawers, drawers[0], wxEmptyString, nullptr, wxCB_READONLY);
    camera_ = row(pick("摄像头", "Camera"), paths(found_.cameras), "", wxEmptyString, nullptr);
    s->Add(grid, 0, wxEXPAND | wxLEFT | wxRIGHT, 12);
    message_ = new wxStaticText(this, wxID_ANY, wxEmptyString, wxDefaultPosition, wxSize(640, -1));
    s->Add(message_, 0, wxEXPAND | wxALL, 12);
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    auto* save = new wxButton(this, wxID_ANY, pick("保存 (F10)", "Save (F10)"));
    save->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { save_settings(); });
    buttons->Add(save, 0, wxRIGHT, 8);
    buttons->Add(new wxButton(this, wxID_CANCEL, _("Close (Esc)")));
    s->Add(buttons, 0, wxALIGN_RIGHT | wxALL, 12);
    SetSizerAndFit(s);
    SetEscapeId(wxID_CANCEL);
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
      switch (e.GetKeyCode()) {
        case WXK_F2: run_test("read"); return;
        case WXK_F3: run_test("scan"); return;
        case WXK_F4: run_test("print"); return;
        case WXK_F10: save_settings(); return;
        default: e.Skip();
      }
    });
    CentreOnParent();
    load();
  }

  ~DevicesDialog() override {
    stop_ = true;
    if (test_thread_.joinable()) test_thread_.join();
  }

 private:
  std::string found_text() const {
    std::string t;
    const auto line = [&t](const std::string& what, const std::vector<std::string>& items) {
      t += what;
      if (items.empty()) t += " —";
      for (const auto& i : items) t += "  " + i;
      t += "\n";
    };
    const bool zh = language() == Language::Chinese;
    line(zh ? "串口:" : "Serial ports:", found_.serial_ports);
    line(zh ? "打印队列(CUPS):" : "Printer queues (CUPS):", found_.printer_queues);
    line(zh ? "USB 打印机:" : "USB printers:", found_.usb_printers);
    line(zh ? "摄像头:" : "Cameras:", found_.cameras);
    return t;
  }

  void load() {
    const std::optional<std::string> reader_override = frame_.options().id_reader;
    const std::optional<std::vector<std::string>> scanner_override = frame_.options().scanners;
    frame_.worker().ask<app::DeviceSettings>(
        live_, [](app::Terminal& t) { return t.settings().devices; },
        [this, reader_override, scanner_override](app::DeviceSettings& d) {
          loaded_ = d;
          // What is in use this run: the setting, or this run's option when one was given.
          reader_->SetValue(U(reader_override.value_or(d.id_reader)));
          std::string list;
          for (const auto& p : scanner_override.value_or(d.scanners)) list += (list.empty() ? "" : ",") + p;
          scanners_->SetValue(U(list));
          printer_->SetValue(U(d.invoice_printer));
          if (drawer_->FindString(cash_drawer_name(d.cash_drawer)) == wxNOT_FOUND)
            drawer_->Append(cash_drawer_name(d.cash_drawer));  // a value this version does not know
          drawer_->SetValue(cash_drawer_name(d.cash_drawer));
          camera_->SetValue(U(d.camera));
          reader_->SetFocus();
          trace("devices_page_ready", {{"serial_ports", found_.serial_ports},
                                       {"printer_queues", found_.printer_queues},
                                       {"usb_printers", found_.usb_printers},
                                       {"cameras", found_.cameras},
                                       {"id_reader", reader_->GetValue().utf8_string()}});
        });
  }

  void say(const std::string& zh, const std::string& en, const wxColour& colour) {
    message_->SetLabel(pick(zh, en));
    message_->SetForegroundColour(colour);
    message_->Wrap(640);
    Fit();
  }

  void run_test(const std::string& kind) {
    if (testing_) return;
    const std::string target = trim((kind == "read"   ? reader_
                                     : kind == "scan" ? scanners_
                                                      : printer_)
                                        ->GetValue()
                                        .utf8_string());
    std::string first = target;
    if (kind == "scan") {
      const auto list = app::split_device_list(target);
      first = list.empty() ? "" : list.front();
    }
    if (first.empty()) {
      say("先选择或填写要测试的设备。", "choose or type the device to test first.", kRed);
      trace("device_test", {{"kind", kind}, {"ok", false}, {"code", "DEVICE_NOT_SET"}});
      return;
    }
    testing_ = true;
    if (kind == "read") say("请把身份证放在读卡器上……", "put an ID card on the reader...", kBlue);
    else if (kind == "scan") say("请用扫描枪扫一张标识卡……", "scan a label card with the scanner...", kBlue);
    else say("正在打印测试页……", "printing a test page...", kBlue);
    trace("device_test_started", {{"kind", kind}});
    if (test_thread_.joinable()) test_thread_.join();
    auto token = live_.token();
    test_thread_ = std::thread([this, token, kind, first] {
      const TestOutcome o = kind == "read"   ? test_reader(first, stop_)
                            : kind == "scan" ? test_scanner(first, stop_)
                                             : test_printer(first);
      wxTheApp->CallAfter([this, token, kind, o] {
        if (!*token) return;
        testing_ = false;
        say(o.zh, o.en, o.ok ? kGreen : kRed);
        nlohmann::json event = {{"kind", kind}, {"ok", o.ok}, {"code", o.code}, {"message_zh", o.zh}};
        if (!o.masked.empty()) event["masked"] = o.masked;
        trace("device_test", event);
      });
    });
  }

  void save_settings() {
    std::vector<std::pair<std::string, std::string>> changes;
    const auto changed = [&](const std::string& key, wxComboBox* box, const std::string& before) {
      const std::string now = box == drawer_ ? cash_drawer_code(box->GetValue()) : trim(box->GetValue().utf8_string());
      if (now != before) changes.emplace_back(key, now);
    };
    std::string scanners_before;
    for (const auto& p : loaded_.scanners) scanners_before += (scanners_before.empty() ? "" : ",") + p;
    changed("device.id_reader", reader_, loaded_.id_reader);
    changed("device.scanners", scanners_, scanners_before);
    changed("device.invoice_printer", printer_, loaded_.invoice_printer);
    changed("device.cash_drawer", drawer_, loaded_.cash_drawer);
    changed("device.camera", camera_, loaded_.camera);
    if (changes.empty()) {
      say("没有改动。", "nothing changed.", kGreen);
      return;
    }
    const app::UserRecord manager = manager_;
    frame_.worker().ask<app::Result<app::Done>>(
        live_,
        [manager, changes](app::Terminal& t) -> app::Result<app::Done> {
          for (const auto& [key, value] : changes) {
            auto r = t.change_setting(manager, key, value);
            if (!r) return r;
          }
          return app::Done{};
        },
        [this](app::Result<app::Done>& r) {
          if (!r) {
            say(r.problem().message_zh, r.problem().message_en, kRed);
            trace("devices_saved", {{"ok", false}, {"code", r.problem().code}});
            return;
          }
          say("已保存;关闭本页后生效。", "saved; in use once this page is closed.", kGreen);
          trace("devices_saved", {{"ok", true}});
          load();
        });
  }

  MainFrame& frame_;
  app::UserRecord manager_;
  app::FoundDevices found_;
  app::DeviceSettings loaded_;
  wxComboBox* reader_ = nullptr;
  wxComboBox* scanners_ = nullptr;
  wxComboBox* printer_ = nullptr;
  wxComboBox* drawer_ = nullptr;
  wxComboBox* camera_ = nullptr;
  wxStaticText* message_ = nullptr;
  bool testing_ = false;
  std::atomic<bool> stop_{false};
  std::thread test_thread_;
  Liveness live_;
};
}  // namespace

void show_devices_page(MainFrame& frame, const app::UserRecord& manager) {
  // The counter's device threads let go of the ports while the page tests them.
  frame.stop_devices();
  {
    DevicesDialog dlg(frame, manager);
    trace("devices_page");
    dlg.ShowModal();
  }
  frame.start_devices();
}

}  // namespace hn::ui
