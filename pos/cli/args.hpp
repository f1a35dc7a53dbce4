#pragma once
// Command-line parsing for `huinong`: words, then --options. Every problem comes back as a
// bilingual message naming the option and what to do.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/payment.hpp"
#include "core/policy_engine.hpp"

namespace hn::cli {

struct Args {
  std::vector<std::string> words;  // the command ("sale", "report daily") and positionals
  std::map<std::string, std::vector<std::string>> options;
  std::set<std::string> flags;

  bool flag(const std::string& name) const { return flags.count(name) > 0; }
  std::optional<std::string> get(const std::string& name) const;
  std::vector<std::string> all(const std::string& name) const;
};

struct ArgError {
  std::string zh;
  std::string en;
};

// `flag_names` take no value; every other --option takes one (as "--opt value" or "--opt=value").
// Every argument must be UTF-8.
bool parse_args(int argc, char** argv, const std::set<std::string>& flag_names, Args& out,
                ArgError& error);

// `--item CARD_NO[:SERIAL]=PRICE_YUAN` of `huinong sale`: false when there is no '=', the card
// part is empty, a ':' has no serial after it, or the price is no amount parse_yuan accepts.
// The card and serial are not checked here (the checkout says what is wrong with them).
bool parse_item_arg(const std::string& text, CartItem& item);
// "--pay cash:2000.00", "--pay card:REF:500.00", "--pay mobile:REF:300.00" (issue 16): the
// method, the reference for card and mobile (none for cash) and the amount in yuan. False when
// malformed; the rules between payments (covering the total, no change from a card) are the
// core's settle_payments.
bool parse_pay_arg(const std::string& text, Payment& payment);

}  // namespace hn::cli
