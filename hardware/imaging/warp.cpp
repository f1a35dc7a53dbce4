#include "imaging/warp.hpp"

#include <cmath>

namespace hn::imaging {

bool homography(const std::array<PointF, 4>& from, const std::array<PointF, 4>& to, Homography& out) {
  // Eight equations in h0..h7, solved by Gaussian elimination with partial pivoting.
  double a[8][9];
  for (int i = 0; i < 4; ++i) {
    const double x = from[i].x, y = from[i].y, u = to[i].x, v = to[i].y;
    double* r1 = a[2 * i];
    double* r2 = a[2 * i + 1];
    const double e1[9] = {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
    const double e2[9] = {0, 0, 0, x, y, 1, -v * x, -v * y, v};
    for (int k = 0; k < 9; ++k) {
      r1[k] = e1[k];
      r2[k] = e2[k];
    }
  }
  for (int col = 0; col < 8; ++col) {
    int pivot = col;
    for (int r = col + 1; r < 8; ++r)
      if (std::fabs(a[r][col]) > std::fabs(a[pivot][col])) pivot = r;
    if (std::fabs(a[pivot][col]) < 1e-12) return false;
    if (pivot != col)
      for (int k = 0; k < 9; ++k) std::swap(a[col][k], a[pivot][k]);
    for (int r = 0; r < 8; ++r) {
      if (r == col) continue;
      const double f = a[r][col] / a[col][col];
      for (int k = col; k < 9; ++k) a[r][k] -= f * a[col][k];
    }
  }
  for (int i = 0; i < 8; ++i) out[i] = a[i][8] / a[i][i];
  out[8] = 1;
  return true;
}

PointF apply(const Homography& h, PointF p) {
  const double w = h[6] * p.x + h[7] * p.y + h[8];
  return {(h[0] * p.x + h[1] * p.y + h[2]) / w, (h[3] * p.x + h[4] * p.y + h[5]) / w};
}

Image warp_quad(const ImageRef& src, const std::array<PointF, 4>& corners, int width, int height,
                std::uint8_t fill) {
  Image out;
  out.width = width;
  out.height = height;
  out.channels = src.channels;
  out.pixels.assign(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) *
                        static_cast<std::size_t>(src.channels),
                    fill);
  // Map each output pixel back into the source.
  const std::array<PointF, 4> rect = {PointF{0, 0}, PointF{double(width), 0},
                                      PointF{double(width), double(height)}, PointF{0, double(height)}};
  Homography h;
  if (!homography(rect, corners, h)) return out;
  const int stride = src.row_stride ? src.row_stride : src.width * src.channels;
  const int ch = src.channels;
  std::uint8_t* dst = out.pixels.data();
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x, dst += ch) {
      const PointF p = apply(h, {x + 0.5, y + 0.5});
      const double sx = p.x - 0.5, sy = p.y - 0.5;
      if (!(sx >= 0 && sy >= 0 && sx <= src.width - 1 && sy <= src.height - 1)) continue;
      const int x0 = static_cast<int>(sx), y0 = static_cast<int>(sy);
      const int x1 = x0 + 1 < src.width ? x0 + 1 : x0, y1 = y0 + 1 < src.height ? y0 + 1 : y0;
      const double fx = sx - x0, fy = sy - y0;
      const std::uint8_t* r0 = src.data + static_cast<std::ptrdiff_t>(y0) * stride;
      const std::uint8_t* r1 = src.data + static_cast<std::ptrdiff_t>(y1) * stride;
      for (int c = 0; c < ch; ++c) {
        const double top = r0[x0 * ch + c] * (1 - fx) + r0[x1 * ch + c] * fx;
        const double bottom = r1[x0 * ch + c] * (1 - fx) + r1[x1 * ch + c] * fx;
        dst[c] = static_cast<std::uint8_t>(std::lround(top * (1 - fy) + bottom * fy));
      }
    }
  }
  return out;
}

Image to_grey(const ImageRef& src) {
  Image g;
  g.width = src.width;
  g.height = src.height;
  g.channels = 1;
  g.pixels.resize(static_cast<std::size_t>(src.width) * static_cast<std::size_t>(src.height));
  const int stride = src.row_stride ? src.row_stride : src.width * src.channels;
  std::uint8_t* dst = g.pixels.data();
  for (int y = 0; y < src.height; ++y) {
    const std::uint8_t* row = src.data + static_cast<std::ptrdiff_t>(y) * stride;
    for (int x = 0; x < src.width; ++x) {
      if (src.channels == 1) {
        *dst++ = row[x];
      } else {
        const std::uint8_t* p = row + x * src.channels;
        *dst++ = static_cast<std::uint8_t>((299 * p[0] + 587 * p[1] + 114 * p[2] + 500) / 1000);
      }
    }
  }
  return g;
}

}  // namespace hn::imaging
