#pragma once
// 县级行政区划 (GB/T 2260): the county of a household registration address as printed on an ID
// card ("安徽省宿州市萧县…"), for POLICY R7 (a buyer of another county). The ID number's first
// six digits name the county where the number was first given, which a household that moved
// no longer lives in; the address on the card is the registration as it stands.
#include <optional>
#include <string>
#include <vector>

namespace hn {

struct County {
  std::string code;      // 6 digits, "341322"
  std::string province;  // "安徽省"
  std::string city;      // "宿州市"; "" under the province directly or in a municipality
  std::string name;      // "萧县"
};

class RegionTable {
 public:
  // assets/regions/counties.tsv: code TAB province TAB city TAB county, '#' comments. Lines
  // that are not of that form are skipped; an empty table finds nothing.
  static RegionTable parse(const std::string& tsv);
  std::size_t size() const { return counties_.size(); }

  // The county whose province, city (where it has one) and name begin the address, in that
  // order; empty when none does, or when two counties would both fit (never a guess).
  std::optional<County> county_of_address(const std::string& address) const;

 private:
  std::vector<County> counties_;
};

}  // namespace hn
