#pragma once
// A simulated ID card reader: a pseudo-terminal that speaks the SAM protocol (frame.hpp) with
// a set of built-in cards and every fault a counter meets. Tests run it in-process; the demo
// and manual testing run it as `huinong-idcard-sim` (sim_main.cpp).
//
// Unplugging closes the pty, which hangs up the driver's descriptor exactly as pulling a USB
// reader out does. Plugging back opens a NEW pty, with a new /dev/pts/N path, as a real
// replugged adapter may come back as another ttyUSBn. To be followed, the simulator keeps a
// symlink at a stable path (Options::link, `--link PATH`) pointing at the current pty; a driver
// given that path reopens it and finds the reader again, as it would with
// /dev/serial/by-id/... on real hardware.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "frame.hpp"
#include "id_card.hpp"
#include "serial_port.hpp"

namespace hn::hw {

enum class ReaderFault {
  None,
  NoCard,       // find answers "no card" although one is placed
  CardRemoved,  // find and select succeed, the read fails (SW3 41)
  BadChecksum,  // the read's answer carries a wrong checksum
  ShortFrame,   // the read's answer stops after part of its bytes
  Timeout,      // commands get no answer at all
  Garbage,      // every answer comes after a burst of noise, partial preambles included
  Unplug,       // the next command unplugs the reader (no answer) for Options::unplug_for
};

const char* fault_name(ReaderFault fault);  // "no-card", "bad-checksum", ...
std::optional<ReaderFault> parse_fault(std::string_view name);

struct SimulatedCard {
  std::string key;          // "valid", "expired", ...
  std::string description;  // what it is for
  IdCard card;
};
// valid, expired, long-term, hui (回, nation 03), uyghur (维吾尔, 05, Xinjiang), rare (刘䶮:
// CJK Extension A). Their ID numbers carry correct GB 11643 check digits.
const std::vector<SimulatedCard>& builtin_cards();
const SimulatedCard* find_builtin_card(std::string_view key);
// The fixed 1024 bytes standing in for a card's WLT photo (a "WLf" header, then noise).
Bytes simulated_photo(std::string_view seed);

class ReaderSimulator {
 public:
  struct Options {
    std::string link;            // a stable symlink to the current pty ("" = none)
    std::string card = "valid";  // a built-in card's key; "" = no card on the reader
    ReaderFault fault = ReaderFault::None;
    int fault_times = -1;  // answers (commands, for Timeout and Unplug) it spoils; -1 = all
    std::chrono::milliseconds unplug_for{300};
    std::chrono::milliseconds answer_delay{0};  // the module "thinking" before each answer
  };

  // Opens the pty and starts answering. Throws std::runtime_error when the system gives no pty.
  explicit ReaderSimulator(Options options);
  ~ReaderSimulator();
  ReaderSimulator(const ReaderSimulator&) = delete;
  ReaderSimulator& operator=(const ReaderSimulator&) = delete;

  // What a driver should open: the link when there is one, else the current pty.
  std::string port() const;
  std::string pty_path() const;

  // Places a built-in card (false: no such key), another card, or none.
  bool place_card(std::string_view key);
  void place_card(const IdCard& card);
  void remove_card();
  void set_fault(ReaderFault fault, int times = -1);
  // Unplugs now (returns once the line is down); the reader comes back after `down_for`.
  void unplug(std::chrono::milliseconds down_for);
  bool plugged() const;
  // Blocks until plugged in again, or `timeout` passes.
  bool wait_plugged(std::chrono::milliseconds timeout) const;
  int replugs() const;
  int commands_seen() const;
  // Called (on the simulator's thread) with the new pty path each time it is plugged back.
  void on_plugged(std::function<void(const std::string& pty)> callback);

  // One control line, as `huinong-idcard-sim` reads them on stdin:
  //   card KEY | card none | fault NAME [TIMES] | fault none | unplug [MS] | status
  // Returns the reply ("ok ..." or "error ...").
  std::string control(std::string_view line);

 private:
  void run();
  void open_line();  // a fresh pty and, when asked for, the link to it
  void pull_plug(std::chrono::milliseconds down_for);
  void answer(const Frame& frame);
  void send(Bytes frame, ReaderFault spoil);
  bool take_fault(ReaderFault kind);  // the fault applies to this answer; counts it down

  Options options_;
  PseudoTerminal pty_;
  FrameParser parser_;
  std::thread thread_;
  std::atomic<bool> stop_{false};

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::optional<IdCard> card_;
  Bytes card_text_;
  ReaderFault fault_ = ReaderFault::None;
  int fault_left_ = -1;
  std::optional<std::chrono::milliseconds> unplug_request_;
  std::optional<std::chrono::steady_clock::time_point> down_until_;
  std::string pty_path_;
  int replugs_ = 0;
  int commands_ = 0;
  std::function<void(const std::string&)> on_plugged_;
};

}  // namespace hn::hw
