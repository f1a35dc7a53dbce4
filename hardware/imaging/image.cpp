#include "imaging/image.hpp"

#include <climits>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>

#include <stb_image.h>  // Debian libstb-dev: the implementation is in libstb.a

namespace hn::imaging {

namespace {
Error unreadable(const std::string& name, const std::string& why) {
  return {"IMAGE_UNREADABLE", "无法读取图像 " + name + ":" + why,
          "cannot read the image " + name + ": " + why};
}
}  // namespace

Result<Image> decode_image_bytes(const std::string& bytes, const std::string& name) {
  if (bytes.empty()) return unreadable(name, "empty file");
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) return unreadable(name, "file too large");
  int w = 0, h = 0, n = 0;
  const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
  const int size = static_cast<int>(bytes.size());
  if (!stbi_info_from_memory(data, size, &w, &h, &n))
    return unreadable(
        name, std::string("not a PNG, JPEG, PGM or BMP image (") + stbi_failure_reason() + ")");
  // Grey stays grey (1 byte a pixel: what the decoder wants); colour becomes RGB.
  const int want = (n == 1 || n == 2) ? 1 : 3;
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
      stbi_load_from_memory(data, size, &w, &h, &n, want), stbi_image_free);
  if (!pixels)
    return unreadable(name, std::string("damaged image (") + stbi_failure_reason() + ")");
  Image img;
  img.width = w;
  img.height = h;
  img.channels = want;
  const std::size_t count =
      static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * static_cast<std::size_t>(want);
  img.pixels.assign(pixels.get(), pixels.get() + count);
  return img;
}

Result<Image> load_image(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return unreadable(path, "no such file or not permitted");
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return unreadable(path, "read error");
  return decode_image_bytes(bytes, path);
}

}  // namespace hn::imaging
