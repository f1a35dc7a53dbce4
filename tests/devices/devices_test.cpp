// pos/app/devices.hpp and its adapters (pos/devices) over the simulators on real ptys.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "app/devices.hpp"
#include "app/printing.hpp"
#include "devices/hardware_devices.hpp"
#include "printer/invoice_output.hpp"
#include "printer/sink.hpp"
#include "reader_simulator.hpp"
#include "serial_scanner.hpp"
#include "store/store.hpp"
#include "temp_dir.hpp"

using namespace hn;
using namespace std::chrono_literals;

TEST_CASE("device settings are read with their defaults, scanners as a list", "[devices][settings]") {
  hn::test::TempDir dir;
  store::Store s = store::Store::create(dir.file("pos.db"));
  app::DeviceSettings d = app::read_device_settings(s);
  CHECK(d.id_reader.empty());
  CHECK(d.scanners.empty());
  CHECK(d.cash_drawer == "none");
  s.settings().set("device.id_reader", " /dev/serial/by-id/usb-reader ");
  s.settings().set("device.scanners", "/dev/ttyACM0, ,/dev/ttyUSB1,");
  s.settings().set("device.camera", "/dev/video0");
  d = app::read_device_settings(s);
  CHECK(d.id_reader == "/dev/serial/by-id/usb-reader");
  CHECK(d.scanners == std::vector<std::string>{"/dev/ttyACM0", "/dev/ttyUSB1"});
  CHECK(d.camera == "/dev/video0");
}

TEST_CASE("the county is taken from the card's address", "[devices][idcard]") {
  CHECK(app::address_county_name("安徽省宿州市萧县龙城镇人民路88号") == "萧县");
  CHECK(app::address_county_name("新疆维吾尔自治区乌鲁木齐市天山区解放南路25号") == "天山区");
  CHECK(app::address_county_name("北京市朝阳区建国路1号") == "朝阳区");
  CHECK(app::address_county_name("吉林省延边朝鲜族自治州延吉市河南街") == "延吉市");
  CHECK(app::address_county_name("内蒙古自治区阿拉善盟阿拉善左旗巴彦浩特镇") == "阿拉善左旗");
  CHECK(app::address_county_name("某地某处") == "");
  CHECK(app::address_county_name("") == "");
}

TEST_CASE("a card past its validity is expired, a long-term one never", "[devices][idcard]") {
  app::IdCardData card;
  card.valid_to = "20160301";
  CHECK(card.expired(Date{2016, 3, 2}));
  CHECK_FALSE(card.expired(Date{2016, 3, 1}));  // the last day printed is still valid
  card.valid_to = "长期";
  CHECK_FALSE(card.expired(Date{2099, 1, 1}));
  card.valid_to = "2016030";  // no date at all: never taken as valid
  CHECK(card.expired(Date{2000, 1, 1}));
}

TEST_CASE("the reader adapter reads a card, no card, and an unplugged reader, and comes back",
          "[devices][idcard]") {
  const std::string link = "/tmp/huinong-devices-reader-" + std::to_string(::getpid());
  hw::ReaderSimulator::Options o;
  o.link = link;
  o.card = "";
  hw::ReaderSimulator sim(o);
  auto reader = devices::open_id_reader(link);
  CHECK(reader->where() == link);
  CHECK(reader->poll().state == app::DeviceState::NoCard);
  sim.place_card("hui");
  app::CardPoll p = reader->poll();
  REQUIRE(p.card);
  CHECK(p.state == app::DeviceState::Ready);
  CHECK(p.card->name == "马玉兰");
  CHECK(p.card->nation == "回");
  CHECK(p.card->sex_zh == "女");
  CHECK(p.card->county_code == "341322");
  CHECK(p.card->photo.size() == 1024);
  sim.unplug(1500ms);
  p = reader->poll();
  CHECK(p.state == app::DeviceState::Unplugged);
  CHECK(p.code == "READER_UNPLUGGED");
  CHECK_FALSE(p.message_zh.empty());
  REQUIRE(sim.wait_plugged(10s));
  // The same object, no restart: it opens the link again.
  for (int i = 0; i < 50 && !p.card; ++i) p = reader->poll();
  CHECK(p.card);
}

TEST_CASE("the scanner adapter hands over one code a scan", "[devices][scanner]") {
  const std::string link = "/tmp/huinong-devices-scanner-" + std::to_string(::getpid());
  hw::ScannerSimulator sim(link);
  auto scanner = devices::open_serial_scanner(link);
  CHECK_FALSE(scanner->next(100ms).code);  // opens the port: nothing scanned yet
  REQUIRE(sim.scan("34080100000000010001", hw::ScanSuffix::CR));
  app::ScanPoll p;
  for (int i = 0; i < 20 && !p.code; ++i) p = scanner->next(200ms);
  REQUIRE(p.code);
  CHECK(*p.code == "34080100000000010001");
}

TEST_CASE("without the reader maker's library the photo is not decoded, and says so", "[devices][idcard]") {
  ::setenv("HUINONG_WLT_LIBRARY", "/nonexistent/libwlt-test.so", 1);
  const app::CardPhoto photo = devices::decode_card_photo(std::vector<std::uint8_t>(1024, 0x57));
  CHECK_FALSE(photo.decoded);
  CHECK(photo.rgb.empty());
  CHECK(photo.message_zh == "照片需读卡器厂商解码库");
}

namespace {

// A printer port that keeps what it was asked to print: the test page must take the registered
// path (the one every invoice takes), not a driver of its own.
struct Recorded {
  std::vector<app::PrinterChoice> choices;
  std::vector<Document> documents;
  std::vector<bool> drawers;
};

class RecordingSession final : public app::PrintSession {
 public:
  explicit RecordingSession(Recorded& r) : r_(r) {}
  app::Result<app::Done> invoice(const Invoice&, bool) override { return app::Done{}; }
  app::Result<app::Done> document(const Document& doc, bool open_drawer) override {
    r_.documents.push_back(doc);
    r_.drawers.push_back(open_drawer);
    return app::Done{};
  }

 private:
  Recorded& r_;
};

class RecordingOutput final : public app::InvoiceOutput {
 public:
  RecordingOutput(Recorded& r, std::string uri) : r_(r), uri_(std::move(uri)) {}
  app::Result<std::unique_ptr<app::PrintSession>> open() override {
    return std::unique_ptr<app::PrintSession>(new RecordingSession(r_));
  }
  std::string describe() const override { return uri_; }

 private:
  Recorded& r_;
  std::string uri_;
};

}  // namespace

TEST_CASE("the Devices page's test page goes through the registered invoice output, drawer shut",
          "[devices][printer]") {
  Recorded recorded;
  app::set_invoice_output_factory([&recorded](const app::PrinterChoice& c)
                                      -> app::Result<std::unique_ptr<app::InvoiceOutput>> {
    recorded.choices.push_back(c);
    return std::unique_ptr<app::InvoiceOutput>(new RecordingOutput(recorded, c.uri));
  });
  const std::string uri = "escpos+tcp://127.0.0.1:9100?paper=58";
  REQUIRE(app::print_test_page(uri));
  REQUIRE(recorded.choices.size() == 1);
  CHECK(recorded.choices[0].uri == uri);
  CHECK_FALSE(recorded.choices[0].cash_drawer);
  REQUIRE(recorded.documents.size() == 1);
  CHECK(recorded.documents[0].title == "打印测试");
  CHECK(recorded.documents[0].rows.at(0).value == uri);
  CHECK_FALSE(recorded.drawers[0]);

  // No printer given: refused before any output is made.
  const auto none = app::print_test_page("");
  REQUIRE_FALSE(none);
  CHECK(none.problem().code == "PRINTER_NOT_SET");
  CHECK(recorded.choices.size() == 1);
  app::set_invoice_output_factory(nullptr);
}

TEST_CASE("the test page reaches an ESC/POS file through the real adapter, and a bad URI is refused in words",
          "[devices][printer]") {
  app::set_invoice_output_factory(printer::invoice_output_factory());
  hn::test::TempDir dir;
  const std::string file = dir.file("printer.bin");
  REQUIRE(app::print_test_page("escpos+file:" + file));
  std::ifstream in(file, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const printer::Printout paper = printer::parse_escpos(bytes);
  CHECK(paper.problems.empty());
  const auto lines = paper.lines();
  CHECK(std::find(lines.begin(), lines.end(), "打印测试") != lines.end());
  CHECK(paper.of(printer::PrintedItem::Kind::DrawerKick).empty());

  const auto bad = app::print_test_page("lpt1");
  REQUIRE_FALSE(bad);
  CHECK(bad.problem().code == "PRINTER_URI");
  CHECK_FALSE(bad.problem().message_zh.empty());
  app::set_invoice_output_factory(nullptr);
}

TEST_CASE("the camera adapter decodes a code from the simulator's still pictures, or says none is there",
          "[devices][camera]") {
  auto none = devices::open_still_frames({"/nonexistent/frame.png"});
  const app::FrameDecode d = none->grab_and_decode(2);
  CHECK_FALSE(d.ok);
  CHECK_FALSE(d.code.empty());
  CHECK_FALSE(d.message_zh.empty());
}
