#include "app/devices.hpp"

#include "platform/files.hpp"
#include "app/paths.hpp"
#include "core/region.hpp"

#include "core/text.hpp"
#include "store/store.hpp"

namespace hn::app {

bool IdCardData::expired(Date today) const {
  if (valid_to == "长期") return false;
  const auto to = parse_compact_date(valid_to);
  // A date that does not parse is no validity at all: treated as expired, never as valid.
  if (!to) return true;
  return *to < today;
}

namespace {
// The UTF-8 characters of `s`, one string each.
std::vector<std::string> characters(const std::string& s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}
}  // namespace

const RegionTable& shipped_regions() {
  // Read once (124 KB); the reader's thread asks first, so the counter's screen never waits on it.
  static const RegionTable table = [] {
    std::string text;
    if (files::read_file(assets_dir() + "/regions/counties.tsv", files::Kind::RegionTable, text)) text.clear();
    return RegionTable::parse(text);
  }();
  return table;
}

std::string address_county_name(const std::string& address) {
  // The table's name where it places the address; the shape of the address where it does not
  // (a county renamed since, a table missing).
  if (const auto county = shipped_regions().county_of_address(address)) return county->name;
  const auto chars = characters(address);
  std::size_t i = 0;
  // The characters from i up to the first point where they end with one of `ends`, within
  // `max_chars`; "" (and i unchanged) when none comes.
  const auto take_until = [&](std::initializer_list<const char*> ends, std::size_t max_chars) -> std::string {
    std::string part;
    for (std::size_t j = i; j < chars.size() && j - i < max_chars; ++j) {
      part += chars[j];
      for (const std::string e : ends)
        if (part.size() > e.size() && part.compare(part.size() - e.size(), e.size(), e) == 0) {
          i = j + 1;
          return part;
        }
    }
    return "";
  };
  bool municipality = false;
  for (const char* m : {"北京市", "天津市", "上海市", "重庆市"})
    if (address.rfind(m, 0) == 0) municipality = true;
  if (municipality) {
    i = 3;  // its districts and counties come straight after
  } else {
    if (take_until({"省", "自治区"}, 10).empty()) return "";  // 安徽省, 新疆维吾尔自治区
    // 宿州市, 延边朝鲜族自治州, 阿拉善盟, 阿克苏地区
    if (take_until({"市", "自治州", "盟", "地区"}, 12).empty()) return "";
  }
  return take_until({"县", "区", "旗", "市"}, 10);
}

std::string address_county_code(const std::string& address) {
  const auto county = shipped_regions().county_of_address(address);
  return county ? county->code : std::string();
}

const char* device_state_name(DeviceState state) {
  switch (state) {
    case DeviceState::Ready: return "ready";
    case DeviceState::NoCard: return "no_card";
    case DeviceState::Unplugged: return "unplugged";
    case DeviceState::Error: return "error";
  }
  return "error";
}

}  // namespace hn::app
