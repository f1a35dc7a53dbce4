#pragma once
// The policy engine: a pure function from (catalog, policy, household history, outlet,
// cart, buyer, today) to findings. The terminal and the sandbox run the same engine.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/catalog.hpp"
#include "core/findings.hpp"
#include "core/id_number.hpp"
#include "core/label_card.hpp"
#include "core/policy.hpp"

namespace hn {

struct Outlet {
  std::string code;
  std::string name;
  std::string county;  // 6-digit administrative division code
};

// 户口性质: only agricultural households are eligible (POLICY R4).
enum class Hukou { Agricultural, NonAgricultural };
std::string_view hukou_code(Hukou h);  // "agricultural" | "non-agricultural"
std::optional<Hukou> parse_hukou(std::string_view code);

struct Buyer {
  std::string name;
  std::string id_text;    // as typed or read; normalised by the engine
  std::string household;  // 户号 from the household register
  Hukou hukou = Hukou::Agricultural;
  // The county of the household's address when a reader gave it; else the ID number's
  // first six digits stand for it (POLICY R7).
  std::optional<std::string> county;
};

struct CartItem {
  std::string card_no;
  std::string serial_no;  // empty: the serial registered with the card
  Fen price = 0;
};

struct Cart {
  Buyer buyer;
  std::vector<CartItem> items;
  // The held sale (挂单, issue 16) this cart was recalled from; 0 when none. Its own cards
  // are not refused as held.
  std::int64_t held_id = 0;
};

// The buyer's name and household number as text that may enter the terminal (check_text),
// trimmed as they are stored: the first that is not ("buyer_name", "household"), else ok.
TextCheck check_buyer_text(const Buyer& buyer);

// Units the household holds per category: sold and not returned, at this outlet and, when
// the province answered, at all others.
struct HouseholdHistory {
  std::map<Category, int> held;
};

struct SaleContext {
  const Catalog* catalog = nullptr;
  const PolicyPhase* policy = nullptr;
  Outlet outlet;
  HouseholdHistory history;
  // The label card records for the cart's items, index for index (nullopt: no record).
  std::vector<std::optional<LabelCard>> cards;
  // The held sale each item's card is reserved to, index for index (0 or absent: none).
  std::vector<std::int64_t> held_by;
  Date today;
};

// One priced line as the invoice and the screen show it.
struct PricedLine {
  std::string card_no;
  std::string serial_no;
  std::optional<CatalogModel> model;  // absent when the card or model is unknown
  Fen price = 0;
  Fen cap = 0;      // the lower of the model's bid price and the category cap
  Fen subsidy = 0;  // 0 for a refused line
};

struct SaleCheck {
  std::vector<Finding> findings;
  std::vector<PricedLine> lines;
  std::optional<IdNumber> buyer_id;
  std::map<Category, int> remaining;  // units the household may still buy, per active category
  Fen total = 0;
  Fen subsidy = 0;

  bool refused() const { return has_refusal(findings); }
};

SaleCheck check_sale(const SaleContext& context, const Cart& cart);

}  // namespace hn
