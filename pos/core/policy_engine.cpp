#include "core/policy_engine.hpp"

#include <algorithm>
#include <set>

#include "core/money.hpp"
#include "core/text.hpp"

namespace hn {

std::string_view hukou_code(Hukou h) {
  return h == Hukou::Agricultural ? "agricultural" : "non-agricultural";
}

std::optional<Hukou> parse_hukou(std::string_view code) {
  if (code == "agricultural") return Hukou::Agricultural;
  if (code == "non-agricultural") return Hukou::NonAgricultural;
  return std::nullopt;
}

TextCheck check_buyer_text(const Buyer& buyer) {
  if (auto name = check_text("buyer_name", trim(buyer.name), TextKind::PersonName); !name.ok()) return name;
  return check_text("household", trim(buyer.household), TextKind::Household);
}

namespace {
FindingVariant id_variant(IdNumberError e) {
  switch (e) {
    case IdNumberError::Empty: return FindingVariant::IdEmpty;
    case IdNumberError::WrongLength: return FindingVariant::IdLength;
    case IdNumberError::BadCharacter: return FindingVariant::IdCharacter;
    case IdNumberError::BadRegion: return FindingVariant::IdRegion;
    case IdNumberError::BadBirthDate: return FindingVariant::IdBirthDate;
    case IdNumberError::BadCheckDigit: return FindingVariant::IdCheckDigit;
  }
  return FindingVariant::Default;
}

void check_buyer(const SaleContext& ctx, const Buyer& buyer, SaleCheck& r) {
  auto& f = r.findings;
  if (buyer.name.empty())
    f.push_back(make_finding(FindingCode::BuyerIncomplete, Severity::Refuse, -1,
                             FindingVariant::BuyerNameMissing));
  if (buyer.household.empty())
    f.push_back(make_finding(FindingCode::BuyerIncomplete, Severity::Refuse, -1,
                             FindingVariant::BuyerHouseholdMissing));
  IdNumberError id_error{};
  r.buyer_id = IdNumber::parse(buyer.id_text, ctx.today, &id_error);
  if (!r.buyer_id)  // POLICY R4: identified by the resident ID card
    f.push_back(make_finding(FindingCode::IdInvalid, Severity::Refuse, -1, id_variant(id_error),
                             {{"id", mask_id_text(buyer.id_text)}}));
  if (buyer.hukou != Hukou::Agricultural)  // POLICY R4: agricultural households only
    f.push_back(make_finding(FindingCode::BuyerNotEligible, Severity::Refuse, -1));
  // POLICY R7: the household's county, from its address or else the ID number's region.
  std::optional<std::string> county = buyer.county;
  if (!county && r.buyer_id) county = r.buyer_id->region_code();
  if (county && !ctx.outlet.county.empty() && *county != ctx.outlet.county) {
    const auto sev = ctx.policy->county_mismatch == MismatchAction::Refuse ? Severity::Refuse
                                                                            : Severity::Warn;
    f.push_back(make_finding(FindingCode::CountyMismatch, sev, -1, FindingVariant::Default,
                             {{"buyer_county", *county}, {"outlet_county", ctx.outlet.county}}));
  }
}
}  // namespace

SaleCheck check_sale(const SaleContext& ctx, const Cart& cart) {
  SaleCheck r;
  check_buyer(ctx, cart.buyer, r);
  if (cart.items.empty())  // POLICY S3: an invoice has at least one product
    r.findings.push_back(make_finding(FindingCode::InvoiceEmpty, Severity::Refuse, -1));

  std::map<Category, int> held = ctx.history.held;
  std::set<std::string, std::less<>> seen_cards;
  for (std::size_t i = 0; i < cart.items.size(); ++i) {
    const CartItem& item = cart.items[i];
    const int idx = static_cast<int>(i);
    PricedLine line{item.card_no, item.serial_no, std::nullopt, item.price, 0, 0};
    const std::size_t refusals_before = r.findings.size();
    auto refuse = [&](FindingCode code, FindingVariant variant,
                      std::map<std::string, std::string> vars) {
      r.findings.push_back(make_finding(code, Severity::Refuse, idx, variant, vars));
    };
    const auto finish = [&]() {
      const bool ok = std::none_of(r.findings.begin() + static_cast<long>(refusals_before),
                                   r.findings.end(), [](const Finding& f) {
                                     return f.severity == Severity::Refuse;
                                   });
      if (line.price > 0) r.total += line.price;
      if (ok && line.model) {
        line.subsidy =
            ctx.policy->active_category(line.model->category)->subsidy.subsidy_for(line.price);
        r.subsidy += line.subsidy;
      }
      r.lines.push_back(std::move(line));
    };

    if (!is_valid_card_no(item.card_no)) {
      refuse(FindingCode::CardUnknown, FindingVariant::CardBadFormat, {{"card", item.card_no}});
      finish();
      continue;
    }
    if (!seen_cards.insert(item.card_no).second) {  // POLICY S1: one card, one unit
      refuse(FindingCode::CardAlreadySold, FindingVariant::CardTwiceInCart, {{"card", item.card_no}});
      finish();
      continue;
    }
    // POLICY S1: one card, one unit; a card reserved to a held sale (issue 16) is that sale's.
    if (i < ctx.held_by.size() && ctx.held_by[i] != 0) {
      refuse(FindingCode::CardHeld, FindingVariant::Default,
             {{"card", item.card_no}, {"hold", std::to_string(ctx.held_by[i])}});
      finish();
      continue;
    }
    const std::optional<LabelCard> card = i < ctx.cards.size() ? ctx.cards[i] : std::nullopt;
    const CardStatus status = card ? card->status : CardStatus::Unknown;
    if (status != CardStatus::InStock) {
      switch (status) {
        case CardStatus::NotReceived:  // POLICY R8
          refuse(FindingCode::CardNotReceived, FindingVariant::Default, {{"card", item.card_no}});
          break;
        case CardStatus::Sold:  // POLICY S1: a card can be sold once
          refuse(FindingCode::CardAlreadySold, FindingVariant::Default, {{"card", item.card_no}});
          break;
        case CardStatus::Returned:  // POLICY R6: a returned card is destroyed
          refuse(FindingCode::CardAlreadySold, FindingVariant::CardReturned, {{"card", item.card_no}});
          break;
        default:
          refuse(FindingCode::CardUnknown, FindingVariant::Default, {{"card", item.card_no}});
      }
      finish();
      continue;
    }
    // POLICY S1: the card must match the product sold.
    if (item.serial_no.empty()) {
      line.serial_no = card->serial_no;
    } else if (item.serial_no != card->serial_no) {
      refuse(FindingCode::CardSerialMismatch, FindingVariant::Default,
             {{"card", item.card_no}, {"serial", item.serial_no}, {"expected", card->serial_no}});
    }
    const CatalogModel* model = ctx.catalog->find(card->model_code);
    if (!model) {  // POLICY R1
      refuse(FindingCode::ModelNotEligible, FindingVariant::ModelNotInCatalog,
             {{"model", card->model_code}});
      finish();
      continue;
    }
    line.model = *model;
    const std::string cat_zh(category_name_zh(model->category));
    const std::string cat_en(category_name_en(model->category));
    if (ctx.today < model->valid_from) {  // POLICY R1: validity period
      refuse(FindingCode::ModelNotEligible, FindingVariant::ModelNotYetValid,
             {{"model", model->model_code}, {"date", model->valid_from.iso()}});
    } else if (model->valid_to && *model->valid_to < ctx.today) {
      refuse(FindingCode::ModelNotEligible, FindingVariant::ModelExpired,
             {{"model", model->model_code}, {"date", model->valid_to->iso()}});
    }
    const CategoryPolicy* cp = ctx.policy->active_category(model->category);
    if (!cp) {  // POLICY R2: category enabled by the policy phase
      refuse(FindingCode::ModelNotEligible, FindingVariant::CategoryInactive,
             {{"category_zh", cat_zh}, {"category_en", cat_en}, {"phase", ctx.policy->id}});
      line.model.reset();
      finish();
      continue;
    }
    // POLICY R3: held to both the model's bid price and the category cap.
    line.cap = std::min(model->max_price, cp->cap);
    if (item.price <= 0) {
      refuse(FindingCode::PriceInvalid, FindingVariant::Default, {{"price", format_yuan(item.price)}});
    } else if (item.price > line.cap) {
      const bool model_binds = model->max_price <= cp->cap;
      refuse(FindingCode::PriceOverCap,
             model_binds ? FindingVariant::PriceOverModelCap : FindingVariant::PriceOverCategoryCap,
             {{"price", format_yuan(item.price)},
              {"cap", format_yuan(line.cap)},
              {"model", model->model_code},
              {"category_zh", cat_zh},
              {"category_en", cat_en}});
    }
    // POLICY R5: at most N units per household and category, counting this cart.
    int& units = held[model->category];
    if (units + 1 > cp->household_limit) {
      refuse(FindingCode::HouseholdLimit, FindingVariant::Default,
             {{"category_zh", cat_zh},
              {"category_en", cat_en},
              {"held", std::to_string(units)},
              {"limit", std::to_string(cp->household_limit)}});
    } else {
      ++units;
    }
    finish();
  }

  for (const auto& [cat, cp] : ctx.policy->categories) {
    if (!cp.active) continue;
    const auto it = held.find(cat);
    r.remaining[cat] = std::max(0, cp.household_limit - (it == held.end() ? 0 : it->second));
  }
  return r;
}

}  // namespace hn
