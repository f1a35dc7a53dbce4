// `huinong device decode FILE [--json]`: the real binary on sample pictures. Exit 0 with each
// code found; exit 2 with a message in both languages when there is none or the file cannot
// be read.
#include <string>

#include <catch2/catch.hpp>

#include "cli_harness.hpp"

using namespace hn_cli;

namespace {
const std::string kSamples = HUINONG_IMAGING_SAMPLES;

RunResult decode(const std::vector<std::string>& args) {
  TempDir home;
  return run_huinong(args, base_env(home.path()));
}
}  // namespace

TEST_CASE("device decode prints the format and text of a label card", "[imaging][cli]") {
  const auto r = decode({"device", "decode", kSamples + "/counter/card-0.jpg"});
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "Code 128  " + *read_file(kSamples + "/counter/card-0.txt")));
}

TEST_CASE("device decode --json lists codes with format, text and position", "[imaging][cli]") {
  const auto r = decode({"--json", "device", "decode", kSamples + "/clean/qr-0.png"});
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  const auto j = r.json();
  CHECK(j["status"] == "ok");
  REQUIRE(j["codes"].size() == 1);
  CHECK(j["codes"][0]["format"] == "qr");
  std::string expected = *read_file(kSamples + "/clean/qr-0.txt");
  expected.pop_back();  // the newline of the .txt
  CHECK(j["codes"][0]["text"] == expected);
  CHECK(j["codes"][0]["position"].size() == 4);
}

TEST_CASE("device decode reads a Data Matrix in a plate's corner (its extra passes)",
          "[imaging][cli]") {
  const auto r = decode({"--json", "device", "decode", kSamples + "/clean/dm-0.png"});
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  CHECK(r.json()["codes"][0]["format"] == "datamatrix");
}

TEST_CASE(
    "device decode of a picture without a code, or of no picture, is exit 2 in both languages",
    "[imaging][cli]") {
  TempDir dir;
  const auto none = decode({"device", "decode", kSamples + "/../make-samples.sh"});
  INFO(none.describe());
  CHECK(none.exit_code == 2);
  CHECK(contains(none.err, "无法读取图像"));
  CHECK(contains(none.err, "cannot read the image"));

  const auto missing = decode({"device", "decode", dir.file("nothing.png")});
  CHECK(missing.exit_code == 2);

  // A picture with nothing on it: a grey PGM.
  const std::string blank_pgm = dir.file("blank.pgm");
  write_file(blank_pgm, "P5\n320 240\n255\n" + std::string(320 * 240, '\x90'));
  const auto blank = decode({"--json", "device", "decode", blank_pgm});
  INFO(blank.describe());
  CHECK(blank.exit_code == 2);
  CHECK(error_of(blank.json())["code"] == "NO_BARCODE");
  CHECK(contains(error_of(blank.json())["message_zh"].get<std::string>(), "没有找到条码"));
  CHECK(contains(error_of(blank.json())["message_en"].get<std::string>(), "no barcode found"));
  CHECK(decode({"device", "decode"}).exit_code == 2);
}
