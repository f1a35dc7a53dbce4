#include "document/fields.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/id_number.hpp"
#include "id_card.hpp"

namespace hn::document {

namespace {

// One UTF-8 character at a time.
std::vector<std::string> chars(std::string_view s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    out.emplace_back(s.substr(i, n));
    i += n;
  }
  return out;
}

void doubt(FieldReading& f, const std::string& zh, const std::string& en) {
  if (!f.doubtful || f.why_zh.empty()) {
    f.why_zh = zh;
    f.why_en = en;
  }
  f.doubtful = true;
}

FieldReading* find(std::vector<FieldReading>& fields, std::string_view name) {
  for (auto& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

const FieldReading* find(const std::vector<FieldReading>& fields, std::string_view name) {
  for (const auto& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

bool cjk_char(const std::string& c) {
  if (c.size() != 3) return c == "·" || c == "\xC2\xB7";
  const auto b0 = static_cast<unsigned char>(c[0]), b1 = static_cast<unsigned char>(c[1]);
  const unsigned cp = ((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (static_cast<unsigned char>(c[2]) & 0x3F);
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || cp == 0x00B7;
}

const std::vector<std::string> kRelations = {
    "户主", "妻", "夫", "子", "女", "长子", "次子", "三子", "长女", "次女", "三女", "父", "母", "孙子",
    "孙女", "儿媳", "女婿", "兄", "弟", "姐", "妹", "祖父", "祖母", "外孙子", "外孙女", "配偶", "其他"};

}  // namespace

std::string_view id_check_code(IdCheck c) {
  switch (c) {
    case IdCheck::None: return "none";
    case IdCheck::Unread: return "unread";
    case IdCheck::CheckDigitFails: return "check_digit_fails";
    case IdCheck::BirthUnread: return "birth_unread";
    case IdCheck::BirthMismatch: return "birth_mismatch";
    case IdCheck::SexMismatch: return "sex_mismatch";
    case IdCheck::Ok: return "ok";
  }
  return "?";
}

std::string id_check_zh(IdCheck c) {
  switch (c) {
    case IdCheck::None: return "此页没有身份证号码";
    case IdCheck::Unread: return "身份证号码没有读出:请手工输入";
    case IdCheck::CheckDigitFails: return "读出的身份证号码校验位不对(认错了字):不采用,请手工输入";
    case IdCheck::BirthUnread: return "校验位正确,但出生日期没有读清,无法核对:请核对号码";
    case IdCheck::BirthMismatch: return "校验位正确,但号码中的出生日期与证件上印的不同:请核对号码";
    case IdCheck::SexMismatch: return "号码中的性别与证件上印的不同:请核对号码";
    case IdCheck::Ok: return "校验位正确,出生日期一致";
  }
  return "?";
}

std::string id_check_en(IdCheck c) {
  switch (c) {
    case IdCheck::None: return "this page carries no ID number";
    case IdCheck::Unread: return "the ID number was not read: type it";
    case IdCheck::CheckDigitFails:
      return "the ID number read fails its check digit (a character was misread): not used, type it";
    case IdCheck::BirthUnread:
      return "the check digit holds but the printed birth date was not read to compare: check the number";
    case IdCheck::BirthMismatch:
      return "the check digit holds but the number's birth date differs from the printed one: check the number";
    case IdCheck::SexMismatch: return "the sex in the number differs from the printed one: check the number";
    case IdCheck::Ok: return "check digit holds, birth date agrees";
  }
  return "?";
}

std::string strip_spaces(std::string_view s) {
  std::string out;
  for (const auto& c : chars(s))
    if (c != " " && c != "\t" && c != "\n" && c != "\r" && c != "\xE3\x80\x80") out += c;
  return out;
}

std::size_t utf8_length(std::string_view s) { return chars(s).size(); }

bool all_cjk(std::string_view s) {
  const auto cs = chars(s);
  return !cs.empty() && std::all_of(cs.begin(), cs.end(), cjk_char);
}

std::string digits_only(std::string_view s, bool allow_x_last) {
  std::string out;
  for (const auto& c : chars(s)) {
    if (c.size() != 1) continue;
    char ch = c[0];
    switch (ch) {
      case 'O': case 'o': case 'D': case 'Q': ch = '0'; break;
      case 'l': case 'I': case '|': case 'i': case '!': ch = '1'; break;
      case 'S': case 's': ch = '5'; break;
      case 'B': ch = '8'; break;
      case 'Z': case 'z': ch = '2'; break;
      case 'x': ch = 'X'; break;
      default: break;
    }
    if ((ch >= '0' && ch <= '9') || ch == 'X') out += ch;
  }
  if (!allow_x_last) out.erase(std::remove(out.begin(), out.end(), 'X'), out.end());
  else if (!out.empty() && out.find('X') != std::string::npos && out.find('X') != out.size() - 1)
    out.erase(std::remove(out.begin(), out.end() - 1, 'X'), out.end() - 1);
  return out;
}

std::optional<Date> parse_printed_date(std::string_view text) {
  // Three runs of digits: year, month, day, whatever separates them (年月日, dots, spaces).
  std::vector<std::string> runs(1);
  for (const auto& c : chars(text)) {
    const std::string d = c.size() == 1 ? digits_only(c, false) : "";
    if (!d.empty()) runs.back() += d;
    else if (!runs.back().empty()) runs.emplace_back();
  }
  if (runs.back().empty()) runs.pop_back();
  if (runs.size() != 3 || runs[0].size() != 4 || runs[1].empty() || runs[1].size() > 2 || runs[2].empty() ||
      runs[2].size() > 2)
    return std::nullopt;
  const int y = std::stoi(runs[0]), m = std::stoi(runs[1]), d = std::stoi(runs[2]);
  if (!is_valid_date(y, m, d)) return std::nullopt;
  return Date{y, m, d};
}

std::optional<std::string> nation_code_of(std::string_view name) {
  if (name.empty()) return std::nullopt;
  char code[3];
  for (int i = 1; i <= 98; ++i) {
    std::snprintf(code, sizeof code, "%02d", i);
    const char* n = hw::nation_name(code);
    if (!n) continue;
    // The card prints the name without 族 (汉, not 汉族); accept both.
    if (name == n || std::string(name) == std::string(n) + "族") return std::string(code);
  }
  return std::nullopt;
}

std::optional<HukouTypeReading> parse_hukou_type(std::string_view text) {
  const std::string t = strip_spaces(text);
  static const std::pair<const char*, HukouType> kForms[] = {
      {"农业家庭户口", HukouType::Agricultural},      {"非农业家庭户口", HukouType::NonAgricultural},
      {"农业集体户口", HukouType::Agricultural},      {"非农业集体户口", HukouType::NonAgricultural},
      {"家庭户口", HukouType::Unstated},              {"集体户口", HukouType::Unstated},
      {"居民家庭户口", HukouType::Unstated},          {"居民集体户口", HukouType::Unstated},
      {"家庭户口(农业)", HukouType::Agricultural}, {"家庭户口(非农业)", HukouType::NonAgricultural},
      {"家庭户口(农业)", HukouType::Agricultural},    {"家庭户口(非农业)", HukouType::NonAgricultural},
  };
  for (const auto& [form, type] : kForms)
    if (t == form) return HukouTypeReading{form, type};
  return std::nullopt;
}

namespace {

// A single line of Chinese characters only, whose count agrees with the ink in the box.
void check_cjk_line(FieldReading& f, std::size_t min_len, std::size_t max_len) {
  const std::size_t n = utf8_length(f.text);
  if (f.text.empty()) {
    doubt(f, "没有读出", "nothing was read");
    return;
  }
  if (!all_cjk(f.text) || n < min_len || n > max_len) {
    doubt(f, "字形不像这一栏的内容", "does not look like what this field holds");
    return;
  }
  // A character dropped or doubled (非农业 read as 农业) shows as ink for one more or one less.
  if (f.ink_chars > 0 && std::fabs(f.ink_chars - double(n)) > 0.6) {
    const std::string about = std::to_string(static_cast<int>(std::lround(f.ink_chars)));
    doubt(f, "读出的字数(" + std::to_string(n) + ")与印刷的字数(约 " + about + ")不符",
          "read " + std::to_string(n) + " characters where about " + about + " are printed");
  }
}

}  // namespace

IdCheck check_fields(Kind /*kind*/, std::vector<FieldReading>& fields, int min_confidence, std::optional<Date> today) {
  for (auto& f : fields) {
    f.doubtful = false;
    f.why_zh.clear();
    f.why_en.clear();
    f.text = strip_spaces(f.raw);
  }
  std::optional<Date> printed_birth;
  for (auto& f : fields) {
    const std::string& n = f.name;
    if (n == "name" || n == "head_name") {
      check_cjk_line(f, 2, 8);
    } else if (n == "sex") {
      if (f.text != "男" && f.text != "女") doubt(f, "性别应为 男 或 女", "sex must read 男 or 女");
    } else if (n == "nation") {
      if (!nation_code_of(f.text)) doubt(f, "不是 GB 3304 中的民族名称", "not a nation name of GB 3304");
      else check_cjk_line(f, 1, 6);
    } else if (n == "birth") {
      const auto d = parse_printed_date(f.text);
      if (d && today && *today < *d) doubt(f, "出生日期在今天之后", "the birth date is after today");
      else if (!d) doubt(f, "不是有效的日期", "not a real date");
      else {
        f.text = d->iso();
        printed_birth = d;
      }
    } else if (n == "address") {
      // Chinese characters, and numbers only as 12组, 3号, 5栋: anything else is a misread.
      const auto cs = chars(f.text);
      bool shape = cs.size() >= 6 && cjk_char(cs.front()) && cjk_char(cs.back());
      for (std::size_t i = 0; i < cs.size() && shape; ++i) {
        const bool digit = cs[i].size() == 1 && cs[i][0] >= '0' && cs[i][0] <= '9';
        if (!digit && !cjk_char(cs[i]) && cs[i] != "-" && cs[i] != "(" && cs[i] != ")") shape = false;
        if (digit && i + 1 < cs.size() && !(cs[i + 1].size() == 1 && cs[i + 1][0] >= '0' && cs[i + 1][0] <= '9')) {
          static const std::vector<std::string> kUnits = {"组", "号", "栋", "室", "单元", "队", "排", "幢", "楼", "层", "弄", "巷", "-"};
          if (std::find(kUnits.begin(), kUnits.end(), cs[i + 1]) == kUnits.end()) shape = false;
        }
      }
      if (!shape) doubt(f, "住址中有不像地址的字符", "the address holds characters no address has");
    } else if (n == "issuer" || n == "authority") {
      const std::string& t = f.text;
      const auto ends = [&t](const std::string& s) {
        return t.size() >= s.size() && t.compare(t.size() - s.size(), s.size(), s) == 0;
      };
      // A county-level bureau: ...县公安局, ...市公安局, ...区分局, or a 派出所.
      const auto cs = chars(t);
      const bool bureau = cs.size() >= 5 && ends("公安局") &&
                          (cs[cs.size() - 4] == "县" || cs[cs.size() - 4] == "市" || cs[cs.size() - 4] == "区" ||
                           cs[cs.size() - 4] == "旗" || cs[cs.size() - 4] == "州");
      if (!all_cjk(t) || !(bureau || (cs.size() >= 4 && (ends("分局") || ends("派出所")))))
        doubt(f, "应为“某县(市、区)公安局”、“分局”或“派出所”", "should read ...县(市, 区)公安局, ...分局 or ...派出所");
    } else if (n == "validity") {
      // 2006.03.01-2016.03.01, or 2010.05.01-长期; 5, 10 or 20 years to the same day.
      const std::string t = f.text;
      const auto dash = t.find('-');
      std::optional<Date> from, to;
      bool long_term = false;
      if (dash != std::string::npos) {
        from = parse_printed_date(t.substr(0, dash));
        const std::string rest = t.substr(dash + 1);
        long_term = rest == "长期";
        if (!long_term) to = parse_printed_date(rest);
      }
      if (!from || (!long_term && !to)) {
        doubt(f, "有效期限应为 年.月.日-年.月.日 或 年.月.日-长期", "the validity should read Y.M.D-Y.M.D or Y.M.D-长期");
      } else {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%04d.%02d.%02d", from->year, from->month, from->day);
        std::string norm = std::string(buf) + "-";
        if (long_term) {
          norm += "长期";
        } else {
          std::snprintf(buf, sizeof buf, "%04d.%02d.%02d", to->year, to->month, to->day);
          norm += buf;
          const int span = to->year - from->year;
          if ((span != 5 && span != 10 && span != 20) || to->month != from->month || to->day != from->day)
            doubt(f, "有效期限不是 5、10 或 20 年", "the validity is not 5, 10 or 20 years");
        }
        f.text = norm;
      }
    } else if (n == "hukou_type") {
      const auto h = parse_hukou_type(f.text);
      if (!h) doubt(f, "不是户口簿上印的户别", "not a 户别 the register prints");
      else {
        f.text = h->text;
        check_cjk_line(f, 4, 9);
        // POLICY R4: 户别 decides eligibility; a form that does not say 农业 or 非农业 is the
        // clerk's call, never ours.
        if (h->type == HukouType::Unstated)
          doubt(f, "户别没有写明农业或非农业:请核实购买人是否为农业户口",
                "the 户别 does not say agricultural or not: check the buyer's registration");
      }
    } else if (n == "household_no") {
      f.text = digits_only(f.text, false);
      if (f.text.size() < 6 || f.text.size() > 12) doubt(f, "户号应为 6-12 位数字", "the household number should be 6-12 digits");
    } else if (n == "relation") {
      if (std::find(kRelations.begin(), kRelations.end(), f.text) == kRelations.end())
        doubt(f, "不是常见的与户主关系", "not a usual relation to the household head");
    }
    if (!f.doubtful && f.confidence < min_confidence)
      doubt(f, "识别把握不大(" + std::to_string(f.confidence) + "%)", "low confidence (" + std::to_string(f.confidence) + "%)");
  }

  FieldReading* id = find(fields, "id_number");
  if (!id) return IdCheck::None;
  id->text = digits_only(id->raw, true);
  IdCheck check = IdCheck::Ok;
  std::optional<IdNumber> number;
  if (id->text.size() != 18) {
    check = IdCheck::Unread;
  } else {
    IdNumberError err{};
    number = IdNumber::parse(id->text, today, &err);
    if (!number) check = err == IdNumberError::BadCheckDigit ? IdCheck::CheckDigitFails : IdCheck::Unread;
  }
  if (!number) {
    // Never returned as read: not the text, not what OCR saw.
    id->text.clear();
    id->raw.clear();
    doubt(*id, id_check_zh(check), id_check_en(check));
    return check;
  }
  if (!printed_birth) check = IdCheck::BirthUnread;
  else if (number->birth_date() != *printed_birth) check = IdCheck::BirthMismatch;
  if (check != IdCheck::Ok) {
    doubt(*id, id_check_zh(check), id_check_en(check));
    if (FieldReading* b = find(fields, "birth"); b && check == IdCheck::BirthMismatch)
      doubt(*b, "与身份证号码中的出生日期不同", "differs from the birth date in the ID number");
  } else {
    // The check digit and the birth date agree: a single misread character cannot pass both
    // (ISO 7064 MOD 11-2 catches every single substitution), so a low score alone is no doubt.
    // The printed birth date and sex that agree with such a number are confirmed by it.
    for (auto& f : fields)
      if (f.name == "id_number" || (f.name == "birth" && f.text == number->birth_date().iso())) {
        f.doubtful = false;
        f.why_zh.clear();
        f.why_en.clear();
      }
  }
  // The sex in the number (17th digit: odd male, even female) against the printed one.
  if (FieldReading* s = find(fields, "sex"); s && (s->text == "男" || s->text == "女")) {
    const bool male = (id->text[16] - '0') % 2 == 1;
    if ((s->text == "男") == male) {
      if (check == IdCheck::Ok) s->doubtful = false, s->why_zh.clear(), s->why_en.clear();
    } else {
      doubt(*s, "与身份证号码中的性别不同", "differs from the sex in the ID number");
      if (check == IdCheck::Ok) {
        check = IdCheck::SexMismatch;
        doubt(*id, id_check_zh(check), id_check_en(check));
      }
    }
  }
  return check;
}

std::vector<Mismatch> cross_check(const std::vector<FieldReading>& card, const std::vector<FieldReading>& member) {
  std::vector<Mismatch> out;
  const auto compare = [&](const char* field, const char* zh, const char* en) {
    const FieldReading* a = find(card, field);
    const FieldReading* b = find(member, field);
    if (!a || !b || a->text.empty() || b->text.empty()) return;
    if (a->text != b->text)
      out.push_back({field, std::string("户口簿上的") + zh + "与身份证上的不同",
                     std::string("the ") + en + " on the household register differs from the ID card's"});
  };
  compare("name", "姓名", "name");
  compare("id_number", "身份证号码", "ID number");
  return out;
}

}  // namespace hn::document
