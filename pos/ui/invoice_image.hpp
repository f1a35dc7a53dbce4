#pragma once
// Printing until the printer issue brings real printers: the invoice goes to a text file and a
// PNG image (drawn here, written on the worker) and is shown on screen for the clerk.
#include <string>

#include <wx/image.h>

#include "core/invoice.hpp"

namespace hn::ui {

class MainFrame;

// Draws fixed-width text (CJK counted as two columns) in a monospaced CJK font.
wxImage render_text_image(const std::string& text);
struct PrintedInvoice {
  std::string path;  // the PNG
  wxImage image;     // for the counter screen to show
};
// Writes <dir>/invoice-<no>.txt and .png (on the worker) and returns the image to show.
PrintedInvoice print_invoice(MainFrame& frame, const Invoice& invoice, const std::string& text,
                             const std::string& dir);

}  // namespace hn::ui
