#include "document/picture.hpp"

#include <array>

namespace hn::document {

using imaging::Image;

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

}  // namespace hn::document
