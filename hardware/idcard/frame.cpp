#include "frame.hpp"

#include <algorithm>

namespace hn::hw {

namespace {
constexpr std::size_t kHeader = kPreamble.size() + 2;  // preamble and the two length bytes

// Does buffer[at..] begin a preamble? A preamble cut off by the end of the buffer counts: the
// rest may be in the next read.
bool preamble_at(const Bytes& buffer, std::size_t at) {
  const std::size_t n = std::min(kPreamble.size(), buffer.size() - at);
  return std::equal(kPreamble.begin(), kPreamble.begin() + static_cast<std::ptrdiff_t>(n),
                    buffer.begin() + static_cast<std::ptrdiff_t>(at));
}
}  // namespace

std::uint8_t xor_checksum(const std::uint8_t* data, std::size_t n) {
  std::uint8_t x = 0;
  for (std::size_t i = 0; i < n; ++i) x = static_cast<std::uint8_t>(x ^ data[i]);
  return x;
}

Bytes encode_frame(const Bytes& body) {
  const std::size_t length = body.size() + 1;  // the checksum is counted too
  Bytes out(kPreamble.begin(), kPreamble.end());
  out.push_back(static_cast<std::uint8_t>(length >> 8));
  out.push_back(static_cast<std::uint8_t>(length & 0xFF));
  out.insert(out.end(), body.begin(), body.end());
  out.push_back(xor_checksum(out.data() + kPreamble.size(), out.size() - kPreamble.size()));
  return out;
}

Bytes encode_command(SamCommand command, const Bytes& data) {
  Bytes body{command.cmd, command.para};
  body.insert(body.end(), data.begin(), data.end());
  return encode_frame(body);
}

Bytes encode_answer(std::uint8_t sw1, std::uint8_t sw2, std::uint8_t sw3, const Bytes& data) {
  Bytes body{sw1, sw2, sw3};
  body.insert(body.end(), data.begin(), data.end());
  return encode_frame(body);
}

void FrameParser::feed(const std::uint8_t* data, std::size_t n) {
  buffer_.insert(buffer_.end(), data, data + n);
}

void FrameParser::hunt() {
  std::size_t at = 0;
  while (at < buffer_.size() && !preamble_at(buffer_, at)) ++at;
  garbage_ += at;
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(at));
}

std::optional<Frame> FrameParser::next() {
  for (;;) {
    hunt();
    if (buffer_.size() < kHeader) return std::nullopt;
    const std::size_t length = static_cast<std::size_t>(buffer_[5]) << 8 | buffer_[6];
    if (length > kMaxFrameLength) {
      // Five preamble-looking bytes inside garbage; the real frame, if any, starts later.
      buffer_.erase(buffer_.begin());
      ++garbage_;
      continue;
    }
    if (length == 0) {
      // Not even room for the checksum.
      buffer_.erase(buffer_.begin(), buffer_.begin() + kHeader);
      return Frame{FrameStatus::ShortFrame, {}};
    }
    if (buffer_.size() < kHeader + length) return std::nullopt;
    const auto body_begin = buffer_.begin() + kHeader;
    const auto body_end = body_begin + static_cast<std::ptrdiff_t>(length - 1);
    Frame frame;
    frame.body.assign(body_begin, body_end);
    const std::uint8_t expected = xor_checksum(buffer_.data() + kPreamble.size(), 2 + length - 1);
    frame.status = expected == *body_end ? FrameStatus::Ok : FrameStatus::BadChecksum;
    buffer_.erase(buffer_.begin(), body_end + 1);
    return frame;
  }
}

bool FrameParser::in_frame() const {
  return std::search(buffer_.begin(), buffer_.end(), kPreamble.begin(), kPreamble.end()) !=
         buffer_.end();
}

std::optional<Frame> FrameParser::flush() {
  hunt();
  std::optional<Frame> out;
  if (in_frame()) {
    Frame f{FrameStatus::ShortFrame, {}};
    if (buffer_.size() > kHeader) f.body.assign(buffer_.begin() + kHeader, buffer_.end());
    out = std::move(f);
  } else {
    garbage_ += buffer_.size();
  }
  buffer_.clear();
  return out;
}

void FrameParser::reset() {
  buffer_.clear();
  garbage_ = 0;
}

std::optional<SamAnswer> decode_answer(const Bytes& body) {
  if (body.size() < 3) return std::nullopt;
  return SamAnswer{body[0], body[1], body[2], Bytes(body.begin() + 3, body.end())};
}

std::optional<std::pair<SamCommand, Bytes>> decode_command(const Bytes& body) {
  if (body.size() < 2) return std::nullopt;
  return std::make_pair(SamCommand{body[0], body[1]}, Bytes(body.begin() + 2, body.end()));
}

}  // namespace hn::hw
