#pragma once
// Straightening a picture: the perspective map (homography) between four corners and a
// rectangle, and a bilinear resampler. The document reader uses it to turn a card seen at an
// angle into the card's own upright layout; the tests' scene generator uses it the other way.
#include <array>

#include "imaging/image.hpp"

namespace hn::imaging {

struct PointF {
  double x = 0;
  double y = 0;
};

// Row-major 3x3, h[8] normalised to 1: (x, y) -> ((h0 x + h1 y + h2) / w, (h3 x + h4 y + h5) / w)
// with w = h6 x + h7 y + 1.
using Homography = std::array<double, 9>;

// The map taking from[i] to to[i]; false when the corners are degenerate (three in a line).
bool homography(const std::array<PointF, 4>& from, const std::array<PointF, 4>& to, Homography& out);
PointF apply(const Homography& h, PointF p);

// The quadrilateral `corners` of `source` (top-left, top-right, bottom-right, bottom-left) drawn
// upright into a width x height image with the source's channels; outside the source is
// `fill`. Bilinear.
Image warp_quad(const ImageRef& source, const std::array<PointF, 4>& corners, int width, int height,
                std::uint8_t fill = 0);

// Grey copy of a grey or RGB view (ITU-R BT.601 weights).
Image to_grey(const ImageRef& source);

}  // namespace hn::imaging
