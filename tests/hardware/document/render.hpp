#pragma once
// Test-time pictures of ID cards and 户口簿 pages: made-up people, their documents drawn from
// the reader's own layout table with a CJK font (WenQuanYi Zen Hei) at real size, then seen the
// way a counter camera or a flatbed sees them: turned, warped, blurred, noised, unevenly lit and
// JPEG-compressed. Everything comes from a seed, so a failing picture can be made again; no
// image is kept in the repository.
#include <cstdint>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "document/layout.hpp"
#include "imaging/image.hpp"

namespace hn::testing {

// A small seeded generator with a fixed algorithm (std::mt19937's distributions differ between
// standard libraries; ours do not).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed * 6364136223846793005ULL + 1442695040888963407ULL) {}
  std::uint32_t next();
  int between(int lo, int hi);             // inclusive
  double uniform(double lo, double hi);
  double normal();                         // mean 0, sd 1
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[static_cast<std::size_t>(between(0, int(v.size()) - 1))]; }

 private:
  std::uint64_t s_;
};

// One made-up person and their household, consistent across the four documents.
struct Person {
  std::string name, sex, nation;  // 男/女, 汉 ...
  Date birth;
  std::string address;            // as on the card
  std::string id_number;          // 18 characters, GB 11643 check digit right
  std::string issuer;             // 签发机关
  std::string validity;           // "2006.03.01-2016.03.01" or "2010.05.01-长期"
  std::string hukou_type;         // 农业家庭户口 / 非农业家庭户口 / 家庭户口
  std::string household_no;       // 户号
  std::string head_name;          // 户主姓名
  std::string relation;           // 户主, 妻, 长子 ...
  std::string authority;          // 户口登记机关
};
Person make_person(Rng& rng);

// The text a field should read, as the reader normalises it ("birth" as YYYY-MM-DD).
std::string expected_field(const Person& p, document::Kind kind, const std::string& field);

// The document at `px_per_mm` (RGB), drawn with pango/cairo.
imaging::Image render_document(document::Kind kind, const Person& p, double px_per_mm);

struct Degradation {
  bool flatbed = false;       // a scanner's crop: the page fills the picture, 300 dpi, no camera
  double px_per_mm = 7.0;     // the document's scale in the camera frame
  double rotate_deg = 0;      // in-plane turn
  double perspective = 0;     // corner pull, fraction of the document's width
  double blur_sigma = 0;      // px
  double noise_sigma = 0;     // grey levels
  double light_low = 1.0;     // the darkest end of a lighting gradient (1 = even)
  int jpeg_quality = 0;       // 0: no JPEG
};

// A 1280x720 counter-camera frame (or a flatbed scan) of the document.
imaging::Image make_picture(const imaging::Image& document, double doc_px_per_mm,
                            const Degradation& d, Rng& rng);

// The named sets the accuracy test runs: clean, rotation, perspective, blur, noise, lighting,
// jpeg, counter (all of them, moderate), flatbed. `index` varies the degradation within a set.
Degradation degradation_for(const std::string& set, Rng& rng);
std::vector<std::string> picture_sets();

bool write_png(const imaging::Image& img, const std::string& path);
std::string encode_jpeg(const imaging::Image& img, int quality);

}  // namespace hn::testing
