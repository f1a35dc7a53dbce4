#include "core/findings.hpp"

#include <algorithm>

namespace hn {

namespace {
struct Template {
  FindingCode code;
  FindingVariant variant;
  const char* zh;
  const char* en;
};

// Every message the engine can give, in both languages. Amounts are yuan ("2100.00"); ID
// numbers in messages are always masked (messages reach screens and logs).
constexpr Template kTemplates[] = {
    {FindingCode::IdInvalid, FindingVariant::IdEmpty, "请输入购买人身份证号码", "enter the buyer's ID number"},
    {FindingCode::IdInvalid, FindingVariant::IdLength, "身份证号码 {id} 应为 18 位(旧版为 15 位):请核对",
     "ID number {id} must have 18 characters (15 on a first-generation card): check it"},
    {FindingCode::IdInvalid, FindingVariant::IdCharacter, "身份证号码只能是数字,最后一位可以是 X:请核对",
     "an ID number has only digits, with X allowed as the last character: check it"},
    {FindingCode::IdInvalid, FindingVariant::IdRegion, "身份证号码 {id} 的前两位不是有效的省份代码:请核对",
     "ID number {id} does not start with a valid province code: check it"},
    {FindingCode::IdInvalid, FindingVariant::IdBirthDate, "身份证号码 {id} 中的出生日期无效:请核对",
     "the birth date in ID number {id} is not a real date: check it"},
    {FindingCode::IdInvalid, FindingVariant::IdCheckDigit, "身份证号码 {id} 校验位不符,可能输错了:请对照身份证重新输入",
     "the check digit of ID number {id} does not match, probably a typing error: enter it again from the card"},
    {FindingCode::BuyerNotEligible, FindingVariant::Default, "非农业户口不能享受家电下乡补贴",
     "a non-agricultural household is not eligible for the subsidy"},
    {FindingCode::BuyerIncomplete, FindingVariant::BuyerNameMissing, "请输入购买人姓名", "enter the buyer's name"},
    {FindingCode::BuyerIncomplete, FindingVariant::BuyerHouseholdMissing, "请输入户口簿上的户号",
     "enter the household number from the household register"},
    {FindingCode::CardUnknown, FindingVariant::Default, "标识卡 {card} 没有记录:请核对卡号",
     "label card {card} is not on record: check the number"},
    {FindingCode::CardUnknown, FindingVariant::CardBadFormat, "标识卡号 '{card}' 格式不对:应为 1-32 位字母、数字或 -",
     "card number '{card}' is malformed: it has 1-32 letters, digits or -"},
    {FindingCode::CardNotReceived, FindingVariant::Default,
     "标识卡 {card} 未在本网点做收货登记,不能销售:请先做收货登记",
     "label card {card} was not received by this outlet and cannot be sold here: register the goods receipt first"},
    {FindingCode::CardAlreadySold, FindingVariant::Default, "标识卡 {card} 已经售出,一张卡只能销售一次",
     "label card {card} has already been sold; a card can be sold once"},
    {FindingCode::CardAlreadySold, FindingVariant::CardReturned, "标识卡 {card} 已退货并销毁,不能再次销售",
     "label card {card} was returned and destroyed; it cannot be sold again"},
    {FindingCode::CardAlreadySold, FindingVariant::CardTwiceInCart, "标识卡 {card} 在本单中重复了",
     "label card {card} is in this sale twice"},
    {FindingCode::CardHeld, FindingVariant::Default,
     "标识卡 {card} 已被挂单 #{hold} 保留:请按 F8 取出该挂单完成销售,或请店长删除该挂单后再卖",
     "label card {card} is reserved to held sale #{hold}: recall that sale (F8) and finish it, or have a manager drop "
     "it before selling the card"},
    {FindingCode::CardSerialMismatch, FindingVariant::Default,
     "产品序列号 {serial} 与标识卡 {card} 登记的序列号 {expected} 不符:请扫描这台产品自己的标识卡",
     "serial {serial} does not match serial {expected} registered with card {card}: scan this unit's own card"},
    {FindingCode::ModelNotEligible, FindingVariant::ModelNotInCatalog, "型号 {model} 不在中标产品目录中,不能享受补贴",
     "model {model} is not in the winning-bid catalog and earns no subsidy"},
    {FindingCode::ModelNotEligible, FindingVariant::ModelNotYetValid, "型号 {model} 的中标有效期从 {date} 开始,现在还不能按补贴销售",
     "model {model} is in the catalog only from {date}; it cannot be sold with subsidy yet"},
    {FindingCode::ModelNotEligible, FindingVariant::ModelExpired, "型号 {model} 的中标有效期已于 {date} 结束",
     "model {model} left the catalog on {date}"},
    {FindingCode::ModelNotEligible, FindingVariant::CategoryInactive, "品类{category_zh}在当前补贴政策({phase})中未启用",
     "the category {category_en} is not enabled in the current policy ({phase})"},
    {FindingCode::PriceInvalid, FindingVariant::Default, "价格 {price} 元无效:必须大于 0",
     "price {price} is invalid: it must be above 0"},
    {FindingCode::PriceOverCap, FindingVariant::PriceOverModelCap,
     "价格 {price} 元超过型号 {model} 的中标限价 {cap} 元:只能降价,不能提价",
     "price {price} exceeds the cap {cap} of model {model}: prices may go down, never up"},
    {FindingCode::PriceOverCap, FindingVariant::PriceOverCategoryCap, "价格 {price} 元超过{category_zh}限价 {cap} 元",
     "price {price} exceeds the cap {cap} for {category_en}"},
    {FindingCode::HouseholdLimit, FindingVariant::Default,
     "该户已购买{category_zh} {held} 台,每户限购 {limit} 台",
     "this household already has {held} {category_en} (limit {limit} per household)"},
    {FindingCode::CountyMismatch, FindingVariant::Default,
     "购买人户籍所在县 {buyer_county} 与本网点所在县 {outlet_county} 不同:补贴在户籍所在地申领,跨县销售可能得不到补贴",
     "the buyer's county {buyer_county} differs from this outlet's county {outlet_county}: the subsidy is claimed where the household is registered, and a cross-county sale may earn none"},
    {FindingCode::InvoiceEmpty, FindingVariant::Default, "本单没有商品:请扫描产品标识卡",
     "the sale has no items: scan a label card"},
};

std::string substitute(const char* tmpl, const std::map<std::string, std::string>& vars) {
  std::string out;
  for (const char* p = tmpl; *p;) {
    if (*p == '{') {
      const char* close = p + 1;
      while (*close && *close != '}') ++close;
      if (*close == '}') {
        const auto it = vars.find(std::string(p + 1, close));
        if (it != vars.end()) {
          out += it->second;
          p = close + 1;
          continue;
        }
      }
    }
    out += *p++;
  }
  return out;
}
}  // namespace

std::string_view finding_code_name(FindingCode code) {
  switch (code) {
    case FindingCode::IdInvalid: return "ID_INVALID";
    case FindingCode::BuyerNotEligible: return "BUYER_NOT_ELIGIBLE";
    case FindingCode::BuyerIncomplete: return "BUYER_INCOMPLETE";
    case FindingCode::CardUnknown: return "CARD_UNKNOWN";
    case FindingCode::CardNotReceived: return "CARD_NOT_RECEIVED";
    case FindingCode::CardAlreadySold: return "CARD_ALREADY_SOLD";
    case FindingCode::CardSerialMismatch: return "CARD_SERIAL_MISMATCH";
    case FindingCode::ModelNotEligible: return "MODEL_NOT_ELIGIBLE";
    case FindingCode::PriceInvalid: return "PRICE_INVALID";
    case FindingCode::PriceOverCap: return "PRICE_OVER_CAP";
    case FindingCode::HouseholdLimit: return "HOUSEHOLD_LIMIT";
    case FindingCode::CountyMismatch: return "COUNTY_MISMATCH";
    case FindingCode::InvoiceEmpty: return "INVOICE_EMPTY";
    case FindingCode::CardHeld: return "CARD_HELD";
  }
  return "UNKNOWN";
}

std::string_view severity_name(Severity s) { return s == Severity::Refuse ? "refuse" : "warn"; }

Finding make_finding(FindingCode code, Severity severity, int item, FindingVariant variant,
                     const std::map<std::string, std::string>& vars) {
  const Template* chosen = nullptr;
  for (const auto& t : kTemplates) {
    if (t.code != code) continue;
    if (t.variant == variant) {
      chosen = &t;
      break;
    }
    if (!chosen) chosen = &t;  // first template of the code stands in for an unknown variant
  }
  Finding f{code, severity, item, {}, {}};
  if (chosen) {
    f.message_zh = substitute(chosen->zh, vars);
    f.message_en = substitute(chosen->en, vars);
  }
  return f;
}

bool has_refusal(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.severity == Severity::Refuse; });
}

}  // namespace hn
