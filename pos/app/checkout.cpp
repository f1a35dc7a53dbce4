// The sale at the counter: the live check as the clerk scans (preview) and the checkout, which
// checks again and commits the sale, its payments and its journal entry as one transaction.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "app/access.hpp"
#include "app/terminal.hpp"
#include "core/text.hpp"
#include "platform/crypto.hpp"

namespace hn::app {

SaleContext Terminal::context_for(const Cart& cart, const Catalog& catalog, const PolicyPhase& phase,
                                  const std::optional<HouseholdHistory>& elsewhere) {
  SaleContext ctx;
  ctx.catalog = &catalog;
  ctx.policy = &phase;
  ctx.outlet = outlet();
  ctx.today = now().date;
  if (!cart.buyer.household.empty()) ctx.history = store_.households().history(cart.buyer.household);
  // POLICY R5 counts the household's units at every outlet: add what the province knows.
  if (elsewhere)
    for (const auto& [cat, n] : elsewhere->held) ctx.history.held[cat] += n;
  for (const auto& item : cart.items)
    ctx.cards.push_back(is_valid_card_no(item.card_no)
                            ? store_.cards().find(item.card_no, ctx.outlet.code)
                            : std::nullopt);
  // Cards reserved to a held sale other than the one this cart was recalled from (issue 16).
  const std::string cutoff = hold_cutoff();
  for (const auto& item : cart.items)
    ctx.held_by.push_back(is_valid_card_no(item.card_no) ? store_.held_sales().card_held_by(item.card_no, cutoff, cart.held_id)
                                                         : 0);
  return ctx;
}

SaleCheck Terminal::preview(const Cart& cart) {
  // The check's reads in one read transaction: one snapshot, one lock.
  platform::ReadTransaction read(store_.db());
  const FreshCaches fresh(*this);
  if (!catalog_cache_) catalog_cache_ = store_.catalog().load();
  const PolicyPhase phase = policy();
  return check_sale(context_for(cart, *catalog_cache_, phase), cart);
}

Result<CheckoutResult> Terminal::checkout(const UserRecord& clerk, const Cart& cart) {
  return checkout(clerk, cart, {});
}

Result<CheckoutResult> Terminal::checkout(const UserRecord& clerk, const Cart& cart,
                                          const std::vector<Payment>& payments) {
  if (!has_role(clerk, {Role::Clerk, Role::Manager})) return role_refused(clerk);
  // The buyer's name goes onto the invoice and the printer: no control characters, no novel.
  if (const auto text = check_buyer_text(cart.buyer); !text.ok()) return text_refused(text);
  if (auto key = require_signing_key(); !key) return key.problem();
  CheckoutResult result;
  // Ask the province first, outside the transaction (the network must never hold the database).
  std::optional<HouseholdHistory> elsewhere;
  bool provisional = false;
  if (remote_history_ && !cart.buyer.household.empty()) {
    const RemoteAnswer answer = remote_history_(cart.buyer.household);
    elsewhere = answer.held;
    provisional = answer.asked && !answer.held;
  }
  step_done("before the transaction: role, text, signing key, province");
  // The check runs inside the write transaction, so no other process can sell the same card
  // or use the same quota between the check and the commit. The caches are checked once, under
  // the write lock: the catalog and policy the sale is checked against are the ones it commits on.
  platform::Transaction tx(store_.db());
  const FreshCaches fresh(*this);
  if (!catalog_cache_) catalog_cache_ = store_.catalog().load();
  const PolicyPhase phase = policy();
  const LocalTime at = now();
  step_done("BEGIN IMMEDIATE, data_version, policy and clock");
  result.check = check_sale(context_for(cart, *catalog_cache_, phase, elsewhere), cart);
  step_done("policy check: household history, cards, holds, rules");
  if (result.check.refused()) {
    // Nothing of the sale is kept (no invoice number, card or outbox row); the attempt itself
    // goes into the journal for the manager's report: who, when, which rules.
    journal_refusal(clerk, result.check);
    tx.commit();
    return result;
  }
  // The payments against the total, before anything of the sale is written.
  const Settlement paid = settle_payments(result.check.total, payments);
  if (!paid.ok()) {
    const PaymentProblem& p = *paid.problem;
    return p.code == "PAYMENT_SHORT" ? refused(p.code, p.message_zh, p.message_en)
                                     : bad_input(p.code, p.message_zh, p.message_en);
  }

  store::SaleRecord sale;
  sale.uuid = platform::new_uuid();
  sale.invoice_no = store_.sales().next_invoice_no();
  sale.sold_at = at.iso();
  sale.sale_date = at.date;
  sale.user_id = clerk.id;
  sale.buyer_name = trim(cart.buyer.name);
  sale.buyer_id = result.check.buyer_id->digits();
  sale.household = cart.buyer.household;
  sale.hukou = cart.buyer.hukou;
  sale.buyer_county = cart.buyer.county.value_or(result.check.buyer_id->region_code());
  sale.policy_phase = phase.id;
  sale.total = result.check.total;
  sale.subsidy = result.check.subsidy;
  nlohmann::json warnings = nlohmann::json::array();
  for (const auto& f : result.check.findings) {
    if (!sale.warnings.empty()) sale.warnings += ",";
    sale.warnings += finding_code_name(f.code);
    warnings.push_back(finding_code_name(f.code));
  }
  nlohmann::json items = nlohmann::json::array();
  int line_no = 0;
  for (const auto& l : result.check.lines) {
    store::SaleItemRecord it;
    it.line_no = ++line_no;
    it.card_no = l.card_no;
    it.serial_no = l.serial_no;
    it.model_code = l.model->model_code;
    it.category = l.model->category;
    it.brand = l.model->brand;
    it.name = l.model->name;
    it.spec = l.model->spec;
    it.price = l.price;
    it.subsidy = l.subsidy;
    items.push_back({{"card", it.card_no},
                     {"serial", it.serial_no},
                     {"model", it.model_code},
                     {"category", category_code(it.category)},
                     {"price", it.price},
                     {"subsidy", it.subsidy}});
    sale.items.push_back(std::move(it));
  }
  step_done("invoice number, sale record, JSON of the lines");
  const store::Sales::BuyerHashes hashes = store_.sales().buyer_hashes(sale);
  nlohmann::json jpayments = nlohmann::json::array();
  for (const auto& p : paid.payments) {
    nlohmann::json jp = {{"method", payment_method_code(p.method)}, {"amount", p.amount}};
    if (!p.reference.empty()) jp["reference"] = p.reference;
    jpayments.push_back(std::move(jp));
  }
  // The journal entry first, so the sale's row is written pointing at it (no second write of
  // the row). The journal holds no personal data in clear: the masked ID and keyed hashes only.
  const auto entry = journal(clerk, "sale",
          {{"sale_uuid", sale.uuid},
           {"invoice_no", format_invoice_no(sale.invoice_no)},
           {"buyer_id_masked", mask_id_text(sale.buyer_id)},
           {"buyer_id_hash", hashes.id_hash},
           {"household_hash", hashes.household_hash},
           {"policy_phase", sale.policy_phase},
           {"total", sale.total},
           {"subsidy", sale.subsidy},
           {"items", items},
           {"payments", jpayments},
           {"change", paid.change},
           {"warnings", warnings},
           {"provisional", provisional}});
  step_done("journal entry: keyed hashes, JSON, chain hash");
  store_.sales().insert(sale, hashes, entry.seq);
  store_.sales().insert_payments(sale.id, paid.payments, paid.change);
  result.payments = paid.payments;
  result.change = paid.change;
  if (provisional) store_.sales().mark_provisional(sale.id);
  result.provisional = provisional;
  step_done("sale rows: sale, items, cards, payments, outbox");
  settle_hold_on_sale(clerk, cart, sale);  // a recalled held sale is sold: its cards are the sale's
  step_done("held sale");
  tx.commit();
  step_done("COMMIT: WAL append, fsync, journal head file");
  // Only after COMMIT returns is there an invoice to print (DESIGN.md "Data").
  const JustSold just_sold{clerk.name, paid.payments, paid.change, entry.hash};
  result.invoice = make_invoice(sale, 0, &just_sold);
  step_done("invoice: QR code signed");
  result.sale = std::move(sale);
  return result;
}

void Terminal::journal_refusal(const UserRecord& clerk, const SaleCheck& check) {
  nlohmann::json codes = nlohmann::json::array();
  for (const auto& f : check.findings) {
    if (f.severity != Severity::Refuse) continue;
    const std::string code(finding_code_name(f.code));
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
  }
  // No buyer name, ID or household number: the journal holds no personal data in clear.
  journal(clerk, "sale_refused", {{"codes", codes}, {"items", check.lines.size()}});
}

void Terminal::record_refused_attempt(const UserRecord& clerk, const SaleCheck& check) {
  if (!check.refused()) return;
  platform::Transaction tx(store_.db());
  journal_refusal(clerk, check);
  tx.commit();
}

}  // namespace hn::app
