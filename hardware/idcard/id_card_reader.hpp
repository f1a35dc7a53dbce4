#pragma once
// The ID card reader (二代证阅读器): the interface the counter uses, and the driver for a SAM
// module (GA 467) on a serial port. Every way a read can fail at a counter is a status value,
// not an exception: no card, the card lifted mid-read, line noise, a silent or unplugged reader.
#include <chrono>
#include <optional>
#include <string>

#include "frame.hpp"
#include "id_card.hpp"
#include "serial_port.hpp"

namespace hn::hw {

enum class ReadStatus {
  Ok,
  NoCard,       // the reader sees no card (find: SW3 80)
  CardRemoved,  // found, then select or read failed: the card was lifted or slid away
  BadChecksum,  // answers kept arriving corrupted
  ShortFrame,   // answers kept stopping before their length
  Timeout,      // the reader did not answer (wrong port, reader hung, wrong baud rate)
  Unplugged,  // the port is gone (EIO/ENXIO/ENODEV, or the path vanished); retried on the next read
  PortError,  // the port exists but cannot be used: permission denied, not a serial device
  ReaderFault,  // the SAM answered with a code the protocol gives for its own trouble
  OtherCard,  // read, but not a 居民身份证: a foreigner's or a HK/Macao/Taiwan residence card
};

// Stable snake_case names ("no_card", ...) for logs and JSON.
const char* read_status_name(ReadStatus status);

struct ReadResult {
  ReadStatus status = ReadStatus::Timeout;
  std::optional<IdCard> card;  // present exactly when status is Ok
  std::uint8_t sw3 = 0;        // the reader's last status word, for ReaderFault
  std::string detail;          // the system's error text for Unplugged and PortError
  int attempts = 0;            // find-select-read sequences tried
  bool ok() const { return status == ReadStatus::Ok; }
};

// What the counter screen and the CLI hold: a real reader here, a fake in other tests.
class IdReader {
 public:
  virtual ~IdReader() = default;
  // One find-select-read, answered within a bounded time.
  virtual ReadResult read_card() = 0;
};

struct ReaderTimings {
  // From sending a command to the first byte of its answer. A SAM module answers find and
  // select within ~50 ms and starts a read's answer within ~500 ms (it reads the card at
  // 106 kbit/s first).
  std::chrono::milliseconds answer_timeout{1000};
  // Silence inside a frame that makes it a short frame. 1295 bytes take 112 ms at 115200
  // baud, and USB adapters deliver in chunks every 1-16 ms; 200 ms leaves room for both.
  std::chrono::milliseconds byte_gap{200};
  // Extra find-select-read sequences after line trouble (bad checksum, short frame, timeout).
  int retries = 2;
};

class IdCardReader final : public IdReader {
 public:
  // `path` is opened on the first read and again after an unplug. Give a stable name for the
  // device (/dev/serial/by-id/..., a udev symlink, or the simulator's link) rather than
  // /dev/ttyUSB0, whose number can change when the reader is plugged back in.
  explicit IdCardReader(std::string path, ReaderTimings timings = {});

  ReadResult read_card() override;
  // Reads until a card is read or `wait` has passed, asking again every `poll` while there is
  // no card or no reader: the clerk may put the card down, or plug the reader in, meanwhile.
  // Any other failure ends the wait at once.
  ReadResult wait_for_card(std::chrono::milliseconds wait,
                           std::chrono::milliseconds poll = std::chrono::milliseconds(200));

  const std::string& path() const { return path_; }
  // Bytes skipped hunting for a preamble since construction (diagnostics, tests).
  std::size_t garbage_bytes() const { return garbage_; }

 private:
  struct Exchange {
    ReadStatus status = ReadStatus::Ok;
    SamAnswer answer;
  };
  ReadResult attempt();
  Exchange exchange(SamCommand command);
  ReadResult port_trouble(PortStatus status);

  std::string path_;
  ReaderTimings timings_;
  SerialPort port_;
  FrameParser parser_;
  std::size_t garbage_ = 0;
};

}  // namespace hn::hw
