#include "cli/return_commands.hpp"

#include <cstdio>
#include <iostream>

#include "app/province_link.hpp"

namespace hn::cli {

using nlohmann::json;

namespace {
std::string request_no(std::int64_t id) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "R%08lld", static_cast<long long>(id));
  return buf;
}

// With uploading set up, the province is asked about the card's subsidy (within 1.5 s);
// without, or with a credential gone bad, the return waits as if unreachable.
std::unique_ptr<sync::ProvinceClient> link_province(app::Terminal& t) {
  try {
    auto client = app::connect_province(t);
    if (client) app::ask_province_at_checkout(t, *client);
    return client;
  } catch (const std::exception&) {
    return nullptr;
  }
}

json return_json(app::ReturnResult& r) {
  const auto& q = r.request;
  return {{"status", r.completed ? "completed" : q.state == "open" ? "waiting" : q.state},
          {"return", request_no(q.id)},
          {"invoice_no", format_invoice_no(r.sale.invoice_no)},
          {"card", q.card_no},
          {"refund", format_yuan(r.item.price)},
          {"subsidy", format_yuan(r.item.subsidy)},
          {"province_state", q.province_state},
          {"waits_for", q.waits_for.empty() ? json(nullptr) : json(q.waits_for)},
          {"pre_return_filed", q.pre_return_filed},
          {"return_request_filed", q.return_request_filed},
          {"opened_at", q.opened_at},
          {"closed_at", q.closed_at.empty() ? json(nullptr) : json(q.closed_at)},
          {"next_zh", r.decision.next_zh},
          {"next_en", r.decision.next_en}};
}

std::string return_text(const app::ReturnResult& r) {
  const auto& q = r.request;
  std::string head = "退货单 " + request_no(q.id) + "  发票 invoice " + format_invoice_no(r.sale.invoice_no) +
                     "  标识卡 card " + q.card_no + "  补贴状态 subsidy " + q.province_state;
  if (r.completed)
    return "退货完成 Return completed: " + head + "  退款 refund " + format_yuan(r.item.price) +
           "\n标识卡已收回销毁,该户此类产品的购买资格已恢复 / the card is taken back and destroyed; the household "
           "may buy this category again";
  if (q.state == "cancelled") return "已撤销 Withdrawn: " + head;
  return "等待中 Waiting: " + head + "\n" + r.decision.next_zh + "\n" + r.decision.next_en;
}

// The paper of the return to files: what was printed now, or (`stored`) the kept copies.
void write_paper(Context& c, app::Terminal& t, const app::ReturnResult& r, bool stored) {
  std::string form = r.refund_form ? render_document_text(*r.refund_form) : "";
  std::string note = r.credit_note ? render_document_text(*r.credit_note) : "";
  if (stored)
    for (const auto& d : t.return_documents(r.request.id)) {
      if (d.kind == "refund_form") form = d.text;
      if (d.kind == "credit_note") note = d.text;
    }
  for (const auto& [option, text] : {std::pair{"form-out", form}, std::pair{"note-out", note}}) {
    const auto out = c.args.get(option);
    if (!out) continue;
    if (text.empty()) {
      std::cerr << "注意 Note: 此退货没有" << (std::string(option) == "form-out" ? "补贴退还表" : "退货凭证")
                << ",未写入 " << *out << " / this return has no "
                << (std::string(option) == "form-out" ? "refund form" : "credit note") << "; " << *out
                << " not written\n";
      continue;
    }
    write_invoice_file(*out, text);  // owner-only: the refund form carries the buyer's ID
  }
}

std::optional<std::int64_t> return_number(Context& c, int& exit) {
  const auto text = required(c, "return", exit);
  if (!text) return std::nullopt;
  std::string digits = *text;
  if (!digits.empty() && (digits[0] == 'R' || digits[0] == 'r')) digits.erase(0, 1);
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) {
    exit = usage_error(c, "--return 应为退货单号(如 R00000003,见 huinong returns list)",
                       "--return must be a return number (e.g. R00000003, see huinong returns list)");
    return std::nullopt;
  }
  return std::stoll(digits);
}

// --invoice as a number (up to 8 digits, leading zeros allowed).
std::optional<std::int64_t> invoice_number(Context& c, int& exit) {
  const auto text = required(c, "invoice", exit);
  if (!text) return std::nullopt;
  if (text->empty() || text->size() > 8 || text->find_first_not_of("0123456789") != std::string::npos) {
    exit = usage_error(c, "--invoice 应为发票号码(最多 8 位数字)", "--invoice must be the invoice number (up to 8 digits)");
    return std::nullopt;
  }
  return std::stoll(*text);
}

// The approving manager named by --approver, signed in with HUINONG_APPROVER_PIN (any valid
// login here: the use case itself says why a non-manager cannot approve).
std::optional<app::UserRecord> approving(Context& c, app::Terminal& t, const std::string& login, int& exit) {
  const auto pin = read_pin("HUINONG_APPROVER_PIN", "店长 PIN (" + login + ")");
  if (!pin) {
    exit = report_problem(c, pin_missing("HUINONG_APPROVER_PIN"));
    return std::nullopt;
  }
  auto approver = t.authenticate(login, *pin);
  if (!approver) {
    exit = report_problem(c, approver.problem());
    return std::nullopt;
  }
  return approver.value();
}
}  // namespace

int cmd_return(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "approver", "invoice", "card", "reason", "form-out", "note-out"}, exit)) return exit;
  const auto invoice_no = invoice_number(c, exit);
  if (!invoice_no) return exit;
  const auto card = required(c, "card", exit);
  if (!card) return exit;
  const auto approver_login = required(c, "approver", exit);
  if (!approver_login) return exit;
  auto t = open_terminal(c);
  const auto actor = login(c, *t, {app::Role::Clerk, app::Role::Manager});
  if (!actor) return report_problem(c, actor.problem());
  const auto approver = approving(c, *t, *approver_login, exit);
  if (!approver) return exit;
  const auto province = link_province(*t);
  const std::string reason = c.args.get("reason").value_or("顾客退货 customer return");
  auto r = t->return_item(actor.value(), *approver, *invoice_no, *card, reason);
  if (!r) return report_problem(c, r.problem());
  write_paper(c, *t, r.value(), false);
  print_ok(c, return_json(r.value()), return_text(r.value()));
  return 0;
}

int cmd_exchange(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "approver", "invoice", "card", "new-card", "new-serial", "reason", "invoice-out"},
                    exit))
    return exit;
  const auto invoice_no = invoice_number(c, exit);
  if (!invoice_no) return exit;
  std::vector<std::string> v;
  for (const char* option : {"card", "new-card", "new-serial", "reason", "approver"}) {
    const auto value = required(c, option, exit);
    if (!value) return exit;
    v.push_back(*value);
  }
  auto t = open_terminal(c);
  const auto actor = login(c, *t, {app::Role::Clerk, app::Role::Manager});
  if (!actor) return report_problem(c, actor.problem());
  const auto approver = approving(c, *t, v[4], exit);
  if (!approver) return exit;
  auto r = t->exchange_item(actor.value(), *approver, *invoice_no, v[0], v[1], v[2], v[3]);
  if (!r) return report_problem(c, r.problem());
  const std::string invoice_text_out = render_invoice_text(r->invoice);
  if (const auto out = c.args.get("invoice-out")) write_invoice_file(*out, invoice_text_out);
  char number[16];
  std::snprintf(number, sizeof number, "X%08lld", static_cast<long long>(r->exchange.id));
  const bool told = t->sale_upload_state(r->sale.id) != "rejected";
  const json j = {{"status", "exchanged"},
                  {"exchange", number},
                  {"exchange_uuid", r->exchange.uuid},
                  {"invoice_no", format_invoice_no(r->sale.invoice_no)},
                  {"old_card", r->exchange.old_card},
                  {"old_serial", r->exchange.old_serial},
                  {"new_card", r->exchange.new_card},
                  {"new_serial", r->exchange.new_serial},
                  {"exchanged_at", r->exchange.exchanged_at},
                  {"province", told ? "queued" : "not_needed"}};
  print_ok(c, j,
           std::string("换货完成 Exchanged: ") + number + "  发票 invoice " + format_invoice_no(r->sale.invoice_no) +
               "  " + r->exchange.old_card + " -> " + r->exchange.new_card + " (" + r->exchange.new_serial + ")" +
               "\n原标识卡已收回;请把重新打印的发票交给顾客 / the old card is taken back; give the buyer the "
               "reprinted invoice");
  return 0;
}

int cmd_returns_list(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "state"}, exit)) return exit;
  std::string state = c.args.get("state").value_or("open");
  if (state != "open" && state != "completed" && state != "cancelled" && state != "all")
    return usage_error(c, "--state 应为 open、completed、cancelled 或 all",
                       "--state must be open, completed, cancelled or all");
  auto t = open_terminal(c);
  const auto user = login(c, *t, {app::Role::Clerk, app::Role::Manager, app::Role::Auditor});
  if (!user) return report_problem(c, user.problem());
  // Ask the province about the open ones first, so the list says where they stand now.
  if (state == "open" || state == "all") {
    const auto province = link_province(*t);
    if (province) t->advance_open_returns();
  }
  json list = json::array();
  std::string text;
  for (auto& r : t->returns_in(state == "all" ? "" : state)) {
    list.push_back(return_json(r));
    text += return_text(r) + "\n";
  }
  print_ok(c, {{"status", "ok"}, {"returns", list}}, text.empty() ? "没有退货 / no returns" : text);
  return 0;
}

int cmd_returns_show(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "return", "form-out", "note-out"}, exit)) return exit;
  const auto id = return_number(c, exit);
  if (!id) return exit;
  auto t = open_terminal(c);
  const auto user = login(c, *t, {app::Role::Clerk, app::Role::Manager, app::Role::Auditor});
  if (!user) return report_problem(c, user.problem());
  auto r = t->return_status(*id);
  if (!r) return report_problem(c, r.problem());
  if (r->request.state == "open") {
    const auto province = link_province(*t);
    if (province) {
      auto advanced = t->advance_return(*id);
      if (advanced) r = std::move(advanced);
    }
  }
  write_paper(c, *t, r.value(), true);
  print_ok(c, return_json(r.value()), return_text(r.value()));
  return 0;
}

int cmd_returns_cancel(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "return", "reason"}, exit)) return exit;
  const auto id = return_number(c, exit);
  if (!id) return exit;
  const auto reason = required(c, "reason", exit);
  if (!reason) return exit;
  auto t = open_terminal(c);
  const auto manager = login(c, *t, {app::Role::Manager});
  if (!manager) return report_problem(c, manager.problem());
  auto r = t->cancel_return(manager.value(), *id, *reason);
  if (!r) return report_problem(c, r.problem());
  print_ok(c, return_json(r.value()), return_text(r.value()));
  return 0;
}

}  // namespace hn::cli
