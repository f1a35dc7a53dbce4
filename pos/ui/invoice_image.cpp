#include "ui/invoice_image.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <wx/dcmemory.h>

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include "core/text.hpp"
#include "ui/i18n.hpp"

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

wxImage render_invoice_image(const Invoice& invoice, const std::string& text) {
  wxImage paper = render_text_image(text);
  // The signed payload the receipt carries (Terminal::checkout makes it for every sale).
  const std::string& payload = invoice.qr_payload;
  if (payload.empty()) return paper;
  const ZXing::BitMatrix qr = [&] {
    try {
      return ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode).setMargin(0).encode(payload, 0, 0);
    } catch (const std::exception&) {
      return ZXing::BitMatrix();
    }
  }();
  if (qr.width() == 0) return paper;
  const int module = 4, quiet = 4 * module;
  const int side = qr.width() * module + 2 * quiet;
  const wxImage caption = render_text_image("扫码核验 Scan to verify");
  const int w = std::max(paper.GetWidth(), std::max(side, caption.GetWidth()));
  const int h = paper.GetHeight() + side + caption.GetHeight();
  wxImage out(w, h);
  out.SetRGB(wxRect(0, 0, w, h), 255, 255, 255);
  out.Paste(paper, 0, 0);
  const int x0 = (w - side) / 2 + quiet, y0 = paper.GetHeight() + quiet;
  for (int y = 0; y < qr.height(); ++y)
    for (int x = 0; x < qr.width(); ++x)
      if (qr.get(x, y)) out.SetRGB(wxRect(x0 + x * module, y0 + y * module, module, module), 0, 0, 0);
  out.Paste(caption, (w - caption.GetWidth()) / 2, paper.GetHeight() + side);
  return out;
}

RawImage raw_copy(const wxImage& image) {
  RawImage r;
  r.width = image.GetWidth();
  r.height = image.GetHeight();
  r.rgb.assign(image.GetData(), image.GetData() + static_cast<std::size_t>(r.width) * r.height * 3);
  return r;
}

bool save_invoice_files(const std::string& base, const std::string& text, const RawImage& image) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(base).parent_path(), ec);
  std::ofstream(base + ".txt", std::ios::binary) << text;
  auto* data = static_cast<unsigned char*>(malloc(image.rgb.size()));
  std::copy(image.rgb.begin(), image.rgb.end(), data);
  wxImage img(image.width, image.height, data);  // takes ownership of `data`
  return img.SaveFile(wxString::FromUTF8(base + ".png"), wxBITMAP_TYPE_PNG);
}

}  // namespace hn::ui
