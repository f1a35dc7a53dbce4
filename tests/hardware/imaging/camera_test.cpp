// The camera side: YUYV frames to grey, the simulated camera, and the V4L2 camera's errors
// where no camera is attached (this machine has none: grabbing real frames is untested here).
#include <string>

#include <catch2/catch.hpp>

#include "imaging/camera.hpp"
#include "imaging/decode.hpp"

using namespace hn::imaging;

namespace {
const std::string kSamples = HUINONG_IMAGING_SAMPLES;

// A grey picture as a UVC webcam sends it: Y0 U Y1 V, neutral chroma, rows padded.
std::vector<std::uint8_t> as_yuyv(const Image& grey, int stride) {
  std::vector<std::uint8_t> out(
      static_cast<std::size_t>(stride) * static_cast<std::size_t>(grey.height), 0);
  for (int y = 0; y < grey.height; ++y)
    for (int x = 0; x < grey.width; ++x) {
      const std::size_t at = static_cast<std::size_t>(y) * static_cast<std::size_t>(stride) +
                             2 * static_cast<std::size_t>(x);
      out[at] = grey.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(grey.width) +
                            static_cast<std::size_t>(x)];
      out[at + 1] = 128;
    }
  return out;
}
}  // namespace

TEST_CASE("YUYV frames become grey from their Y samples, honouring the row stride",
          "[imaging][camera]") {
  const std::uint8_t frame[] = {10, 128, 20, 128, 0, 0,  // row 0: two pixels, two bytes padding
                                30, 90,  40, 200, 0, 0};
  const Image g = yuyv_to_grey(frame, 2, 2, 6);
  CHECK(g.channels == 1);
  CHECK(g.pixels == std::vector<std::uint8_t>{10, 20, 30, 40});
}

TEST_CASE("a webcam frame in YUYV decodes after conversion", "[imaging][camera]") {
  auto frame = load_image(kSamples + "/frame/counter-frame-2.jpg");
  REQUIRE(frame.ok());
  REQUIRE(frame->channels == 1);
  CHECK(frame->width == 1280);
  CHECK(frame->height == 720);
  const auto yuyv = as_yuyv(frame.value(), 1280 * 2 + 32);
  const Image grey = yuyv_to_grey(yuyv.data(), 1280, 720, 1280 * 2 + 32);
  CHECK(grey.pixels == frame->pixels);
  auto codes = decode(grey.view());
  REQUIRE(codes.ok());
  REQUIRE(codes->size() == 1);
}

TEST_CASE("the simulated camera hands out its pictures in turn", "[imaging][camera]") {
  StillFrames cam({kSamples + "/clean/qr-0.png", kSamples + "/clean/card-0.png"});
  auto a = cam.grab(100);
  auto b = cam.grab(100);
  auto c = cam.grab(100);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(c.ok());
  CHECK(a->width == 472);
  CHECK(b->width == 1004);
  CHECK(c->width == 472);
  CHECK(StillFrames({}).grab(10).error().code == "CAMERA_NO_FRAMES");
}

TEST_CASE("a camera that is not there or not a camera is an error value", "[imaging][camera]") {
  CameraOptions missing;
  missing.device = "/dev/video-huinong-test-none";
  auto a = V4l2Camera::open(missing);
  REQUIRE_FALSE(a.ok());
  CHECK(a.error().code == "CAMERA_OPEN");
  CHECK(a.error().message_en.find("/dev/video-huinong-test-none") != std::string::npos);

  CameraOptions not_video;
  not_video.device = "/dev/null";
  auto b = V4l2Camera::open(not_video);
  REQUIRE_FALSE(b.ok());
  CHECK(b.error().code == "CAMERA_NOT_V4L2");
}
