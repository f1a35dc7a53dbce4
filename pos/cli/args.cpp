#include "cli/args.hpp"

#include "core/money.hpp"
#include "core/text.hpp"

namespace hn::cli {

std::optional<std::string> Args::get(const std::string& name) const {
  const auto it = options.find(name);
  if (it == options.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::all(const std::string& name) const {
  const auto it = options.find(name);
  return it == options.end() ? std::vector<std::string>{} : it->second;
}

bool parse_args(int argc, char** argv, const std::set<std::string>& flag_names, Args& out,
                ArgError& error) {
  out = {};
  for (int i = 1; i < argc; ++i) {
    if (!is_valid_utf8(argv[i])) {
      const std::string before = i > 1 ? escape_for_message(argv[i - 1]) : std::string();
      const bool is_value = before.compare(0, 2, "--") == 0;
      error = {"第 " + std::to_string(i) + " 个参数" + (is_value ? "(" + before + " 的值)" : "") +
                   "不是 UTF-8 编码:请检查终端或脚本的编码",
               "argument " + std::to_string(i) + (is_value ? " (the value of " + before + ")" : "") +
                   " is not UTF-8: check the encoding of the terminal or script"};
      return false;
    }
  }
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
      std::string name = a.substr(2);
      std::optional<std::string> value;
      if (const auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name.erase(eq);
      }
      if (flag_names.count(name)) {
        if (value) {
          error = {"选项 --" + name + " 不带值", "option --" + name + " takes no value"};
          return false;
        }
        out.flags.insert(name);
        continue;
      }
      if (!value) {
        if (i + 1 >= argc) {
          error = {"选项 --" + escape_for_message(name) + " 缺少值", "option --" + escape_for_message(name) + " needs a value"};
          return false;
        }
        value = argv[++i];
      }
      out.options[name].push_back(*value);
    } else if (a == "-h") {
      out.flags.insert("help");
    } else {
      out.words.push_back(a);
    }
  }
  return true;
}

bool parse_item_arg(const std::string& text, CartItem& item) {
  const auto eq = text.rfind('=');
  if (eq == std::string::npos) return false;
  const std::string left = text.substr(0, eq);
  const auto price = parse_yuan(text.substr(eq + 1));
  if (!price || left.empty()) return false;
  const auto colon = left.find(':');
  item.card_no = left.substr(0, colon);
  item.serial_no = colon == std::string::npos ? "" : left.substr(colon + 1);
  // ":SERIAL=PRICE" names no card (found by fuzzing); "CARD:=PRICE" names no serial.
  if (item.card_no.empty() || (colon != std::string::npos && item.serial_no.empty())) return false;
  item.price = *price;
  return true;
}

}  // namespace hn::cli

namespace hn::cli {

bool parse_pay_arg(const std::string& text, Payment& payment) {
  const auto first = text.find(':');
  if (first == std::string::npos) return false;
  const auto method = parse_payment_method(std::string_view(text).substr(0, first));
  if (!method) return false;
  const auto last = text.rfind(':');
  std::string reference;
  if (*method == PaymentMethod::Cash) {
    if (last != first) return false;
  } else {
    if (last == first) return false;
    reference = text.substr(first + 1, last - first - 1);
    if (!is_valid_payment_reference(reference)) return false;
  }
  const auto amount = parse_yuan(std::string_view(text).substr(last + 1));
  if (!amount || *amount <= 0) return false;
  payment = Payment{*method, *amount, std::move(reference)};
  return true;
}

}  // namespace hn::cli
