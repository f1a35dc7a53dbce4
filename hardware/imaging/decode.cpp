#include "imaging/decode.hpp"

#include <algorithm>
#include <exception>

#include <ZXing/ReadBarcode.h>

namespace hn::imaging {

namespace {

ZXing::BarcodeFormat to_zxing(CodeFormat f) {
  switch (f) {
    case CodeFormat::Code128:
      return ZXing::BarcodeFormat::Code128;
    case CodeFormat::QrCode:
      return ZXing::BarcodeFormat::QRCode;
    case CodeFormat::Ean13:
      return ZXing::BarcodeFormat::EAN13;
    case CodeFormat::DataMatrix:
      return ZXing::BarcodeFormat::DataMatrix;
  }
  return ZXing::BarcodeFormat::None;
}

bool from_zxing(ZXing::BarcodeFormat f, CodeFormat& out) {
  for (CodeFormat c : kAllFormats)
    if (to_zxing(c) == f) {
      out = c;
      return true;
    }
  return false;
}

ZXing::DecodeHints hints_for(const DecodeOptions& o) {
  ZXing::BarcodeFormats formats;
  for (CodeFormat f : o.formats) formats |= to_zxing(f);
  ZXing::DecodeHints h;
  h.setFormats(formats)
      .setTryHarder(o.try_harder)
      .setTryRotate(o.try_rotate)
      .setMaxNumberOfSymbols(static_cast<std::uint8_t>(std::clamp(o.max_codes, 1, 255)));
  return h;
}

// Results of a pass on a layer `mul`/`div` times the size of the caller's image, or on a
// crop of it at (dx, dy).
void collect(const ZXing::Results& results, int mul, int div, std::vector<DecodedCode>& out,
             int dx = 0, int dy = 0) {
  for (const auto& r : results) {
    CodeFormat format;
    if (!r.isValid() || !from_zxing(r.format(), format)) continue;
    const bool seen = std::any_of(out.begin(), out.end(), [&](const DecodedCode& c) {
      return c.format == format && c.text == r.text();
    });
    if (seen) continue;
    DecodedCode code;
    code.format = format;
    code.text = r.text();
    const auto& p = r.position();
    for (std::size_t i = 0; i < 4; ++i)
      code.corners[i] = {p[i].x * mul / div + dx, p[i].y * mul / div + dy};
    code.orientation = r.orientation();
    out.push_back(std::move(code));
  }
}

// A grey copy: what ZXing itself makes of an RGB view before it reads.
struct Grey {
  std::vector<std::uint8_t> pixels;
  int width = 0;
  int height = 0;
  ZXing::ImageView view() const { return {pixels.data(), width, height, ZXing::ImageFormat::Lum}; }
};

Grey to_grey(const ZXing::ImageView& v) {
  Grey g;
  g.width = v.width();
  g.height = v.height();
  g.pixels.resize(static_cast<std::size_t>(g.width) * static_cast<std::size_t>(g.height));
  const auto fmt = v.format();
  std::uint8_t* dst = g.pixels.data();
  for (int y = 0; y < g.height; ++y) {
    const std::uint8_t* src = v.data(0, y);
    for (int x = 0; x < g.width; ++x, src += v.pixStride())
      *dst++ = ZXing::RGBToLum(src[ZXing::RedIndex(fmt)], src[ZXing::GreenIndex(fmt)],
                               src[ZXing::BlueIndex(fmt)]);
  }
  return g;
}

// Box-filtered 1/factor copy of a grey view, as ZXing's own image pyramid makes it.
Grey downscale(const ZXing::ImageView& v, int factor) {
  Grey g;
  g.width = v.width() / factor;
  g.height = v.height() / factor;
  g.pixels.resize(static_cast<std::size_t>(g.width) * static_cast<std::size_t>(g.height));
  const int area = factor * factor;
  std::uint8_t* dst = g.pixels.data();
  for (int y = 0; y < g.height; ++y)
    for (int x = 0; x < g.width; ++x) {
      int sum = 0;
      for (int dy = 0; dy < factor; ++dy) {
        const std::uint8_t* src = v.data(x * factor, y * factor + dy);
        for (int dx = 0; dx < factor; ++dx) sum += src[dx * v.pixStride()];
      }
      *dst++ = static_cast<std::uint8_t>((sum + area / 2) / area);
    }
  return g;
}

// Nearest-neighbour 2x: cheap, and keeps edges hard for the binarizer.
Grey upscale2(const ZXing::ImageView& v) {
  Grey g;
  g.width = v.width() * 2;
  g.height = v.height() * 2;
  g.pixels.resize(static_cast<std::size_t>(g.width) * static_cast<std::size_t>(g.height));
  for (int y = 0; y < v.height(); ++y) {
    std::uint8_t* row =
        g.pixels.data() + static_cast<std::size_t>(y) * 2 * static_cast<std::size_t>(g.width);
    const std::uint8_t* src = v.data(0, y);
    for (int x = 0; x < v.width(); ++x, src += v.pixStride()) row[2 * x] = row[2 * x + 1] = *src;
    std::copy(row, row + g.width, row + g.width);
  }
  return g;
}

// ZXing's pyramid (tryDownscale): the full image, then 1/3 copies while the larger side is
// over 500 px. We walk it ourselves with one ReadBarcodes a layer: ZXing 1.4 as Debian builds
// it (asserts on) aborts in Result::operator== when it de-duplicates a linear code found on
// two layers (upstream issue 740, fixed in 2.x). Same work, no abort; we de-duplicate by
// format and text.
constexpr int kDownscaleThreshold = 500;
constexpr int kDownscaleFactor = 3;

void read_pyramid(const ZXing::ImageView& grey, const ZXing::DecodeHints& hints, bool try_downscale,
                  std::vector<DecodedCode>& found) {
  collect(ZXing::ReadBarcodes(grey, hints), 1, 1, found);
  if (!try_downscale) return;
  Grey layer;
  ZXing::ImageView current = grey;
  int scale = 1;
  while (std::max(current.width(), current.height()) > kDownscaleThreshold &&
         std::min(current.width(), current.height()) >= kDownscaleFactor) {
    layer = downscale(current, kDownscaleFactor);
    current = layer.view();
    scale *= kDownscaleFactor;
    collect(ZXing::ReadBarcodes(current, hints), scale, 1, found);
  }
}

}  // namespace

std::string_view format_name(CodeFormat f) {
  switch (f) {
    case CodeFormat::Code128:
      return "Code 128";
    case CodeFormat::QrCode:
      return "QR Code";
    case CodeFormat::Ean13:
      return "EAN-13";
    case CodeFormat::DataMatrix:
      return "Data Matrix";
  }
  return "?";
}

std::string_view format_code(CodeFormat f) {
  switch (f) {
    case CodeFormat::Code128:
      return "code128";
    case CodeFormat::QrCode:
      return "qr";
    case CodeFormat::Ean13:
      return "ean13";
    case CodeFormat::DataMatrix:
      return "datamatrix";
  }
  return "?";
}

Result<std::vector<DecodedCode>> decode(const ImageRef& image, const DecodeOptions& options) {
  if (!image.data || image.width <= 0 || image.height <= 0)
    return Error{"IMAGE_EMPTY", "图像为空", "the image is empty"};
  if (image.channels != 1 && image.channels != 3)
    return Error{"IMAGE_FORMAT", "只支持灰度或 RGB 图像", "only grey or RGB images can be decoded"};
  const int stride = image.row_stride ? image.row_stride : image.width * image.channels;
  if (stride < image.width * image.channels)
    return Error{"IMAGE_FORMAT", "图像行距小于行宽",
                 "the image's row stride is shorter than a row"};
  if (options.formats.empty())
    return Error{"DECODE_NO_FORMAT", "没有选择要识别的条码类型", "no barcode format was chosen"};

  const ZXing::ImageView view(
      image.data, image.width, image.height,
      image.channels == 1 ? ZXing::ImageFormat::Lum : ZXing::ImageFormat::RGB, stride);
  // Every pass reads our own pyramid; ZXing's is off (see read_pyramid).
  const ZXing::DecodeHints hints = hints_for(options).setTryDownscale(false);
  std::vector<DecodedCode> found;
  try {
    Grey grey_copy;
    ZXing::ImageView grey = view;
    if (image.channels != 1) {
      grey_copy = to_grey(view);
      grey = grey_copy.view();
    }
    read_pyramid(grey, hints, options.try_downscale, found);
    if (found.empty() && options.fallback_passes) {
      read_pyramid(grey, ZXing::DecodeHints(hints).setBinarizer(ZXing::Binarizer::GlobalHistogram),
                   options.try_downscale, found);
      // ZXing 1.4 looks for a Data Matrix from the middle of the picture outwards and misses one
      // near a corner (a serial plate's symbol sits in its corner): read four overlapping
      // quarters, each of which has that corner nearer its middle. Crops are views, no copies.
      const int tw = grey.width() * 2 / 3, th = grey.height() * 2 / 3;
      for (int i = 0; i < 4 && found.empty(); ++i) {
        const int x = (i % 2) * (grey.width() - tw), y = (i / 2) * (grey.height() - th);
        collect(ZXing::ReadBarcodes(grey.cropped(x, y, tw, th), hints), 1, 1, found, x, y);
      }
      if (found.empty() && static_cast<long>(image.width) * image.height <= 1600L * 1200L) {
        const Grey big = upscale2(grey);
        collect(ZXing::ReadBarcodes(big.view(), hints), 1, 2, found);
      }
    }
  } catch (const std::exception& e) {
    // ZXing 1.4 throws on some malformed symbols (DESIGN.md); a bad barcode is not a crash.
    return Error{"DECODE_FAILED", std::string("条码识别库内部错误:") + e.what(),
                 std::string("the barcode library failed: ") + e.what()};
  }
  return found;
}

}  // namespace hn::imaging
