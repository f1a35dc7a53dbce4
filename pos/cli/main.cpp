// `huinong`: the terminal's command-line tool. A thin shell over pos/app: it parses, asks the
// use case, and prints (text or --json). The contract (commands, options, exit codes, JSON
// fields) is in DESIGN.md and is used by other people's scripts: extend it, never break it.
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/paths.hpp"
#include "app/terminal.hpp"
#include "cli/args.hpp"
#include "cli/audit_commands.hpp"
#include "cli/backup_commands.hpp"
#include "cli/common.hpp"
#include "cli/device_commands.hpp"
#include "cli/goods_commands.hpp"
#include "cli/hold_commands.hpp"
#include "cli/report_commands.hpp"
#include "cli/return_commands.hpp"
#include "cli/sale_print.hpp"
#include "cli/sync_commands.hpp"
#include "cli/user_commands.hpp"
#include "app/province_link.hpp"
#include "core/text.hpp"
#include "printer/invoice_output.hpp"

namespace hn::cli {
namespace {

using app::Problem;
using app::ProblemKind;
using nlohmann::json;

#ifndef HUINONG_VERSION
#define HUINONG_VERSION "0.0.0"
#endif
constexpr const char* kVersion = HUINONG_VERSION;

json finding_json(const Finding& f, const SaleCheck& check) {
  json item = nullptr;
  if (f.item >= 0 && static_cast<std::size_t>(f.item) < check.lines.size())
    item = check.lines[static_cast<std::size_t>(f.item)].card_no;
  return {{"code", finding_code_name(f.code)},
          {"severity", severity_name(f.severity)},
          {"item", item},
          {"message_zh", f.message_zh},
          {"message_en", f.message_en}};
}

// ---- commands -----------------------------------------------------------------------------

int cmd_init(Context& c) {
  int exit = 0;
  if (!only_options(c, {"outlet-code", "outlet-name", "county", "manager", "manager-name",
                        "household-limit", "terminal-id", "policy"}, exit))
    return exit;
  app::InitOptions o;
  for (auto [name, field] : std::initializer_list<std::pair<const char*, std::string*>>{
           {"outlet-code", &o.outlet_code}, {"outlet-name", &o.outlet_name}, {"county", &o.county},
           {"manager", &o.manager_login}, {"manager-name", &o.manager_name}}) {
    const auto v = required(c, name, exit);
    if (!v) return exit;
    *field = *v;
  }
  if (const auto v = c.args.get("household-limit")) {
    const auto n = parse_yuan(*v);  // a whole number: no decimals allowed
    if (!n || v->find('.') != std::string::npos || *n / 100 < 1 || *n / 100 > 99)
      return usage_error(c, "--household-limit 应为 1-99 的整数", "--household-limit must be a whole number 1-99");
    o.household_limit = static_cast<int>(*n / 100);
  }
  if (const auto v = c.args.get("terminal-id")) o.terminal_id = *v;
  if (const auto v = c.args.get("policy")) o.policy_phase = *v;
  const auto pin = read_pin("HUINONG_NEW_PIN", "新店长 PIN / new manager PIN");
  if (!pin) return report_problem(c, pin_missing("HUINONG_NEW_PIN"));
  o.manager_pin = *pin;
  o.assets_dir = app::assets_dir();
  const auto r = app::Terminal::init(c.db_path, o, c.clock);
  if (!r) return report_problem(c, r.problem());
  print_ok(c,
           {{"status", "ok"}, {"db", c.db_path}, {"outlet_code", o.outlet_code},
            {"county", o.county}, {"policy_phase", o.policy_phase}, {"manager", o.manager_login},
            {"recovery_code", r.value().recovery_code}},
           "已创建网点 " + o.outlet_name + " (" + o.outlet_code + "),数据库 " + c.db_path +
               "\nCreated outlet " + o.outlet_code + ", database " + c.db_path + "\n" +
               recovery_notice(r.value().recovery_code));
  return 0;
}

int cmd_sale(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "buyer-name", "buyer-id", "household", "hukou", "item", "pay", "invoice-out", "printer"},
                    exit))
    return exit;
  Cart cart;
  for (auto [name, field] : std::initializer_list<std::pair<const char*, std::string*>>{
           {"buyer-name", &cart.buyer.name}, {"buyer-id", &cart.buyer.id_text},
           {"household", &cart.buyer.household}}) {
    const auto v = required(c, name, exit);
    if (!v) return exit;
    *field = trim(*v);
  }
  if (const auto h = c.args.get("hukou")) {
    const auto hukou = parse_hukou(*h);
    if (!hukou)
      return usage_error(c, "--hukou 应为 agricultural 或 non-agricultural",
                         "--hukou must be agricultural or non-agricultural");
    cart.buyer.hukou = *hukou;
  }
  const auto items = c.args.all("item");
  if (items.empty())
    return usage_error(c, "至少需要一个 --item 卡号[:序列号]=价格", "give at least one --item CARD_NO[:SERIAL]=PRICE_YUAN");
  for (const auto& text : items) {
    CartItem item;
    if (!parse_item_arg(text, item))
      return report_problem(
          c, app::bad_input("ITEM_INVALID",
                            "商品 " + quote_for_message(text) + " 格式不对:应为 卡号[:序列号]=价格(元,最多两位小数),如 3408010000000001=1999.00",
                            "item " + quote_for_message(text) + " is malformed: use CARD_NO[:SERIAL]=PRICE_YUAN with up to two decimals, e.g. 3408010000000001=1999.00"));
    cart.items.push_back(std::move(item));
  }
  // How the buyer pays (issue 16); no --pay: the total, exactly in cash.
  std::vector<Payment> payments;
  for (const auto& text : c.args.all("pay")) {
    Payment p;
    if (!parse_pay_arg(text, p))
      return report_problem(
          c, app::bad_input("PAYMENT_INVALID",
                            "付款 " + quote_for_message(text) + " 格式不对:应为 cash:金额、card:参考号:金额 或 mobile:参考号:金额(元,最多两位小数;参考号为 1 到 32 个字母、数字、- 或 _),如 cash:2000.00",
                            "payment " + quote_for_message(text) + " is malformed: use cash:AMOUNT, card:REF:AMOUNT or mobile:REF:AMOUNT (yuan, up to two decimals; REF 1 to 32 letters, digits, - or _), e.g. cash:2000.00"));
    payments.push_back(std::move(p));
  }
  auto t = open_terminal(c);
  const auto clerk = login(c, *t, {app::Role::Clerk, app::Role::Manager});
  if (!clerk) return report_problem(c, clerk.problem());
  // Where the invoice prints, chosen before the sale: a malformed --printer sells nothing.
  auto printer = choose_sale_printer(c, *t);
  if (!printer) return report_problem(c, printer.problem());
  // With uploading set up, checkout asks the province what the household holds elsewhere.
  const auto province = app::connect_province(*t);
  if (province) app::ask_province_at_checkout(*t, *province);
  const auto r = t->checkout(clerk.value(), cart, payments);
  if (!r) return report_problem(c, r.problem());
  const SaleCheck& check = r->check;
  const bool accepted = r->sale.has_value();

  json jitems = json::array();
  for (const auto& l : check.lines)
    jitems.push_back({{"card", l.card_no},
                      {"serial", l.serial_no},
                      {"model", l.model ? json(l.model->model_code) : json(nullptr)},
                      {"category", l.model ? json(category_code(l.model->category)) : json(nullptr)},
                      {"price", format_yuan(l.price)},
                      {"subsidy", format_yuan(l.subsidy)}});
  json jfindings = json::array();
  for (const auto& f : check.findings) jfindings.push_back(finding_json(f, check));
  const std::string invoice_text = accepted ? render_invoice_text(*r->invoice) : "";
  if (accepted) {
    if (const auto out = c.args.get("invoice-out")) write_invoice_file(*out, invoice_text);
  }
  // The sale is committed: printing can fail or be repeated, the sale cannot.
  const json printed = accepted ? print_sale(c, printer.value(), *r->invoice) : json(nullptr);
  if (c.json_out) {
    json out{{"status", accepted ? "accepted" : "refused"},
                      {"invoice_no", accepted ? json(r->invoice->invoice_no) : json(nullptr)},
                      {"sale_id", accepted ? json(r->sale->uuid) : json(nullptr)},
                      {"total", format_yuan(check.total)},
                      {"subsidy", format_yuan(check.subsidy)},
                      {"items", jitems},
                      {"findings", jfindings},
                      {"provisional", r->provisional},
                      {"qr", accepted ? json(r->invoice->qr_payload) : json(nullptr)}};
    json jpayments = json::array();
    for (const auto& p : r->payments) {
      json jp = {{"method", payment_method_code(p.method)}, {"amount", format_yuan(p.amount)}};
      if (!p.reference.empty()) jp["reference"] = p.reference;
      jpayments.push_back(std::move(jp));
    }
    out["payments"] = jpayments;
    out["change"] = accepted ? json(format_yuan(r->change)) : json(nullptr);
    if (!printed.is_null()) out["print"] = printed;
    std::cout << dump(out) << "\n";
  } else {
    for (const auto& f : check.findings) {
      const bool refuse = f.severity == Severity::Refuse;
      (refuse ? std::cerr : std::cout)
          << (refuse ? "拒绝 REFUSED [" : "提醒 WARNING [") << finding_code_name(f.code) << "]"
          << (f.item >= 0 ? " 第 " + std::to_string(f.item + 1) + " 件 item " + std::to_string(f.item + 1) : "")
          << ": " << f.message_zh << "\n  " << f.message_en << "\n";
    }
    if (accepted) {
      std::cout << "已成交 Accepted: 发票号码 invoice " << r->invoice->invoice_no << "  合计 total "
                << format_yuan(check.total) << "  补贴 subsidy " << format_yuan(check.subsidy)
                << (paid_exactly_in_cash(r->payments, check.total) ? std::string()
                                                                   : "  找零 change " + format_yuan(r->change))
                << "\n\n"
                << invoice_text;
    } else {
      std::cerr << "本单未成交,没有保存任何内容 / the sale was refused; nothing was saved\n";
    }
  }
  return accepted ? 0 : 3;
}

constexpr const char* kHelp = R"(huinong - 惠农收银台 command line / Huinong POS command line

Usage: huinong [--db PATH] [--json] COMMAND [OPTIONS]

  init --outlet-code C --outlet-name N --county 6DIGITS --manager LOGIN --manager-name NAME
       [--household-limit N] [--terminal-id ID] [--policy PHASE]
  user add --user MANAGER --login L --name N --role clerk|manager|auditor
  user unlock --user MANAGER --login L
  user reset-pin --user MANAGER --login L  (HUINONG_NEW_PIN; also unlocks)
  user deactivate --user MANAGER --login L (can no longer sign in; never the last manager)
  user role --user MANAGER --login L --role clerk|manager|auditor   (never the last manager)
  user recover --login MANAGER             (HUINONG_RECOVERY_CODE, HUINONG_NEW_PIN: a locked-out manager)
  user recovery-code --user MANAGER        (a new recovery code; the old one stops working)
  user list --user MANAGER
  catalog import --user MANAGER FILE.csv   (model_code,category,brand,name,spec,max_price,valid_from,valid_to)
  cards receive --user MANAGER FILE.csv    (card_no,serial_no,model_code)
  cards receive --user MANAGER --card C --serial S --model M   (one box as it arrives)
  cards list --user L [--state in_stock|sold|returned] [--model CODE]
  policy list | policy use --user MANAGER PHASE | policy import --user MANAGER FILE.ini
  sale --user L --buyer-name N --buyer-id ID --household H [--hukou agricultural|non-agricultural]
       --item CARD_NO[:SERIAL]=PRICE_YUAN [--item ...] [--invoice-out FILE] [--printer URI]
       [--pay cash:AMOUNT] [--pay card:REF:AMOUNT] [--pay mobile:REF:AMOUNT]
                                           (repeatable; none: the total, exactly in cash)
                                           (prints after the commit; else on device.invoice_printer)
  return --user L --approver MANAGER --invoice NO --card CARD_NO [--reason TEXT]
         [--form-out FILE] [--note-out FILE]
  returns list --user L [--state open|completed|cancelled|all]
  returns show --user L --return N [--form-out FILE] [--note-out FILE]
  returns cancel --user MANAGER --return N --reason TEXT
  exchange --user L --approver MANAGER --invoice NO --card OLD --new-card NEW --new-serial SERIAL
           --reason TEXT [--invoice-out FILE]      (换货: same model, same buyer and subsidy)
  close day --user MANAGER [--date YYYY-MM-DD] [--cash-counted AMOUNT] [--drop-held]
                                                   (the signed daily closing, Z; with the cash count;
                                                    held sales refuse it unless --drop-held drops them)
  hold list --user L                        (held sales, 挂单: number, buyer, masked ID, items, total)
  hold drop ID --user MANAGER --reason TEXT (its cards are free to sell again)
  audit export --user AUDITOR --out FILE [--from DATE --to DATE]
  audit verify FILE [--public-key HEX]      (needs no database; exit 5 when a check fails)
  audit check-invoice --user L (--text QR | --image FILE)   (the paper against the record)
  report daily --user L [--date YYYY-MM-DD] [--format text|json|csv|pdf] [--out FILE.csv|FILE.pdf]
  report period --user L --from DATE --to DATE [--format text|json|csv|pdf] [--out FILE]
  report merge FILE... [--date DATE | --from DATE --to DATE] [--format ...] [--out FILE]
                                            (audit export files of a shop's terminals, each
                                             verified first; needs no database; exit 5 on a bad file)
  sync setup --user MANAGER --server URL --credential DIR [--pin-public-key sha256//...]
  sync status        sync --user L [--once] [--max-seconds N]
  tasks list --user MANAGER [--state open|resolved]
  tasks resolve --user MANAGER --task N --action unsubsidised|cancel|acknowledge --reason TEXT
                [--invoice-out FILE]
  device read-id --port PATH [--timeout-ms N] [--full --user MANAGER]
  device decode FILE                        reprint --user L --invoice NO --printer URI
  device read-document FILE [--kind id-front|id-back|hukou-first|hukou-member] [--full --user MANAGER]
  backup --user MANAGER [--to DIR]          restore --from BACKUP.db [--force]
  setting set --user MANAGER --key K --value V
                                           (device.invoice_printer URI, device.cash_drawer none|escpos,
                                            device.id_reader PATH, device.scanners PATH,..., device.camera PATH)

PINs: HUINONG_PIN (the --user), HUINONG_NEW_PIN (a user being created or given a new PIN), HUINONG_APPROVER_PIN
(the approving manager), else asked on the terminal; never on the command line.
Database: --db, else $HUINONG_DB, else ~/.local/share/huinong/huinong.db.
Exit codes: 0 done, 1 internal error, 2 bad usage or input, 3 refused by policy,
4 not authenticated or not permitted, 5 verification failed.
)";

struct Command {
  std::vector<std::string> words;
  int (*run)(Context&);
};

const Command kCommands[] = {
    {{"init"}, cmd_init},
    {{"user", "add"}, cmd_user_add},
    {{"user", "unlock"}, cmd_user_unlock},
    {{"user", "reset-pin"}, cmd_user_reset_pin},
    {{"user", "deactivate"}, cmd_user_deactivate},
    {{"user", "role"}, cmd_user_role},
    {{"user", "recover"}, cmd_user_recover},
    {{"user", "recovery-code"}, cmd_user_recovery_code},
    {{"user", "list"}, cmd_user_list},
    {{"catalog", "import"}, cmd_catalog_import},
    {{"cards", "receive"}, cmd_cards_receive},
    {{"cards", "list"}, cmd_cards_list},
    {{"policy", "list"}, cmd_policy_list},
    {{"policy", "use"}, cmd_policy_use},
    {{"policy", "import"}, cmd_policy_import},
    {{"sale"}, cmd_sale},
    {{"return"}, cmd_return},
    {{"exchange"}, cmd_exchange},
    {{"returns", "list"}, cmd_returns_list},
    {{"close", "day"}, cmd_close_day},
    {{"hold", "list"}, cmd_hold_list},
    {{"hold", "drop"}, cmd_hold_drop},
    {{"audit", "export"}, cmd_audit_export},
    {{"audit", "verify"}, cmd_audit_verify},
    {{"audit", "check-invoice"}, cmd_audit_check_invoice},
    {{"returns", "show"}, cmd_returns_show},
    {{"returns", "cancel"}, cmd_returns_cancel},
    {{"report", "daily"}, cmd_report_daily},
    {{"report", "period"}, cmd_report_period},
    {{"report", "merge"}, cmd_report_merge},
    {{"sync", "setup"}, cmd_sync_setup},
    {{"sync", "status"}, cmd_sync_status},
    {{"sync"}, cmd_sync_run},
    {{"tasks", "list"}, cmd_tasks_list},
    {{"tasks", "resolve"}, cmd_tasks_resolve},
    {{"device", "read-id"}, cmd_device_read_id},
    {{"device", "decode"}, cmd_device_decode},
    {{"device", "read-document"}, cmd_device_read_document},
    {{"reprint"}, cmd_reprint},
    {{"backup"}, cmd_backup},
    {{"restore"}, cmd_restore},
    {{"setting", "set"}, cmd_setting_set},
};

}  // namespace

int run(int argc, char** argv) {
  Context c;
  ArgError err;
  if (!parse_args(argc, argv, {"json", "help", "version", "once", "full", "force", "drop-held"}, c.args, err)) {
    c.json_out = false;
    for (int i = 1; i < argc; ++i) c.json_out = c.json_out || std::string(argv[i]) == "--json";
    return usage_error(c, err.zh, err.en);
  }
  c.json_out = c.args.flag("json");
  if (c.args.flag("version")) {
    // The second line tells a technician which shipped data (policy phases, calendars) this
    // binary reads: the installed package's, or a source tree's.
    std::cout << "huinong " << kVersion << "\n数据 data: " << app::assets_dir() << "\n";
    return 0;
  }
  if (c.args.flag("help") || c.args.words.empty()) {
    std::cout << kHelp;
    return c.args.words.empty() && !c.args.flag("help") ? 2 : 0;
  }
  c.db_path = c.args.get("db").value_or(app::default_db_path());
  for (const auto& cmd : kCommands) {
    if (c.args.words.size() < cmd.words.size()) continue;
    if (!std::equal(cmd.words.begin(), cmd.words.end(), c.args.words.begin())) continue;
    const bool takes_file = cmd.run == cmd_catalog_import || cmd.run == cmd_cards_receive ||
                            cmd.run == cmd_policy_import || cmd.run == cmd_policy_use ||
                            cmd.run == cmd_device_decode || cmd.run == cmd_audit_verify ||
                            cmd.run == cmd_device_read_document || cmd.run == cmd_report_merge ||
                            cmd.run == cmd_hold_drop;
    if (!takes_file && c.args.words.size() != cmd.words.size())
      return usage_error(c, "多余的参数 " + quote_for_message(c.args.words[cmd.words.size()]),
                         "unexpected argument " + quote_for_message(c.args.words[cmd.words.size()]));
    try {
      return cmd.run(c);
    } catch (const sync::LinkRefused& e) {  // a SetupError with its own code (province_link.hpp)
      return report_problem(c, app::link_problem(e.refusal()));
    } catch (const app::SetupError& e) {
      // A damaged database, a key of another terminal: exit 5; a missing file and the like: 2.
      if (e.verification()) return report_problem(c, {ProblemKind::VerificationFailed, e.code(), e.zh(), e.en()});
      return report_problem(c, app::bad_input(e.code(), e.zh(), e.en()));
    } catch (const std::exception& e) {
      return report_problem(c, {ProblemKind::Internal, "INTERNAL", std::string("内部错误:") + e.what(),
                                std::string("internal error: ") + e.what()});
    }
  }
  std::string words;
  for (const auto& w : c.args.words) words += (words.empty() ? "" : " ") + w;
  return usage_error(c, "未知命令 " + quote_for_message(words), "unknown command " + quote_for_message(words));
}

}  // namespace hn::cli

int main(int argc, char** argv) {
  // The printers behind the shells' port (app/printing.hpp).
  hn::app::set_invoice_output_factory(hn::printer::invoice_output_factory());
  return hn::cli::run(argc, argv);
}
