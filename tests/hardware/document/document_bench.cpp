// Reading one ID card face from a 1280x720 counter-camera frame (issue 9: budget 1.5 s on the
// counter PC), and the process's peak memory. Prints figures; never pass/fail, not a ctest test.
//   document_bench [READS]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "document/reader.hpp"
#include "render.hpp"

using namespace hn;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  const int reads = argc > 1 ? std::max(1, std::atoi(argv[1])) : 10;
  constexpr double kBudget = 1.5;
  // Frames made before the clock starts: counter-set degradations (turned, warped, blurred,
  // noised, unevenly lit, JPEG), a different person each.
  std::vector<imaging::Image> frames;
  for (int i = 0; i < reads; ++i) {
    testing::Rng rng(700 + static_cast<std::uint64_t>(i));
    const auto person = testing::make_person(rng);
    const auto d = testing::degradation_for("counter", rng);
    frames.push_back(testing::make_picture(testing::render_document(document::Kind::IdFront, person, 12), 12, d, rng));
  }
  const auto t0 = Clock::now();
  auto reader = document::DocumentReader::open();
  if (!reader) {
    std::fprintf(stderr, "%s\n", reader.error().message_en.c_str());
    return 1;
  }
  const double open_s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::vector<double> seconds;
  int ok = 0;
  for (const auto& f : frames) {
    const auto t = Clock::now();
    const auto r = reader.value()->read(f.view());  // kind found by the reader, as at the counter
    seconds.push_back(std::chrono::duration<double>(Clock::now() - t).count());
    ok += r && r->id_check == document::IdCheck::Ok;
  }
  std::vector<double> sorted = seconds;
  std::sort(sorted.begin(), sorted.end());
  const double median = sorted[sorted.size() / 2], worst = sorted.back();
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("document_bench: ID card front from a %dx%d frame, %d reads (%d with the ID number accepted)\n",
              frames[0].width, frames[0].height, reads, ok);
  std::printf("  engines loaded (chi_sim + eng)  %.3f s (once per process)\n", open_s);
  std::printf("  first read                      %.3f s\n", seconds.front());
  std::printf("  read, median                    %.3f s   budget %.1f s   ratio %.2f\n", median, kBudget, median / kBudget);
  std::printf("  read, slowest                   %.3f s   ratio %.2f\n", worst, worst / kBudget);
  std::printf("  peak RSS                        %.1f MB\n", static_cast<double>(ru.ru_maxrss) / 1024.0);
  return 0;
}
