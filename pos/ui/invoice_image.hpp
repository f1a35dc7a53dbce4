#pragma once
// The invoice as the counter screen shows it (the text laid out as the paper is, and the
// signed QR code under it, as on the receipt), and the files an invoice is written to when no
// printer is set (invoice-NNNNNNNN.txt and .png beside the database). Printing on a printer
// is counter_printer.hpp's.
#include <string>
#include <vector>

#include <wx/image.h>

#include "core/invoice.hpp"

namespace hn::ui {

// Draws fixed-width text (CJK counted as two columns) in a monospaced CJK font.
wxImage render_text_image(const std::string& text);
// The invoice's text (core render_invoice_text) with its QR code (the signed payload the
// receipt carries, "扫码核验 Scan to verify") drawn under it. UI thread.
wxImage render_invoice_image(const Invoice& invoice, const std::string& text);

// An image's pixels, to hand to another thread (wxImage's reference count is not thread-safe).
struct RawImage {
  int width = 0, height = 0;
  std::vector<unsigned char> rgb;
};
RawImage raw_copy(const wxImage& image);
// Writes <base>.txt and <base>.png (any thread); false when either cannot be written.
bool save_invoice_files(const std::string& base, const std::string& text, const RawImage& image);

}  // namespace hn::ui
