// Returns: subsidy first, goods second (POLICY "Returns", R6). A return is opened with a
// manager's approval and advanced by the province's word on the card's subsidy; each step is
// one transaction with its journal entry, its outbox rows and the paper it printed.
#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "app/access.hpp"
#include "app/terminal.hpp"
#include "core/id_number.hpp"

namespace hn::app {

namespace {
std::string numbered(char prefix, std::int64_t n) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%c%08lld", prefix, static_cast<long long>(n));
  return buf;
}

const store::SaleItemRecord* item_of(const store::SaleRecord& sale, std::int64_t item_id) {
  for (const auto& i : sale.items)
    if (i.id == item_id) return &i;
  return nullptr;
}
}  // namespace

SubsidyState Terminal::subsidy_state_of(const store::SaleRecord& sale, const std::string& card_no) {
  // A sale the province never took (still queued, or rejected) cannot carry a claim.
  if (store_.sales().upload_state(sale.id) != "accepted") return SubsidyState::NeverUploaded;
  if (!subsidy_lookup_) return SubsidyState::Unreachable;
  return subsidy_lookup_(card_no);
}

Result<ReturnResult> Terminal::return_item(const UserRecord& actor, const UserRecord& approver,
                                           std::int64_t invoice_no, const std::string& card_no,
                                           const std::string& reason) {
  if (!has_role(actor, {Role::Clerk, Role::Manager})) return role_refused(actor);
  if (approver.role != Role::Manager)
    return not_permitted("APPROVER_NOT_MANAGER", "退货须由店长批准:" + approver.login + " 不是店长",
                         "a return needs a manager's approval: " + approver.login + " is not a manager");
  if (const auto text = check_text("reason", reason, TextKind::Reason); !text.ok()) return text_refused(text);
  const std::string no = format_invoice_no(invoice_no);
  // Checked twice: before asking the province (no transaction may wait on the network) and
  // again inside the transaction that writes.
  auto check = [&](std::optional<store::SaleRecord>& sale) -> std::optional<Problem> {
    sale = store_.sales().find_by_invoice(invoice_no);
    if (!sale)
      return bad_input("INVOICE_NOT_FOUND", "没有发票 " + no + ":请核对发票号码",
                       "there is no invoice " + no + ": check the invoice number");
    const auto item = std::find_if(sale->items.begin(), sale->items.end(),
                                   [&](const auto& i) { return i.card_no == card_no; });
    if (item == sale->items.end())
      return bad_input("CARD_NOT_ON_INVOICE", "标识卡 " + quote_for_message(card_no) + " 不在发票 " + no + " 上",
                       "card " + quote_for_message(card_no) + " is not on invoice " + no);
    if (store_.sales().settlement(sale->id) == store::SaleSettlement::Cancelled)
      return refused("SALE_CANCELLED", "发票 " + no + " 的销售已取消作废,不能再退货",
                     "the sale on invoice " + no + " was cancelled and its invoice voided: nothing to return");
    if (item->returned)
      return refused("ALREADY_RETURNED", "发票 " + no + " 上的标识卡 " + card_no + " 已经退货",
                     "card " + card_no + " on invoice " + no + " has already been returned");
    if (const auto open = store_.returns().open_request_for_item(item->id))
      return refused("RETURN_ALREADY_OPEN",
                     "标识卡 " + card_no + " 的退货已在办理中(退货单 " + numbered('R', open->id) +
                         "):请用 huinong returns list 查看进展",
                     "a return of card " + card_no + " is already under way (" + numbered('R', open->id) +
                         "): see huinong returns list");
    return std::nullopt;
  };
  std::optional<store::SaleRecord> sale;
  if (auto p = check(sale)) return *p;
  const SubsidyState state = subsidy_state_of(*sale, card_no);

  platform::Transaction tx(store_.db());
  if (auto p = check(sale)) return *p;
  const auto item = std::find_if(sale->items.begin(), sale->items.end(),
                                 [&](const auto& i) { return i.card_no == card_no; });
  store::ReturnRequest req;
  req.sale_id = sale->id;
  req.item_id = item->id;
  req.card_no = card_no;
  req.opened_at = now().iso();
  req.user_id = actor.id;
  req.approver_id = approver.id;
  req.reason = reason;
  req.province_state = std::string(subsidy_state_code(state));
  req.id = store_.returns().open_request(req);
  journal(actor, "return_opened",
          {{"request", numbered('R', req.id)},
           {"invoice_no", no},
           {"sale_uuid", sale->uuid},
           {"card", card_no},
           {"approver", approver.login},
           {"reason", reason},
           {"province_state", req.province_state}});
  ReturnResult r = take_return_step(req, std::move(*sale), state, actor.login);
  tx.commit();
  return r;
}

ReturnResult Terminal::take_return_step(store::ReturnRequest request, store::SaleRecord sale, SubsidyState state,
                                        const std::string& actor_login) {
  ReturnResult r;
  const std::string at = now().iso();
  const std::string before = request.province_state + "|" + request.waits_for;
  r.decision = decide_return(state, {request.pre_return_filed, request.return_request_filed});
  // What the province said stands; "unreachable" does not overwrite what was last known.
  if (state != SubsidyState::Unreachable) request.province_state = std::string(subsidy_state_code(state));
  request.updated_at = at;
  r.item = *item_of(sale, request.item_id);
  r.sale = std::move(sale);
  r.request = request;
  switch (r.decision.step) {
    case ReturnStep::CancelClaimThenComplete:
      store_.returns().add_event(request.id, "cancel_claim", at);  // goes up before the return
      [[fallthrough]];
    case ReturnStep::CompleteNow:
      complete_return(r, at, actor_login);
      r.changed = true;
      return r;
    case ReturnStep::FilePreReturn:
      store_.returns().add_event(request.id, "pre_return", at);
      r.request.pre_return_filed = true;
      r.changed = true;
      break;
    case ReturnStep::FileReturnRequest: {
      store_.returns().add_event(request.id, "return_request", at);
      r.request.return_request_filed = true;
      r.changed = true;
      // The subsidy refund form for the buyer to take to the township finance office.
      const Outlet o = outlet();
      RefundFormData d;
      d.form_no = numbered('F', request.id);
      d.outlet_code = o.code;
      d.outlet_name = o.name;
      d.county = o.county;
      d.buyer_name = r.sale.buyer_name;
      d.buyer_id = r.sale.buyer_id;
      d.household = r.sale.household;
      d.invoice_no = format_invoice_no(r.sale.invoice_no);
      d.sale_date = r.sale.sale_date;
      d.card_no = r.item.card_no;
      d.serial_no = r.item.serial_no;
      d.model_code = r.item.model_code;
      d.brand = r.item.brand;
      d.product_name = r.item.name;
      d.category = r.item.category;
      d.price = r.item.price;
      d.subsidy = r.item.subsidy;
      d.issued_at = now();
      d.reason = request.reason;
      r.refund_form = refund_form(d);
      store_.returns().add_document(request.id, {"refund_form", d.form_no, render_document_text(*r.refund_form), at});
      break;
    }
    case ReturnStep::Wait:
      break;
  }
  r.request.waits_for = r.decision.waits_for;
  store_.returns().update_request(r.request);
  r.changed = r.changed || before != r.request.province_state + "|" + r.request.waits_for;
  if (r.changed)
    store_.journal(at, actor_login, "return_waiting",
                   {{"request", numbered('R', request.id)},
                    {"card", request.card_no},
                    {"province_state", r.request.province_state},
                    {"waits_for", r.request.waits_for},
                    {"pre_return_filed", r.request.pre_return_filed},
                    {"return_request_filed", r.request.return_request_filed}});
  return r;
}

void Terminal::complete_return(ReturnResult& r, const std::string& at, const std::string& actor_login) {
  store::ReturnRecord rec;
  rec.sale_id = r.sale.id;
  rec.item_id = r.item.id;
  rec.card_no = r.item.card_no;
  rec.returned_at = at;
  rec.return_date = now().date;
  rec.user_id = r.request.user_id;
  rec.approver_id = r.request.approver_id;
  rec.reason = r.request.reason;
  rec.price = r.item.price;
  rec.subsidy = r.item.subsidy;
  // A sale the province rejected is not the province's to hear about again.
  const bool tell_province = store_.sales().upload_state(r.sale.id) != "rejected";
  r.return_id = store_.returns().insert(rec, tell_province);
  r.completed = true;
  r.request.state = "completed";
  r.request.closed_at = at;
  r.request.return_id = r.return_id;
  r.request.waits_for.clear();
  store_.returns().update_request(r.request);
  r.item.returned = true;
  for (auto& i : r.sale.items)
    if (i.id == r.item.id) i.returned = true;

  // The paper kept 3 years: the credit note and the voided invoice's copy.
  const Outlet o = outlet();
  CreditNoteData d;
  d.note_no = numbered('C', r.return_id);
  d.outlet_code = o.code;
  d.outlet_name = o.name;
  d.terminal_id = settings().terminal_id;
  d.buyer_name = r.sale.buyer_name;
  d.buyer_id_masked = mask_id_text(r.sale.buyer_id);
  d.invoice_no = format_invoice_no(r.sale.invoice_no);
  d.card_no = r.item.card_no;
  d.serial_no = r.item.serial_no;
  d.model_code = r.item.model_code;
  d.brand = r.item.brand;
  d.product_name = r.item.name;
  d.refund = r.item.price;
  d.subsidy_returned = r.item.subsidy;
  d.province_state = r.request.province_state;
  d.completed_at = now();
  if (const auto approver = store_.users().find(r.request.approver_id)) d.approver_name = approver->name;
  d.reason = r.request.reason;
  r.credit_note = credit_note(d);
  store_.returns().add_document(r.request.id, {"credit_note", d.note_no, render_document_text(*r.credit_note), at});
  store_.returns().add_document(r.request.id, {"voided_invoice", d.invoice_no,
                                            render_invoice_text(make_invoice(r.sale, 0)), at});
  const auto approver = store_.users().find(r.request.approver_id);
  store_.journal(at, actor_login, "return",
                 {{"request", numbered('R', r.request.id)},
                  {"credit_note", d.note_no},
                  {"invoice_no", d.invoice_no},
                  {"sale_uuid", r.sale.uuid},
                  {"card", r.item.card_no},
                  {"price", r.item.price},
                  {"subsidy", r.item.subsidy},
                  {"approver", approver ? approver->login : ""},
                  {"reason", r.request.reason},
                  {"province_state", r.request.province_state},
                  {"card_destroyed", true}});
}

Result<ReturnResult> Terminal::load_request(std::int64_t request_id) {
  const auto req = store_.returns().find_request(request_id);
  if (!req)
    return bad_input("RETURN_NOT_FOUND", "没有退货单 " + numbered('R', request_id) + ":请用 huinong returns list 查看",
                     "there is no return " + numbered('R', request_id) + ": see huinong returns list");
  auto sale = store_.sales().find(req->sale_id);
  if (!sale) throw std::runtime_error("return " + std::to_string(request_id) + " names a sale that is not there");
  ReturnResult r;
  r.request = *req;
  r.item = *item_of(*sale, req->item_id);
  r.sale = std::move(*sale);
  r.completed = req->state == "completed";
  r.return_id = req->return_id;
  if (req->state == "open") {
    const auto state = parse_subsidy_state(req->province_state).value_or(SubsidyState::Unreachable);
    r.decision = decide_return(state, {req->pre_return_filed, req->return_request_filed});
    if (req->waits_for == "province") r.decision = decide_return(SubsidyState::Unreachable, {});
  }
  return r;
}

Result<ReturnResult> Terminal::return_status(std::int64_t request_id) { return load_request(request_id); }

Result<ReturnResult> Terminal::advance_return(std::int64_t request_id) {
  auto loaded = load_request(request_id);
  if (!loaded) return loaded;
  if (loaded->request.state != "open")
    return refused("RETURN_CLOSED", "退货单 " + numbered('R', request_id) + " 已结束(" + loaded->request.state + ")",
                   "return " + numbered('R', request_id) + " is closed (" + loaded->request.state + ")");
  const SubsidyState state = subsidy_state_of(loaded->sale, loaded->request.card_no);
  platform::Transaction tx(store_.db());
  const auto req = store_.returns().find_request(request_id);  // as it is now, inside the transaction
  if (!req || req->state != "open") return load_request(request_id);
  ReturnResult r = take_return_step(*req, std::move(loaded->sale), state, "sync");
  tx.commit();
  return r;
}

std::vector<ReturnResult> Terminal::advance_open_returns() {
  std::vector<ReturnResult> changed;
  for (const auto& req : store_.returns().requests("open")) {
    auto r = advance_return(req.id);
    if (r && r->changed) changed.push_back(std::move(r.value()));
  }
  return changed;
}

Result<ReturnResult> Terminal::cancel_return(const UserRecord& actor, std::int64_t request_id,
                                             const std::string& reason) {
  if (!has_role(actor, {Role::Manager})) return role_refused(actor);
  if (reason.find_first_not_of(" \t") == std::string::npos)
    return bad_input("REASON_REQUIRED", "请写明撤销退货的理由(会记入日志)",
                     "give the reason for withdrawing the return (it goes into the journal)");
  if (const auto text = check_text("reason", reason, TextKind::Reason); !text.ok()) return text_refused(text);
  platform::Transaction tx(store_.db());
  auto r = load_request(request_id);
  if (!r) return r;
  if (r->request.state != "open")
    return refused("RETURN_CLOSED", "退货单 " + numbered('R', request_id) + " 已结束(" + r->request.state + ")",
                   "return " + numbered('R', request_id) + " is closed (" + r->request.state + ")");
  r->request.state = "cancelled";
  r->request.closed_at = now().iso();
  r->request.updated_at = r->request.closed_at;
  r->request.waits_for.clear();
  store_.returns().update_request(r->request);
  store_.returns().withdraw_events(request_id);
  journal(actor, "return_cancelled",
          {{"request", numbered('R', request_id)}, {"card", r->request.card_no}, {"reason", reason},
           {"province_state", r->request.province_state}});
  tx.commit();
  r->changed = true;
  return r;
}

std::optional<std::int64_t> Terminal::invoice_of_card(const std::string& card_no) {
  const auto sale = store_.sales().find_by_card(card_no);
  if (!sale) return std::nullopt;
  return sale->invoice_no;
}

std::vector<ReturnResult> Terminal::returns_in(const std::string& state) {
  std::vector<ReturnResult> out;
  for (const auto& q : store_.returns().requests(state)) {
    auto r = return_status(q.id);
    if (r) out.push_back(std::move(r.value()));
  }
  return out;
}

std::vector<ReturnDocument> Terminal::return_documents(std::int64_t request_id) {
  return store_.returns().documents(request_id);
}

std::string Terminal::sale_upload_state(std::int64_t sale_id) { return store_.sales().upload_state(sale_id); }

}  // namespace hn::app
