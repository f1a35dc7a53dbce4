// make_barcode: writes one barcode as a clean PNG at an exact module size, with ZXing-cpp's
// own writer, for make-samples.sh to compose into label cards and stickers and degrade.
//
//   make_barcode FORMAT TEXT OUT.png MODULE_PX [BAR_HEIGHT_PX]
//   FORMAT: code128 | qr | ean13 | datamatrix; BAR_HEIGHT_PX for the linear ones.
//
// Quiet zones (10 modules linear, 4 QR, 2 Data Matrix) are added here, white.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <stb_image_write.h>

int main(int argc, char** argv) {
  if (argc < 5 || argc > 6) {
    std::fprintf(
        stderr,
        "usage: make_barcode code128|qr|ean13|datamatrix TEXT OUT.png MODULE_PX [BAR_HEIGHT_PX]\n");
    return 2;
  }
  const std::string kind = argv[1];
  const std::string text = argv[2];
  const int module = std::atoi(argv[4]);
  const int bar_height = argc == 6 ? std::atoi(argv[5]) : 0;
  ZXing::BarcodeFormat format;
  int quiet = 0;
  if (kind == "code128")
    format = ZXing::BarcodeFormat::Code128, quiet = 10;
  else if (kind == "ean13")
    format = ZXing::BarcodeFormat::EAN13, quiet = 10;
  else if (kind == "qr")
    format = ZXing::BarcodeFormat::QRCode, quiet = 4;
  else if (kind == "datamatrix")
    format = ZXing::BarcodeFormat::DataMatrix, quiet = 2;
  else {
    std::fprintf(stderr, "make_barcode: unknown format %s\n", kind.c_str());
    return 2;
  }
  const bool linear =
      format == ZXing::BarcodeFormat::Code128 || format == ZXing::BarcodeFormat::EAN13;
  if (module < 1 || (linear && bar_height < 1)) {
    std::fprintf(stderr,
                 "make_barcode: MODULE_PX (and BAR_HEIGHT_PX for linear codes) must be positive\n");
    return 2;
  }
  ZXing::BitMatrix m;
  try {
    auto writer = ZXing::MultiFormatWriter(format).setMargin(0);
    // Chinese in a QR code: UTF-8, with its ECI, so readers need not guess (DESIGN.md).
    if (format == ZXing::BarcodeFormat::QRCode)
      writer.setEncoding(ZXing::CharacterSet::UTF8).setEccLevel(4);
    m = writer.encode(text, 0, 0);
  } catch (const std::exception& e) {  // EAN-13 with a bad check digit throws (DESIGN.md)
    std::fprintf(stderr, "make_barcode: cannot encode '%s' as %s: %s\n", text.c_str(), kind.c_str(),
                 e.what());
    return 1;
  }
  const int cols = m.width() + 2 * quiet;
  const int rows = linear ? 1 : m.height() + 2 * quiet;
  const int w = cols * module;
  const int h = linear ? bar_height : rows * module;
  std::vector<unsigned char> px(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), 255);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const int mx = x / module - quiet;
      const int my = linear ? 0 : y / module - quiet;
      if (mx >= 0 && mx < m.width() && my >= 0 && my < m.height() && m.get(mx, my))
        px[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) +
           static_cast<std::size_t>(x)] = 0;
    }
  if (!stbi_write_png(argv[3], w, h, 1, px.data(), w)) {
    std::fprintf(stderr, "make_barcode: cannot write %s\n", argv[3]);
    return 1;
  }
  return 0;
}
