#include "document/reader.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <numeric>

#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include "core/id_number.hpp"

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

std::uint8_t& at(Image& g, int x, int y) { return g.pixels[static_cast<std::size_t>(y) * g.width + x]; }
std::uint8_t at(const Image& g, int x, int y) { return g.pixels[static_cast<std::size_t>(y) * g.width + x]; }

Image downscale(const Image& g, int f) {
  Image s;
  s.width = g.width / f;
  s.height = g.height / f;
  s.channels = 1;
  s.pixels.resize(static_cast<std::size_t>(s.width) * s.height);
  for (int y = 0; y < s.height; ++y)
    for (int x = 0; x < s.width; ++x) {
      int sum = 0;
      for (int dy = 0; dy < f; ++dy)
        for (int dx = 0; dx < f; ++dx) sum += at(g, x * f + dx, y * f + dy);
      at(s, x, y) = static_cast<std::uint8_t>(sum / (f * f));
    }
  return s;
}

int otsu(const std::uint8_t* p, std::size_t n) {
  std::array<double, 256> hist{};
  for (std::size_t i = 0; i < n; ++i) hist[p[i]] += 1;
  double total = 0;
  for (int i = 0; i < 256; ++i) total += i * hist[i];
  double w0 = 0, sum0 = 0, best = -1;
  int t = 128;
  for (int i = 0; i < 256; ++i) {
    w0 += hist[i];
    if (w0 == 0) continue;
    const double w1 = static_cast<double>(n) - w0;
    if (w1 <= 0) break;
    sum0 += i * hist[i];
    const double m0 = sum0 / w0, m1 = (total - sum0) / w1;
    const double between = w0 * w1 * (m0 - m1) * (m0 - m1);
    if (between > best) {
      best = between;
      t = i;
    }
  }
  return t;
}

double cross(PointF o, PointF a, PointF b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); }

std::vector<PointF> convex_hull(std::vector<PointF> p) {
  std::sort(p.begin(), p.end(), [](PointF a, PointF b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  if (p.size() < 3) return p;
  std::vector<PointF> h(2 * p.size());
  std::size_t k = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    while (k >= 2 && cross(h[k - 2], h[k - 1], p[i]) <= 0) --k;
    h[k++] = p[i];
  }
  for (std::size_t i = p.size() - 1, t = k + 1; i > 0; --i) {
    while (k >= t && cross(h[k - 2], h[k - 1], p[i - 1]) <= 0) --k;
    h[k++] = p[i - 1];
  }
  h.resize(k - 1);
  return h;
}

// Total least squares line through points: a point on it and its direction.
bool fit_line(const std::vector<PointF>& pts, PointF& c, PointF& dir) {
  if (pts.size() < 5) return false;
  double mx = 0, my = 0;
  for (const auto& p : pts) {
    mx += p.x;
    my += p.y;
  }
  mx /= double(pts.size());
  my /= double(pts.size());
  double sxx = 0, syy = 0, sxy = 0;
  for (const auto& p : pts) {
    sxx += (p.x - mx) * (p.x - mx);
    syy += (p.y - my) * (p.y - my);
    sxy += (p.x - mx) * (p.y - my);
  }
  const double a = 0.5 * std::atan2(2 * sxy, sxx - syy);
  c = {mx, my};
  dir = {std::cos(a), std::sin(a)};
  return true;
}

bool intersect(PointF c1, PointF d1, PointF c2, PointF d2, PointF& out) {
  const double den = d1.x * d2.y - d1.y * d2.x;
  if (std::fabs(den) < 1e-9) return false;
  const double t = ((c2.x - c1.x) * d2.y - (c2.y - c1.y) * d2.x) / den;
  out = {c1.x + t * d1.x, c1.y + t * d1.y};
  return true;
}

double dist(PointF a, PointF b) { return std::hypot(a.x - b.x, a.y - b.y); }

}  // namespace

std::optional<Quad> find_document(const Image& grey, bool& whole) {
  whole = false;
  const int f = std::max(1, (std::max(grey.width, grey.height) + 479) / 480);
  const Image s = f > 1 ? downscale(grey, f) : grey;
  const int w = s.width, h = s.height;
  if (w < 16 || h < 16) return std::nullopt;
  const int t = otsu(s.pixels.data(), s.pixels.size());
  // The largest 4-connected bright region.
  std::vector<int> label(static_cast<std::size_t>(w) * h, 0);
  std::vector<int> stack;
  int best = 0, best_area = 0, next = 0;
  for (int i = 0; i < w * h; ++i) {
    if (label[i] || s.pixels[i] <= t) continue;
    ++next;
    int area = 0;
    stack.push_back(i);
    label[i] = next;
    while (!stack.empty()) {
      const int p = stack.back();
      stack.pop_back();
      ++area;
      const int x = p % w, y = p / w;
      const int nb[4] = {x > 0 ? p - 1 : -1, x + 1 < w ? p + 1 : -1, y > 0 ? p - w : -1, y + 1 < h ? p + w : -1};
      for (int q : nb)
        if (q >= 0 && !label[q] && s.pixels[q] > t) {
          label[q] = next;
          stack.push_back(q);
        }
    }
    if (area > best_area) {
      best_area = area;
      best = next;
    }
  }
  if (best_area < w * h / 40) return std::nullopt;
  // Touching three or four edges with most of the picture: a scanner's crop of the document.
  int sides = 0;
  auto touches_row = [&](int y) {
    for (int x = 0; x < w; ++x)
      if (label[static_cast<std::size_t>(y) * w + x] == best) return true;
    return false;
  };
  auto touches_col = [&](int x) {
    for (int y = 0; y < h; ++y)
      if (label[static_cast<std::size_t>(y) * w + x] == best) return true;
    return false;
  };
  sides = touches_row(0) + touches_row(h - 1) + touches_col(0) + touches_col(w - 1);
  // (A ruled page splits into cells: its margin alone is the region, hence no more than a quarter.)
  if (sides >= 3 && best_area > w * h / 4) {
    whole = true;
    const double W = grey.width, H = grey.height;
    if (W >= H) return Quad{PointF{0, 0}, {W, 0}, {W, H}, {0, H}};
    return Quad{PointF{0, H}, {0, 0}, {W, 0}, {W, H}};
  }
  if (sides > 0) return std::nullopt;  // cut off by the picture's edge
  // The region's outline, its hull and smallest enclosing rectangle.
  std::vector<PointF> outline;
  for (int y = 0; y < h; ++y) {
    int l = -1, r = -1;
    for (int x = 0; x < w; ++x)
      if (label[static_cast<std::size_t>(y) * w + x] == best) {
        if (l < 0) l = x;
        r = x;
      }
    if (l >= 0) {
      outline.push_back({l + 0.0, y + 0.5});
      outline.push_back({r + 1.0, y + 0.5});
    }
  }
  for (int x = 0; x < w; ++x) {
    int tp = -1, bt = -1;
    for (int y = 0; y < h; ++y)
      if (label[static_cast<std::size_t>(y) * w + x] == best) {
        if (tp < 0) tp = y;
        bt = y;
      }
    if (tp >= 0) {
      outline.push_back({x + 0.5, tp + 0.0});
      outline.push_back({x + 0.5, bt + 1.0});
    }
  }
  const auto hull = convex_hull(outline);
  if (hull.size() < 4) return std::nullopt;
  double best_a = 1e18;
  Quad rect{};
  for (std::size_t i = 0; i < hull.size(); ++i) {
    const PointF a = hull[i], b = hull[(i + 1) % hull.size()];
    const double len = dist(a, b);
    if (len < 1e-9) continue;
    const PointF u{(b.x - a.x) / len, (b.y - a.y) / len}, v{-u.y, u.x};
    double u0 = 1e18, u1 = -1e18, v0 = 1e18, v1 = -1e18;
    for (const auto& p : hull) {
      const double pu = (p.x - a.x) * u.x + (p.y - a.y) * u.y, pv = (p.x - a.x) * v.x + (p.y - a.y) * v.y;
      u0 = std::min(u0, pu), u1 = std::max(u1, pu), v0 = std::min(v0, pv), v1 = std::max(v1, pv);
    }
    if ((u1 - u0) * (v1 - v0) < best_a) {
      best_a = (u1 - u0) * (v1 - v0);
      auto pt = [&](double pu, double pv) { return PointF{a.x + pu * u.x + pv * v.x, a.y + pu * u.y + pv * v.y}; };
      rect = {pt(u0, v0), pt(u1, v0), pt(u1, v1), pt(u0, v1)};
    }
  }
  // Corners: the hull points nearest the rectangle's; then each side refitted to the outline.
  Quad q;
  for (int i = 0; i < 4; ++i) {
    q[i] = *std::min_element(hull.begin(), hull.end(),
                             [&](PointF a, PointF b) { return dist(a, rect[i]) < dist(b, rect[i]); });
  }
  std::array<PointF, 4> c{}, d{};
  bool fitted = true;
  for (int i = 0; i < 4; ++i) {
    const PointF a = q[i], b = q[(i + 1) % 4];
    const double len = dist(a, b);
    if (len < 4) return std::nullopt;
    const PointF u{(b.x - a.x) / len, (b.y - a.y) / len};
    std::vector<PointF> near;
    for (const auto& p : outline) {
      const double along = (p.x - a.x) * u.x + (p.y - a.y) * u.y;
      const double off = std::fabs(-(p.x - a.x) * u.y + (p.y - a.y) * u.x);
      if (along > 0.12 * len && along < 0.88 * len && off < std::max(2.0, 0.04 * len)) near.push_back(p);
    }
    fitted = fitted && fit_line(near, c[i], d[i]);
  }
  if (fitted) {
    Quad r;
    bool ok = true;
    for (int i = 0; i < 4; ++i) ok = ok && intersect(c[(i + 3) % 4], d[(i + 3) % 4], c[i], d[i], r[i]);
    if (ok && std::all_of(r.begin(), r.end(), [&](PointF p) { return dist(p, q[0]) < 2.0 * (w + h); })) q = r;
  }
  // Clockwise on screen (y down), then the longer side first.
  if (cross(q[0], q[1], q[2]) < 0) std::swap(q[1], q[3]);
  if (dist(q[0], q[1]) + dist(q[2], q[3]) < dist(q[1], q[2]) + dist(q[3], q[0])) q = {q[1], q[2], q[3], q[0]};
  for (auto& p : q) p = {p.x * f, p.y * f};
  for (const auto& p : q)
    if (p.x < -2 || p.y < -2 || p.x > grey.width + 2 || p.y > grey.height + 2) return std::nullopt;
  return q;
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
