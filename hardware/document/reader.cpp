#include "document/reader.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <numeric>

#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include "core/id_number.hpp"
#include "document/picture.hpp"

namespace hn::document {

using imaging::Error;
using imaging::Image;
using imaging::PointF;
using Quad = std::array<PointF, 4>;

const FieldReading* Reading::field(std::string_view name) const {
  for (const auto& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

bool Reading::all_sure() const {
  return std::none_of(fields.begin(), fields.end(), [](const FieldReading& f) { return f.doubtful; });
}

namespace {

// Where the layout expects ink, on a grid of `g` px/mm: labels, rules, the solid areas, and
// a lighter guess for the fields' own text.
std::vector<double> expected_ink(const Layout& l, double g, int w, int h) {
  std::vector<double> m(static_cast<std::size_t>(w) * h, 0);
  auto fill = [&](double x, double y, double bw, double bh, double v) {
    const int x0 = std::max(0, int(x * g)), y0 = std::max(0, int(y * g));
    const int x1 = std::min(w, int(std::ceil((x + bw) * g))), y1 = std::min(h, int(std::ceil((y + bh) * g)));
    for (int yy = y0; yy < y1; ++yy)
      for (int xx = x0; xx < x1; ++xx) m[static_cast<std::size_t>(yy) * w + xx] += v;
  };
  for (const auto& t : l.texts)
    fill(t.x, t.y, t.font_mm * double(utf8_length(t.text)), t.font_mm, t.bold ? 0.6 : t.label ? 0.25 : 0.4);
  for (const auto& r : l.rules) fill(std::min(r.x0, r.x1), std::min(r.y0, r.y1), std::fabs(r.x1 - r.x0) + 0.4,
                                     std::fabs(r.y1 - r.y0) + 0.4, 0.3);
  for (const auto& f : l.fields) fill(f.box.x, f.box.y, f.box.w * 0.6, f.box.h, 0.2);
  for (const auto& s : l.solid) fill(s.x, s.y, s.w, s.h, 0.8);
  return m;
}

void flatten(Image& g);

double layout_score(const Image& grey, const Quad& q, const Layout& l) {
  const double g = 0.5;  // px/mm
  const int w = int(l.width_mm * g), h = int(l.height_mm * g);
  Image small = imaging::warp_quad(grey.view(), q, w * 4, h * 4, 255);
  flatten(small);  // a lighting gradient must not look like a layout
  const Image cells = downscale(small, 4);
  const auto expected = expected_ink(l, g, w, h);
  std::vector<double> seen(expected.size());
  for (std::size_t i = 0; i < seen.size(); ++i) seen[i] = 255.0 - cells.pixels[i];
  const auto mean = [](const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size()); };
  const double me = mean(expected), ms = mean(seen);
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    sab += (expected[i] - me) * (seen[i] - ms);
    saa += (expected[i] - me) * (expected[i] - me);
    sbb += (seen[i] - ms) * (seen[i] - ms);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0;
}

// Uneven light out: each pixel over the local paper brightness (a blurred block maximum).
void flatten(Image& g) {
  const int b = 12;
  const int bw = (g.width + b - 1) / b, bh = (g.height + b - 1) / b;
  std::vector<double> bg(static_cast<std::size_t>(bw) * bh, 0);
  for (int y = 0; y < g.height; ++y)
    for (int x = 0; x < g.width; ++x) {
      auto& v = bg[static_cast<std::size_t>(y / b) * bw + x / b];
      v = std::max<double>(v, at(g, x, y));
    }
  std::vector<double> sm(bg.size());
  for (int y = 0; y < bh; ++y)
    for (int x = 0; x < bw; ++x) {
      double s = 0;
      int n = 0;
      for (int dy = -2; dy <= 2; ++dy)
        for (int dx = -2; dx <= 2; ++dx) {
          const int xx = x + dx, yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= bw || yy >= bh) continue;
          s += bg[static_cast<std::size_t>(yy) * bw + xx];
          ++n;
        }
      sm[static_cast<std::size_t>(y) * bw + x] = std::max(40.0, s / n);
    }
  for (int y = 0; y < g.height; ++y)
    for (int x = 0; x < g.width; ++x) {
      const double fx = std::clamp((x + 0.5) / b - 0.5, 0.0, bw - 1.0), fy = std::clamp((y + 0.5) / b - 0.5, 0.0, bh - 1.0);
      const int x0 = int(fx), y0 = int(fy), x1 = std::min(x0 + 1, bw - 1), y1 = std::min(y0 + 1, bh - 1);
      const double ax = fx - x0, ay = fy - y0;
      const auto B = [&](int xx, int yy) { return sm[static_cast<std::size_t>(yy) * bw + xx]; };
      const double bgv = (B(x0, y0) * (1 - ax) + B(x1, y0) * ax) * (1 - ay) + (B(x0, y1) * (1 - ax) + B(x1, y1) * ax) * ay;
      at(g, x, y) = static_cast<std::uint8_t>(std::clamp(at(g, x, y) * 240.0 / bgv, 0.0, 255.0));
    }
}

Image crop(const Image& g, int x0, int y0, int w, int h) {
  x0 = std::clamp(x0, 0, g.width - 1);
  y0 = std::clamp(y0, 0, g.height - 1);
  w = std::min(w, g.width - x0);
  h = std::min(h, g.height - y0);
  Image c;
  c.width = w;
  c.height = h;
  c.channels = 1;
  c.pixels.resize(static_cast<std::size_t>(w) * h);
  for (int y = 0; y < h; ++y)
    std::copy_n(&g.pixels[static_cast<std::size_t>(y + y0) * g.width + x0], w, &c.pixels[static_cast<std::size_t>(y) * w]);
  return c;
}

// Table rules that slipped into a cell's box (the warp is a millimetre or so off): rows dark
// over most of the width, and columns dark over most of the height near the box's sides.
struct Ink {
  int x0 = -1, x1 = -1, y0 = -1, y1 = -1;
  double chars = 0;  // the extent in square CJK characters
};
Ink clean_rules_and_measure(Image& c) {
  const int t = std::min(otsu(c.pixels.data(), c.pixels.size()), 170);
  const auto dark = [&](int x, int y) { return at(c, x, y) <= t; };
  for (int y = 0; y < c.height; ++y) {
    int n = 0;
    for (int x = 0; x < c.width; ++x) n += dark(x, y);
    if (n > c.width * 6 / 10)
      for (int x = 0; x < c.width; ++x) at(c, x, y) = 255;
  }
  for (int x = 0; x < c.width; ++x) {
    if (x > c.width / 8 && x < c.width * 7 / 8) continue;
    int n = 0;
    for (int y = 0; y < c.height; ++y) n += dark(x, y);
    if (n > c.height * 8 / 10)
      for (int y = 0; y < c.height; ++y) at(c, x, y) = 255;
  }
  // The ink's extent: how many characters of square CJK type it holds.
  int x0 = -1, x1 = -1, y0 = -1, y1 = -1;
  for (int x = 0; x < c.width; ++x) {
    int n = 0;
    for (int y = 0; y < c.height; ++y) n += dark(x, y);
    if (n >= 2) {
      if (x0 < 0) x0 = x;
      x1 = x;
    }
  }
  for (int y = 0; y < c.height; ++y) {
    int n = 0;
    for (int x = 0; x < c.width; ++x) n += dark(x, y);
    if (n >= std::max(2, (x1 - x0) / 40)) {
      if (y0 < 0) y0 = y;
      y1 = y;
    }
  }
  Ink ink{x0, x1, y0, y1, 0};
  if (x0 < 0 || y1 - y0 < 6) return ink;
  const double advance = y1 - y0 + 1;
  ink.chars = (x1 - x0 + 1 + 0.05 * advance) / advance;
  return ink;
}

Image scaled(const Image& c, double f) {
  const double w = c.width, h = c.height;
  return imaging::warp_quad(c.view(), {PointF{0, 0}, {w, 0}, {w, h}, {0, h}}, std::max(1, int(w * f)),
                            std::max(1, int(h * f)), 255);
}

const double kCardAspect = layout(Kind::IdFront).width_mm / layout(Kind::IdFront).height_mm;
const double kPageAspect = layout(Kind::HukouFirst).width_mm / layout(Kind::HukouFirst).height_mm;

}  // namespace

struct DocumentReader::Engines {
  tesseract::TessBaseAPI chi;
  tesseract::TessBaseAPI eng;
  ~Engines() {
    chi.End();
    eng.End();
  }

  struct Text {
    std::string text;
    int confidence = 0;
  };

  Text ocr(tesseract::TessBaseAPI& api, const Image& c, tesseract::PageSegMode psm, const char* whitelist, int dpi) {
    api.SetPageSegMode(psm);
    api.SetVariable("tessedit_char_whitelist", whitelist ? whitelist : "");
    // A white border: Tesseract reads a line better with some paper around it.
    const int pad = 10;
    Image p;
    p.width = c.width + 2 * pad;
    p.height = c.height + 2 * pad;
    p.channels = 1;
    p.pixels.assign(static_cast<std::size_t>(p.width) * p.height, 255);
    for (int y = 0; y < c.height; ++y)
      std::copy_n(&c.pixels[static_cast<std::size_t>(y) * c.width], c.width,
                  &p.pixels[static_cast<std::size_t>(y + pad) * p.width + pad]);
    api.SetImage(p.pixels.data(), p.width, p.height, 1, p.width);
    api.SetSourceResolution(dpi);
    Text out;
    if (api.Recognize(nullptr) != 0) return out;
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    float least = 100;
    bool any = false;
    if (it) {
      do {
        std::unique_ptr<char[]> sym(it->GetUTF8Text(tesseract::RIL_SYMBOL));
        if (!sym) continue;
        out.text += sym.get();
        least = std::min(least, it->Confidence(tesseract::RIL_SYMBOL));
        any = true;
        if (it->IsAtFinalElement(tesseract::RIL_WORD, tesseract::RIL_SYMBOL)) out.text += ' ';
      } while (it->Next(tesseract::RIL_SYMBOL));
    }
    api.Clear();
    out.confidence = any ? static_cast<int>(std::lround(std::clamp(least, 0.0f, 100.0f))) : 0;
    return out;
  }
};

DocumentReader::DocumentReader(ReaderOptions options, std::unique_ptr<Engines> engines)
    : options_(std::move(options)), engines_(std::move(engines)) {}
DocumentReader::~DocumentReader() = default;

imaging::Result<std::unique_ptr<DocumentReader>> DocumentReader::open(const ReaderOptions& options) {
  auto engines = std::make_unique<Engines>();
  std::string dir = options.tessdata_dir;
  if (dir.empty() && !std::getenv("TESSDATA_PREFIX")) dir = "/usr/share/tesseract-ocr/5/tessdata";
  const char* path = dir.empty() ? nullptr : dir.c_str();
  for (auto* api : {&engines->chi, &engines->eng}) {
    const char* lang = api == &engines->chi ? "chi_sim" : "eng";
    if (api->Init(path, lang, tesseract::OEM_LSTM_ONLY) != 0)
      return Error{"OCR_UNAVAILABLE",
                   std::string("无法加载文字识别数据 ") + lang + ":请安装 tesseract-ocr-chi-sim 和 tesseract-ocr-eng",
                   std::string("cannot load the OCR language data ") + lang +
                       ": install tesseract-ocr-chi-sim and tesseract-ocr-eng"};
    api->SetVariable("debug_file", "/dev/null");
  }
  return std::unique_ptr<DocumentReader>(new DocumentReader(options, std::move(engines)));
}

imaging::Result<Reading> DocumentReader::read(const imaging::ImageRef& picture, std::optional<Kind> kind) {
  const auto started = std::chrono::steady_clock::now();
  if (!picture.data || picture.width <= 0 || picture.height <= 0 || (picture.channels != 1 && picture.channels != 3))
    return Error{"IMAGE_EMPTY", "图像为空或格式不对", "the image is empty or not grey/RGB"};
  const Image grey = imaging::to_grey(picture);
  Reading r;
  // Two ways to tell the document from the counter: brightness, and in colour pictures how
  // grey-white it is (min/max of R, G, B), which a shadow or a window's light does not change.
  // Whichever outline matches a layout best wins.
  std::vector<std::pair<Quad, bool>> outlines;
  bool whole = false;
  if (auto q = find_document(grey, whole)) outlines.emplace_back(*q, whole);
  if (picture.channels == 3) {
    Image paper;
    paper.width = picture.width;
    paper.height = picture.height;
    paper.pixels.resize(grey.pixels.size());
    const int stride = picture.row_stride ? picture.row_stride : picture.width * 3;
    for (int y = 0; y < picture.height; ++y)
      for (int x = 0; x < picture.width; ++x) {
        const std::uint8_t* p = picture.data + static_cast<std::ptrdiff_t>(y) * stride + x * 3;
        const int mx = std::max({p[0], p[1], p[2]}), mn = std::min({p[0], p[1], p[2]});
        paper.pixels[static_cast<std::size_t>(y) * picture.width + x] =
            static_cast<std::uint8_t>(mx < 24 ? 0 : 255 * mn / mx);
      }
    if (auto q = find_document(paper, whole)) outlines.emplace_back(*q, whole);
  }
  if (outlines.empty())
    return Error{"DOCUMENT_NOT_FOUND",
                 "图像中没有找到完整的证件:请把身份证或户口簿平放在深色台面上,整个放进画面,再拍一次",
                 "no whole document found in the picture: lay the ID card or register page flat on a dark "
                 "surface, wholly in view, and take it again"};
  // Which document and which way up: the layout the picture matches best.
  double best = -2;
  Quad best_q = outlines.front().first;
  Kind best_k = kind.value_or(Kind::IdFront);
  for (const auto& [quad, whole_picture] : outlines) {
    const double aspect = (dist(quad[0], quad[1]) + dist(quad[2], quad[3])) /
                          (dist(quad[1], quad[2]) + dist(quad[3], quad[0]));
    for (Kind k : kAllKinds) {
      if (kind && *kind != k) continue;
      const Layout& l = layout(k);
      // Asked for a kind: a generous bound. Else the family (card or page) nearer in shape.
      const double off = std::fabs(aspect / (l.width_mm / l.height_mm) - 1);
      const double other = std::fabs(aspect / (is_id_card(k) ? kPageAspect : kCardAspect) - 1);
      if (kind ? off > 0.3 : (off > 0.2 || other < off)) continue;
      for (int turn = 0; turn < 2; ++turn) {
        const Quad q = turn ? Quad{quad[2], quad[3], quad[0], quad[1]} : quad;
        const double s = layout_score(grey, q, l);
        if (s > best) {
          best = s;
          best_q = q;
          best_k = k;
          r.whole_picture = whole_picture;
        }
      }
    }
  }
  if (best < 0.2)
    return Error{"DOCUMENT_KIND",
                 kind ? "图像中的证件不像" + std::string(kind_name_zh(*kind)) + ":请确认证件和所选类型一致"
                      : std::string("图像中的证件不是身份证或户口簿的页面:请换一张清楚的图像"),
                 kind ? "the document in the picture does not look like the " + std::string(kind_name_en(*kind)) +
                            ": check the document and the kind chosen"
                      : std::string("the document in the picture is no ID card face or register page: take a clearer picture")};
  r.kind = best_k;
  r.kind_detected = !kind;
  r.corners = best_q;
  r.layout_match = best;

  // Straighten at a scale Tesseract reads well (characters ~30 px high).
  const Layout& l = layout(r.kind);
  const double s = is_id_card(r.kind) ? 8.0 : 7.0;  // px/mm
  Image canon = imaging::warp_quad(grey.view(), best_q, int(l.width_mm * s), int(l.height_mm * s), 255);
  flatten(canon);
  const int dpi = static_cast<int>(s * 25.4);
  for (const auto& spec : l.fields) {
    FieldReading f;
    f.name = spec.name;
    const double m = 0.4;  // mm of slack around the box
    Image c = crop(canon, int((spec.box.x - m) * s), int((spec.box.y - m) * s), int((spec.box.w + 2 * m) * s),
                   int((spec.box.h + 2 * m) * s));
    const std::string n = spec.name;
    const bool cjk_line = spec.script == Script::Chinese && spec.lines == 1 && n != "birth" && n != "validity";
    const Ink ink = clean_rules_and_measure(c);
    if (cjk_line && (n == "name" || n == "head_name" || n == "hukou_type" || n == "relation")) f.ink_chars = ink.chars;
    if (n == "sex" && ink.x0 >= 0) {  // one character: read just its ink, with paper round it
      const int pad = 8;
      c = crop(c, ink.x0 - pad, ink.y0 - pad, ink.x1 - ink.x0 + 1 + 2 * pad, ink.y1 - ink.y0 + 1 + 2 * pad);
      if (c.height < 48) c = scaled(c, 48.0 / c.height);
    }
    const auto psm = spec.lines > 1 ? tesseract::PSM_SINGLE_BLOCK : tesseract::PSM_SINGLE_LINE;
    Engines::Text t;
    if (spec.script == Script::IdNumber) {
      // Eng reads the digits best; a second look at another scale when the check fails. A
      // misread that passes the MOD 11-2 check and the birth date needs two errors that cancel.
      t = engines_->ocr(engines_->eng, c, psm, "0123456789X", dpi);
      const auto passes = [&](const Engines::Text& x) {
        const std::string d = digits_only(x.text, true);
        return d.size() == 18 && d.back() == id_check_character(std::string_view(d).substr(0, 17));
      };
      for (double factor : {1.5, 0.75}) {
        if (passes(t)) break;
        const auto again = engines_->ocr(engines_->eng, scaled(c, factor), psm, "0123456789X", int(dpi * factor));
        if (passes(again)) t = again;
      }
      if (!passes(t)) {
        const auto again = engines_->ocr(engines_->chi, c, psm, "0123456789X", dpi);
        if (passes(again)) t = again;
      }
    } else if (spec.script == Script::Digits) {
      t = engines_->ocr(engines_->eng, c, psm, "0123456789", dpi);
    } else if (n == "sex") {
      // One character is where line finding is weakest: a second and third way of looking.
      t = engines_->ocr(engines_->chi, c, tesseract::PSM_SINGLE_LINE, "男女", dpi);
      if (strip_spaces(t.text).empty()) t = engines_->ocr(engines_->chi, c, tesseract::PSM_SINGLE_CHAR, nullptr, dpi);
      if (strip_spaces(t.text) != "男" && strip_spaces(t.text) != "女")
        t = engines_->ocr(engines_->chi, c, tesseract::PSM_SINGLE_LINE, nullptr, dpi);
    } else if (n == "birth") {
      t = engines_->ocr(engines_->chi, c, psm, "0123456789年月日", dpi);
    } else if (n == "validity") {
      t = engines_->ocr(engines_->chi, c, psm, "0123456789.-长期", dpi);
    } else {
      t = engines_->ocr(engines_->chi, c, psm, nullptr, dpi);
      // Tesseract now and then finds no line at all in a clean box, or is unsure: one more
      // look at 1.5x, the surer reading kept (its checks come after, whichever it is).
      if (strip_spaces(t.text).empty() || t.confidence < options_.min_confidence) {
        const auto again = engines_->ocr(engines_->chi, scaled(c, 1.5), psm, nullptr, dpi * 3 / 2);
        if (!strip_spaces(again.text).empty() && (strip_spaces(t.text).empty() || again.confidence > t.confidence))
          t = again;
      }
    }
    f.raw = t.text;
    while (!f.raw.empty() && f.raw.back() == ' ') f.raw.pop_back();
    f.confidence = t.confidence;
    r.fields.push_back(std::move(f));
  }
  r.id_check = check_fields(r.kind, r.fields, options_.min_confidence, options_.today);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return r;
}

}  // namespace hn::document
