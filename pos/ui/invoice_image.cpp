#include "ui/invoice_image.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <wx/dcmemory.h>

#include "core/text.hpp"
#include "ui/i18n.hpp"
#include "ui/main_frame.hpp"
#include "ui/trace.hpp"

namespace hn::ui {

wxImage render_text_image(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  int columns = 1;
  for (const auto& l : lines) columns = std::max(columns, display_width(l));

  wxFont font(wxFontInfo(13).FaceName("WenQuanYi Zen Hei Mono"));
  if (!font.IsOk()) font = wxFont(wxFontInfo(13).Family(wxFONTFAMILY_TELETYPE));
  wxBitmap probe(8, 8);
  wxMemoryDC measure(probe);
  measure.SetFont(font);
  const wxSize cell = measure.GetTextExtent("M");
  measure.SelectObject(wxNullBitmap);

  const int margin = 24;
  const int line_height = cell.GetHeight() + 4;
  wxBitmap bmp(columns * cell.GetWidth() + 2 * margin,
               static_cast<int>(lines.size()) * line_height + 2 * margin);
  wxMemoryDC dc(bmp);
  dc.SetBackground(*wxWHITE_BRUSH);
  dc.Clear();
  dc.SetFont(font);
  dc.SetTextForeground(*wxBLACK);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    // Place each character at its column, so wide characters take exactly two cells
    // whatever the font's own advance is.
    int col = 0;
    const std::string& l = lines[i];
    std::size_t pos = 0;
    while (pos < l.size()) {
      std::size_t len = 1;
      const auto b = static_cast<unsigned char>(l[pos]);
      if (b >= 0xF0) len = 4;
      else if (b >= 0xE0) len = 3;
      else if (b >= 0xC0) len = 2;
      const std::string ch = l.substr(pos, len);
      pos += len;
      if (ch != " ")
        dc.DrawText(wxString::FromUTF8(ch.c_str()), margin + col * cell.GetWidth(),
                    margin + static_cast<int>(i) * line_height);
      col += display_width(ch);
    }
  }
  dc.SelectObject(wxNullBitmap);
  return bmp.ConvertToImage();
}

PrintedInvoice print_invoice(MainFrame& frame, const Invoice& invoice, const std::string& text,
                             const std::string& dir) {
  const std::string base = dir + "/invoice-" + invoice.invoice_no;
  const wxImage image = render_text_image(text);
  // wxImage shares its data by reference count, which is not thread-safe: hand the worker a copy
  // of the raw pixels and let it build its own image to encode.
  const int w = image.GetWidth(), h = image.GetHeight();
  std::vector<unsigned char> rgb(image.GetData(), image.GetData() + static_cast<std::size_t>(w) * h * 3);
  frame.worker().post([base, text, w, h, rgb = std::move(rgb)](app::Terminal&) mutable {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(base).parent_path(), ec);
    std::ofstream(base + ".txt", std::ios::binary) << text;
    auto* data = static_cast<unsigned char*>(malloc(rgb.size()));
    std::copy(rgb.begin(), rgb.end(), data);
    wxImage img(w, h, data);  // takes ownership of `data`
    const bool ok = img.SaveFile(wxString::FromUTF8(base + ".png"), wxBITMAP_TYPE_PNG);
    trace("invoice_printed", {{"file", base + ".png"}, {"ok", ok}});
  });
  return {base + ".png", image};
}

}  // namespace hn::ui
