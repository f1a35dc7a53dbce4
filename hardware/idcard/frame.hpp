#pragma once
// The serial frames of a second-generation ID card reader's SAM module (GA 467, 居民身份证
// 阅读机具): pure encoding and a streaming parser, no I/O, so every byte rule is unit-tested.
//
//   AA AA AA 96 69 | LEN_HI LEN_LO | CMD PARA data...      | CHK   (host -> reader)
//   AA AA AA 96 69 | LEN_HI LEN_LO | SW1 SW2 SW3 data...   | CHK   (reader -> host)
//
// LEN counts everything after itself, the checksum included; CHK is the XOR of the bytes from
// LEN_HI to the last data byte.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace hn::hw {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::array<std::uint8_t, 5> kPreamble = {0xAA, 0xAA, 0xAA, 0x96, 0x69};
// The longest answer a SAM module sends is a read with fingerprints (30 10: 256 + 1024 + 1024
// bytes and a header); anything claiming far more is a false preamble, not a frame.
inline constexpr std::size_t kMaxFrameLength = 4096;

// Commands (CMD, PARA).
struct SamCommand {
  std::uint8_t cmd = 0;
  std::uint8_t para = 0;
  friend bool operator==(const SamCommand& a, const SamCommand& b) {
    return a.cmd == b.cmd && a.para == b.para;
  }
};
inline constexpr SamCommand kFindCard{0x20, 0x01};    // 寻找居民身份证
inline constexpr SamCommand kSelectCard{0x20, 0x02};  // 选取居民身份证
inline constexpr SamCommand kReadCard{0x30, 0x01};    // 读机读文字信息和相片信息

// SW3 values the reader answers with.
namespace sw3 {
inline constexpr std::uint8_t kOk = 0x90;
inline constexpr std::uint8_t kCardFound = 0x9F;
inline constexpr std::uint8_t kNoCard = 0x80;         // find: no card on the reader
inline constexpr std::uint8_t kSelectFailed = 0x81;   // select: the card went away
inline constexpr std::uint8_t kReadFailed = 0x41;     // read: the card went away mid-read
inline constexpr std::uint8_t kChecksumError = 0x10;  // the reader got a corrupted command
inline constexpr std::uint8_t kLengthError = 0x11;
inline constexpr std::uint8_t kBadCommand = 0x21;
}  // namespace sw3

// XOR of `n` bytes.
std::uint8_t xor_checksum(const std::uint8_t* data, std::size_t n);

// A whole frame around `body` (CMD PARA data, or SW1 SW2 SW3 data): preamble, length, body,
// checksum.
Bytes encode_frame(const Bytes& body);
Bytes encode_command(SamCommand command, const Bytes& data = {});
Bytes encode_answer(std::uint8_t sw1, std::uint8_t sw2, std::uint8_t sw3, const Bytes& data = {});

enum class FrameStatus {
  Ok,
  BadChecksum,  // complete, but the XOR does not match: line noise
  ShortFrame,   // the bytes stopped before the length said, or the length is too small
};

// One frame as the parser found it. `body` is what lies between the length and the checksum;
// for a ShortFrame it holds whatever had arrived.
struct Frame {
  FrameStatus status = FrameStatus::Ok;
  Bytes body;
};

// Reassembles frames from a byte stream that may arrive in any pieces, with garbage between
// frames (a reader powering up, a USB adapter's leftovers). Malformed frames come back as
// values; the parser then hunts for the next preamble.
class FrameParser {
 public:
  void feed(const std::uint8_t* data, std::size_t n);
  void feed(const Bytes& data) { feed(data.data(), data.size()); }
  // The next complete (or judged-bad) frame, if one is in the buffer.
  std::optional<Frame> next();
  // True when a preamble has been seen and its frame is not complete yet: if the line goes
  // quiet now, what arrived is a short frame, not silence.
  bool in_frame() const;
  // The line went quiet: a frame still being assembled is reported short and dropped.
  std::optional<Frame> flush();
  // Bytes skipped while hunting for a preamble, since construction or reset().
  std::size_t garbage() const { return garbage_; }
  void reset();

 private:
  void hunt();  // drops leading bytes that cannot start a preamble

  Bytes buffer_;
  std::size_t garbage_ = 0;
};

// An answer's parts, from a body of at least three bytes.
struct SamAnswer {
  std::uint8_t sw1 = 0;
  std::uint8_t sw2 = 0;
  std::uint8_t sw3 = 0;
  Bytes data;
};
std::optional<SamAnswer> decode_answer(const Bytes& body);
// A command's parts, from a body of at least two bytes (the simulator's side).
std::optional<std::pair<SamCommand, Bytes>> decode_command(const Bytes& body);

}  // namespace hn::hw
