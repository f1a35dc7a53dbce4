// The ID card's photo (WLT, a proprietary wavelet format of 1024 bytes) decoded for the clerk's
// eyes only. The format is the card makers' and the public has no decoder: the reader maker
// ships one (libwlt.so, `int unpack(char* wlt, char* bmp, int flag)`, 102 x 126 pixels). It is
// loaded at run time when installed, so the terminal builds and runs without it; the decoded
// picture stays in memory and is never written (the flag that would make it save a .bmp is 0).
#include <dlfcn.h>

#include <cstdlib>
#include <mutex>
#include <string>

#include "devices/hardware_devices.hpp"

namespace hn::devices {

namespace {

constexpr int kWidth = 102, kHeight = 126;
constexpr std::size_t kRowBytes = 308;  // 102 * 3, padded to 4 bytes as in a BMP
constexpr std::size_t kBmpHeader = 54;
constexpr std::size_t kOutputBytes = kBmpHeader + kRowBytes * kHeight;  // 38862

using UnpackFn = int (*)(char*, char*, int);

UnpackFn find_decoder() {
  static std::once_flag once;
  static UnpackFn fn = nullptr;
  std::call_once(once, [] {
    std::string names[3];
    int n = 0;
    if (const char* env = std::getenv("HUINONG_WLT_LIBRARY"); env && *env) names[n++] = env;
    names[n++] = "libwlt.so";
    names[n++] = "libwltrs.so";
    for (int i = 0; i < n && !fn; ++i)
      if (void* lib = ::dlopen(names[i].c_str(), RTLD_NOW | RTLD_LOCAL))
        fn = reinterpret_cast<UnpackFn>(::dlsym(lib, "unpack"));  // kept loaded for the process
  });
  return fn;
}

std::uint32_t le32(const std::uint8_t* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

}  // namespace

app::CardPhoto decode_card_photo(const std::vector<std::uint8_t>& wlt) {
  app::CardPhoto photo;
  photo.message_zh = "照片需读卡器厂商解码库";
  photo.message_en = "the photo needs the reader maker's decoder library";
  const UnpackFn unpack = find_decoder();
  if (!unpack || wlt.size() != 1024) return photo;
  std::vector<char> in(wlt.begin(), wlt.end());
  std::vector<std::uint8_t> out(kOutputBytes + 1024, 0);  // room for decoders that write more
  if (unpack(in.data(), reinterpret_cast<char*>(out.data()), 0) != 1) {
    photo.message_zh = "照片无法解码";
    photo.message_en = "the photo could not be decoded";
    return photo;
  }
  // Some decoders hand back a whole BMP file, others its pixels alone: BGR rows, bottom up.
  std::size_t offset = 0;
  if (out[0] == 'B' && out[1] == 'M') {
    offset = le32(&out[10]);
    if (le32(&out[18]) != kWidth || le32(&out[22]) != kHeight || offset + kRowBytes * kHeight > out.size()) {
      photo.message_zh = "照片解码结果的格式不认识";
      photo.message_en = "the decoded photo is in a layout this terminal does not know";
      return photo;
    }
  }
  photo.width = kWidth;
  photo.height = kHeight;
  photo.rgb.resize(static_cast<std::size_t>(kWidth * kHeight * 3));
  for (int y = 0; y < kHeight; ++y) {
    const std::uint8_t* row = &out[offset + kRowBytes * static_cast<std::size_t>(kHeight - 1 - y)];
    for (int x = 0; x < kWidth; ++x) {
      std::uint8_t* px = &photo.rgb[static_cast<std::size_t>((y * kWidth + x) * 3)];
      px[0] = row[x * 3 + 2];
      px[1] = row[x * 3 + 1];
      px[2] = row[x * 3];
    }
  }
  photo.decoded = true;
  photo.message_zh.clear();
  photo.message_en.clear();
  return photo;
}

}  // namespace hn::devices
