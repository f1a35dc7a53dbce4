#pragma once
// 居民身份证 (the second-generation resident ID card) as its SAM reader hands it over: the
// 256-byte text block in fixed UCS-2LE fields, and the 1024-byte WLT photo.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "frame.hpp"

namespace hn::hw {

inline constexpr std::size_t kCardTextBytes = 256;
inline constexpr std::size_t kCardPhotoBytes = 1024;

// The fields of the text block in order, with their width in bytes (two per UCS-2 unit).
struct CardField {
  const char* name;
  std::size_t offset;
  std::size_t bytes;
};
inline constexpr CardField kNameField{"name", 0, 30};
inline constexpr CardField kSexField{"sex", 30, 2};
inline constexpr CardField kNationField{"nation", 32, 4};
inline constexpr CardField kBirthField{"birth", 36, 16};
inline constexpr CardField kAddressField{"address", 52, 70};
inline constexpr CardField kIdNumberField{"id_number", 122, 36};
inline constexpr CardField kIssuerField{"issuer", 158, 30};
inline constexpr CardField kValidFromField{"valid_from", 188, 16};
inline constexpr CardField kValidToField{"valid_to", 204, 16};
inline constexpr CardField kReservedField{"reserved", 220, 36};

// UCS-2 little-endian to UTF-8. Every BMP code unit maps to its character (CJK Extension A
// such as 䶮 U+4DAE included); a well-formed surrogate pair is decoded too, though UCS-2 has
// none, and a lone surrogate or an odd trailing byte becomes U+FFFD.
std::string ucs2le_to_utf8(const std::uint8_t* data, std::size_t n);
// One fixed field: decoded, with the padding (trailing spaces and NULs) removed.
std::string decode_field(const Bytes& text_block, const CardField& field);
// UTF-8 to one field, padded with spaces; nullopt when it does not fit, is not UTF-8, or holds
// a character outside the BMP (UCS-2 cannot carry it). Used by the simulator and tests.
std::optional<Bytes> encode_field(std::string_view utf8, const CardField& field);

// 民族 by GB 3304 code ("01" 汉 ... "56" 基诺, "97" 其他, "98" 外国血统中国籍人士);
// nullptr for an unknown code.
const char* nation_name(std::string_view code);

struct IdCard {
  std::string name;
  std::string sex_code;     // GB/T 2261.1: "1" 男, "2" 女
  std::string nation_code;  // GB 3304: "01" 汉
  std::string birth;        // YYYYMMDD
  std::string address;
  std::string id_number;   // 公民身份号码, 18 characters
  std::string issuer;      // 签发机关
  std::string valid_from;  // YYYYMMDD
  std::string valid_to;    // YYYYMMDD, or 长期 (no end: issued at 46 or older)
  std::string reserved;
  // The WLT-compressed photo, only ever in memory: the clerk compares faces on screen, and
  // nothing writes it to disk, the database or a log (issue 5).
  Bytes photo;

  std::string sex_zh() const;  // 男 / 女 / 未知 / 未说明
  std::string sex_en() const;  // male / female / unknown / unspecified
  std::string nation() const;  // 汉, 回, 维吾尔... or the code when unknown
  // The county of registration, for COUNTY_MISMATCH: the first six digits of the ID number
  // (GB/T 2260 administrative division); "" when the number is too short.
  std::string county() const;
  bool long_term() const { return valid_to == "长期"; }
  std::optional<Date> birth_date() const { return parse_compact_date(birth); }
  std::optional<Date> valid_from_date() const { return parse_compact_date(valid_from); }
  std::optional<Date> valid_to_date() const { return parse_compact_date(valid_to); }
  // Past its 有效期限 on `today` (the last day printed is still valid); a long-term card
  // never expires.
  bool expired(Date today) const;
};

// Byte 248 of the text block marks cards other than the 居民身份证 that the same readers
// read, in other layouts: 'I' 外国人永久居留身份证, 'J' 港澳台居民居住证.
inline constexpr std::size_t kCardTypeOffset = 248;

// The text block (exactly kCardTextBytes) and the photo into an IdCard; nullopt when the block
// has the wrong size or belongs to another kind of card.
std::optional<IdCard> parse_id_card(const Bytes& text_block, Bytes photo);
// The reverse, for the simulator: nullopt when a field does not fit its width.
std::optional<Bytes> encode_id_card_text(const IdCard& card);

}  // namespace hn::hw
