// `huinong device read-id` end to end: the real binary as a child process, reading from the
// simulator over a real pty, as a script or the counter's helper would run it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "process.hpp"
#include "reader_simulator.hpp"
#include "temp_dir.hpp"

using namespace hn::hw;
using hn::test::Env;
using hn::test::TempDir;
using nlohmann::json;
using std::chrono::milliseconds;

namespace {

constexpr const char* kManagerPin = "1234";
constexpr const char* kClerkPin = "5678";

struct Run {
  int rc = -1;
  std::string out;  // stdout and stderr together
  json j() const { return json::parse(out); }
};

Run read_id(const std::vector<std::string>& args, const Env& env = {}) {
  std::vector<std::string> argv = {HUINONG_BIN, "device", "read-id"};
  argv.insert(argv.end(), args.begin(), args.end());
  Run r;
  r.rc = hn::test::run(argv, env, &r.out);
  return r;
}

ReaderSimulator::Options reader_at(const TempDir& dir, const std::string& card = "valid",
                                   ReaderFault fault = ReaderFault::None) {
  ReaderSimulator::Options o;
  o.link = dir.file("reader");
  o.card = card;
  o.fault = fault;
  return o;
}

void make_outlet(const std::string& db) {
  std::string out;
  REQUIRE(hn::test::run({HUINONG_BIN, "--db", db, "init", "--outlet-code", "AH-XX-0001",
                         "--outlet-name", "萧县惠农家电城", "--county", "341322", "--manager",
                         "wang", "--manager-name", "王店长"},
                        {{"HUINONG_NEW_PIN", kManagerPin}}, &out) == 0);
  REQUIRE(hn::test::run({HUINONG_BIN, "--db", db, "user", "add", "--user", "wang", "--login", "li",
                         "--name", "李营业员", "--role", "clerk"},
                        {{"HUINONG_PIN", kManagerPin}, {"HUINONG_NEW_PIN", kClerkPin}}, &out) == 0);
}

}  // namespace

TEST_CASE("read-id prints the card with the ID number masked", "[cli]") {
  TempDir dir;
  ReaderSimulator sim(reader_at(dir));
  const Run r = read_id({"--port", sim.port()});
  INFO(r.out);
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("张伟") != std::string::npos);
  CHECK(r.out.find("3413**********1239") != std::string::npos);
  CHECK(r.out.find("341322198003121239") == std::string::npos);
  CHECK(r.out.find("汉 (01)") != std::string::npos);
  CHECK(r.out.find("1980-03-12") != std::string::npos);
  CHECK(r.out.find("2015-06-01 - 2035-06-01") != std::string::npos);
  CHECK(r.out.find("1024") != std::string::npos);
}

TEST_CASE("read-id --json gives every field, and only the photo's size", "[cli]") {
  TempDir dir;
  ReaderSimulator sim(reader_at(dir, "uyghur"));
  const Run r = read_id({"--port", sim.port(), "--json"});
  INFO(r.out);
  REQUIRE(r.rc == 0);
  const json j = r.j();
  CHECK(j["status"] == "ok");
  CHECK(j["name"] == "阿依古丽·买买提");
  CHECK(j["sex"] == "女");
  CHECK(j["nation"] == "维吾尔");
  CHECK(j["nation_code"] == "05");
  CHECK(j["birth_date"] == "1990-06-05");
  CHECK(j["address"] == "新疆维吾尔自治区乌鲁木齐市天山区解放南路25号");
  CHECK(j["id_number"] == "6501**********1280");
  CHECK(j["id_valid"] == true);
  CHECK(j["issuer"] == "乌鲁木齐市公安局天山区分局");
  CHECK(j["valid_from"] == "2016-09-01");
  CHECK(j["valid_to"] == "2036-09-01");
  CHECK(j["expired"] == false);
  CHECK(j["county"] == "650102");
  CHECK(j["photo_bytes"] == 1024);
  CHECK_FALSE(j.contains("photo"));
}

TEST_CASE("read-id shows expired and long-term cards as such", "[cli]") {
  TempDir dir;
  ReaderSimulator sim(reader_at(dir, "expired"));
  Run r = read_id({"--port", sim.port(), "--json"});
  REQUIRE(r.rc == 0);
  CHECK(r.j()["expired"] == true);
  CHECK(r.j()["valid_to"] == "2016-03-01");

  sim.place_card("long-term");
  r = read_id({"--port", sim.port(), "--json"});
  REQUIRE(r.rc == 0);
  CHECK(r.j()["valid_to"] == "长期");
  CHECK(r.j()["expired"] == false);

  sim.place_card("rare");
  r = read_id({"--port", sim.port()});
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("刘䶮") != std::string::npos);
}

TEST_CASE("the full ID number needs a signed-in manager", "[cli][auth]") {
  TempDir dir;
  const std::string db = dir.file("huinong.db");
  make_outlet(db);
  ReaderSimulator sim(reader_at(dir));
  const std::vector<std::string> port = {"--db", db, "--port", sim.port(), "--json"};
  const auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> a = port;
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };

  Run r = read_id(with({"--full"}));
  INFO(r.out);
  CHECK(r.rc == 4);
  CHECK(r.j()["error"]["code"] == "FULL_ID_NEEDS_MANAGER");

  r = read_id(with({"--full", "--user", "li"}), {{"HUINONG_PIN", kClerkPin}});
  CHECK(r.rc == 4);
  CHECK(r.out.find("341322198003121239") == std::string::npos);

  r = read_id(with({"--full", "--user", "wang"}), {{"HUINONG_PIN", "9999"}});
  CHECK(r.rc == 4);
  CHECK(r.out.find("341322198003121239") == std::string::npos);

  r = read_id(with({"--full", "--user", "wang"}), {{"HUINONG_PIN", kManagerPin}});
  REQUIRE(r.rc == 0);
  CHECK(r.j()["id_number"] == "341322198003121239");

  r = read_id(with({"--user", "wang"}), {{"HUINONG_PIN", kManagerPin}});
  CHECK(r.rc == 2);  // --user alone would suggest more is shown than is
}

TEST_CASE("reader faults exit 2 with a message that says what to do", "[cli][fault]") {
  TempDir dir;
  ReaderSimulator sim(reader_at(dir, ""));
  const auto fault_code = [&](const std::vector<std::string>& extra = {}) {
    std::vector<std::string> a = {"--port", sim.port(), "--timeout-ms", "300", "--json"};
    a.insert(a.end(), extra.begin(), extra.end());
    const Run r = read_id(a);
    INFO(r.out);
    CHECK(r.rc == 2);
    return r.j()["error"]["code"].get<std::string>();
  };

  CHECK(fault_code() == "ID_NO_CARD");
  const Run text = read_id({"--port", sim.port(), "--timeout-ms", "200"});
  CHECK(text.rc == 2);
  CHECK(text.out.find("没有身份证:请把身份证放在读卡器上") != std::string::npos);
  CHECK(text.out.find("no ID card on the reader: place the card on it") != std::string::npos);

  sim.place_card("valid");
  sim.set_fault(ReaderFault::CardRemoved);
  CHECK(fault_code() == "ID_CARD_REMOVED");
  sim.set_fault(ReaderFault::BadChecksum);
  CHECK(fault_code() == "READER_BAD_CHECKSUM");
  sim.set_fault(ReaderFault::ShortFrame);
  CHECK(fault_code() == "READER_SHORT_FRAME");
  sim.set_fault(ReaderFault::Timeout);
  CHECK(fault_code() == "READER_TIMEOUT");
  sim.set_fault(ReaderFault::None);

  const Run missing = read_id({"--port", dir.file("no-reader-here"), "--timeout-ms", "100"});
  CHECK(missing.rc == 2);
  CHECK(missing.out.find("READER_UNPLUGGED") != std::string::npos);
  CHECK(missing.out.find("no reader at") != std::string::npos);
}

TEST_CASE("read-id waits for the card to be put down, and for a reader plugged back", "[cli]") {
  TempDir dir;
  ReaderSimulator sim(reader_at(dir, ""));
  hn::test::Child child = hn::test::spawn(
      {HUINONG_BIN, "device", "read-id", "--port", sim.port(), "--timeout-ms", "5000", "--json"},
      {}, dir.file("wait.log"));
  std::this_thread::sleep_for(milliseconds(300));
  sim.place_card("hui");
  REQUIRE(child.wait() == 0);
  CHECK(hn::test::read_text(dir.file("wait.log")).find("马玉兰") != std::string::npos);

  sim.unplug(milliseconds(400));
  const Run r = read_id({"--port", sim.port(), "--timeout-ms", "5000", "--json"});
  INFO(r.out);
  REQUIRE(r.rc == 0);
  CHECK(r.j()["name"] == "马玉兰");
  CHECK(sim.replugs() == 1);
}

TEST_CASE("read-id refuses bad usage with exit 2", "[cli]") {
  CHECK(read_id({}).rc == 2);
  CHECK(read_id({"--port", "/dev/null", "--timeout-ms", "soon"}).rc == 2);
  CHECK(read_id({"--port", "/dev/null", "--timeout-ms", "0"}).rc == 2);
  CHECK(read_id({"--port", "/dev/null", "--baud", "9600"}).rc == 2);
}

TEST_CASE("huinong-idcard-sim serves read-id from its own process", "[cli][sim]") {
  TempDir dir;
  const std::string log = dir.file("sim.log");
  hn::test::Child sim = hn::test::spawn({HUINONG_IDCARD_SIM_BIN, "--link", dir.file("reader"),
                                         "--card", "uyghur", "--fault", "garbage"},
                                        {}, log);
  // Its stdout announces the pty, then the link, each line flushed.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (hn::test::read_text(log).find("link ") == std::string::npos &&
         std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(milliseconds(10));
  const std::string announced = hn::test::read_text(log);
  REQUIRE(announced.rfind("pty /dev/", 0) == 0);

  const Run r = read_id({"--port", dir.file("reader"), "--json"});
  INFO(r.out);
  REQUIRE(r.rc == 0);
  CHECK(r.j()["nation"] == "维吾尔");
  CHECK(r.j()["county"] == "650102");

  sim.terminate();
  CHECK_FALSE(std::filesystem::is_symlink(dir.file("reader")));  // the link went with it
}
