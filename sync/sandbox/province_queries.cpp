// What the province answers about a household, a card and the updates since a version.
#include "province.hpp"

#include <algorithm>
#include <chrono>

#include "core/date.hpp"
#include "core/label_card.hpp"
#include "core/money.hpp"
#include "province_internal.hpp"
#include "platform/signing.hpp"

namespace hn::sandbox {

using namespace detail;

std::map<Category, int> Province::household_held(const std::string& household,
                                                 const std::string& outlet_code) {
  std::map<Category, int> out;
  for (Category c : kAllCategories) out[c] = 0;
  // "at every outlet except the asking one (the terminal knows its own)".
  for (const auto& [cat, n] : history(household, &outlet_code).held) out[cat] = n;
  return out;
}

std::optional<nlohmann::json> Province::card_state(const std::string& card_no, const std::string& outlet_code) {
  std::string sale_uuid;
  {
    // Only the outlet that sold the card learns its sale and its subsidy state: to any other
    // it is a card the province never saw sold (PROTOCOL.md "cards/state").
    Use sold(st_->own_sold_card);
    sold->bind(1, card_no).bind(2, outlet_code);
    if (!sold->step()) return std::nullopt;
    sale_uuid = sold->text(0);
  }
  std::string state = "not_claimed";
  {
    Use claim(st_->claim_get);
    claim->bind(1, card_no);
    if (claim->step()) state = claim->text(0);
  }
  return nlohmann::json{{"card", card_no}, {"sale_uuid", sale_uuid}, {"state", state}};
}

nlohmann::json Province::updates(const std::string& outlet_code, std::int64_t since) {
  // Read in one transaction so `version` and the rows agree.
  db_.exec("BEGIN");
  try {
    const std::int64_t v = version();
    nlohmann::json catalog = nlohmann::json::array(), policies = nlohmann::json::array(),
                   cards = nlohmann::json::array();
    auto cs = db_.prepare(
        "SELECT model_code, category, brand, name, spec, max_price_fen, valid_from, valid_to "
        "FROM prov_catalog WHERE version > ? ORDER BY model_code");
    cs.bind(1, since);
    while (cs.step()) {
      nlohmann::json m = {{"model_code", cs.text(0)}, {"category", cs.text(1)},
                          {"brand", cs.text(2)},      {"name", cs.text(3)},
                          {"spec", cs.text(4)},       {"max_price_fen", cs.int64(5)},
                          {"valid_from", cs.text(6)}, {"valid_to", nullptr}};
      if (const auto to = cs.optional_text(7)) m["valid_to"] = *to;
      catalog.push_back(std::move(m));
    }
    auto ps = db_.prepare("SELECT id, source FROM prov_policies WHERE version > ? ORDER BY id");
    ps.bind(1, since);
    while (ps.step()) policies.push_back({{"id", ps.text(0)}, {"source", ps.text(1)}});
    auto ks = db_.prepare(
        "SELECT card_no, serial_no, model_code FROM prov_cards WHERE outlet_code = ? AND version > ? "
        "ORDER BY card_no");
    ks.bind(1, outlet_code).bind(2, since);
    while (ks.step())
      cards.push_back({{"card_no", ks.text(0)}, {"serial_no", ks.text(1)}, {"model_code", ks.text(2)}});
    db_.exec("COMMIT");
    return {{"version", v}, {"catalog", catalog}, {"policies", policies}, {"cards", cards}};
  } catch (...) {
    db_.exec("ROLLBACK");
    throw;
  }
}

}  // namespace hn::sandbox
