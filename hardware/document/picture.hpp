#pragma once
// Grey-picture helpers that finding the document (find.cpp) and reading it (reader.cpp) share:
// one channel, 8 bits, rows packed.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "imaging/image.hpp"
#include "imaging/warp.hpp"

namespace hn::document {

inline std::uint8_t& at(imaging::Image& g, int x, int y) {
  return g.pixels[static_cast<std::size_t>(y) * g.width + x];
}
inline std::uint8_t at(const imaging::Image& g, int x, int y) {
  return g.pixels[static_cast<std::size_t>(y) * g.width + x];
}
// The mean of each f x f block.
imaging::Image downscale(const imaging::Image& g, int f);
// Otsu's threshold of n grey values: the level that best splits ink from paper.
int otsu(const std::uint8_t* p, std::size_t n);
inline double dist(imaging::PointF a, imaging::PointF b) { return std::hypot(a.x - b.x, a.y - b.y); }

}  // namespace hn::document
