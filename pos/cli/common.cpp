#include "cli/common.hpp"

#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "app/paths.hpp"
#include "core/text.hpp"

namespace hn::cli {

using app::Problem;
using nlohmann::json;

std::string dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

// ---- output -------------------------------------------------------------------------------

int report_problem(const Context& c, const Problem& p) {
  if (c.json_out) {
    json error = {{"code", p.code}, {"message_zh", p.message_zh}, {"message_en", p.message_en}};
    if (!p.field.empty()) error["field"] = p.field;  // the input at fault (TEXT_* codes, imports)
    std::cout << dump({{"status", "error"}, {"error", error}}) << "\n";
  } else {
    std::cerr << "错误 Error [" << p.code << "]: " << p.message_zh << "\n  " << p.message_en << "\n";
  }
  return app::exit_code(p.kind);
}

int usage_error(const Context& c, const std::string& zh, const std::string& en) {
  return report_problem(c, app::bad_input("USAGE", zh + "(运行 huinong --help 查看用法)",
                                          en + " (run huinong --help for usage)"));
}

void print_ok(const Context& c, const json& j, const std::string& text) {
  if (c.json_out) std::cout << dump(j) << "\n";
  else std::cout << text << "\n";
}

// ---- options ------------------------------------------------------------------------------

std::optional<std::string> required(const Context& c, const std::string& name, int& exit) {
  auto v = c.args.get(name);
  if (!v || v->empty()) {
    exit = usage_error(c, "缺少选项 --" + name, "option --" + name + " is required");
    return std::nullopt;
  }
  return v;
}

// A sale naming two buyers must not silently pick one: a repeated option is a usage error.
bool only_options(const Context& c, std::initializer_list<const char*> allowed, int& exit) {
  for (const auto& [name, values] : c.args.options) {
    if (values.size() > 1 && name != "item" && name != "pay") {
      exit = usage_error(c, "选项 --" + escape_for_message(name) + " 只能给一次",
                         "option --" + escape_for_message(name) + " may be given only once");
      return false;
    }
    if (name == "db") continue;
    bool ok = false;
    for (const char* a : allowed) ok = ok || name == a;
    if (!ok) {
      exit = usage_error(c, "这个命令没有选项 --" + escape_for_message(name),
                         "this command has no option --" + escape_for_message(name));
      return false;
    }
  }
  return true;
}

std::optional<std::string> read_pin(const char* env_name, const std::string& prompt) {
  if (const char* v = std::getenv(env_name)) return std::string(v);
  if (!::isatty(STDIN_FILENO)) return std::nullopt;
  std::cerr << prompt << ": " << std::flush;
  termios old_tio{};
  ::tcgetattr(STDIN_FILENO, &old_tio);
  termios tio = old_tio;
  tio.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  ::tcsetattr(STDIN_FILENO, TCSANOW, &tio);
  std::string pin;
  std::getline(std::cin, pin);
  ::tcsetattr(STDIN_FILENO, TCSANOW, &old_tio);
  std::cerr << "\n";
  return pin;
}

Problem pin_missing(const char* env_name) {
  return app::not_permitted("PIN_MISSING",
                            std::string("没有 PIN:请设置环境变量 ") + env_name + " 或在终端中运行以输入",
                            std::string("no PIN: set ") + env_name + " or run on a terminal to be asked");
}

std::unique_ptr<app::Terminal> open_terminal(Context& c) {
  return app::Terminal::open(c.db_path, c.clock);
}

app::Result<app::UserRecord> login(Context& c, app::Terminal& t, std::initializer_list<app::Role> roles,
                                   const std::string& option) {
  const auto user = c.args.get(option);
  if (!user || user->empty())
    return app::bad_input("USAGE", "缺少选项 --" + option, "option --" + option + " is required");
  const auto pin = read_pin("HUINONG_PIN", "PIN (" + escape_for_message(*user) + ")");
  if (!pin) return pin_missing("HUINONG_PIN");
  return t.authorize(*user, *pin, roles);
}

void write_invoice_file(const std::string& path, const std::string& text) {
  if (!app::write_private_file(path, text))
    std::cerr << "警告 Warning: 已完成但无法写入发票 " << path << ",可重新打印 / done, but the invoice "
              << "could not be written to " << path << "; reprint it\n";
}

bool optional_date(Context& c, const char* name, std::optional<Date>& out, int& exit) {
  const auto v = c.args.get(name);
  if (!v) return true;
  out = parse_iso_date(*v);
  if (out) return true;
  exit = usage_error(c, "--" + std::string(name) + " " + quote_for_message(*v) + " 无效:请用 YYYY-MM-DD",
                     "--" + std::string(name) + " " + quote_for_message(*v) + " is invalid: use YYYY-MM-DD");
  return false;
}

}  // namespace hn::cli
