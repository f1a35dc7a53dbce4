// `huinong catalog import`, `cards receive|list`, `policy list|use|import`: the goods and the
// policy a manager brings into the terminal, and what is in stock.
#include "cli/goods_commands.hpp"

#include <functional>
#include <iostream>

#include "app/paths.hpp"
#include "core/money.hpp"
#include "core/text.hpp"

namespace hn::cli {

using nlohmann::json;

namespace {
// `catalog import`, `cards receive`, `policy import`: a manager imports one file.
int import_file(Context& c, const char* what, files::Kind kind,
                const std::function<app::Result<app::ImportSummary>(app::Terminal&, const app::UserRecord&,
                                                                    const std::string&, const std::string&)>& run) {
  int exit = 0;
  if (!only_options(c, {"user"}, exit)) return exit;
  if (c.args.words.size() != 3)
    return usage_error(c, "请给出一个要导入的文件", "give exactly one file to import");
  const std::string file = c.args.words[2];
  // Read within the kind's limit before anything else: /dev/zero or a 20 GB file is an error.
  const auto text = app::read_input_file(file, kind);
  if (!text) return report_problem(c, text.problem());
  auto t = open_terminal(c);
  const auto actor = login(c, *t, {app::Role::Manager});
  if (!actor) return report_problem(c, actor.problem());
  const auto r = run(*t, actor.value(), text.value(), file);
  if (!r) return report_problem(c, r.problem());
  json warnings = json::array();
  std::string text_out = std::string(what) + ": " + std::to_string(r->count);
  for (std::size_t i = 0; i < r->warnings_zh.size(); ++i) {
    warnings.push_back({{"message_zh", r->warnings_zh[i]}, {"message_en", r->warnings_en[i]}});
    text_out += "\n警告 Warning: " + r->warnings_zh[i] + "\n  " + r->warnings_en[i];
  }
  print_ok(c, {{"status", "ok"}, {"imported", r->count}, {"warnings", warnings}}, text_out);
  return 0;
}
}  // namespace

int cmd_cards_list(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "state", "model"}, exit)) return exit;
  const std::string state = c.args.get("state").value_or("");
  if (!state.empty() && state != "in_stock" && state != "sold" && state != "returned")
    return usage_error(c, "--state 应为 in_stock、sold 或 returned", "--state must be in_stock, sold or returned");
  auto t = open_terminal(c);
  const auto actor = login(c, *t, {app::Role::Clerk, app::Role::Manager, app::Role::Auditor});
  if (!actor) return report_problem(c, actor.problem());
  json cards = json::array();
  std::string text;
  for (const auto& card : t->cards(state, c.args.get("model").value_or(""))) {
    cards.push_back({{"card", card.card_no}, {"serial", card.serial_no}, {"model", card.model_code},
                     {"state", card.state}});
    text += card.card_no + "  " + card.serial_no + "  " + card.model_code + "  " + card.state + "\n";
  }
  if (c.json_out) std::cout << dump({{"status", "ok"}, {"cards", cards}}) << "\n";
  else std::cout << text;
  return 0;
}

int cmd_catalog_import(Context& c) {
  return import_file(c, "已导入型号 Models imported", files::Kind::CatalogCsv, [](auto& t, auto& a, auto& text, auto& src) {
    return t.import_catalog(a, text, src);
  });
}

namespace {
// cards receive --card C --serial S --model M: one box as it arrives (issue 16), through the
// same checks as a file's row; a goods receipt of its own.
int receive_one_card(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "card", "serial", "model"}, exit)) return exit;
  if (c.args.words.size() != 2)
    return usage_error(c, "--card 与文件不能同时给出", "give either --card or a file, not both");
  CardReceiptRow row;
  const std::pair<const char*, std::string*> fields[] = {
      {"card", &row.card_no}, {"serial", &row.serial_no}, {"model", &row.model_code}};
  for (const auto& [option, field] : fields) {
    const auto value = required(c, option, exit);
    if (!value) return exit;
    *field = *value;
  }
  auto t = open_terminal(c);
  const auto actor = login(c, *t, {app::Role::Manager});
  if (!actor) return report_problem(c, actor.problem());
  const auto r = t->receive_card(actor.value(), row);
  if (!r) return report_problem(c, r.problem());
  print_ok(c,
           {{"status", "ok"}, {"imported", 1}, {"batch", r->batch}, {"card", r->row.card_no},
            {"serial", r->row.serial_no}, {"model", r->row.model_code}},
           "已登记收货的标识卡 Card received: " + r->row.card_no + "  " + r->row.serial_no + "  " + r->row.model_code);
  return 0;
}
}  // namespace

int cmd_cards_receive(Context& c) {
  if (c.args.get("card")) return receive_one_card(c);
  return import_file(c, "已登记收货的标识卡 Cards received", files::Kind::CardsCsv, [](auto& t, auto& a, auto& text, auto& src) {
    return t.receive_cards(a, text, src);
  });
}

int cmd_policy_import(Context& c) {
  return import_file(c, "已导入补贴政策 Policy phases imported", files::Kind::PolicyIni, [](auto& t, auto& a, auto& text, auto& src) {
    return t.import_policy(a, text, src);
  });
}

int cmd_policy_use(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user"}, exit)) return exit;
  if (c.args.words.size() != 3)
    return usage_error(c, "请给出补贴政策编号,如 2009-04", "give the policy phase id, e.g. 2009-04");
  auto t = open_terminal(c);
  const auto actor = login(c, *t, {app::Role::Manager});
  if (!actor) return report_problem(c, actor.problem());
  const auto r = t->use_policy(actor.value(), c.args.words[2]);
  if (!r) return report_problem(c, r.problem());
  print_ok(c, {{"status", "ok"}, {"policy_phase", c.args.words[2]}},
           "现行补贴政策 / policy in force: " + c.args.words[2]);
  return 0;
}

int cmd_policy_list(Context& c) {
  int exit = 0;
  if (!only_options(c, {}, exit)) return exit;
  auto t = open_terminal(c);
  const PolicyPhase current = t->policy();
  json phases = json::array();
  std::string text;
  for (const auto& id : t->policy_phase_ids()) {
    phases.push_back({{"id", id}, {"active", id == current.id}});
    text += (id == current.id ? "* " : "  ") + id + "\n";
  }
  json categories = json::object();
  for (const auto& [cat, cp] : current.categories) {
    categories[std::string(category_code(cat))] = {
        {"active", cp.active}, {"cap", format_yuan(cp.cap)}, {"household_limit", cp.household_limit}};
    if (cp.active)
      text += "  " + pad_right(std::string(category_name_zh(cat)), 14) + " 限价 cap " + format_yuan(cp.cap) +
              "  每户 per household " + std::to_string(cp.household_limit) + "\n";
  }
  print_ok(c, {{"status", "ok"}, {"current", current.id}, {"phases", phases}, {"categories", categories}},
           text);
  return 0;
}

}  // namespace hn::cli
