#include "reader_simulator.hpp"

#include <sstream>
#include <stdexcept>

namespace hn::hw {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::pair<ReaderFault, const char*> kFaultNames[] = {
    {ReaderFault::None, "none"},
    {ReaderFault::NoCard, "no-card"},
    {ReaderFault::CardRemoved, "card-removed"},
    {ReaderFault::BadChecksum, "bad-checksum"},
    {ReaderFault::ShortFrame, "short-frame"},
    {ReaderFault::Timeout, "timeout"},
    {ReaderFault::Garbage, "garbage"},
    {ReaderFault::Unplug, "unplug"},
};

// Noise as a reader gives it at power-up or on a bad cable: stray bytes, preamble fragments,
// and a whole preamble with an impossible length, each of which the parser must skip.
const Bytes kGarbage = {0x00, 0xFF, 0xAA, 0xAA, 0x13, 0xAA, 0xAA, 0xAA, 0x96, 0x00,
                        0x69, 0xAA, 0xAA, 0xAA, 0x96, 0x69, 0xFF, 0xFF, 0x55, 0xAA};

// How much of a read's 1295-byte answer a short frame delivers before the line drops it.
constexpr std::size_t kShortFrameBytes = 600;

IdCard card(const char* name, const char* sex, const char* nation, const char* birth,
            const char* address, const char* id, const char* issuer, const char* from,
            const char* to) {
  IdCard c;
  c.name = name;
  c.sex_code = sex;
  c.nation_code = nation;
  c.birth = birth;
  c.address = address;
  c.id_number = id;
  c.issuer = issuer;
  c.valid_from = from;
  c.valid_to = to;
  c.photo = simulated_photo(id);
  return c;
}

}  // namespace

const char* fault_name(ReaderFault fault) {
  for (const auto& [f, name] : kFaultNames)
    if (f == fault) return name;
  return "none";
}

std::optional<ReaderFault> parse_fault(std::string_view name) {
  for (const auto& [f, n] : kFaultNames)
    if (name == n) return f;
  return std::nullopt;
}

Bytes simulated_photo(std::string_view seed) {
  Bytes photo = {'W', 'L', 'f', 0x00};
  std::uint32_t x = 2166136261u;  // FNV-1a of the seed, then an LCG: the same bytes every run
  for (const char c : seed) x = (x ^ static_cast<unsigned char>(c)) * 16777619u;
  while (photo.size() < kCardPhotoBytes) {
    x = x * 1664525u + 1013904223u;
    photo.push_back(static_cast<std::uint8_t>(x >> 24));
  }
  return photo;
}

const std::vector<SimulatedCard>& builtin_cards() {
  // Check digits verified with GB 11643's ISO 7064 MOD 11-2 (and again by the tests).
  static const std::vector<SimulatedCard> cards = {
      {"valid", "a valid card: 男, 汉, county 341322",
       card("张伟", "1", "01", "19800312", "安徽省宿州市萧县龙城镇人民路88号", "341322198003121239",
            "萧县公安局", "20150601", "20350601")},
      {"expired", "expired on 2016-03-01: 女, 汉",
       card("李秀英", "2", "01", "19850815", "安徽省宿州市萧县圣泉乡王楼村12号",
            "341322198508150465", "萧县公安局", "20060301", "20160301")},
      {"long-term", "valid to 长期 (issued at 57)",
       card("王德福", "1", "01", "19500708", "安徽省宿州市萧县黄口镇新庄村3号",
            "341322195007080311", "萧县公安局", "20080115", "长期")},
      {"hui", "nation 03 回: 女, county 341322",
       card("马玉兰", "2", "03", "19880223", "安徽省宿州市萧县龙城镇清真寺街6号",
            "341322198802230626", "萧县公安局", "20140410", "20340410")},
      {"uyghur", "nation 05 维吾尔, registered in Urumqi (county 650102)",
       card("阿依古丽·买买提", "2", "05", "19900605",
            "新疆维吾尔自治区乌鲁木齐市天山区解放南路25号", "650102199006051280",
            "乌鲁木齐市公安局天山区分局", "20160901", "20360901")},
      {"moved", "number given in 合肥 (340102), registered now in 萧县: the address decides the county",
       card("赵明", "1", "01", "19850315", "安徽省宿州市萧县龙城镇淮海路16号", "340102198503150012",
            "萧县公安局", "20200101", "20400101")},
      {"rare", "a rare character in the name: 䶮 U+4DAE, CJK Extension A",
       card("刘䶮", "1", "01", "19921118", "安徽省宿州市萧县杨楼镇刘庄村8号", "341322199211180158",
            "萧县公安局", "20180320", "20280320")},
  };
  return cards;
}

const SimulatedCard* find_builtin_card(std::string_view key) {
  for (const auto& c : builtin_cards())
    if (c.key == key) return &c;
  return nullptr;
}

// ---- the simulator ------------------------------------------------------------------------

ReaderSimulator::ReaderSimulator(Options options) : options_(std::move(options)) {
  if (!options_.card.empty() && !place_card(options_.card))
    throw std::runtime_error("no built-in card '" + options_.card + "'");
  fault_ = options_.fault;
  fault_left_ = options_.fault_times;
  open_line();
  thread_ = std::thread([this] { run(); });
}

ReaderSimulator::~ReaderSimulator() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  pty_.close();
  if (!options_.link.empty()) unlink_device(options_.link);
}

void ReaderSimulator::open_line() {
  if (!pty_.open()) throw std::runtime_error("no pseudo-terminal: " + pty_.error_text());
  if (!options_.link.empty()) link_device(options_.link, pty_.slave_path());
  std::lock_guard<std::mutex> lock(mutex_);
  pty_path_ = pty_.slave_path();
}

std::string ReaderSimulator::port() const {
  if (!options_.link.empty()) return options_.link;
  return pty_path();
}

std::string ReaderSimulator::pty_path() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return pty_path_;
}

bool ReaderSimulator::place_card(std::string_view key) {
  const SimulatedCard* c = find_builtin_card(key);
  if (!c) return false;
  place_card(c->card);
  return true;
}

void ReaderSimulator::place_card(const IdCard& card) {
  auto text = encode_id_card_text(card);
  if (!text) throw std::invalid_argument("a field of the card does not fit its width on the card");
  std::lock_guard<std::mutex> lock(mutex_);
  card_ = card;
  card_text_ = std::move(*text);
}

void ReaderSimulator::remove_card() {
  std::lock_guard<std::mutex> lock(mutex_);
  card_.reset();
}

void ReaderSimulator::set_fault(ReaderFault fault, int times) {
  std::lock_guard<std::mutex> lock(mutex_);
  fault_ = fault;
  fault_left_ = times;
}

void ReaderSimulator::unplug(milliseconds down_for) {
  std::unique_lock<std::mutex> lock(mutex_);
  unplug_request_ = down_for;
  // The line is down when this returns: a test's next read must see the unplug.
  changed_.wait(lock, [this] { return !unplug_request_; });
}

bool ReaderSimulator::plugged() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return !down_until_ && !unplug_request_;
}

bool ReaderSimulator::wait_plugged(milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [this] { return !down_until_ && !unplug_request_; });
}

int ReaderSimulator::replugs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return replugs_;
}

int ReaderSimulator::commands_seen() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return commands_;
}

void ReaderSimulator::on_plugged(std::function<void(const std::string&)> callback) {
  std::lock_guard<std::mutex> lock(mutex_);
  on_plugged_ = std::move(callback);
}

bool ReaderSimulator::take_fault(ReaderFault kind) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (fault_ != kind || kind == ReaderFault::None) return false;
  if (fault_left_ > 0 && --fault_left_ == 0) fault_ = ReaderFault::None;
  return true;
}

void ReaderSimulator::pull_plug(milliseconds down_for) {
  // The link goes first, so a driver reopening at once finds no device rather than the pty
  // that is about to die.
  if (!options_.link.empty()) unlink_device(options_.link);
  pty_.close();
  parser_.reset();
  std::lock_guard<std::mutex> lock(mutex_);
  down_until_ = Clock::now() + down_for;
}

void ReaderSimulator::run() {
  Bytes in;
  while (!stop_) {
    std::optional<Clock::time_point> down_until;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (unplug_request_) {
        const milliseconds d = *unplug_request_;
        lock.unlock();
        pull_plug(d);
        lock.lock();
        unplug_request_.reset();
        changed_.notify_all();
      }
      down_until = down_until_;
    }
    if (down_until) {
      if (Clock::now() < *down_until) {
        std::this_thread::sleep_for(milliseconds(5));
        continue;
      }
      try {
        open_line();
      } catch (const std::exception&) {
        std::this_thread::sleep_for(milliseconds(50));  // no pty to be had yet: try again
        continue;
      }
      std::function<void(const std::string&)> callback;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        down_until_.reset();
        ++replugs_;
        callback = on_plugged_;
        changed_.notify_all();
      }
      if (callback) callback(pty_.slave_path());
      continue;
    }
    in.clear();
    // Short waits, so stop and unplug requests are seen promptly.
    const PortStatus s = pty_.read_some(in, milliseconds(10));
    if (s == PortStatus::Ok) {
      parser_.feed(in);
      while (auto frame = parser_.next()) answer(*frame);
    } else if (s != PortStatus::Timeout) {
      std::this_thread::sleep_for(milliseconds(10));
    }
  }
}

void ReaderSimulator::answer(const Frame& frame) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++commands_;
  }
  if (frame.status != FrameStatus::Ok) {
    // What a SAM module says to a corrupted command.
    send(encode_answer(
             0, 0,
             frame.status == FrameStatus::BadChecksum ? sw3::kChecksumError : sw3::kLengthError),
         ReaderFault::None);
    return;
  }
  const auto command = decode_command(frame.body);
  if (!command) {
    send(encode_answer(0, 0, sw3::kLengthError), ReaderFault::None);
    return;
  }
  if (take_fault(ReaderFault::Timeout)) return;
  if (take_fault(ReaderFault::Unplug)) {
    pull_plug(options_.unplug_for);
    return;
  }
  if (options_.answer_delay.count() > 0) std::this_thread::sleep_for(options_.answer_delay);

  bool has_card = false;
  Bytes text;
  Bytes photo;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    has_card = card_.has_value();
    if (has_card) {
      text = card_text_;
      photo = card_->photo;
    }
  }
  const SamCommand c = command->first;
  if (c == kFindCard) {
    if (!has_card || take_fault(ReaderFault::NoCard))
      send(encode_answer(0, 0, sw3::kNoCard), ReaderFault::None);
    else
      send(encode_answer(0, 0, sw3::kCardFound, {0, 0, 0, 0}), ReaderFault::None);
  } else if (c == kSelectCard) {
    if (!has_card)
      send(encode_answer(0, 0, sw3::kSelectFailed), ReaderFault::None);
    else
      send(encode_answer(0, 0, sw3::kOk, Bytes(8, 0)), ReaderFault::None);
  } else if (c == kReadCard) {
    if (!has_card || take_fault(ReaderFault::CardRemoved)) {
      send(encode_answer(0, 0, sw3::kReadFailed), ReaderFault::None);
      return;
    }
    photo.resize(kCardPhotoBytes);
    Bytes data = {static_cast<std::uint8_t>(text.size() >> 8),
                  static_cast<std::uint8_t>(text.size() & 0xFF),
                  static_cast<std::uint8_t>(photo.size() >> 8),
                  static_cast<std::uint8_t>(photo.size() & 0xFF)};
    data.insert(data.end(), text.begin(), text.end());
    data.insert(data.end(), photo.begin(), photo.end());
    ReaderFault spoil = ReaderFault::None;
    if (take_fault(ReaderFault::BadChecksum))
      spoil = ReaderFault::BadChecksum;
    else if (take_fault(ReaderFault::ShortFrame))
      spoil = ReaderFault::ShortFrame;
    send(encode_answer(0, 0, sw3::kOk, data), spoil);
  } else {
    send(encode_answer(0, 0, sw3::kBadCommand), ReaderFault::None);
  }
}

void ReaderSimulator::send(Bytes frame, ReaderFault spoil) {
  if (spoil == ReaderFault::BadChecksum) frame.back() ^= 0x5A;
  if (spoil == ReaderFault::ShortFrame) frame.resize(std::min(frame.size(), kShortFrameBytes));
  if (take_fault(ReaderFault::Garbage))
    frame.insert(frame.begin(), kGarbage.begin(), kGarbage.end());
  pty_.write_all(frame);
}

std::string ReaderSimulator::control(std::string_view line) {
  std::istringstream in{std::string(line)};
  std::string verb, arg, extra;
  in >> verb >> arg;
  if (verb == "card") {
    if (arg == "none") {
      remove_card();
      return "ok no card";
    }
    if (!place_card(arg)) {
      std::string keys;
      for (const auto& c : builtin_cards()) keys += " " + c.key;
      return "error no card '" + arg + "'; built-in:" + keys;
    }
    return "ok card " + arg;
  }
  if (verb == "fault") {
    const auto fault = parse_fault(arg);
    if (!fault) return "error no fault '" + arg + "'";
    int times = -1;
    if (in >> extra) {
      try {
        times = std::stoi(extra);
      } catch (const std::exception&) {
        return "error TIMES must be a number";
      }
      if (times <= 0) return "error TIMES must be positive";
    }
    set_fault(*fault, times);
    return std::string("ok fault ") + fault_name(*fault) +
           (times > 0 ? " x" + std::to_string(times) : "");
  }
  if (verb == "unplug") {
    milliseconds down = options_.unplug_for;
    if (!arg.empty()) {
      try {
        down = milliseconds(std::stoi(arg));
      } catch (const std::exception&) {
        return "error MS must be a number";
      }
    }
    unplug(down);
    return "ok unplugged for " + std::to_string(down.count()) + " ms";
  }
  if (verb == "status") {
    std::lock_guard<std::mutex> lock(mutex_);
    return "ok pty " + pty_path_ + (down_until_ ? " unplugged" : " plugged") + " card " +
           (card_ ? card_->name : std::string("none")) + " fault " + fault_name(fault_) +
           " commands " + std::to_string(commands_);
  }
  return "error unknown command '" + verb +
         "': card KEY|none, fault NAME [TIMES], unplug [MS], status";
}

}  // namespace hn::hw
