#include "id_card_reader.hpp"

#include <thread>
#include <utility>

namespace hn::hw {

namespace {
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

bool is_line_trouble(ReadStatus s) {
  return s == ReadStatus::BadChecksum || s == ReadStatus::ShortFrame || s == ReadStatus::Timeout;
}
}  // namespace

const char* read_status_name(ReadStatus status) {
  switch (status) {
    case ReadStatus::Ok:
      return "ok";
    case ReadStatus::NoCard:
      return "no_card";
    case ReadStatus::CardRemoved:
      return "card_removed";
    case ReadStatus::BadChecksum:
      return "bad_checksum";
    case ReadStatus::ShortFrame:
      return "short_frame";
    case ReadStatus::Timeout:
      return "timeout";
    case ReadStatus::Unplugged:
      return "unplugged";
    case ReadStatus::PortError:
      return "port_error";
    case ReadStatus::ReaderFault:
      return "reader_fault";
    case ReadStatus::OtherCard:
      return "other_card";
  }
  return "unknown";
}

IdCardReader::IdCardReader(std::string path, ReaderTimings timings)
    : path_(std::move(path)), timings_(timings) {}

ReadResult IdCardReader::port_trouble(PortStatus status) {
  ReadResult r;
  r.status = status == PortStatus::Failed ? ReadStatus::PortError : ReadStatus::Unplugged;
  r.detail = port_.error_text();
  // Closed, so that the next read opens the path afresh: a replugged reader is a new device.
  port_.close();
  return r;
}

IdCardReader::Exchange IdCardReader::exchange(SamCommand command) {
  Exchange ex;
  // An answer that arrived after we gave up on it must not be taken for this command's.
  port_.discard_input();
  parser_.reset();
  const PortStatus w = port_.write_all(encode_command(command), timings_.answer_timeout);
  if (w != PortStatus::Ok) {
    ex.status = w == PortStatus::Timeout  ? ReadStatus::Timeout
                : w == PortStatus::Failed ? ReadStatus::PortError
                                          : ReadStatus::Unplugged;
    return ex;
  }
  auto deadline = Clock::now() + timings_.answer_timeout;
  Bytes chunk;
  for (;;) {
    if (auto frame = parser_.next()) {
      garbage_ += parser_.garbage();
      if (frame->status == FrameStatus::BadChecksum) {
        ex.status = ReadStatus::BadChecksum;
      } else if (auto answer = decode_answer(frame->body);
                 frame->status == FrameStatus::Ok && answer) {
        ex.answer = std::move(*answer);
      } else {
        ex.status = ReadStatus::ShortFrame;  // cut off, or too short to hold SW1-SW3
      }
      return ex;
    }
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      // Quiet now. Half a frame means bytes were lost; nothing at all means no answer.
      ex.status = parser_.in_frame() ? ReadStatus::ShortFrame : ReadStatus::Timeout;
      parser_.flush();
      garbage_ += parser_.garbage();
      return ex;
    }
    chunk.clear();
    const PortStatus r = port_.read_some(chunk, left);
    if (r == PortStatus::Ok) {
      parser_.feed(chunk);
      // Once a frame has begun, its bytes follow back to back: a gap ends it. Garbage alone
      // does not extend the wait for the answer.
      if (parser_.in_frame()) deadline = Clock::now() + timings_.byte_gap;
    } else if (r != PortStatus::Timeout) {
      ex.status = r == PortStatus::Failed ? ReadStatus::PortError : ReadStatus::Unplugged;
      return ex;
    }
  }
}

ReadResult IdCardReader::attempt() {
  if (!port_.is_open()) {
    const PortStatus s = port_.open(path_);
    if (s != PortStatus::Ok) return port_trouble(s);
  }
  ReadResult r;
  const auto step = [&](SamCommand command, Exchange& ex) {
    ex = exchange(command);
    if (ex.status == ReadStatus::Unplugged || ex.status == ReadStatus::PortError) {
      r = port_trouble(ex.status == ReadStatus::PortError ? PortStatus::Failed : PortStatus::Gone);
      return false;
    }
    if (ex.status == ReadStatus::Timeout && !device_present(path_)) {
      // Some adapters vanish without hanging up the open descriptor: the path tells.
      r = port_trouble(PortStatus::Gone);
      r.detail = "the device path is gone";
      return false;
    }
    r.status = ex.status;
    r.sw3 = ex.answer.sw3;
    return ex.status == ReadStatus::Ok;
  };

  const auto finish = [&r](ReadStatus status) {
    r.status = status;
    return r;
  };
  Exchange ex;
  if (!step(kFindCard, ex)) return r;
  if (ex.answer.sw3 == sw3::kNoCard) return finish(ReadStatus::NoCard);
  if (ex.answer.sw3 != sw3::kCardFound) return finish(ReadStatus::ReaderFault);

  if (!step(kSelectCard, ex)) return r;
  // Found a moment ago, and now it cannot be selected: it moved away.
  if (ex.answer.sw3 == sw3::kSelectFailed) return finish(ReadStatus::CardRemoved);
  if (ex.answer.sw3 != sw3::kOk) return finish(ReadStatus::ReaderFault);

  if (!step(kReadCard, ex)) return r;
  if (ex.answer.sw3 == sw3::kReadFailed) return finish(ReadStatus::CardRemoved);
  if (ex.answer.sw3 != sw3::kOk) return finish(ReadStatus::ReaderFault);

  // 2-byte text length, 2-byte photo length (big-endian), then the text and the photo.
  const Bytes& d = ex.answer.data;
  if (d.size() < 4) return finish(ReadStatus::ShortFrame);
  const std::size_t text_len = static_cast<std::size_t>(d[0]) << 8 | d[1];
  const std::size_t photo_len = static_cast<std::size_t>(d[2]) << 8 | d[3];
  if (d.size() < 4 + text_len + photo_len) return finish(ReadStatus::ShortFrame);
  const auto text_begin = d.begin() + 4;
  const auto photo_begin = text_begin + static_cast<std::ptrdiff_t>(text_len);
  auto card =
      parse_id_card(Bytes(text_begin, photo_begin),
                    Bytes(photo_begin, photo_begin + static_cast<std::ptrdiff_t>(photo_len)));
  // Another kind of card, in another layout: nothing here is a resident's ID.
  if (!card) return finish(ReadStatus::OtherCard);
  r.card = std::move(card);
  r.status = ReadStatus::Ok;
  return r;
}

ReadResult IdCardReader::read_card() {
  ReadResult r;
  for (int i = 0; i <= timings_.retries; ++i) {
    const bool was_open = port_.is_open();
    r = attempt();
    r.attempts = i + 1;
    // A descriptor left from before an unplug is dead even if the reader is back: open the
    // path afresh once at once rather than make the clerk read twice.
    if (r.status == ReadStatus::Unplugged && was_open) {
      r = attempt();
      r.attempts = i + 1;
    }
    if (!is_line_trouble(r.status)) break;
  }
  return r;
}

ReadResult IdCardReader::wait_for_card(milliseconds wait, milliseconds poll) {
  const auto deadline = Clock::now() + wait;
  for (;;) {
    ReadResult r = read_card();
    if (r.status != ReadStatus::NoCard && r.status != ReadStatus::Unplugged) return r;
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return r;
    std::this_thread::sleep_for(std::min(poll, left));
  }
}

}  // namespace hn::hw
