#pragma once
// The terminal's clock comes in through an interface, so tests and the demo can set it.
#include <cstdint>

namespace hn::app {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t unix_seconds() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::int64_t unix_seconds() const override;
};

// A clock standing still at a given moment (tests, training, simulators).
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::int64_t unix_seconds) : now_(unix_seconds) {}
  std::int64_t unix_seconds() const override { return now_; }
  void advance(std::int64_t seconds) { now_ += seconds; }

 private:
  std::int64_t now_;
};

}  // namespace hn::app
