// Finding the document in a picture (reader.hpp, find_document): the largest bright region,
// its hull and smallest enclosing rectangle, the sides refitted to the outline and their
// crossings taken as the corners.
#include <algorithm>
#include <cmath>

#include "document/picture.hpp"
#include "document/reader.hpp"

namespace hn::document {

using imaging::Image;
using imaging::PointF;
using Quad = std::array<PointF, 4>;

namespace {

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

}  // namespace hn::document
