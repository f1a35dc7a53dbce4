#pragma once
// The counter screen's state, without any window: the buyer being served, the lines scanned,
// which line waits for its product serial, and how a burst of keys from a keyboard-wedge
// scanner is told from a person typing. The GUI (pos/ui/sale_frame.cpp) is a view of this.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/problem.hpp"
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
  NewLine,         // a label card: a new line, now waiting for its serial
  SerialPaired,    // the product serial for the line waiting for one
  AlreadyInCart,   // that card is already on a line
  NotACard,        // a label card's form but not on record here: a new line the engine refuses
  SerialReplaced,  // the serial of a line the last check found not matching its card, replaced
  NoLineWaits,     // no card, no line waits for a serial, none to correct: nothing added
  SerialInCart,    // that serial is already on a line
};

// A label card number as the cards come (the receiving CSVs, the demo cards): digits only,
// 12 to 32 of them. A code of another form that is not on record is never taken for a card:
// it is a serial, and a serial never opens a line of its own (issue 16).
bool looks_like_card_no(const std::string& code);

// 户号 as printed on the 户口簿 (POLICY R4: the household register identifies the household):
// 4 to 20 Latin letters and digits, at least one digit ("3413220012", "H4100001", "79276").
// A name typed into it ("张三") is refused before any quota is shown for it: the problem
// HOUSEHOLD_FORM, or nothing when the text is empty or of the form.
std::optional<Problem> household_problem(const std::string& household);

// Why F10 cannot check out now, first things first; empty when it can.
struct Blocker {
  std::string code;  // a finding's code, or SERIAL_MISSING / HOUSEHOLD_FORM / CART_EMPTY
  int item = -1;     // the line (0-based), -1 for the buyer or the whole sale
  std::string message_zh;
  std::string message_en;
};

class CounterSession {
 public:
  Buyer buyer;
  std::vector<CounterLine> lines;
  std::int64_t held_id = 0;  // the held sale (挂单, issue 16) this one was recalled from; 0 none

  // `is_card` says whether a code is a label card number on record at this terminal.
  // A code that is not a card goes to a line that still wants a serial: the one the clerk
  // selected (`selected`, -1: none) if it does, else the line just scanned, else the last line
  // whose serial the last check found not matching its card (CARD_SERIAL_MISMATCH: the right
  // serial replaces the wrong one), else the last line without a serial.
  ScanOutcome scan(const std::string& code, EntryMode mode,
                   const std::function<bool(const std::string&)>& is_card, int selected = -1);
  int awaiting_serial() const { return awaiting_serial_; }
  // The line the last scan added to or changed; -1 when it touched none.
  int scanned_line() const { return scanned_line_; }
  // What the last check found, so the next serial knows which line it corrects.
  void checked(const SaleCheck& check);
  bool mismatched(std::size_t line) const;
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
  // Why the sale cannot be checked out, every reason in order (what F10 says when blocked).
  std::vector<Blocker> blockers(const SaleCheck& check) const;

 private:
  int correction_target(int selected) const;
  int awaiting_serial_ = -1;
  int scanned_line_ = -1;
  std::vector<std::string> mismatched_;  // cards whose line the last check found mismatched
};

}  // namespace hn::app
