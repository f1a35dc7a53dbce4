// Black-box decoding over the sample sets (samples/<set>/<name>.{png,jpg} with <name>.txt
// holding the expected text, in zxing-cpp's manner). The .txt is only ever the expected
// answer: the decoder sees nothing but the pixels. Each set's decode rate is printed, and
// must not fall below the floor measured when the samples were made, less a margin.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "imaging/decode.hpp"
#include "imaging/image.hpp"

namespace fs = std::filesystem;
using namespace hn::imaging;

namespace {

struct Sample {
  std::string image;
  std::string expected;
};

std::string expected_text(const fs::path& txt) {
  std::ifstream in(txt, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

std::vector<Sample> samples_of(const std::string& set) {
  std::vector<Sample> out;
  const fs::path dir = fs::path(HUINONG_IMAGING_SAMPLES) / set;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto ext = entry.path().extension();
    if (ext != ".png" && ext != ".jpg") continue;
    fs::path txt = entry.path();
    txt.replace_extension(".txt");
    if (fs::exists(txt)) out.push_back({entry.path().string(), expected_text(txt)});
  }
  std::sort(out.begin(), out.end(),
            [](const Sample& a, const Sample& b) { return a.image < b.image; });
  return out;
}

struct Rate {
  int decoded = 0;
  int total = 0;
  std::vector<std::string> missed;
};

Rate decode_set(const std::string& set, const DecodeOptions& options) {
  Rate rate;
  for (const auto& s : samples_of(set)) {
    ++rate.total;
    const auto image = load_image(s.image);
    REQUIRE(image.ok());
    const auto codes = decode(image->view(), options);
    REQUIRE(codes.ok());
    const bool hit = std::any_of(codes->begin(), codes->end(),
                                 [&](const DecodedCode& c) { return c.text == s.expected; });
    if (hit)
      ++rate.decoded;
    else
      rate.missed.push_back(fs::path(s.image).filename().string());
  }
  return rate;
}

std::string describe(const Rate& r) {
  std::string s = std::to_string(r.decoded) + "/" + std::to_string(r.total);
  if (!r.missed.empty()) {
    s += "  (missed:";
    for (const auto& m : r.missed) s += " " + m;
    s += ")";
  }
  return s;
}

// Floors: what the default path decoded when the samples were made (make-samples.sh, ZXing
// 1.4.0, ImageMagick 6.9.11), less a margin of one or two images for another JPEG or
// ImageMagick build. A lower rate is a regression of the decode path.
struct SetFloor {
  const char* set;
  int floor_default;
  int floor_fallback;
};
const SetFloor kFloors[] = {
    // set            default  with fallback    measured: default, fallback
    {"clean", 6, 8},         // 6/8, 8/8: ZXing 1.4 misses a Data Matrix in a plate's corner
    {"perspective", 9, 13},  // 10/16, 14/16
    {"rotation", 9, 12},     // 10/16, 13/16
    {"blur", 6, 8},          // 7/16, 9/16
    {"noise", 12, 15},       // 13/16, 16/16
    {"lighting", 8, 11},     // 9/16, 12/16
    {"jpeg", 12, 15},        // 13/16, 16/16
    {"counter", 10, 12},     // 11/16, 13/16
    {"frame", 1, 2},         // 1/3, 2/3: whole 1280x720 frames; decode_bench reads frame 2
};

}  // namespace

TEST_CASE("every sample set decodes at least as well as when it was made", "[imaging][samples]") {
  DecodeOptions with_fallback;
  with_fallback.fallback_passes = true;
  int all = 0, all_default = 0, all_fallback = 0;
  for (const auto& f : kFloors) {
    const Rate plain = decode_set(f.set, DecodeOptions{});
    const Rate thorough = decode_set(f.set, with_fallback);
    std::cout << f.set << ": " << describe(plain) << "   with fallback passes: " << thorough.decoded
              << "/" << thorough.total << "\n";
    all += plain.total;
    all_default += plain.decoded;
    all_fallback += thorough.decoded;
    INFO(f.set << ": " << describe(plain));
    CHECK(plain.total > 0);
    CHECK(plain.decoded >= f.floor_default);
    CHECK(thorough.decoded >= f.floor_fallback);
    CHECK(thorough.decoded >= plain.decoded);
  }
  std::cout << "all sets: " << all_default << "/" << all
            << "   with fallback passes: " << all_fallback << "/" << all << "\n";
}

TEST_CASE("every sample has its expected text beside it", "[imaging][samples]") {
  for (const auto& f : kFloors)
    for (const auto& s : samples_of(f.set)) {
      INFO(s.image);
      CHECK(!s.expected.empty());
    }
}
