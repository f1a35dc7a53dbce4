#pragma once
// The A4 page tools the invoice, the return documents and the reports share: a PDF surface
// writing into a string, and pango text (WenQuanYi Zen Hei, embedded by cairo) placed on it.
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <string>

#include "core/text.hpp"
#include "printer/a4.hpp"

namespace hn::printer::a4 {

inline constexpr double kPageWidth = 595.28;  // A4 in points
inline constexpr double kPageHeight = 841.89;
inline constexpr double kMargin = 48.0;

inline cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// Text as pango markup. Control characters, NUL and bytes that are not UTF-8 (stored before
// they were refused) become U+FFFD first: pango refuses markup holding them, and a NUL would
// cut the text short.
inline std::string escape(const std::string& s) {
  const std::string printable = printable_text(s);
  std::unique_ptr<char, void (*)(void*)> e(
      g_markup_escape_text(printable.c_str(), static_cast<gssize>(printable.size())), g_free);
  return e.get();
}
// Our own text of several lines (a column heading, the footer): each line escaped, the line
// breaks kept. Data never goes through here: a line break in a name is replaced like any other.
inline std::string escape_lines(const std::string& s) {
  std::string out;
  std::size_t start = 0;
  for (std::size_t end; (end = s.find('\n', start)) != std::string::npos; start = end + 1)
    out += escape(s.substr(start, end - start)) + "\n";
  return out + escape(s.substr(start));
}

class Page {
 public:
  explicit Page(cairo_t* cr) : cr_(cr) {}

  // Pango markup at (x, y), `width` wide, aligned; returns the height used.
  double text(const std::string& markup, double x, double y, double width, double size_pt,
              PangoAlignment align = PANGO_ALIGN_LEFT) {
    const auto layout = layout_of(markup, width, size_pt, align);
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, layout.get());
    return height_of(layout.get());
  }
  // The height the same text would take, nothing drawn.
  double measure(const std::string& markup, double width, double size_pt) {
    return height_of(layout_of(markup, width, size_pt, PANGO_ALIGN_LEFT).get());
  }

  void rule(double y, double width = 0.8) { line(kMargin, y, kPageWidth - kMargin, width); }
  void line(double x0, double y, double x1, double width) {
    cairo_set_line_width(cr_, width);
    cairo_move_to(cr_, x0, y);
    cairo_line_to(cr_, x1, y);
    cairo_stroke(cr_);
  }

 private:
  using Layout = std::unique_ptr<PangoLayout, void (*)(gpointer)>;
  Layout layout_of(const std::string& markup, double width, double size_pt, PangoAlignment align) {
    Layout layout(pango_cairo_create_layout(cr_), g_object_unref);
    std::unique_ptr<PangoFontDescription, void (*)(PangoFontDescription*)> font(
        pango_font_description_from_string(kInvoiceFont), pango_font_description_free);
    pango_font_description_set_absolute_size(font.get(), size_pt * PANGO_SCALE);
    pango_layout_set_font_description(layout.get(), font.get());
    pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout.get(), align);
    pango_layout_set_markup(layout.get(), markup.c_str(), -1);
    return layout;
  }
  static double height_of(PangoLayout* layout) {
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }
  cairo_t* cr_;
};

// The PDF surface writing into a string, and its end: the bytes or cairo's error.
struct PdfStream {
  std::string bytes;
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;

  explicit PdfStream(const std::string& title) {
    surface = cairo_pdf_surface_create_for_stream(append_bytes, &bytes, kPageWidth, kPageHeight);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, printable_text(title).c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Huinong POS 惠农收银台");
    cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 0, 0, 0);
  }
  ~PdfStream() {
    if (cr) cairo_destroy(cr);
    if (surface) cairo_surface_destroy(surface);
  }
  PdfStream(const PdfStream&) = delete;
  PdfStream& operator=(const PdfStream&) = delete;

  Result<std::string> finish() {
    cairo_show_page(cr);
    cairo_destroy(cr);
    cr = nullptr;
    cairo_surface_finish(surface);
    const cairo_status_t status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    surface = nullptr;
    if (status != CAIRO_STATUS_SUCCESS)
      return Error{"PDF_FAILED", std::string("无法生成 PDF:") + cairo_status_to_string(status),
                   std::string("cannot make the PDF: ") + cairo_status_to_string(status)};
    return std::move(bytes);
  }
};

}  // namespace hn::printer::a4
