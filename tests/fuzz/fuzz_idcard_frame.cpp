// Bytes from an ID card reader's serial line (GA 467 SAM frames): the streaming frame parser in
// arbitrary pieces, answer decoding, and a read answer's text block and photo as the reader
// driver splits them (hardware/idcard/id_card_reader.cpp) into an IdCard.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "frame.hpp"
#include "id_card.hpp"
#include "fuzz_check.hpp"

using namespace hn::hw;

namespace {

void check_frame(const Frame& f) {
  if (f.status != FrameStatus::Ok) return;
  FUZZ_CHECK(f.body.size() + 1 <= kMaxFrameLength);
  // A good frame encodes back to the bytes it came from, and parses again to itself.
  const Bytes whole = encode_frame(f.body);
  FrameParser again;
  again.feed(whole);
  const auto g = again.next();
  FUZZ_CHECK(g && g->status == FrameStatus::Ok && g->body == f.body);

  const auto answer = decode_answer(f.body);
  FUZZ_CHECK(answer.has_value() == (f.body.size() >= 3));
  if (const auto command = decode_command(f.body)) FUZZ_CHECK(command->second.size() + 2 == f.body.size());
  if (!answer) return;
  const Bytes& d = answer->data;
  if (d.size() < 4) return;
  const std::size_t text_len = static_cast<std::size_t>(d[0]) << 8 | d[1];
  const std::size_t photo_len = static_cast<std::size_t>(d[2]) << 8 | d[3];
  if (d.size() < 4 + text_len + photo_len) return;
  const auto text_begin = d.begin() + 4;
  const auto photo_begin = text_begin + static_cast<std::ptrdiff_t>(text_len);
  const auto card = parse_id_card(Bytes(text_begin, photo_begin),
                                  Bytes(photo_begin, photo_begin + static_cast<std::ptrdiff_t>(photo_len)));
  if (!card) return;
  FUZZ_CHECK(text_len == kCardTextBytes);
  (void)card->sex_zh();
  (void)card->sex_en();
  (void)card->nation();
  (void)card->county();
  (void)card->birth_date();
  (void)card->valid_from_date();
  if (const auto to = card->valid_to_date()) (void)card->expired(*to);
  (void)card->expired(hn::Date{2009, 1, 15});
  // Fields decoded from UCS-2 are UTF-8 that encodes back when it fits.
  if (const auto text = encode_id_card_text(*card)) {
    const auto back = parse_id_card(*text, {});
    FUZZ_CHECK(back && back->name == card->name && back->id_number == card->id_number &&
               back->address == card->address);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks how the line delivers the rest: in pieces of 1..16 bytes.
  const std::size_t piece = 1 + (data[0] & 0x0F);
  const bool quiet_between = (data[0] & 0x10) != 0;
  ++data;
  --size;
  FrameParser parser;
  std::size_t frames = 0;
  for (std::size_t at = 0; at < size; at += piece) {
    const std::size_t n = std::min(piece, size - at);
    parser.feed(data + at, n);
    while (auto f = parser.next()) {
      check_frame(*f);
      ++frames;
    }
    if (quiet_between && parser.in_frame()) {
      if (auto f = parser.flush()) {
        FUZZ_CHECK(f->status == FrameStatus::ShortFrame);
        ++frames;
      }
      FUZZ_CHECK(!parser.in_frame());
    }
  }
  if (auto f = parser.flush()) FUZZ_CHECK(f->status == FrameStatus::ShortFrame);
  FUZZ_CHECK(parser.garbage() <= size);
  // The same bytes straight into the field decoders.
  (void)ucs2le_to_utf8(data, size);
  if (size == kCardTextBytes) {
    const Bytes block(data, data + size);
    for (const CardField& f : {kNameField, kSexField, kNationField, kBirthField, kAddressField, kIdNumberField,
                               kIssuerField, kValidFromField, kValidToField, kReservedField})
      (void)decode_field(block, f);
  }
  (void)frames;
  return 0;
}
