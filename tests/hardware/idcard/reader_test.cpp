// The real driver (IdCardReader on a termios SerialPort) against the simulator over a real
// pseudo-terminal: every card of the set and every fault a counter meets.
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <thread>

#include "id_card_reader.hpp"
#include "reader_simulator.hpp"
#include "temp_dir.hpp"

using namespace hn;
using namespace hn::hw;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

// Short enough to keep the suite fast, long enough for a loaded CI machine: the simulator
// answers in well under a millisecond.
ReaderTimings fast() {
  ReaderTimings t;
  t.answer_timeout = milliseconds(150);
  t.byte_gap = milliseconds(80);
  t.retries = 2;
  return t;
}

struct Bench {
  explicit Bench(const std::string& card = "valid", ReaderFault fault = ReaderFault::None,
                 int times = -1)
      : sim([&] {
          ReaderSimulator::Options o;
          o.link = dir.file("reader");
          o.card = card;
          o.fault = fault;
          o.fault_times = times;
          o.unplug_for = milliseconds(200);
          return o;
        }()),
        reader(sim.port(), fast()) {}
  test::TempDir dir;
  ReaderSimulator sim;
  IdCardReader reader;
};

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

TEST_CASE("a valid card is read with every field", "[reader]") {
  Bench b;
  const ReadResult r = b.reader.read_card();
  REQUIRE(r.status == ReadStatus::Ok);
  REQUIRE(r.card);
  const IdCard& c = *r.card;
  CHECK(c.name == "张伟");
  CHECK(c.sex_code == "1");
  CHECK(c.sex_zh() == "男");
  CHECK(c.nation_code == "01");
  CHECK(c.nation() == "汉");
  CHECK(c.birth == "19800312");
  CHECK(c.address == "安徽省宿州市萧县龙城镇人民路88号");
  CHECK(c.id_number == "341322198003121239");
  CHECK(c.issuer == "萧县公安局");
  CHECK(c.valid_from == "20150601");
  CHECK(c.valid_to == "20350601");
  CHECK(c.county() == "341322");
  CHECK(c.photo.size() == 1024);
  CHECK(c.photo == find_builtin_card("valid")->card.photo);
  CHECK_FALSE(c.expired(Date{2026, 11, 27}));
  CHECK(r.attempts == 1);
  CHECK(b.sim.commands_seen() == 3);  // find, select, read
}

TEST_CASE("an expired card is read, and shows as expired", "[reader]") {
  Bench b("expired");
  const ReadResult r = b.reader.read_card();
  REQUIRE(r.ok());
  CHECK(r.card->valid_to == "20160301");
  CHECK(r.card->sex_zh() == "女");
  CHECK(r.card->expired(Date{2026, 11, 27}));
}

TEST_CASE("a long-term card reads 长期 and never expires", "[reader]") {
  Bench b("long-term");
  const ReadResult r = b.reader.read_card();
  REQUIRE(r.ok());
  CHECK(r.card->valid_to == "长期");
  CHECK(r.card->long_term());
  CHECK_FALSE(r.card->valid_to_date());
  CHECK_FALSE(r.card->expired(Date{2199, 1, 1}));
}

TEST_CASE("non-Han nation codes are read and named", "[reader]") {
  Bench b("uyghur");
  ReadResult r = b.reader.read_card();
  REQUIRE(r.ok());
  CHECK(r.card->nation_code == "05");
  CHECK(r.card->nation() == "维吾尔");
  CHECK(r.card->name == "阿依古丽·买买提");
  CHECK(r.card->county() == "650102");

  b.sim.place_card("hui");
  r = b.reader.read_card();
  REQUIRE(r.ok());
  CHECK(r.card->nation_code == "03");
  CHECK(r.card->nation() == "回");
}

TEST_CASE("a name with a CJK Extension A character comes through intact", "[reader]") {
  Bench b("rare");
  const ReadResult r = b.reader.read_card();
  REQUIRE(r.ok());
  CHECK(r.card->name == "刘䶮");
  CHECK(r.card->name == "\xE5\x88\x98\xE4\xB6\xAE");
}

TEST_CASE("an empty reader answers no card at once", "[reader][fault]") {
  Bench b("");
  ReadResult r = b.reader.read_card();
  CHECK(r.status == ReadStatus::NoCard);
  CHECK(r.attempts == 1);  // not line trouble: no retries
  CHECK_FALSE(r.card);

  b.sim.place_card("valid");
  b.sim.set_fault(ReaderFault::NoCard, 1);
  CHECK(b.reader.read_card().status == ReadStatus::NoCard);
  CHECK(b.reader.read_card().ok());
}

TEST_CASE("a card lifted between select and read is reported removed", "[reader][fault]") {
  Bench b("valid", ReaderFault::CardRemoved);
  const ReadResult r = b.reader.read_card();
  CHECK(r.status == ReadStatus::CardRemoved);
  CHECK(r.sw3 == sw3::kReadFailed);
  CHECK(b.sim.commands_seen() == 3);
}

// A pty answering each command with a frame the test chose: for answers the simulator's
// faults do not produce (a card that slides away before select, codes of the SAM's own trouble,
// a read whose lengths do not add up).
class ScriptedReader {
 public:
  ScriptedReader(Bytes find, Bytes select, Bytes read)
      : answers_{std::move(find), std::move(select), std::move(read)} {
    REQUIRE(pty_.open());
    thread_ = std::thread([this] {
      FrameParser parser;
      Bytes in;
      while (!stop_) {
        in.clear();
        if (pty_.read_some(in, milliseconds(10)) != PortStatus::Ok) continue;
        parser.feed(in);
        while (auto f = parser.next()) {
          const auto c = decode_command(f->body);
          if (!c) continue;
          const std::size_t i = c->first == kFindCard ? 0 : c->first == kSelectCard ? 1 : 2;
          pty_.write_all(answers_[i]);
        }
      }
    });
  }
  ~ScriptedReader() {
    stop_ = true;
    thread_.join();
  }
  std::string port() const { return pty_.slave_path(); }

 private:
  Bytes answers_[3];
  PseudoTerminal pty_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

const Bytes kFound = encode_answer(0, 0, sw3::kCardFound, {0, 0, 0, 0});
const Bytes kSelected = encode_answer(0, 0, sw3::kOk, Bytes(8, 0));

TEST_CASE("a card found but gone before select is reported removed", "[reader][fault]") {
  ScriptedReader fake(kFound, encode_answer(0, 0, sw3::kSelectFailed), {});
  IdCardReader reader(fake.port(), fast());
  const ReadResult r = reader.read_card();
  CHECK(r.status == ReadStatus::CardRemoved);
  CHECK(r.sw3 == sw3::kSelectFailed);
}

TEST_CASE("a code of the SAM module's own trouble is a reader fault, with the code",
          "[reader][fault]") {
  ScriptedReader fake(encode_answer(0, 0, 0x24), {}, {});
  IdCardReader reader(fake.port(), fast());
  const ReadResult r = reader.read_card();
  CHECK(r.status == ReadStatus::ReaderFault);
  CHECK(r.sw3 == 0x24);
  CHECK(r.attempts == 1);
}

TEST_CASE("a read whose lengths promise more than it carries is a short frame", "[reader][fault]") {
  // Text length 256 and photo length 1024 announced, 10 bytes delivered, checksum correct.
  ScriptedReader fake(kFound, kSelected,
                      encode_answer(0, 0, sw3::kOk, {0x01, 0x00, 0x04, 0x00, 1, 2, 3, 4, 5, 6}));
  IdCardReader reader(fake.port(), fast());
  CHECK(reader.read_card().status == ReadStatus::ShortFrame);
}

TEST_CASE("a text block of another layout is not taken for an ID card", "[reader][fault]") {
  Bytes data = {0x00, 0x80, 0x00, 0x00};  // 128 bytes of text, no photo
  data.resize(4 + 128, 0x20);
  ScriptedReader fake(kFound, kSelected, encode_answer(0, 0, sw3::kOk, data));
  IdCardReader reader(fake.port(), fast());
  CHECK(reader.read_card().status == ReadStatus::OtherCard);
}

TEST_CASE("a foreigner's permanent residence card is recognised, not misread", "[reader][fault]") {
  Bytes text = *encode_id_card_text(find_builtin_card("valid")->card);
  text[kCardTypeOffset] = 'I';  // 外国人永久居留身份证
  text[kCardTypeOffset + 1] = 0;
  Bytes data(4 + 256 + 1024, 0);
  data[0] = 0x01;  // 256 bytes of text, 1024 of photo
  data[2] = 0x04;
  std::copy(text.begin(), text.end(), data.begin() + 4);
  ScriptedReader fake(kFound, kSelected, encode_answer(0, 0, sw3::kOk, data));
  IdCardReader reader(fake.port(), fast());
  const ReadResult r = reader.read_card();
  CHECK(r.status == ReadStatus::OtherCard);
  CHECK_FALSE(r.card);
}

TEST_CASE("answers with a bad checksum are retried, then reported", "[reader][fault]") {
  {
    Bench b("valid", ReaderFault::BadChecksum);
    const ReadResult r = b.reader.read_card();
    CHECK(r.status == ReadStatus::BadChecksum);
    CHECK(r.attempts == 3);
  }
  {
    Bench b("valid", ReaderFault::BadChecksum, 1);  // one burst of noise
    const ReadResult r = b.reader.read_card();
    REQUIRE(r.ok());
    CHECK(r.attempts == 2);
    CHECK(r.card->name == "张伟");
  }
}

TEST_CASE("answers cut short are retried, then reported", "[reader][fault]") {
  {
    Bench b("valid", ReaderFault::ShortFrame);
    const auto start = Clock::now();
    const ReadResult r = b.reader.read_card();
    CHECK(r.status == ReadStatus::ShortFrame);
    CHECK(r.attempts == 3);
    // Told by the gap inside the frame, not by waiting out the answer timeout.
    CHECK(seconds_since(start) < 3 * 0.15 + 0.3);
  }
  {
    Bench b("valid", ReaderFault::ShortFrame, 1);
    const ReadResult r = b.reader.read_card();
    REQUIRE(r.ok());
    CHECK(r.attempts == 2);
  }
}

TEST_CASE("a reader that does not answer times out after its retries", "[reader][fault]") {
  {
    Bench b("valid", ReaderFault::Timeout);
    const auto start = Clock::now();
    const ReadResult r = b.reader.read_card();
    CHECK(r.status == ReadStatus::Timeout);
    CHECK(r.attempts == 3);
    const double took = seconds_since(start);
    CHECK(took >= 3 * 0.15 - 0.01);
    CHECK(took < 3 * 0.15 + 0.3);
  }
  {
    Bench b("valid", ReaderFault::Timeout, 1);  // one lost answer
    const ReadResult r = b.reader.read_card();
    REQUIRE(r.ok());
    CHECK(r.attempts == 2);
  }
}

TEST_CASE("garbage before every preamble is skipped and the card read", "[reader][fault]") {
  Bench b("rare", ReaderFault::Garbage);
  const ReadResult r = b.reader.read_card();
  REQUIRE(r.ok());
  CHECK(r.attempts == 1);
  CHECK(r.card->name == "刘䶮");
  CHECK(b.reader.garbage_bytes() >= 3 * 20);  // 20 bytes of noise before each of three answers
}

TEST_CASE("an unplugged reader is reported, and read again once plugged back", "[reader][fault]") {
  Bench b;
  REQUIRE(b.reader.read_card().ok());

  b.sim.unplug(milliseconds(300));
  ReadResult r = b.reader.read_card();
  CHECK(r.status == ReadStatus::Unplugged);
  CHECK(r.attempts == 1);
  r = b.reader.read_card();  // still away: the link is gone
  CHECK(r.status == ReadStatus::Unplugged);

  REQUIRE(b.sim.wait_plugged(milliseconds(2000)));
  // A new pty (the kernel may give it the old number once the old pair is freed), found
  // through the link.
  r = b.reader.read_card();
  REQUIRE(r.ok());
  CHECK(r.card->name == "张伟");
  CHECK(b.sim.replugs() == 1);
}

TEST_CASE("a reader unplugged and back between two reads is read at the first try",
          "[reader][fault]") {
  Bench b;
  REQUIRE(b.reader.read_card().ok());  // the driver now holds a descriptor of the first pty
  b.sim.unplug(milliseconds(50));
  REQUIRE(b.sim.wait_plugged(milliseconds(2000)));
  const ReadResult r = b.reader.read_card();
  REQUIRE(r.ok());
  CHECK(r.card->name == "张伟");
}

TEST_CASE("a reader pulled out in the middle of a read is reported and then found again",
          "[reader][fault]") {
  Bench b("valid", ReaderFault::Unplug, 1);
  const auto start = Clock::now();
  ReadResult r = b.reader.read_card();
  CHECK(r.status == ReadStatus::Unplugged);
  CHECK(seconds_since(start) < 0.15 + 0.2);  // the hang-up is seen at once, not by timing out
  // The clerk plugs it back in while the counter waits for the card.
  r = b.reader.wait_for_card(milliseconds(3000), milliseconds(50));
  REQUIRE(r.ok());
  CHECK(r.card->id_number == "341322198003121239");
}

TEST_CASE("a port that does not exist is unplugged, one that is no serial port is a port error",
          "[reader][fault]") {
  test::TempDir dir;
  IdCardReader missing(dir.file("no-such-reader"), fast());
  ReadResult r = missing.read_card();
  CHECK(r.status == ReadStatus::Unplugged);
  CHECK_FALSE(r.detail.empty());

  std::ofstream(dir.file("plain-file")) << "not a tty";
  IdCardReader plain(dir.file("plain-file"), fast());
  r = plain.read_card();
  CHECK(r.status == ReadStatus::PortError);
}

TEST_CASE("waiting for a card ends when the clerk puts it down", "[reader]") {
  Bench b("");
  std::thread clerk([&] {
    std::this_thread::sleep_for(milliseconds(200));
    b.sim.place_card("hui");
  });
  const ReadResult r = b.reader.wait_for_card(milliseconds(3000), milliseconds(50));
  clerk.join();
  REQUIRE(r.ok());
  CHECK(r.card->name == "马玉兰");

  b.sim.remove_card();
  const auto start = Clock::now();
  CHECK(b.reader.wait_for_card(milliseconds(300), milliseconds(50)).status == ReadStatus::NoCard);
  CHECK(seconds_since(start) < 0.3 + 0.3);
}

TEST_CASE("the simulator takes control lines", "[sim]") {
  Bench b;
  CHECK(b.sim.control("fault short-frame 1") == "ok fault short-frame x1");
  CHECK(b.sim.control("card rare") == "ok card rare");
  CHECK(b.sim.control("card nobody").rfind("error", 0) == 0);
  CHECK(b.sim.control("fault sideways").rfind("error", 0) == 0);
  CHECK(b.sim.control("fault timeout 0").rfind("error", 0) == 0);
  CHECK(b.sim.control("dance").rfind("error", 0) == 0);
  ReadResult r = b.reader.read_card();
  REQUIRE(r.ok());
  CHECK(r.attempts == 2);
  CHECK(r.card->name == "刘䶮");
  CHECK(b.sim.control("card none") == "ok no card");
  CHECK(b.reader.read_card().status == ReadStatus::NoCard);
  CHECK(b.sim.control("unplug 100").rfind("ok", 0) == 0);
  CHECK(b.reader.read_card().status == ReadStatus::Unplugged);
  CHECK(b.sim.control("status").find(" fault none") != std::string::npos);
}
