#include "imaging/camera.hpp"

#include <fcntl.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hn::imaging {

Image yuyv_to_grey(const std::uint8_t* yuyv, int width, int height, int row_stride) {
  Image img;
  img.width = width;
  img.height = height;
  img.channels = 1;
  img.pixels.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
  const std::size_t stride = static_cast<std::size_t>(row_stride > 0 ? row_stride : width * 2);
  for (int y = 0; y < height; ++y) {
    const std::uint8_t* src = yuyv + static_cast<std::size_t>(y) * stride;
    std::uint8_t* dst =
        img.pixels.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(width);
    for (int x = 0; x < width; ++x) dst[x] = src[2 * x];
  }
  return img;
}

namespace {

int xioctl(int fd, unsigned long request, void* arg) {
  int r;
  do r = ::ioctl(fd, request, arg);
  while (r == -1 && errno == EINTR);
  return r;
}

Error camera_error(const std::string& code, const std::string& device, const std::string& zh,
                   const std::string& en) {
  const std::string why = std::strerror(errno);
  return {code, "摄像头 " + device + " " + zh + "(" + why + ")",
          "camera " + device + ": " + en + " (" + why + ")"};
}

}  // namespace

Result<std::unique_ptr<V4l2Camera>> V4l2Camera::open(const CameraOptions& options) {
  std::unique_ptr<V4l2Camera> cam(new V4l2Camera());
  cam->device_ = options.device;
  cam->fd_ = ::open(options.device.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (cam->fd_ < 0)
    return camera_error("CAMERA_OPEN", options.device, "无法打开,请检查连接和权限",
                        "cannot open it; check the cable and permissions");

  v4l2_capability cap{};
  if (xioctl(cam->fd_, VIDIOC_QUERYCAP, &cap) == -1)
    return camera_error("CAMERA_NOT_V4L2", options.device, "不是视频设备", "not a video device");
  const std::uint32_t caps =
      (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
  if (!(caps & V4L2_CAP_VIDEO_CAPTURE) || !(caps & V4L2_CAP_STREAMING)) {
    errno = ENODEV;
    return camera_error("CAMERA_NOT_CAPTURE", options.device, "不支持视频采集流",
                        "cannot stream video capture");
  }

  v4l2_format fmt{};
  fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  fmt.fmt.pix.width = static_cast<std::uint32_t>(options.width);
  fmt.fmt.pix.height = static_cast<std::uint32_t>(options.height);
  fmt.fmt.pix.pixelformat = V4L2_PIX_FMT_YUYV;
  fmt.fmt.pix.field = V4L2_FIELD_NONE;
  if (xioctl(cam->fd_, VIDIOC_S_FMT, &fmt) == -1)
    return camera_error("CAMERA_FORMAT", options.device, "不接受 YUYV 格式",
                        "refused the YUYV format");
  if (fmt.fmt.pix.pixelformat != V4L2_PIX_FMT_YUYV) {
    errno = EINVAL;
    return camera_error("CAMERA_FORMAT", options.device, "不提供 YUYV 格式", "does not offer YUYV");
  }
  cam->width_ = static_cast<int>(fmt.fmt.pix.width);
  cam->height_ = static_cast<int>(fmt.fmt.pix.height);
  cam->stride_ = static_cast<int>(fmt.fmt.pix.bytesperline);

  v4l2_requestbuffers req{};
  req.count = 4;
  req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  req.memory = V4L2_MEMORY_MMAP;
  if (xioctl(cam->fd_, VIDIOC_REQBUFS, &req) == -1 || req.count < 2)
    return camera_error("CAMERA_BUFFERS", options.device, "无法分配缓冲区",
                        "cannot allocate buffers");
  for (std::uint32_t i = 0; i < req.count; ++i) {
    v4l2_buffer buf{};
    buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    buf.memory = V4L2_MEMORY_MMAP;
    buf.index = i;
    if (xioctl(cam->fd_, VIDIOC_QUERYBUF, &buf) == -1)
      return camera_error("CAMERA_BUFFERS", options.device, "无法查询缓冲区",
                          "cannot query a buffer");
    void* start =
        ::mmap(nullptr, buf.length, PROT_READ | PROT_WRITE, MAP_SHARED, cam->fd_, buf.m.offset);
    if (start == MAP_FAILED)
      return camera_error("CAMERA_BUFFERS", options.device, "无法映射缓冲区",
                          "cannot map a buffer");
    cam->buffers_.push_back({start, buf.length});
    if (xioctl(cam->fd_, VIDIOC_QBUF, &buf) == -1)
      return camera_error("CAMERA_BUFFERS", options.device, "无法排队缓冲区",
                          "cannot queue a buffer");
  }
  v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  if (xioctl(cam->fd_, VIDIOC_STREAMON, &type) == -1)
    return camera_error("CAMERA_STREAM", options.device, "无法开始采集", "cannot start streaming");
  cam->streaming_ = true;
  return cam;
}

V4l2Camera::~V4l2Camera() {
  if (streaming_) {
    v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    xioctl(fd_, VIDIOC_STREAMOFF, &type);
  }
  for (const auto& b : buffers_) ::munmap(b.start, b.length);
  if (fd_ >= 0) ::close(fd_);
}

Result<Image> V4l2Camera::grab(int timeout_ms) {
  pollfd p{fd_, POLLIN, 0};
  int r;
  do r = ::poll(&p, 1, timeout_ms);
  while (r == -1 && errno == EINTR);
  if (r == 0) {
    errno = ETIMEDOUT;
    return camera_error("CAMERA_TIMEOUT", device_, "没有送来画面", "delivered no frame in time");
  }
  if (r < 0 || (p.revents & (POLLERR | POLLHUP)))
    return camera_error("CAMERA_GONE", device_, "已断开,请重新连接", "went away; plug it back in");
  v4l2_buffer buf{};
  buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  buf.memory = V4L2_MEMORY_MMAP;
  if (xioctl(fd_, VIDIOC_DQBUF, &buf) == -1)
    return camera_error("CAMERA_GONE", device_, "无法取得画面", "cannot dequeue a frame");
  Result<Image> frame = Error{};
  const std::size_t needed = static_cast<std::size_t>(stride_) * static_cast<std::size_t>(height_);
  if (buf.index >= buffers_.size() || buf.bytesused < needed) {
    errno = EIO;
    frame =
        camera_error("CAMERA_SHORT_FRAME", device_, "送来的画面不完整", "delivered a short frame");
  } else {
    frame = yuyv_to_grey(static_cast<const std::uint8_t*>(buffers_[buf.index].start), width_,
                         height_, stride_);
  }
  if (xioctl(fd_, VIDIOC_QBUF, &buf) == -1)
    return camera_error("CAMERA_GONE", device_, "无法归还缓冲区", "cannot requeue a buffer");
  return frame;
}

Result<Image> StillFrames::grab(int /*timeout_ms*/) {
  if (paths_.empty())
    return Error{"CAMERA_NO_FRAMES", "模拟摄像头没有图像", "the simulated camera has no images"};
  const std::string& path = paths_[next_];
  next_ = (next_ + 1) % paths_.size();
  return load_image(path);
}

}  // namespace hn::imaging
