// decode_bench: DESIGN.md budget "label decode from a 1280x720 frame <= 1.2x ZXing's own
// ReadBarcodes on the same frame". Not a ctest test: it prints its figures and met/MISSED.
//
//   decode_bench [FRAME.jpg ...]   (default: the sample webcam frames)
//
// For each frame: the median of 200 runs of our decode path (hn::imaging::decode with its
// defaults, on the grey frame as the camera delivers it) and of ZXing's ReadBarcodes on the
// same pixels with the same formats and effort (try harder, rotate, downscale), run in turn
// after warm-up runs; then the ratio against the 1.2x budget.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include <ZXing/ReadBarcode.h>

#include "budget_line.hpp"
#include "imaging/decode.hpp"
#include "imaging/image.hpp"

namespace {

constexpr int kRuns = 200;
constexpr int kWarmUp = 10;
constexpr double kBudget = 1.2;

// Runs both sides in turn, alternating which goes first, so that both see the same load on
// a shared machine; the medians of each.
template <class A, class B>
std::pair<double, double> median_ms(A&& a, B&& b) {
  for (int i = 0; i < kWarmUp; ++i) a(), b();
  std::vector<double> ta, tb;
  auto time = [](auto&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  };
  for (int i = 0; i < kRuns; ++i) {
    if (i % 2) {
      ta.push_back(time(a));
      tb.push_back(time(b));
    } else {
      tb.push_back(time(b));
      ta.push_back(time(a));
    }
  }
  std::nth_element(ta.begin(), ta.begin() + kRuns / 2, ta.end());
  std::nth_element(tb.begin(), tb.begin() + kRuns / 2, tb.end());
  return {ta[kRuns / 2], tb[kRuns / 2]};
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> frames;
  for (int i = 1; i < argc; ++i) frames.emplace_back(argv[i]);
  if (frames.empty())
    for (const char* n : {"1", "2", "3"})
      frames.push_back(std::string(HUINONG_BENCH_FRAMES) + "/counter-frame-" + n + ".jpg");

  bool all_met = true;
  double worst = 0, worst_ours = 0, worst_zxing = 0;
  std::printf("decode_bench: median of %d runs each, budget %.1fx ZXing ReadBarcodes\n", kRuns,
              kBudget);
  for (const auto& path : frames) {
    auto img = hn::imaging::load_image(path);
    if (!img) {
      std::fprintf(stderr, "decode_bench: %s\n", img.error().message_en.c_str());
      return 2;
    }
    const hn::imaging::ImageRef ref = img->view();
    const hn::imaging::DecodeOptions ours_options;  // the defaults: what the counter camera uses

    ZXing::BarcodeFormats formats;
    formats |= ZXing::BarcodeFormat::Code128;
    formats |= ZXing::BarcodeFormat::QRCode;
    formats |= ZXing::BarcodeFormat::EAN13;
    formats |= ZXing::BarcodeFormat::DataMatrix;
    const auto hints = ZXing::DecodeHints()
                           .setFormats(formats)
                           .setTryHarder(true)
                           .setTryRotate(true)
                           .setTryDownscale(true);
    const ZXing::ImageView view(
        ref.data, ref.width, ref.height,
        ref.channels == 1 ? ZXing::ImageFormat::Lum : ZXing::ImageFormat::RGB);

    std::size_t ours_found = 0, zxing_found = 0;
    const auto [ours, zxing] =
        median_ms([&] { ours_found = hn::imaging::decode(ref, ours_options).value().size(); },
                  [&] {
                    zxing_found = 0;
                    for (const auto& r : ZXing::ReadBarcodes(view, hints))
                      zxing_found += r.isValid();
                  });
    const double ratio = ours / zxing;
    const bool met = ratio <= kBudget;
    all_met = all_met && met;
    if (ratio > worst) worst = ratio, worst_ours = ours, worst_zxing = zxing;
    std::printf(
        "%s (%dx%d): ours %.2f ms (%zu found), ZXing ReadBarcodes %.2f ms (%zu found), ratio "
        "%.2fx: %s\n",
        path.substr(path.find_last_of('/') + 1).c_str(), ref.width, ref.height, ours, ours_found,
        zxing, zxing_found, ratio, met ? "met" : "MISSED");
  }
  std::printf("decode_bench: %s\n", all_met ? "all within budget" : "budget MISSED");
  using hn::bench::figure;
  hn::bench::print_budget_line("label decode 1280x720 (worst of " + std::to_string(frames.size()) + " frames)",
                               figure("%.2fx ZXing", worst) + " (" + figure("%.2f", worst_ours) + " vs " +
                                   figure("%.2f ms", worst_zxing) + ")",
                               "<= 1.2x ReadBarcodes", worst / kBudget);
  hn::bench::print_rss_line("decode_bench", hn::bench::self_peak_rss_mib());
  return 0;
}
