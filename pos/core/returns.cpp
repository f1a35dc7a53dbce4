#include "core/returns.hpp"

#include <array>
#include <cctype>
#include <utility>

#include "core/label_card.hpp"

namespace hn {

namespace {
struct StateNames {
  SubsidyState state;
  std::string_view code, zh, en;
};
constexpr std::array<StateNames, 8> kCodes = {{
    {SubsidyState::NeverUploaded, "never_uploaded", "未上传", "never uploaded"},
    {SubsidyState::Unreachable, "unreachable", "无法查询", "province unreachable"},
    {SubsidyState::NotClaimed, "not_claimed", "未申报", "not claimed"},
    {SubsidyState::Claimed, "claimed", "已申报", "claimed"},
    {SubsidyState::Approved, "approved", "核查通过", "approved"},
    {SubsidyState::Paid, "paid", "已领取补贴", "paid"},
    {SubsidyState::Refunded, "refunded", "补贴已退", "repaid by the buyer"},
    {SubsidyState::Rejected, "rejected", "核查未通过", "claim refused"},
}};

ReturnDecision complete(std::string zh, std::string en) {
  return {ReturnStep::CompleteNow, "", std::move(zh), std::move(en)};
}
}  // namespace

std::string_view subsidy_state_code(SubsidyState s) {
  for (const auto& n : kCodes)
    if (n.state == s) return n.code;
  return "unknown";
}

std::optional<SubsidyState> parse_subsidy_state(std::string_view code) {
  for (const auto& n : kCodes)
    if (n.code == code) return n.state;
  return std::nullopt;
}

std::string subsidy_state_words(std::string_view code) {
  for (const auto& n : kCodes)
    if (n.code == code) return std::string(n.zh) + " (" + std::string(n.en) + ")";
  return std::string(code);
}

ReturnDecision decide_return(SubsidyState state, const ReturnFiled& filed) {
  const std::string take_back = "收回商品,退款,收回并销毁标识卡";
  const std::string take_back_en = "take the goods back, refund the buyer, take back and destroy the label card";
  switch (state) {
    case SubsidyState::NeverUploaded:
      // POLICY returns: the province never had the sale, so no subsidy can have been claimed.
      return complete("销售未上传省平台,可直接退货:" + take_back,
                      "the sale never reached the province, so it returns at once: " + take_back_en);
    case SubsidyState::NotClaimed:
      return complete("补贴未申报,可直接退货:" + take_back, "no subsidy was claimed: " + take_back_en);
    case SubsidyState::Rejected:
      return complete("补贴申报未通过核查,可直接退货:" + take_back,
                      "the subsidy claim was refused: " + take_back_en);
    case SubsidyState::Refunded:
      return complete("乡镇财政所已确认补贴退还(补贴已退,可退货):" + take_back +
                          ";请核对发票上财政所的签章",
                      "the township finance office confirmed the repayment: " + take_back_en +
                          "; check the office's endorsement on the invoice");
    case SubsidyState::Claimed:
      // POLICY returns: the outlet helps cancel the registered claim first, then returns.
      return {ReturnStep::CancelClaimThenComplete, "",
              "补贴已申报未核查:本机先撤销申报,再退货:" + take_back,
              "the subsidy is claimed, not yet checked: the claim is cancelled first, then " + take_back_en};
    case SubsidyState::Approved:
      if (!filed.pre_return)
        return {ReturnStep::FilePreReturn, "payment_run",
                "补贴已核查通过未发放:已提交预退货;待补贴发放后,购买人须到乡镇财政所退还补贴,再来办理退货",
                "the subsidy is approved, not yet paid: a pre-return is filed; after the payment run the "
                "buyer repays at the township finance office, then comes back"};
      return {ReturnStep::Wait, "payment_run", "已提交预退货,等待补贴发放;暂不能退货,商品留在购买人处",
              "pre-return filed, waiting for the payment run: the return cannot complete yet; the goods "
              "stay with the buyer"};
    case SubsidyState::Paid:
      if (!filed.return_request)
        return {ReturnStep::FileReturnRequest, "buyer_refund",
                "补贴已发放:已提交退货申请;请打印《家电下乡补贴资金申报(退还)表》交购买人,持原发票到乡镇财政所退还补贴,"
                "财政所签署“补贴已退,可退货”后再来办理",
                "the subsidy was paid: a return request is filed; print the subsidy refund form for the "
                "buyer, who repays at the township finance office with the original invoice and comes back "
                "once the office has endorsed it"};
      return {ReturnStep::Wait, "buyer_refund", "等待购买人到乡镇财政所退还补贴;财政所确认后自动完成",
              "waiting for the buyer to repay the subsidy at the township finance office; the return "
              "completes once the office confirms it"};
    case SubsidyState::Unreachable:
      break;
  }
  return {ReturnStep::Wait, "province", "省平台暂时无法联系:退货申请已保存,联网后自动查询补贴状态并继续",
          "the province cannot be reached: the return is saved and continues by itself once the network "
          "is back"};
}

std::optional<ReturnLookup> parse_return_lookup(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  auto all_digits = [](std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (text.rfind("HNPOS1;", 0) == 0 || text.rfind("HNPOS2;", 0) == 0) {  // the receipt's QR code
    const std::string_view key = text[5] == '1' ? ";invoice=" : ";n=";
    const auto at = text.find(key);
    if (at == std::string_view::npos) return std::nullopt;
    auto no = text.substr(at + key.size());
    no = no.substr(0, no.find(';'));
    if (!all_digits(no) || no.size() > 8) return std::nullopt;
    return ReturnLookup{std::stoll(std::string(no)), ""};
  }
  if (all_digits(text) && text.size() <= 8) {
    const auto n = std::stoll(std::string(text));
    if (n <= 0) return std::nullopt;
    return ReturnLookup{n, ""};
  }
  if (is_valid_card_no(std::string(text))) return ReturnLookup{0, std::string(text)};
  return std::nullopt;
}

}  // namespace hn
