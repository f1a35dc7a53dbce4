#include "core/region.hpp"

#include <sstream>

namespace hn {

namespace {
bool starts_with(const std::string& s, std::size_t at, const std::string& prefix) {
  return !prefix.empty() && s.compare(at, prefix.size(), prefix) == 0;
}
bool is_code(const std::string& s) {
  if (s.size() != 6) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}
}  // namespace

RegionTable RegionTable::parse(const std::string& tsv) {
  RegionTable t;
  std::istringstream in(tsv);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    County c;
    std::istringstream fields(line);
    if (!std::getline(fields, c.code, '\t') || !std::getline(fields, c.province, '\t') ||
        !std::getline(fields, c.city, '\t') || !std::getline(fields, c.name))
      continue;
    if (!is_code(c.code) || c.province.empty() || c.name.empty()) continue;
    t.counties_.push_back(std::move(c));
  }
  return t;
}

std::optional<County> RegionTable::county_of_address(const std::string& address) const {
  std::optional<County> found;
  std::size_t found_length = 0;
  bool ambiguous = false;
  for (const auto& c : counties_) {
    if (!starts_with(address, 0, c.province)) continue;
    std::size_t at = c.province.size();
    // A municipality's district may be written with or without the city again (北京市东城区).
    if (!c.city.empty()) {
      if (!starts_with(address, at, c.city)) continue;
      at += c.city.size();
    }
    if (!starts_with(address, at, c.name)) continue;
    const std::size_t length = at + c.name.size();
    // The longest match wins (市 and its 市辖区 district of a longer name); equal ones are a tie.
    if (!found || length > found_length) {
      found = c;
      found_length = length;
      ambiguous = false;
    } else if (length == found_length && found->code != c.code) {
      ambiguous = true;
    }
  }
  if (ambiguous) return std::nullopt;
  return found;
}

}  // namespace hn
