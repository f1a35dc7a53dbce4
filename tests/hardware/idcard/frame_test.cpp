// GA 467 frames byte for byte: the vectors below are what real SAM modules send and expect.
#include <catch2/catch.hpp>

#include "frame.hpp"

using namespace hn::hw;

namespace {
Bytes bytes(std::initializer_list<int> values) {
  Bytes out;
  for (const int v : values) out.push_back(static_cast<std::uint8_t>(v));
  return out;
}
}  // namespace

TEST_CASE("the three commands of a card read encode to the bytes a SAM module expects", "[frame]") {
  // Find card: length 00 03 (CMD, PARA and the checksum), then the checksum over the length
  // and the body, by hand: 00 ^ 03 = 03; 03 ^ 20 = 23; 23 ^ 01 = 22.
  CHECK(encode_command(kFindCard) ==
        bytes({0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22}));
  CHECK(encode_command(kSelectCard) ==
        bytes({0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x02, 0x21}));
  CHECK(encode_command(kReadCard) ==
        bytes({0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x30, 0x01, 0x32}));
}

TEST_CASE("an answer's length counts the status words, the data and the checksum", "[frame]") {
  // "Card found": 3 status words + 4 data bytes + 1 checksum = 8; 08 ^ 9F = 97.
  CHECK(encode_answer(0x00, 0x00, 0x9F, {0, 0, 0, 0}) ==
        bytes({0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x08, 0x00, 0x00, 0x9F, 0x00, 0x00, 0x00, 0x00,
               0x97}));
  CHECK(encode_answer(0x00, 0x00, 0x80) ==
        bytes({0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x04, 0x00, 0x00, 0x80, 0x84}));
  // A read: 3 + 2 + 2 + 256 + 1024 + 1 = 1288 = 0x0508.
  const Bytes read = encode_answer(0, 0, 0x90, Bytes(4 + 256 + 1024, 0));
  CHECK(read.size() == 5 + 2 + 1288);
  CHECK(read[5] == 0x05);
  CHECK(read[6] == 0x08);
}

TEST_CASE("a frame arriving one byte at a time is reassembled", "[frame]") {
  const Bytes frame = encode_answer(0, 0, 0x90, {1, 2, 3});
  FrameParser p;
  for (std::size_t i = 0; i + 1 < frame.size(); ++i) {
    p.feed(&frame[i], 1);
    REQUIRE_FALSE(p.next());
  }
  p.feed(&frame.back(), 1);
  const auto f = p.next();
  REQUIRE(f);
  CHECK(f->status == FrameStatus::Ok);
  CHECK(f->body == bytes({0, 0, 0x90, 1, 2, 3}));
  CHECK_FALSE(p.in_frame());
  CHECK(p.garbage() == 0);
}

TEST_CASE("garbage before a preamble is skipped, partial preambles included", "[frame]") {
  // Stray bytes, "AA AA" then not a preamble, "AA AA AA 96" cut short, and a whole preamble
  // claiming an impossible length: 16 bytes of noise before the real frame.
  Bytes stream = bytes({0x00, 0xFF, 0xAA, 0xAA, 0x13, 0xAA, 0xAA, 0xAA, 0x96, 0xAA, 0xAA, 0xAA,
                        0x96, 0x69, 0xFF, 0xFF});
  const Bytes frame = encode_answer(0, 0, 0x9F, {0, 0, 0, 0});
  stream.insert(stream.end(), frame.begin(), frame.end());
  FrameParser p;
  p.feed(stream);
  const auto f = p.next();
  REQUIRE(f);
  CHECK(f->status == FrameStatus::Ok);
  CHECK(f->body == bytes({0, 0, 0x9F, 0, 0, 0, 0}));
  // The false preamble counts too, once given up: FF FF is no length a reader sends.
  CHECK(p.garbage() == 16);
}

TEST_CASE("a preamble split across two reads is not taken for garbage", "[frame]") {
  const Bytes frame = encode_command(kFindCard);
  FrameParser p;
  p.feed(bytes({0x13, 0xAA, 0xAA}));
  CHECK_FALSE(p.next());
  p.feed(Bytes(frame.begin() + 2, frame.end()));
  const auto f = p.next();
  REQUIRE(f);
  CHECK(f->status == FrameStatus::Ok);
  CHECK(p.garbage() == 1);
}

TEST_CASE("a corrupted checksum is reported as a value and the next frame still parses",
          "[frame]") {
  Bytes stream = encode_answer(0, 0, 0x90, {7});
  stream.back() ^= 0x01;
  const Bytes good = encode_answer(0, 0, 0x9F);
  stream.insert(stream.end(), good.begin(), good.end());
  FrameParser p;
  p.feed(stream);
  const auto bad = p.next();
  REQUIRE(bad);
  CHECK(bad->status == FrameStatus::BadChecksum);
  const auto next = p.next();
  REQUIRE(next);
  CHECK(next->status == FrameStatus::Ok);
  CHECK(next->body == bytes({0, 0, 0x9F}));
}

TEST_CASE("a frame cut off before its length is short once the line goes quiet", "[frame]") {
  const Bytes frame = encode_answer(0, 0, 0x90, Bytes(100, 0x55));
  FrameParser p;
  p.feed(Bytes(frame.begin(), frame.begin() + 40));
  CHECK_FALSE(p.next());
  CHECK(p.in_frame());
  const auto f = p.flush();
  REQUIRE(f);
  CHECK(f->status == FrameStatus::ShortFrame);
  CHECK(f->body.size() == 40 - 7);
  CHECK_FALSE(p.in_frame());
}

TEST_CASE("a length of zero leaves no room for a checksum: a short frame", "[frame]") {
  FrameParser p;
  p.feed(bytes({0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x00}));
  const auto f = p.next();
  REQUIRE(f);
  CHECK(f->status == FrameStatus::ShortFrame);
}

TEST_CASE("noise alone is no frame, short or otherwise", "[frame]") {
  FrameParser p;
  p.feed(bytes({0x01, 0x02, 0xAA}));
  CHECK_FALSE(p.next());
  CHECK_FALSE(p.in_frame());
  CHECK_FALSE(p.flush());
  CHECK(p.garbage() == 3);
}

TEST_CASE("answers and commands split into their parts", "[frame]") {
  const auto a = decode_answer(bytes({0x00, 0x00, 0x90, 0x01, 0x00}));
  REQUIRE(a);
  CHECK(a->sw3 == 0x90);
  CHECK(a->data == bytes({0x01, 0x00}));
  CHECK_FALSE(decode_answer(bytes({0x00, 0x00})));
  const auto c = decode_command(bytes({0x30, 0x01}));
  REQUIRE(c);
  CHECK(c->first == kReadCard);
  CHECK_FALSE(decode_command(bytes({0x30})));
}
