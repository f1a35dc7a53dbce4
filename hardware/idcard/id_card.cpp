#include "id_card.hpp"

#include <array>
#include <utility>

namespace hn::hw {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Strict UTF-8 decoding (no overlongs, no surrogates); nullopt on anything malformed.
std::optional<std::u32string> utf8_to_utf32(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    char32_t c = 0;
    if (b < 0x80) {
      len = 1;
      c = b;
    } else if ((b & 0xE0) == 0xC0) {
      len = 2;
      c = b & 0x1Fu;
    } else if ((b & 0xF0) == 0xE0) {
      len = 3;
      c = b & 0x0Fu;
    } else if ((b & 0xF8) == 0xF0) {
      len = 4;
      c = b & 0x07u;
    } else {
      return std::nullopt;
    }
    if (i + len > s.size()) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cont = static_cast<unsigned char>(s[i + k]);
      if ((cont & 0xC0) != 0x80) return std::nullopt;
      c = (c << 6) | (cont & 0x3Fu);
    }
    static constexpr std::array<char32_t, 5> kMin = {0, 0, 0x80, 0x800, 0x10000};
    if (c < kMin[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return std::nullopt;
    out += c;
    i += len;
  }
  return out;
}

// GB 3304-1991 民族名称的罗马字母拼写和代码, as printed on the card (without 族).
constexpr std::pair<const char*, const char*> kNations[] = {
    {"01", "汉"},       {"02", "蒙古"},
    {"03", "回"},       {"04", "藏"},
    {"05", "维吾尔"},   {"06", "苗"},
    {"07", "彝"},       {"08", "壮"},
    {"09", "布依"},     {"10", "朝鲜"},
    {"11", "满"},       {"12", "侗"},
    {"13", "瑶"},       {"14", "白"},
    {"15", "土家"},     {"16", "哈尼"},
    {"17", "哈萨克"},   {"18", "傣"},
    {"19", "黎"},       {"20", "傈僳"},
    {"21", "佤"},       {"22", "畲"},
    {"23", "高山"},     {"24", "拉祜"},
    {"25", "水"},       {"26", "东乡"},
    {"27", "纳西"},     {"28", "景颇"},
    {"29", "柯尔克孜"}, {"30", "土"},
    {"31", "达斡尔"},   {"32", "仫佬"},
    {"33", "羌"},       {"34", "布朗"},
    {"35", "撒拉"},     {"36", "毛南"},
    {"37", "仡佬"},     {"38", "锡伯"},
    {"39", "阿昌"},     {"40", "普米"},
    {"41", "塔吉克"},   {"42", "怒"},
    {"43", "乌孜别克"}, {"44", "俄罗斯"},
    {"45", "鄂温克"},   {"46", "德昂"},
    {"47", "保安"},     {"48", "裕固"},
    {"49", "京"},       {"50", "塔塔尔"},
    {"51", "独龙"},     {"52", "鄂伦春"},
    {"53", "赫哲"},     {"54", "门巴"},
    {"55", "珞巴"},     {"56", "基诺"},
    {"97", "其他"},     {"98", "外国血统中国籍人士"},
};

}  // namespace

std::string ucs2le_to_utf8(const std::uint8_t* data, std::size_t n) {
  std::string out;
  std::size_t i = 0;
  for (; i + 1 < n; i += 2) {
    const char32_t unit = static_cast<char32_t>(data[i] | data[i + 1] << 8);
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 3 < n) {
      const char32_t low = static_cast<char32_t>(data[i + 2] | data[i + 3] << 8);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
        i += 2;
        continue;
      }
    }
    append_utf8(out, unit >= 0xD800 && unit <= 0xDFFF ? kReplacement : unit);
  }
  if (i < n) append_utf8(out, kReplacement);  // half a code unit
  return out;
}

std::string decode_field(const Bytes& text_block, const CardField& field) {
  if (text_block.size() < field.offset + field.bytes) return {};
  std::string s = ucs2le_to_utf8(text_block.data() + field.offset, field.bytes);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

std::optional<Bytes> encode_field(std::string_view utf8, const CardField& field) {
  const auto chars = utf8_to_utf32(utf8);
  if (!chars || chars->size() * 2 > field.bytes) return std::nullopt;
  Bytes out;
  for (const char32_t c : *chars) {
    if (c > 0xFFFF) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(c & 0xFF));
    out.push_back(static_cast<std::uint8_t>(c >> 8));
  }
  while (out.size() < field.bytes) out.push_back(out.size() % 2 == 0 ? ' ' : 0);
  return out;
}

const char* nation_name(std::string_view code) {
  for (const auto& [c, name] : kNations)
    if (code == c) return name;
  return nullptr;
}

std::string IdCard::sex_zh() const {
  if (sex_code == "1") return "男";
  if (sex_code == "2") return "女";
  if (sex_code == "9") return "未说明";
  return "未知";
}

std::string IdCard::sex_en() const {
  if (sex_code == "1") return "male";
  if (sex_code == "2") return "female";
  if (sex_code == "9") return "unspecified";
  return "unknown";
}

std::string IdCard::nation() const {
  const char* n = nation_name(nation_code);
  return n ? n : nation_code;
}

std::string IdCard::county() const { return id_number.size() >= 6 ? id_number.substr(0, 6) : ""; }

bool IdCard::expired(Date today) const {
  if (long_term()) return false;
  const auto to = valid_to_date();
  return to && today > *to;
}

std::optional<IdCard> parse_id_card(const Bytes& text_block, Bytes photo) {
  if (text_block.size() != kCardTextBytes) return std::nullopt;
  const std::uint8_t type = text_block[kCardTypeOffset];
  if ((type == 'I' || type == 'J') && text_block[kCardTypeOffset + 1] == 0) return std::nullopt;
  IdCard c;
  c.name = decode_field(text_block, kNameField);
  c.sex_code = decode_field(text_block, kSexField);
  c.nation_code = decode_field(text_block, kNationField);
  c.birth = decode_field(text_block, kBirthField);
  c.address = decode_field(text_block, kAddressField);
  c.id_number = decode_field(text_block, kIdNumberField);
  c.issuer = decode_field(text_block, kIssuerField);
  c.valid_from = decode_field(text_block, kValidFromField);
  c.valid_to = decode_field(text_block, kValidToField);
  c.reserved = decode_field(text_block, kReservedField);
  c.photo = std::move(photo);
  return c;
}

std::optional<Bytes> encode_id_card_text(const IdCard& card) {
  Bytes out;
  const std::pair<const std::string*, CardField> fields[] = {
      {&card.name, kNameField},          {&card.sex_code, kSexField},
      {&card.nation_code, kNationField}, {&card.birth, kBirthField},
      {&card.address, kAddressField},    {&card.id_number, kIdNumberField},
      {&card.issuer, kIssuerField},      {&card.valid_from, kValidFromField},
      {&card.valid_to, kValidToField},   {&card.reserved, kReservedField}};
  for (const auto& [value, field] : fields) {
    const auto bytes = encode_field(*value, field);
    if (!bytes) return std::nullopt;
    out.insert(out.end(), bytes->begin(), bytes->end());
  }
  return out;
}

}  // namespace hn::hw
