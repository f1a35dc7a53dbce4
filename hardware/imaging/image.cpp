#include "imaging/image.hpp"

#include <climits>
#include <cstdlib>
#include <memory>

#include "platform/files.hpp"
#include "core/text.hpp"

#include <stb_image.h>  // Debian libstb-dev: the implementation is in libstb.a

namespace hn::imaging {

namespace {
Error unreadable(const std::string& name, const std::string& why) {
  return {"IMAGE_UNREADABLE", "无法读取图像 " + hn::quote_for_message(name) + ":" + why,
          "cannot read the image " + hn::quote_for_message(name) + ": " + why};
}

// A picture of a label or a document is at most a few thousand pixels a side; a small file
// claiming 60000 x 60000 pixels would decode to gigabytes.
constexpr long long kMaxPixels = 64LL * 1000 * 1000;
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
  if (static_cast<long long>(w) * h > kMaxPixels)
    return unreadable(name, "the image has " + std::to_string(w) + " x " + std::to_string(h) +
                                " pixels; at most " + std::to_string(kMaxPixels / 1000000) + " million are read");
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
  // Within the image limit, checked before reading (device decode /dev/zero is an error, not a
  // process that grows until the machine gives out).
  std::string bytes;
  if (const auto error = files::read_file(path, files::Kind::Image, bytes)) {
    if (error->code == "FILE_UNREADABLE") return unreadable(path, "no such file or not permitted");
    return Error{error->code, error->message_zh, error->message_en};
  }
  return decode_image_bytes(bytes, path);
}

}  // namespace hn::imaging
