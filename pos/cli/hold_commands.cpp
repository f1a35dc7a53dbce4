// `huinong hold list|drop` (issue 16). The buyer's ID number is masked here as on every screen.
#include "cli/hold_commands.hpp"

#include <iostream>

#include "core/money.hpp"
#include "core/text.hpp"

namespace hn::cli {

namespace {
using nlohmann::json;

json held_json(const app::HeldSale& h) {
  json items = json::array();
  for (const auto& l : h.lines)
    items.push_back({{"card", l.card_no},
                     {"serial", l.serial_no},
                     {"price", l.price ? json(format_yuan(*l.price)) : json(nullptr)}});
  return {{"hold", h.id},
          {"held_at", h.held_at},
          {"held_by", h.user_login},
          {"buyer_name", h.buyer_name},
          {"buyer_id_masked", h.buyer_id_masked},
          {"state", h.state},
          {"count", h.lines.size()},
          {"total", format_yuan(h.total)},
          {"items", items}};
}

std::string held_text(const app::HeldSale& h) {
  std::string cards;
  for (const auto& l : h.lines) cards += (cards.empty() ? "" : " ") + l.card_no;
  return "#" + std::to_string(h.id) + "  " + h.held_at + "  " + h.user_login + "  " +
         (h.buyer_name.empty() ? "-" : h.buyer_name) + "  " + (h.buyer_id_masked.empty() ? "-" : h.buyer_id_masked) +
         "  " + std::to_string(h.lines.size()) + " 件 items  " + format_yuan(h.total) + "\n    " + cards;
}
}  // namespace

int cmd_hold_list(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user"}, exit)) return exit;
  auto t = open_terminal(c);
  const auto user = login(c, *t, {app::Role::Clerk, app::Role::Manager});
  if (!user) return report_problem(c, user.problem());
  json list = json::array();
  std::string text;
  for (const auto& h : t->held_sales()) {
    list.push_back(held_json(h));
    text += held_text(h) + "\n";
  }
  const int minutes = t->hold_minutes();
  print_ok(c, {{"status", "ok"}, {"hold_minutes", minutes}, {"held", list}},
           (text.empty() ? std::string("没有挂单 / no held sales\n") : text) + "挂单保留 " + std::to_string(minutes) +
               " 分钟 / held sales expire after " + std::to_string(minutes) + " minutes");
  return 0;
}

int cmd_hold_drop(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "reason"}, exit)) return exit;
  if (c.args.words.size() != 3)
    return usage_error(c, "请给出一个挂单号,如 huinong hold drop 3 --reason ...(见 huinong hold list)",
                       "give one held sale number, e.g. huinong hold drop 3 --reason ... (see huinong hold list)");
  std::string digits = c.args.words[2];
  if (!digits.empty() && digits[0] == '#') digits.erase(0, 1);
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
    return usage_error(c, "挂单号 " + quote_for_message(c.args.words[2]) + " 不对:应为数字(见 huinong hold list)",
                       "held sale number " + quote_for_message(c.args.words[2]) +
                           " is malformed: give its number (see huinong hold list)");
  const auto reason = required(c, "reason", exit);
  if (!reason) return exit;
  auto t = open_terminal(c);
  const auto manager = login(c, *t, {app::Role::Manager});
  if (!manager) return report_problem(c, manager.problem());
  const auto r = t->drop_hold(manager.value(), std::stoll(digits), *reason);
  if (!r) return report_problem(c, r.problem());
  json out = held_json(r.value());
  out["status"] = "dropped";
  print_ok(c, out,
           "已删除挂单 Dropped held sale #" + std::to_string(r->id) + ":标识卡已释放 / its cards are free to sell");
  return 0;
}

}  // namespace hn::cli
