#pragma once
// Label cards (产品标识卡) and product serials read from an image or a camera frame with
// ZXing-cpp. The decode path is ZXing's ReadBarcodes on the caller's pixels, no copy and no
// preprocessing by default (DESIGN.md budget: within 1.2x of ReadBarcodes on the same frame);
// extra passes for hard pictures are opt-in.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "imaging/error.hpp"
#include "imaging/image.hpp"

namespace hn::imaging {

// The symbologies on what the counter scans: label cards and serial stickers carry Code 128,
// QR or Data Matrix; product boxes EAN-13.
enum class CodeFormat { Code128, QrCode, Ean13, DataMatrix };
inline constexpr std::array<CodeFormat, 4> kAllFormats = {
    CodeFormat::Code128, CodeFormat::QrCode, CodeFormat::Ean13, CodeFormat::DataMatrix};

std::string_view format_name(CodeFormat f);  // "Code 128", "QR Code", "EAN-13", "Data Matrix"
std::string_view format_code(CodeFormat f);  // "code128", "qr", "ean13", "datamatrix" (JSON)

struct Point {
  int x = 0;
  int y = 0;
};

struct DecodedCode {
  CodeFormat format = CodeFormat::Code128;
  std::string text;              // UTF-8
  std::array<Point, 4> corners;  // top-left, top-right, bottom-right, bottom-left, in pixels
  int orientation = 0;           // degrees the code is turned, as ZXing reports it
};

struct DecodeOptions {
  std::vector<CodeFormat> formats{kAllFormats.begin(), kAllFormats.end()};
  // ZXing's own effort knobs (its defaults): more scan lines, 90/180/270 turns, a downscaled
  // copy of large frames.
  bool try_harder = true;
  bool try_rotate = true;
  bool try_downscale = true;
  int max_codes = 8;
  // Ours, off by default: when the first pass finds nothing, retry with a global-histogram
  // binarizer (strong shadows, low contrast), on four overlapping quarters (ZXing 1.4 misses a
  // Data Matrix near a corner of the picture) and on a 2x-upscaled copy (modules under two
  // pixels). Up to ~5x the work on a frame with no code in it: for stills, not video.
  bool fallback_passes = false;
};

// Every code found (none is not an error: an empty list). Errors: an empty or inconsistent
// image view, or ZXing failing inside (reported, never thrown).
Result<std::vector<DecodedCode>> decode(const ImageRef& image, const DecodeOptions& options = {});

}  // namespace hn::imaging
