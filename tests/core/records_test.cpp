#include <catch2/catch.hpp>

#include <string>
#include <type_traits>

#include "core/invoice.hpp"
#include "core/records.hpp"

using hn::parse_role;
using hn::Role;
using hn::role_code;

TEST_CASE("a role's code reads back as the role", "[records]") {
  for (const Role r : {Role::Clerk, Role::Manager, Role::Auditor}) CHECK(parse_role(role_code(r)) == r);
  CHECK(role_code(Role::Clerk) == "clerk");
  CHECK(role_code(Role::Manager) == "manager");
  CHECK(role_code(Role::Auditor) == "auditor");
}

TEST_CASE("a role code the terminal does not know is no role", "[records]") {
  CHECK_FALSE(parse_role("admin").has_value());
  CHECK_FALSE(parse_role("").has_value());
  CHECK_FALSE(parse_role("Manager").has_value());
}

TEST_CASE("an invoice line is the sale's item, written card first", "[records]") {
  static_assert(std::is_same_v<hn::InvoiceLine, hn::SaleItem>);
  const hn::InvoiceLine line{"34080100000000010001", "SN1", "M1", hn::Category::Tv, "海信", "电视", "32", 199900, 25000, ""};
  CHECK(line.card_no == "34080100000000010001");
  CHECK(line.subsidy == 25000);
  CHECK(line.replaces_card.empty());
  CHECK(line.id == 0);
  CHECK_FALSE(line.returned);
}
