// The province takes a terminal's sales (POST /v1/sales): each checked against the rules
// and the other outlets' sales, kept once by its uuid.
#include "province.hpp"

#include <algorithm>
#include <chrono>

#include "core/date.hpp"
#include "core/label_card.hpp"
#include "core/money.hpp"
#include "province_internal.hpp"
#include "platform/signing.hpp"

namespace hn::sandbox {

using platform::Transaction;
using sync::UploadResult;
using sync::WireSale;
using namespace detail;

namespace {
// SUBSIDY_MISMATCH when a line, or the sale, claims another subsidy than `check` computed;
// both figures in the message, of the first line that differs and of the whole sale.
std::optional<UploadResult> subsidy_mismatch(const UploadedSale& uploaded, const SaleCheck& check) {
  const WireSale& s = uploaded.sale;
  std::string zh, en;
  for (std::size_t i = 0; i < check.lines.size() && i < uploaded.line_subsidies.size(); ++i) {
    const Fen claimed = uploaded.line_subsidies[i], rule = check.lines[i].subsidy;
    if (claimed == rule) continue;
    const std::string line = std::to_string(i + 1), card = check.lines[i].card_no;
    zh = "第 " + line + " 行(标识卡 " + card + ")申报补贴 " + format_yuan(claimed) + " 元,按补贴规则应为 " +
         format_yuan(rule) + " 元";
    en = "line " + line + " (card " + card + ") claims a subsidy of " + format_yuan(claimed) +
         ", the rule gives " + format_yuan(rule);
    break;
  }
  // With one line the sale's figures are the line's: said once.
  if (s.subsidy != check.subsidy && (zh.empty() || check.lines.size() > 1)) {
    zh += (zh.empty() ? "" : ";") + std::string("全单申报补贴 ") + format_yuan(s.subsidy) + " 元,按补贴规则应为 " +
          format_yuan(check.subsidy) + " 元";
    en += (en.empty() ? "" : "; ") + std::string("the sale claims a subsidy of ") + format_yuan(s.subsidy) +
          " in all, the rule gives " + format_yuan(check.subsidy);
  }
  if (zh.empty()) return std::nullopt;
  return detail::rejected(
      s.uuid, "SUBSIDY_MISMATCH",
      "补贴申报与补贴规则不符:" + zh + "。省平台不予接收:请技术支持检查终端,并将此销售转为无补贴销售或取消",
      "the subsidy claimed is not the rule's: " + en +
          ". The province does not take the sale: have support check the terminal, and settle the sale as "
          "unsubsidised or cancel it");
}
}  // namespace

void Province::count_duplicate(const std::string& outlet_code, const char* kind, const UploadResult& r,
                               const std::string& now_iso) {
  if (r.status != "duplicate") return;
  Use st(st_->duplicate_count);
  st->bind(1, outlet_code).bind(2, kind).bind(3, now_iso).run();
}

std::vector<UploadResult> Province::upload_sales(const Outlet& outlet, const std::vector<UploadedSale>& sales) {
  refresh();
  const std::string now = local_now_iso();
  std::vector<UploadResult> out;
  out.reserve(sales.size());
  // One batch, one transaction: the sales are checked in order, each against the province as
  // the ones before it left it (a second TV for the same household in the batch is refused).
  Transaction tx(db_);
  for (const auto& s : sales) {
    out.push_back(upload_one(outlet, s, now));
    count_duplicate(outlet.code, "sale", out.back(), now);
  }
  tx.commit();
  return out;
}

UploadResult Province::upload_one(const Outlet& outlet, const UploadedSale& uploaded, const std::string& now) {
  const WireSale& s = uploaded.sale;
  {
    // The UUID is the idempotency key forever: accepted once, a duplicate ever after; a
    // rejected one is rejected again with the same code.
    Use find(st_->sale_find);
    find->bind(1, s.uuid);
    if (find->step()) {
      // Never "duplicate" for another outlet's sale: that outlet would take its own sale,
      // which the province does not hold, as delivered.
      if (find->text(4) != outlet.code) return uuid_conflict(s.uuid);
      if (find->text(0) == "accepted") return UploadResult{s.uuid, "duplicate", "", "", ""};
      return rejected(s.uuid, find->text(1), find->text(2), find->text(3));
    }
  }

  Cart cart;
  cart.buyer = s.buyer;
  for (const auto& item : s.items) cart.items.push_back({item.card_no, item.serial_no, item.price});
  SaleContext ctx;
  ctx.catalog = &catalog_;
  ctx.policy = &policy_;
  ctx.outlet = outlet;  // its county from the outlets table (POLICY R7)
  ctx.today = *parse_iso_date(s.sale_date);  // checked as of the sale's own date
  if (!s.buyer.household.empty()) ctx.history = history(s.buyer.household, nullptr);
  for (const auto& item : s.items)
    ctx.cards.push_back(is_valid_card_no(item.card_no) ? card_for(item.card_no, outlet.code)
                                                       : std::nullopt);
  // The same engine as the terminal: POLICY R1-R8, S1-S3.
  const SaleCheck check = check_sale(ctx, cart);

  UploadResult r{s.uuid, "accepted", "", "", ""};
  std::string warnings;
  for (const auto& f : check.findings) {
    if (f.severity == Severity::Refuse) {
      if (r.code.empty()) r = rejected(s.uuid, std::string(finding_code_name(f.code)), f.message_zh, f.message_en);
    } else {
      // Warnings (COUNTY_MISMATCH by default, POLICY R7) do not reject.
      warnings += (warnings.empty() ? "" : ",") + std::string(finding_code_name(f.code));
    }
  }
  // A sale the rules allow still claims exactly the rule's subsidy, line by line; anything
  // else comes from a broken or tampered terminal and is never quietly rewritten (POLICY S2).
  if (r.code.empty())
    if (auto wrong = subsidy_mismatch(uploaded, check)) r = std::move(*wrong);
  const bool ok = r.status == "accepted";

  Use ins(st_->sale_insert);
  ins->bind(1, s.uuid).bind(2, outlet.code).bind(3, s.invoice_no).bind(4, s.sold_at);
  ins->bind(5, s.sale_date).bind(6, s.policy_phase).bind(7, s.buyer.name).bind(8, s.buyer.id_text);
  ins->bind(9, s.buyer.household).bind(10, hukou_code(s.buyer.hukou)).bind(11, s.buyer.county);
  // Accepted, the claim is the engine's figure; rejected, the row keeps what was claimed.
  ins->bind(12, ok ? check.total : s.total).bind(13, ok ? check.subsidy : s.subsidy);
  ins->bind(14, ok ? "accepted" : "rejected").bind(15, r.code).bind(16, r.message_zh);
  ins->bind(17, r.message_en).bind(18, warnings).bind(19, now);
  ins->run();
  if (!ok) return r;  // a rejected sale is not stored as sold

  const std::int64_t sale_id = db_.last_insert_rowid();
  for (std::size_t i = 0; i < check.lines.size(); ++i) {
    const PricedLine& line = check.lines[i];
    {
      Use item(st_->item_insert);
      item->bind(1, sale_id).bind(2, static_cast<std::int64_t>(i + 1)).bind(3, line.card_no);
      item->bind(4, line.serial_no).bind(5, line.model->model_code);
      item->bind(6, category_code(line.model->category)).bind(7, line.price).bind(8, line.subsidy);
      item->run();
    }
    Use sold(st_->card_set_state);  // POLICY S1: sold once, province-wide
    sold->bind(1, "sold").bind(2, line.card_no).run();
  }
  return r;
}

}  // namespace hn::sandbox
