#include "render.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stb_image_write.h>  // Debian libstb-dev: the implementation is in libstb.a

#include "core/id_number.hpp"
#include "imaging/warp.hpp"

namespace hn::testing {

using document::Kind;
using imaging::Image;

std::uint32_t Rng::next() {
  s_ = s_ * 6364136223846793005ULL + 1442695040888963407ULL;
  const auto x = static_cast<std::uint32_t>(((s_ >> 18) ^ s_) >> 27);
  const auto rot = static_cast<std::uint32_t>(s_ >> 59);
  return (x >> rot) | (x << ((32 - rot) & 31));
}
int Rng::between(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<std::uint32_t>(hi - lo + 1)); }
double Rng::uniform(double lo, double hi) { return lo + (hi - lo) * (next() / 4294967296.0); }
double Rng::normal() {
  const double u1 = std::max(1e-12, next() / 4294967296.0), u2 = next() / 4294967296.0;
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
}

namespace {

struct County {
  const char* code;
  const char* address;  // province, city, county
  const char* county;   // for 签发机关
  std::vector<const char*> towns;
};

const std::vector<County> kCounties = {
    {"341122", "安徽省来安县", "来安县", {"新安镇", "半塔镇", "汊河镇", "水口镇"}},
    {"341322", "安徽省萧县", "萧县", {"龙城镇", "黄口镇", "杨楼镇", "永堌镇"}},
    {"410523", "河南省汤阴县", "汤阴县", {"城关镇", "菜园镇", "任固镇", "五陵镇"}},
    {"371326", "山东省平邑县", "平邑县", {"平邑街道", "仲村镇", "武台镇", "保太镇"}},
    {"430521", "湖南省邵东县", "邵东县", {"两市塘街道", "廉桥镇", "火厂坪镇", "佘田桥镇"}},
    {"511023", "四川省安岳县", "安岳县", {"岳阳镇", "石桥铺镇", "周礼镇", "通贤镇"}},
};
const std::vector<std::string> kSurnames = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                            "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"};
const std::vector<std::string> kGiven = {"伟", "芳", "娜", "秀", "英", "敏", "静", "丽", "强", "磊", "军",
                                         "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "兰", "霞", "平",
                                         "刚", "桂", "华", "建", "国", "玉", "红", "春", "福", "海"};
const std::vector<std::string> kVillages = {"光明村", "红旗村", "新华村", "张庄村", "李庄村", "大王村",
                                            "河西村", "东风村", "先锋村", "三里村"};
const std::vector<std::string> kNations = {"汉", "汉", "汉", "汉", "汉", "回", "壮", "满", "苗", "土家", "蒙古"};
const std::vector<std::string> kRelations = {"户主", "妻", "夫", "长子", "次子", "长女", "次女", "子", "女", "母", "父"};

std::string name(Rng& rng) {
  std::string n = rng.pick(kSurnames) + rng.pick(kGiven);
  if (rng.between(0, 2) > 0) n += rng.pick(kGiven);
  return n;
}

std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

}  // namespace

Person make_person(Rng& rng) {
  Person p;
  const County& c = kCounties[static_cast<std::size_t>(rng.between(0, int(kCounties.size()) - 1))];
  p.name = name(rng);
  const bool male = rng.between(0, 1) == 0;
  p.sex = male ? "男" : "女";
  p.nation = rng.pick(kNations);
  p.birth = {rng.between(1940, 2004), rng.between(1, 12), 1};
  p.birth.day = rng.between(1, days_in_month(p.birth.year, p.birth.month));
  p.address = std::string(c.address) + c.towns[static_cast<std::size_t>(rng.between(0, 3))] +
              rng.pick(kVillages) + std::to_string(rng.between(1, 12)) + "组" +
              std::to_string(rng.between(1, 99)) + "号";
  char body[18];
  std::snprintf(body, sizeof body, "%s%04d%02d%02d%02d%d", c.code, p.birth.year, p.birth.month, p.birth.day,
                rng.between(0, 99), (rng.between(0, 4) * 2 + (male ? 1 : 0)));
  p.id_number = std::string(body, 17) + id_check_character(std::string_view(body, 17));
  p.issuer = std::string(c.county) + "公安局";
  // GB/T 16783 validity: 5 years under 16, 10 to 25, 20 to 45, then 长期 (age at issue).
  const int issued = rng.between(std::max(2005, p.birth.year + 5), 2024);
  const int age = issued - p.birth.year;
  const std::string from = std::to_string(issued) + "." + two(rng.between(1, 12)) + "." + two(rng.between(1, 28));
  const int span = age < 16 ? 5 : age <= 25 ? 10 : age <= 45 ? 20 : 0;
  p.validity = from + "-" + (span ? std::to_string(issued + span) + from.substr(4) : std::string("长期"));
  const int t = rng.between(0, 19);
  p.hukou_type = t < 12 ? "农业家庭户口" : t < 17 ? "非农业家庭户口" : "家庭户口";
  p.household_no = std::to_string(rng.between(100000000, 999999999));
  p.relation = rng.pick(kRelations);
  p.head_name = p.relation == "户主" ? p.name : name(rng);
  p.authority = std::string(c.county) + "公安局";
  return p;
}

namespace {

std::string iso(const Date& d) { return d.iso(); }

// What the document prints in a field.
std::string printed(const Person& p, Kind kind, const std::string& field) {
  if (field == "name") return p.name;
  if (field == "sex") return p.sex;
  if (field == "nation") return p.nation;
  if (field == "birth")
    return kind == Kind::IdFront ? std::to_string(p.birth.year) + " 年 " + std::to_string(p.birth.month) + " 月 " +
                                       std::to_string(p.birth.day) + " 日"
                                 : std::to_string(p.birth.year) + "年" + two(p.birth.month) + "月" + two(p.birth.day) + "日";
  if (field == "address") return p.address;
  if (field == "id_number") return p.id_number;
  if (field == "issuer") return p.issuer;
  if (field == "validity") return p.validity;
  if (field == "hukou_type") return p.hukou_type;
  if (field == "head_name") return p.head_name;
  if (field == "household_no") return p.household_no;
  if (field == "relation") return p.relation;
  if (field == "authority") return p.authority;
  return "";
}

}  // namespace

std::string expected_field(const Person& p, Kind kind, const std::string& field) {
  if (field == "birth") return iso(p.birth);
  return printed(p, kind, field);
}

namespace {

struct Canvas {
  cairo_surface_t* surface;
  cairo_t* cr;
  double s;  // px per mm
};

void set_rgb(cairo_t* cr, unsigned rgb) {
  cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
}

// Text at (x, y) mm with its character height `font_mm`, wrapped to `wrap_mm` when > 0.
void text(Canvas& c, const std::string& t, double x, double y, double font_mm, unsigned rgb, bool bold = false,
          bool mono = false, double wrap_mm = 0, double line_mm = 0, double letter_mm = 0) {
  PangoLayout* layout = pango_cairo_create_layout(c.cr);
  PangoFontDescription* desc = pango_font_description_from_string(mono ? "WenQuanYi Zen Hei Mono" : "WenQuanYi Zen Hei");
  pango_font_description_set_absolute_size(desc, font_mm * c.s * PANGO_SCALE);
  if (bold) pango_font_description_set_weight(desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description(layout, desc);
  PangoAttrList* attrs = pango_attr_list_new();
  if (letter_mm > 0) pango_attr_list_insert(attrs, pango_attr_letter_spacing_new(int(letter_mm * c.s * PANGO_SCALE)));
  pango_layout_set_attributes(layout, attrs);
  if (wrap_mm > 0) {
    pango_layout_set_width(layout, int(wrap_mm * c.s * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_CHAR);
  }
  if (line_mm > 0) pango_layout_set_spacing(layout, int((line_mm - font_mm * 1.17) * c.s * PANGO_SCALE));
  pango_layout_set_text(layout, t.c_str(), -1);
  set_rgb(c.cr, rgb);
  // Pango's box starts above the glyphs; move up so the characters' top sits near y.
  cairo_move_to(c.cr, x * c.s, (y - font_mm * 0.08) * c.s);
  pango_cairo_show_layout(c.cr, layout);
  pango_attr_list_unref(attrs);
  pango_font_description_free(desc);
  g_object_unref(layout);
}

void background(Canvas& c, const document::Layout& l, unsigned base, unsigned line) {
  set_rgb(c.cr, base);
  cairo_paint(c.cr);
  // The security print (底纹): fine waves, faint.
  set_rgb(c.cr, line);
  cairo_set_line_width(c.cr, 0.12 * c.s);
  for (double y0 = -10; y0 < l.height_mm + 10; y0 += 2.2) {
    cairo_move_to(c.cr, 0, y0 * c.s);
    for (double x = 0; x <= l.width_mm; x += 1.0)
      cairo_line_to(c.cr, x * c.s, (y0 + 1.2 * std::sin(x / 6.0 + y0 / 9.0)) * c.s);
    cairo_stroke(c.cr);
  }
}

void star(cairo_t* cr, double cx, double cy, double r) {
  for (int i = 0; i < 10; ++i) {
    const double a = -M_PI / 2 + i * M_PI / 5, rr = i % 2 ? r * 0.4 : r;
    if (i == 0) cairo_move_to(cr, cx + rr * std::cos(a), cy + rr * std::sin(a));
    else cairo_line_to(cr, cx + rr * std::cos(a), cy + rr * std::sin(a));
  }
  cairo_close_path(cr);
  cairo_fill(cr);
}

}  // namespace

Image render_document(Kind kind, const Person& p, double s) {
  const document::Layout& l = document::layout(kind);
  const int w = int(std::lround(l.width_mm * s)), h = int(std::lround(l.height_mm * s));
  Canvas c{cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h), nullptr, s};
  c.cr = cairo_create(c.surface);
  const bool card = document::is_id_card(kind);
  const unsigned label_rgb = card ? 0x2f6aa6 : 0x9a4a2a, ink = 0x1a1a1a;
  if (card) background(c, l, 0xeef1f2, 0xd9e3e8);
  else background(c, l, 0xf5f0e2, 0xe8dcc6);

  if (kind == Kind::IdFront) {
    const auto& ph = l.solid[0];
    cairo_rectangle(c.cr, ph.x * s, ph.y * s, ph.w * s, ph.h * s);
    set_rgb(c.cr, 0xcfd6dc);
    cairo_fill(c.cr);
    set_rgb(c.cr, 0x55585c);  // a head and shoulders
    cairo_arc(c.cr, (ph.x + ph.w / 2) * s, (ph.y + ph.h * 0.38) * s, ph.w * 0.24 * s, 0, 2 * M_PI);
    cairo_fill(c.cr);
    cairo_arc(c.cr, (ph.x + ph.w / 2) * s, (ph.y + ph.h * 1.02) * s, ph.w * 0.48 * s, M_PI, 2 * M_PI);
    cairo_fill(c.cr);
  } else if (kind == Kind::IdBack) {
    const auto& e = l.solid[0];
    set_rgb(c.cr, 0xc8102e);
    cairo_new_path(c.cr);
    cairo_arc(c.cr, (e.x + e.w / 2) * s, (e.y + e.h / 2) * s, e.w / 2 * s, 0, 2 * M_PI);
    cairo_fill(c.cr);
    set_rgb(c.cr, 0xf2c200);
    star(c.cr, (e.x + e.w / 2) * s, (e.y + e.h * 0.36) * s, e.w * 0.2 * s);
    for (int i = 0; i < 4; ++i) star(c.cr, (e.x + e.w * (0.22 + 0.19 * i)) * s, (e.y + e.h * 0.7) * s, e.w * 0.07 * s);
  }
  set_rgb(c.cr, label_rgb);
  cairo_set_line_width(c.cr, 0.3 * s);
  for (const auto& r : l.rules) {
    cairo_move_to(c.cr, r.x0 * s, r.y0 * s);
    cairo_line_to(c.cr, r.x1 * s, r.y1 * s);
    cairo_stroke(c.cr);
  }
  for (const auto& t : l.texts) text(c, t.text, t.x, t.y, t.font_mm, t.label ? label_rgb : ink, t.bold);
  for (const auto& f : l.fields) {
    std::string value = printed(p, kind, f.name);
    if (kind == Kind::IdFront && std::string(f.name) == "birth") {
      // The year, month and day in ink, 年 月 日 in the label colour, as on the card.
      const std::string parts[] = {std::to_string(p.birth.year), std::to_string(p.birth.month),
                                   std::to_string(p.birth.day)};
      const char* units[] = {"年", "月", "日"};
      double x = f.box.x;
      for (int i = 0; i < 3; ++i) {
        text(c, parts[i], x, f.box.y + 0.5, f.font_mm, ink);
        x += f.font_mm * 0.55 * double(parts[i].size()) + 0.9;
        text(c, units[i], x, f.box.y + 0.5, f.font_mm * 0.85, label_rgb);
        x += f.font_mm + 1.5;
      }
      continue;
    }
    const bool id = f.script == document::Script::IdNumber;
    const double y = f.box.y + (f.lines > 1 ? 0.3 : std::max(0.3, (f.box.h - f.font_mm) / 2 - 0.2));
    text(c, value, f.box.x + 0.6, y, f.font_mm, ink, id, id, f.lines > 1 ? f.box.w - 1 : 0,
         f.lines > 1 ? f.box.h / f.lines : 0, id ? 0.35 : 0);
  }
  if (kind == Kind::HukouFirst) {  // the red seal, ring and text, over the last row
    const auto& e = l.solid[0];
    cairo_set_source_rgba(c.cr, 0.85, 0.1, 0.1, 0.75);
    cairo_set_line_width(c.cr, 0.8 * s);
    cairo_new_path(c.cr);
    cairo_arc(c.cr, (e.x + e.w / 2) * s, (e.y + e.h / 2) * s, e.w / 2 * s, 0, 2 * M_PI);
    cairo_stroke(c.cr);
    star(c.cr, (e.x + e.w / 2) * s, (e.y + e.h / 2) * s, e.w * 0.15 * s);
  }
  cairo_surface_flush(c.surface);
  Image img;
  img.width = w;
  img.height = h;
  img.channels = 3;
  img.pixels.resize(std::size_t(w) * h * 3);
  const unsigned char* data = cairo_image_surface_get_data(c.surface);
  const int stride = cairo_image_surface_get_stride(c.surface);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      std::uint32_t px;
      std::memcpy(&px, data + y * stride + x * 4, 4);
      auto* o = &img.pixels[(std::size_t(y) * w + x) * 3];
      o[0] = (px >> 16) & 0xff;
      o[1] = (px >> 8) & 0xff;
      o[2] = px & 0xff;
    }
  cairo_destroy(c.cr);
  cairo_surface_destroy(c.surface);
  return img;
}

namespace {

void box_blur(std::vector<float>& v, int w, int h, int r) {
  std::vector<float> tmp(v.size());
  for (int y = 0; y < h; ++y) {  // horizontal
    for (int x = 0; x < w; ++x) {
      float sum = 0;
      int n = 0;
      for (int k = std::max(0, x - r); k <= std::min(w - 1, x + r); ++k, ++n) sum += v[std::size_t(y) * w + k];
      tmp[std::size_t(y) * w + x] = sum / float(n);
    }
  }
  for (int x = 0; x < w; ++x) {  // vertical
    for (int y = 0; y < h; ++y) {
      float sum = 0;
      int n = 0;
      for (int k = std::max(0, y - r); k <= std::min(h - 1, y + r); ++k, ++n) sum += tmp[std::size_t(k) * w + x];
      v[std::size_t(y) * w + x] = sum / float(n);
    }
  }
}

}  // namespace

Image make_picture(const Image& doc, double doc_s, const Degradation& d, Rng& rng) {
  const double aspect = double(doc.width) / doc.height;
  int W = 1280, H = 720;
  // A 户口簿 page is bigger than a card: the clerk holds the camera further off for it.
  const double width_mm = doc.width / doc_s;
  const double scale = d.flatbed || width_mm < 100 ? d.px_per_mm : d.px_per_mm * 0.7;
  double dw = width_mm * scale, dh = dw / aspect;
  if (d.flatbed) {  // the scanner's crop: the page and a thin margin, at the scan's own scale
    W = int(dw * 1.04);
    H = int(dh * 1.04 + 0.5);
  }
  const double cx = W / 2.0 + (d.flatbed ? 0 : rng.uniform(-0.08, 0.08) * (W - dw)),
               cy = H / 2.0 + (d.flatbed ? 0 : rng.uniform(-0.08, 0.08) * std::max(0.0, H - dh));
  const double a = d.rotate_deg * M_PI / 180;
  if (!d.flatbed) {  // the clerk keeps the whole document in view: smaller when turned
    const double bw = std::fabs(dw * std::cos(a)) + std::fabs(dh * std::sin(a)),
                 bh = std::fabs(dw * std::sin(a)) + std::fabs(dh * std::cos(a));
    const double fit = std::min({1.0, 0.9 * W / bw, 0.9 * H / bh});
    dw *= fit;
    dh *= fit;
  }
  std::array<imaging::PointF, 4> frame_corners;
  const double hx[] = {-dw / 2, dw / 2, dw / 2, -dw / 2}, hy[] = {-dh / 2, -dh / 2, dh / 2, dh / 2};
  for (int i = 0; i < 4; ++i) {
    const double px = hx[i] + rng.uniform(-d.perspective, d.perspective) * dw;
    const double py = hy[i] + rng.uniform(-d.perspective, d.perspective) * dw;
    frame_corners[i] = {cx + px * std::cos(a) - py * std::sin(a), cy + px * std::sin(a) + py * std::cos(a)};
  }
  const std::array<imaging::PointF, 4> doc_corners = {imaging::PointF{0, 0}, {double(doc.width), 0},
                                                      {double(doc.width), double(doc.height)}, {0, double(doc.height)}};
  imaging::Homography hm;
  imaging::homography(frame_corners, doc_corners, hm);
  // The counter: dark wood with grain, or the scanner lid's white.
  std::vector<float> rgb(std::size_t(W) * H * 3);
  const double grain = rng.uniform(0, 6);
  const int ss = std::max(1, int(std::ceil(doc_s / scale / 2)));  // supersampling per axis
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) {
      float acc[3] = {0, 0, 0};
      int inside = 0;
      for (int sy = 0; sy < ss; ++sy)
        for (int sx = 0; sx < ss; ++sx) {
          const auto p = imaging::apply(hm, {x + (sx + 0.5) / ss, y + (sy + 0.5) / ss});
          const int ix = int(p.x), iy = int(p.y);
          if (p.x < 0 || p.y < 0 || ix >= doc.width || iy >= doc.height) continue;
          const auto* q = &doc.pixels[(std::size_t(iy) * doc.width + ix) * 3];
          for (int c = 0; c < 3; ++c) acc[c] += q[c];
          ++inside;
        }
      float bg[3];
      if (d.flatbed) {
        bg[0] = bg[1] = bg[2] = 246;
      } else {
        const float g = float(18 * std::sin(y * 0.05 + std::sin(x * 0.011 + grain) * 3));
        bg[0] = 92 + g;
        bg[1] = 66 + g * 0.8f;
        bg[2] = 44 + g * 0.6f;
      }
      const float n = float(ss * ss);
      for (int c = 0; c < 3; ++c) rgb[(std::size_t(y) * W + x) * 3 + c] = (acc[c] + bg[c] * float(ss * ss - inside)) / n;
    }
  if (d.blur_sigma > 0) {  // three box passes approximate a Gaussian
    const int r = std::max(1, int(std::lround(d.blur_sigma * 0.9)));
    for (int c = 0; c < 3; ++c) {
      std::vector<float> ch(std::size_t(W) * H);
      for (std::size_t i = 0; i < ch.size(); ++i) ch[i] = rgb[i * 3 + c];
      for (int k = 0; k < 3; ++k) box_blur(ch, W, H, r);
      for (std::size_t i = 0; i < ch.size(); ++i) rgb[i * 3 + c] = ch[i];
    }
  }
  const double la = rng.uniform(0, 2 * M_PI);
  const double shadow_x = rng.uniform(0.2, 0.8) * W;
  Image out;
  out.width = W;
  out.height = H;
  out.channels = 3;
  out.pixels.resize(rgb.size());
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) {
      // A gradient across the frame (a window on one side) and a soft shadow band.
      const double t = 0.5 + 0.5 * ((x - W / 2.0) * std::cos(la) + (y - H / 2.0) * std::sin(la)) / (0.5 * std::hypot(W, H));
      double light = d.light_low + (1.0 - d.light_low) * t;
      if (d.light_low < 1) light *= 1 - 0.25 * std::exp(-std::pow((x - shadow_x) / (0.08 * W), 2));
      for (int c = 0; c < 3; ++c) {
        double v = rgb[(std::size_t(y) * W + x) * 3 + c] * light;
        if (d.noise_sigma > 0) v += rng.normal() * d.noise_sigma;
        out.pixels[(std::size_t(y) * W + x) * 3 + c] = static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
      }
    }
  if (d.jpeg_quality > 0) {
    auto decoded = imaging::decode_image_bytes(encode_jpeg(out, d.jpeg_quality), "jpeg");
    if (decoded) out = std::move(decoded.value());
  }
  return out;
}

std::vector<std::string> picture_sets() {
  return {"clean", "rotation", "perspective", "blur", "noise", "lighting", "jpeg", "counter", "flatbed"};
}

Degradation degradation_for(const std::string& set, Rng& rng) {
  Degradation d;
  d.px_per_mm = rng.uniform(6.5, 8.0);
  if (set == "rotation") {
    d.rotate_deg = rng.uniform(8, 30) * (rng.between(0, 1) ? 1 : -1);
    if (rng.between(0, 2) == 0) d.rotate_deg += 180;  // the card put down upside down
  } else if (set == "perspective") {
    d.perspective = rng.uniform(0.04, 0.08);
  } else if (set == "blur") {
    d.blur_sigma = rng.uniform(1.0, 1.8);
  } else if (set == "noise") {
    d.noise_sigma = rng.uniform(10, 18);
  } else if (set == "lighting") {
    d.light_low = rng.uniform(0.35, 0.55);
  } else if (set == "jpeg") {
    d.jpeg_quality = rng.between(25, 40);
  } else if (set == "counter") {
    d.rotate_deg = rng.uniform(-12, 12);
    d.perspective = rng.uniform(0.02, 0.04);
    d.blur_sigma = rng.uniform(0.6, 1.0);
    d.noise_sigma = rng.uniform(4, 8);
    d.light_low = rng.uniform(0.6, 0.8);
    d.jpeg_quality = rng.between(60, 80);
  } else if (set == "flatbed") {
    d.flatbed = true;
    d.px_per_mm = 300 / 25.4;
    d.rotate_deg = rng.uniform(-1.5, 1.5);
    d.jpeg_quality = 85;
  }
  return d;
}

bool write_png(const Image& img, const std::string& path) {
  return stbi_write_png(path.c_str(), img.width, img.height, img.channels, img.pixels.data(),
                        img.width * img.channels) != 0;
}

std::string encode_jpeg(const Image& img, int quality) {
  std::string out;
  stbi_write_jpg_to_func(
      [](void* ctx, void* data, int size) { static_cast<std::string*>(ctx)->append(static_cast<char*>(data), size); },
      &out, img.width, img.height, img.channels, img.pixels.data(), quality);
  return out;
}

}  // namespace hn::testing
