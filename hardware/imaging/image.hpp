#pragma once
// Pixels to decode: grey (1 channel) or RGB (3 channels), 8 bits, row by row. An ImageRef
// is a non-owning view of someone else's buffer (a camera frame), an Image owns its pixels.
#include <cstdint>
#include <string>
#include <vector>

#include "imaging/error.hpp"

namespace hn::imaging {

struct ImageRef {
  const std::uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  int channels = 1;    // 1 grey, 3 RGB
  int row_stride = 0;  // bytes from one row to the next; 0 means width * channels
};

struct Image {
  int width = 0;
  int height = 0;
  int channels = 1;
  std::vector<std::uint8_t> pixels;

  ImageRef view() const { return {pixels.data(), width, height, channels, width * channels}; }
};

// PNG, JPEG, PGM/PPM (binary), BMP, by content, not by name; kept grey when the file is
// grey, else RGB (alpha dropped).
Result<Image> load_image(const std::string& path);
Result<Image> decode_image_bytes(const std::string& bytes, const std::string& name_for_messages);

}  // namespace hn::imaging
