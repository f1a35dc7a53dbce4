#pragma once
// What the policy engine says about a cart: each finding has a stable code (scripts and
// the province match on it), a severity, the item it concerns and a message in Chinese and
// English with the numbers in it. All message templates live in findings.cpp, one table.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hn {

enum class FindingCode {
  IdInvalid,
  BuyerNotEligible,
  BuyerIncomplete,  // extension: name or household number missing
  CardUnknown,
  CardNotReceived,
  CardAlreadySold,
  CardSerialMismatch,
  ModelNotEligible,
  PriceInvalid,
  PriceOverCap,
  HouseholdLimit,
  CountyMismatch,
  InvoiceEmpty,
  CardHeld,  // extension (issue 16): the card is reserved to a held sale (挂单)
};

std::string_view finding_code_name(FindingCode code);  // "PRICE_OVER_CAP"

enum class Severity { Refuse, Warn };
std::string_view severity_name(Severity s);  // "refuse" | "warn"

struct Finding {
  FindingCode code = FindingCode::InvoiceEmpty;
  Severity severity = Severity::Refuse;
  int item = -1;  // index into the cart's items; -1 for the buyer or the whole cart
  std::string message_zh;
  std::string message_en;
};

// Which variant of a code's message to use (a code may have several causes).
enum class FindingVariant {
  Default,
  IdEmpty, IdLength, IdCharacter, IdRegion, IdBirthDate, IdCheckDigit,
  BuyerNameMissing, BuyerHouseholdMissing,
  CardBadFormat, CardReturned, CardTwiceInCart,
  ModelNotInCatalog, ModelNotYetValid, ModelExpired, CategoryInactive,
  PriceOverModelCap, PriceOverCategoryCap,
};

// Builds a finding from the message table, substituting {name} placeholders from `vars`.
Finding make_finding(FindingCode code, Severity severity, int item,
                     FindingVariant variant = FindingVariant::Default,
                     const std::map<std::string, std::string>& vars = {});

bool has_refusal(const std::vector<Finding>& findings);

}  // namespace hn
