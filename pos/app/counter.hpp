#pragma once
// The counter screen's state, without any window: the buyer being served, the lines scanned,
// which line waits for its product serial, and how a burst of keys from a keyboard-wedge
// scanner is told from a person typing. The GUI (pos/ui/sale_frame.cpp) is a view of this.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/policy_engine.hpp"

namespace hn::app {

// Tells a scanner from a person: a scanner sends a whole code as a burst of keys a few
// milliseconds apart and ends it with Enter; people type at 100 ms a key or slower.
// Times are the keys' own timestamps (when the keyboard sent them), not when the counter got
// round to them. A scanner on a busy USB hub or a loaded terminal now and then leaves one long
// gap, so a burst is a code where at least three gaps in four are short; no person types
// three keys in four within 35 ms.
class ScanDetector {
 public:
  explicit ScanDetector(int max_gap_ms = 35, int min_length = 4)
      : max_gap_ms_(max_gap_ms), min_length_(min_length) {}
  void key(std::int64_t at_ms);  // a character key arrived
  // Enter arrived: true when everything since the last reset came as one burst.
  bool finish(std::int64_t at_ms);
  void reset() { times_.clear(); }

 private:
  int max_gap_ms_;
  int min_length_;
  std::vector<std::int64_t> times_;
};

enum class EntryMode { Scanned, Typed };

struct CounterLine {
  std::string card_no;
  std::string serial_no;                  // empty until scanned
  std::optional<Fen> price;               // empty: the line's cap (the bid price) applies
  EntryMode card_entry = EntryMode::Scanned;
  EntryMode serial_entry = EntryMode::Scanned;
};

enum class ScanOutcome {
  NewLine,       // a label card: a new line, now waiting for its serial
  SerialPaired,  // the product serial for the line waiting for one
  AlreadyInCart, // that card is already on a line
  NotACard,      // not a card this terminal knows, and no line waits for a serial
};

class CounterSession {
 public:
  Buyer buyer;
  std::vector<CounterLine> lines;
  std::int64_t held_id = 0;  // the held sale (挂单, issue 16) this one was recalled from; 0 none

  // `is_card` says whether a code is a label card number on record at this terminal.
  ScanOutcome scan(const std::string& code, EntryMode mode,
                   const std::function<bool(const std::string&)>& is_card);
  int awaiting_serial() const { return awaiting_serial_; }
  void set_price(std::size_t line, Fen price);
  void remove(std::size_t line);
  void clear();

  // The cart as the engine sees it; lines without a price take `caps` (the last check's
  // per-line caps, index for index) when known.
  Cart cart(const std::vector<Fen>& caps) const;
  // A sale may be checked out when the engine refuses nothing and every line has its serial.
  bool ready(const SaleCheck& check) const;
  // What the clerk should do next, as a short instruction (Chinese, English).
  std::pair<std::string, std::string> next_step(const SaleCheck* check) const;

 private:
  int awaiting_serial_ = -1;
};

}  // namespace hn::app
