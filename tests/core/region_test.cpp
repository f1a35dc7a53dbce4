// The county of an ID card's address (core/region.hpp) over the shipped GB/T 2260 table.
#include <catch2/catch.hpp>

#include "core/region.hpp"
#include "test_files.hpp"

using namespace hn;

namespace {
const RegionTable& shipped() {
  static const RegionTable t = RegionTable::parse(hn_test::read_asset("regions/counties.tsv"));
  return t;
}
std::string code_of(const std::string& address) {
  const auto c = shipped().county_of_address(address);
  return c ? c->code : "";
}
}  // namespace

TEST_CASE("the shipped table holds every county-level division once", "[core][region]") {
  CHECK(shipped().size() > 2900);
}

TEST_CASE("an address names its county through province, prefecture and county", "[core][region]") {
  CHECK(code_of("安徽省宿州市萧县龙城镇人民路88号") == "341322");
  CHECK(code_of("新疆维吾尔自治区乌鲁木齐市天山区解放南路25号") == "650102");
  CHECK(code_of("安徽省合肥市瑶海区长江东路1号") == "340102");
}

TEST_CASE("municipalities and counties under the province directly are found too", "[core][region]") {
  CHECK(code_of("北京市东城区东华门大街1号") == "110101");
  CHECK(code_of("湖北省仙桃市沔阳大道9号") == "429004");
}

TEST_CASE("an address the table cannot place gives no county rather than a guess", "[core][region]") {
  CHECK(code_of("") == "");
  CHECK(code_of("萧县龙城镇") == "");               // no province
  CHECK(code_of("安徽省宿州市某某县城关镇") == "");  // no such county
  CHECK(code_of("安徽省萧县龙城镇") == "");         // the prefecture left out
  // Two counties of one name and place: refused as ambiguous, never the first of them.
  const RegionTable twins = RegionTable::parse("100001\t甲省\t乙市\t丙县\n100002\t甲省\t乙市\t丙县\n");
  CHECK_FALSE(twins.county_of_address("甲省乙市丙县一号"));
  // Lines that are not code TAB province TAB city TAB county are skipped.
  CHECK(RegionTable::parse("# comment\nabc\t甲\t乙\t丙\n12345\t甲\t\t丙\n").size() == 0);
}
