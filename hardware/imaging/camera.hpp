#pragma once
// Frames from the counter camera. A FrameSource hands out grey frames one at a time; the
// V4L2 camera is the real one, StillFrames (images from files, in turn) is its simulator.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "imaging/error.hpp"
#include "imaging/image.hpp"

namespace hn::imaging {

class FrameSource {
 public:
  virtual ~FrameSource() = default;
  // The next frame, grey; waits at most `timeout_ms`.
  virtual Result<Image> grab(int timeout_ms) = 0;
};

// YUYV 4:2:2 (Y0 U Y1 V) to grey: the Y samples are the luminance ZXing wants.
// `row_stride` is the driver's bytesperline (0: width * 2).
Image yuyv_to_grey(const std::uint8_t* yuyv, int width, int height, int row_stride = 0);

struct CameraOptions {
  std::string device = "/dev/video0";
  int width = 1280;
  int height = 720;
};

// A UVC webcam through the V4L2 streaming API: YUYV, memory-mapped buffers. The driver may
// pick another size than asked; grab() returns whatever it delivers.
class V4l2Camera final : public FrameSource {
 public:
  static Result<std::unique_ptr<V4l2Camera>> open(const CameraOptions& options);
  ~V4l2Camera() override;
  V4l2Camera(const V4l2Camera&) = delete;
  V4l2Camera& operator=(const V4l2Camera&) = delete;
  Result<Image> grab(int timeout_ms) override;
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  struct Buffer {
    void* start = nullptr;
    std::size_t length = 0;
  };
  V4l2Camera() = default;
  int fd_ = -1;
  int width_ = 0;
  int height_ = 0;
  int stride_ = 0;
  bool streaming_ = false;
  std::string device_;
  std::vector<Buffer> buffers_;
};

// The camera's simulator: image files, one per grab, round and round.
class StillFrames final : public FrameSource {
 public:
  explicit StillFrames(std::vector<std::string> paths) : paths_(std::move(paths)) {}
  Result<Image> grab(int timeout_ms) override;

 private:
  std::vector<std::string> paths_;
  std::size_t next_ = 0;
};

}  // namespace hn::imaging
