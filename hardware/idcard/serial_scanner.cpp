#include "serial_scanner.hpp"

#include <stdexcept>
#include <thread>
#include <utility>

namespace hn::hw {

namespace {
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::pair<ScanSuffix, const char*> kSuffixNames[] = {{ScanSuffix::CR, "cr"},
                                                               {ScanSuffix::LF, "lf"},
                                                               {ScanSuffix::CRLF, "crlf"},
                                                               {ScanSuffix::None, "none"}};

milliseconds until(Clock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(t - Clock::now());
}
}  // namespace

const char* scan_suffix_name(ScanSuffix suffix) {
  for (const auto& [s, name] : kSuffixNames)
    if (s == suffix) return name;
  return "none";
}

std::optional<ScanSuffix> parse_scan_suffix(std::string_view name) {
  for (const auto& [s, n] : kSuffixNames)
    if (name == n) return s;
  return std::nullopt;
}

Bytes suffix_bytes(ScanSuffix suffix) {
  switch (suffix) {
    case ScanSuffix::CR:
      return {'\r'};
    case ScanSuffix::LF:
      return {'\n'};
    case ScanSuffix::CRLF:
      return {'\r', '\n'};
    case ScanSuffix::None:
      return {};
  }
  return {};
}

const char* scan_status_name(ScanStatus status) {
  switch (status) {
    case ScanStatus::Ok:
      return "ok";
    case ScanStatus::Timeout:
      return "timeout";
    case ScanStatus::Unterminated:
      return "unterminated";
    case ScanStatus::Unplugged:
      return "unplugged";
    case ScanStatus::PortError:
      return "port_error";
  }
  return "unknown";
}

// ---- ScanAssembler ------------------------------------------------------------------------

void ScanAssembler::feed(const std::uint8_t* data, std::size_t n) {
  const auto complete = [this] {
    if (!partial_.empty()) done_.push_back(std::move(partial_));
    partial_.clear();
  };
  for (std::size_t i = 0; i < n; ++i) {
    const char b = static_cast<char>(data[i]);
    switch (suffix_) {
      case ScanSuffix::CR:
        if (b == '\r')
          complete();
        else if (!(b == '\n' && partial_.empty()))
          partial_ += b;
        break;
      case ScanSuffix::LF:
      case ScanSuffix::CRLF:
        if (b == '\n') {
          if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
          complete();
        } else {
          partial_ += b;
        }
        break;
      case ScanSuffix::None:
        partial_ += b;
        break;
    }
  }
}

std::optional<std::string> ScanAssembler::next() {
  if (done_.empty()) return std::nullopt;
  std::string code = std::move(done_.front());
  done_.pop_front();
  return code;
}

std::optional<std::string> ScanAssembler::flush() {
  if (partial_.empty()) return std::nullopt;
  std::string code = std::move(partial_);
  partial_.clear();
  return code;
}

// ---- SerialScanner ------------------------------------------------------------------------

SerialScanner::SerialScanner(std::string path, ScannerSettings settings)
    : path_(std::move(path)),
      settings_(settings),
      assembler_(settings.suffix, settings.max_length) {}

ScanResult SerialScanner::port_trouble(PortStatus status) {
  ScanResult r;
  r.status = status == PortStatus::Failed ? ScanStatus::PortError : ScanStatus::Unplugged;
  r.detail = port_.error_text();
  port_.close();
  assembler_ =
      ScanAssembler(settings_.suffix, settings_.max_length);  // half a code is lost with the line
  return r;
}

ScanResult SerialScanner::open() {
  if (port_.is_open()) return {ScanStatus::Ok, "", ""};
  const PortStatus s = port_.open(path_, settings_.baud);
  if (s != PortStatus::Ok) return port_trouble(s);
  return {ScanStatus::Ok, "", ""};
}

ScanResult SerialScanner::next_scan(milliseconds wait) {
  if (ScanResult r = open(); !r.ok()) return r;
  const auto deadline = Clock::now() + wait;
  Bytes chunk;
  for (;;) {
    if (auto code = assembler_.next()) return {ScanStatus::Ok, std::move(*code), ""};
    if (assembler_.overlong()) return {ScanStatus::Unterminated, *assembler_.flush(), ""};
    milliseconds left{};
    if (assembler_.pending()) {
      // A code under way: it ends with silence (no suffix), or is stale (a suffix never came).
      const bool by_gap = settings_.suffix == ScanSuffix::None;
      left = until(last_byte_ + (by_gap ? settings_.gap : settings_.stale));
      if (left.count() <= 0)
        return {by_gap ? ScanStatus::Ok : ScanStatus::Unterminated, *assembler_.flush(), ""};
    } else {
      left = until(deadline);
      if (left.count() <= 0) return {ScanStatus::Timeout, "", ""};
    }
    chunk.clear();
    const PortStatus s = port_.read_some(chunk, left);
    if (s == PortStatus::Ok) {
      assembler_.feed(chunk);
      last_byte_ = Clock::now();
    } else if (s != PortStatus::Timeout) {
      return port_trouble(s);
    }
  }
}

// ---- ScannerSimulator ---------------------------------------------------------------------

ScannerSimulator::ScannerSimulator(std::string link) : link_(std::move(link)) { plug_back(); }

ScannerSimulator::~ScannerSimulator() { unplug(); }

bool ScannerSimulator::scan(std::string_view code, ScanSuffix suffix, std::size_t piece,
                            milliseconds piece_gap) {
  Bytes bytes(code.begin(), code.end());
  const Bytes tail = suffix_bytes(suffix);
  bytes.insert(bytes.end(), tail.begin(), tail.end());
  if (piece == 0) return send_raw(bytes);
  for (std::size_t at = 0; at < bytes.size(); at += piece) {
    if (at > 0) std::this_thread::sleep_for(piece_gap);
    const auto end = std::min(bytes.size(), at + piece);
    if (pty_.write_all(bytes.data() + at, end - at) != PortStatus::Ok) return false;
  }
  return true;
}

bool ScannerSimulator::send_raw(const Bytes& bytes) {
  return pty_.write_all(bytes) == PortStatus::Ok;
}

void ScannerSimulator::unplug() {
  if (!link_.empty()) unlink_device(link_);
  pty_.close();
}

void ScannerSimulator::plug_back() {
  if (!pty_.open()) throw std::runtime_error("no pseudo-terminal: " + pty_.error_text());
  if (!link_.empty()) link_device(link_, pty_.slave_path());
}

}  // namespace hn::hw
