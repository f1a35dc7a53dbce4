// The sink's printout as a picture of the paper (PNG): font A's 12 x 24 dot cells at 203 dpi,
// 576 dots across on 80 mm paper and 384 on 58 mm, as the thermal head would print them;
// bold and magnified text, and the QR code drawn from its payload with ZXing-cpp's writer.
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include "core/text.hpp"
#include "printer/sink.hpp"

namespace hn::printer {

namespace {
constexpr int kCellW = 12, kCellH = 24, kLineGap = 6, kMarginX = 16, kMarginY = 24;

// The QR symbol the printer would make of the payload (the same ISO 18004 symbol whoever
// encodes it); empty when the payload does not fit one.
ZXing::BitMatrix qr_of(const std::string& payload) {
  try {
    return ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode)
        .setMargin(0)
        .encode(payload, 0, 0);
  } catch (const std::exception&) {
    return {};
  }
}

int height_of(const PrintedItem& i) {
  switch (i.kind) {
    case PrintedItem::Kind::Line:
      return kCellH * i.height + kLineGap;
    case PrintedItem::Kind::Qr:
      return (qr_of(i.text).height() + 8) * std::max(1, i.qr_module) + kLineGap;
    case PrintedItem::Kind::Cut:
      return 3 * kCellH;
    case PrintedItem::Kind::DrawerKick:
      return 0;
  }
  return 0;
}

std::size_t char_len(unsigned char c) {
  return c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
}

// Each character in its own cell(s), as the print head places them: one column for Latin,
// two for CJK, times the magnification.
void draw_line(cairo_t* cr, const PrintedItem& i, int first_column, double y) {
  std::unique_ptr<PangoFontDescription, void (*)(PangoFontDescription*)> font(
      pango_font_description_from_string("WenQuanYi Zen Hei Mono"), pango_font_description_free);
  pango_font_description_set_absolute_size(font.get(), 22 * PANGO_SCALE);
  if (i.bold) pango_font_description_set_weight(font.get(), PANGO_WEIGHT_BOLD);
  std::unique_ptr<PangoLayout, void (*)(gpointer)> layout(pango_cairo_create_layout(cr),
                                                          g_object_unref);
  pango_layout_set_font_description(layout.get(), font.get());
  int column = first_column;
  const std::string text = printable_text(i.text);  // pango is never handed a control character
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t n = std::min(char_len(static_cast<unsigned char>(text[at])), text.size() - at);
    const std::string ch = text.substr(at, n);
    at += n;
    const int cells = display_width(ch);
    if (ch != " ") {
      pango_layout_set_text(layout.get(), ch.c_str(), static_cast<int>(ch.size()));
      int w = 0, h = 0;
      pango_layout_get_pixel_size(layout.get(), &w, &h);
      cairo_save(cr);
      cairo_translate(cr, kMarginX + column * kCellW, y);
      cairo_scale(cr, i.width, i.height);
      cairo_move_to(cr, (cells * kCellW - w) / 2.0, 0);  // centred in its cells
      pango_cairo_show_layout(cr, layout.get());
      cairo_restore(cr);
    }
    column += cells * i.width;
  }
}
}  // namespace

bool render_paper_png(const Printout& p, int columns, const std::string& path) {
  int height = 2 * kMarginY;
  for (const auto& i : p.items) height += height_of(i);
  const int width = columns * kCellW + 2 * kMarginX;
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 0.99, 0.98, 0.95);  // thermal paper
  cairo_paint(cr);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.12);
  double y = kMarginY;
  for (const auto& i : p.items) {
    if (i.kind == PrintedItem::Kind::Line && !i.text.empty()) {
      const int cols = display_width(i.text) * i.width;
      const int pad = i.align == escpos::Align::Right    ? columns - cols
                      : i.align == escpos::Align::Center ? (columns - cols) / 2
                                                         : 0;
      draw_line(cr, i, std::max(0, pad), y);
    } else if (i.kind == PrintedItem::Kind::Qr) {
      const auto m = qr_of(i.text);
      const int module = std::max(1, i.qr_module);
      const int side = m.width() * module;
      const int qpad = i.align == escpos::Align::Center ? (columns * kCellW - side) / 2 : 0;
      for (int my = 0; my < m.height(); ++my)
        for (int mx = 0; mx < m.width(); ++mx)
          if (m.get(mx, my))
            cairo_rectangle(cr, kMarginX + qpad + mx * module, y + 4 * module + my * module, module,
                            module);
      cairo_fill(cr);
    } else if (i.kind == PrintedItem::Kind::Cut) {
      cairo_set_line_width(cr, 1);
      const double dash[] = {6, 4};
      cairo_set_dash(cr, dash, 2, 0);
      cairo_move_to(cr, 0, y + 1.5 * kCellH);
      cairo_line_to(cr, width, y + 1.5 * kCellH);
      cairo_stroke(cr);
      cairo_set_dash(cr, nullptr, 0, 0);
    }
    y += height_of(i);
  }
  cairo_destroy(cr);
  const bool ok = cairo_surface_write_to_png(surface, path.c_str()) == CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy(surface);
  return ok;
}

}  // namespace hn::printer
