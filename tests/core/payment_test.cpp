#include <catch2/catch.hpp>

#include <string>

#include "core/invoice.hpp"
#include "core/payment.hpp"

using hn::Payment;
using hn::PaymentMethod;
using hn::settle_payments;

TEST_CASE("without payments the amount due is paid exactly in cash", "[payment]") {
  const auto s = settle_payments(199900, {});
  REQUIRE(s.ok());
  REQUIRE(s.payments.size() == 1);
  CHECK(s.payments[0].method == PaymentMethod::Cash);
  CHECK(s.payments[0].amount == 199900);
  CHECK(s.paid == 199900);
  CHECK(s.change == 0);
  CHECK(hn::paid_exactly_in_cash(s.payments, 199900));
}

TEST_CASE("cash tendered above the total gives the difference as change", "[payment]") {
  const auto s = settle_payments(199900, {{PaymentMethod::Cash, 200000, ""}});
  REQUIRE(s.ok());
  CHECK(s.paid == 200000);
  CHECK(s.change == 100);
  CHECK_FALSE(hn::paid_exactly_in_cash(s.payments, 199900));
}

TEST_CASE("a split card and cash payment settles with change from the cash only", "[payment]") {
  const auto s = settle_payments(199900, {{PaymentMethod::Card, 150000, "POS-778812"},
                                          {PaymentMethod::Cash, 50000, ""}});
  REQUIRE(s.ok());
  CHECK(s.paid == 200000);
  CHECK(s.change == 100);
}

TEST_CASE("a card or mobile payment above what is due is refused: they give no change", "[payment]") {
  auto s = settle_payments(199900, {{PaymentMethod::Card, 200000, "R1"}});
  REQUIRE_FALSE(s.ok());
  CHECK(s.problem->code == "PAYMENT_INVALID");
  CHECK(s.problem->message_zh.find("不找零") != std::string::npos);
  CHECK(s.problem->message_en.find("no change") != std::string::npos);
  s = settle_payments(199900, {{PaymentMethod::Mobile, 100000, "M1"}, {PaymentMethod::Card, 100000, "C1"}});
  REQUIRE_FALSE(s.ok());
  CHECK(s.problem->code == "PAYMENT_INVALID");
  CHECK(s.problem->message_en.find("at most 999.00") != std::string::npos);
}

TEST_CASE("payments that do not cover the total are refused as short, in both languages", "[payment]") {
  const auto s = settle_payments(199900, {{PaymentMethod::Cash, 100000, ""}, {PaymentMethod::Mobile, 50000, "WX1"}});
  REQUIRE_FALSE(s.ok());
  CHECK(s.problem->code == "PAYMENT_SHORT");
  CHECK(s.problem->message_zh.find("还差 499.00") != std::string::npos);
  CHECK(s.problem->message_en.find("499.00 missing") != std::string::npos);
}

TEST_CASE("a zero amount, a missing or malformed reference, a cash reference are invalid", "[payment]") {
  CHECK(settle_payments(100, {{PaymentMethod::Cash, 0, ""}}).problem->code == "PAYMENT_INVALID");
  CHECK(settle_payments(100, {{PaymentMethod::Cash, hn::kMaxAmount + 1, ""}}).problem->code == "PAYMENT_INVALID");
  CHECK(settle_payments(100, {{PaymentMethod::Card, 100, ""}}).problem->code == "PAYMENT_INVALID");
  CHECK(settle_payments(100, {{PaymentMethod::Mobile, 100, "has space"}}).problem->code == "PAYMENT_INVALID");
  CHECK(settle_payments(100, {{PaymentMethod::Card, 100, std::string(33, 'A')}}).problem->code == "PAYMENT_INVALID");
  CHECK(settle_payments(100, {{PaymentMethod::Cash, 100, "X"}}).problem->code == "PAYMENT_INVALID");
  CHECK(settle_payments(100, {{PaymentMethod::Card, 100, std::string(32, 'A')}}).ok());
}

TEST_CASE("payment methods read and print by their codes", "[payment]") {
  CHECK(hn::parse_payment_method("cash") == PaymentMethod::Cash);
  CHECK(hn::parse_payment_method("card") == PaymentMethod::Card);
  CHECK(hn::parse_payment_method("mobile") == PaymentMethod::Mobile);
  CHECK_FALSE(hn::parse_payment_method("Cash").has_value());
  CHECK_FALSE(hn::parse_payment_method("cheque").has_value());
  CHECK(hn::payment_method_code(PaymentMethod::Mobile) == "mobile");
  CHECK(hn::payment_method_name_zh(PaymentMethod::Card) == "银行卡");
}

TEST_CASE("the invoice lists each payment and the change unless paid exactly in cash", "[payment][invoice]") {
  hn::Invoice inv;
  inv.invoice_no = "00000001";
  inv.total = 199900;
  inv.payments = {{PaymentMethod::Cash, 199900, ""}};
  CHECK(hn::render_invoice_text(inv).find("找零 Change") == std::string::npos);
  inv.payments = {{PaymentMethod::Card, 150000, "POS-1"}, {PaymentMethod::Cash, 50000, ""}};
  inv.change = 100;
  const std::string text = hn::render_invoice_text(inv);
  CHECK(text.find("实收 Paid 银行卡 Card (POS-1): 1500.00") != std::string::npos);
  CHECK(text.find("实收 Paid 现金 Cash: 500.00") != std::string::npos);
  CHECK(text.find("找零 Change: 1.00") != std::string::npos);
}

TEST_CASE("the drawer is for cash: a sale paid by card or mobile alone takes none", "[payment]") {
  using hn::Payment;
  using hn::PaymentMethod;
  CHECK(hn::takes_cash({}));  // recorded before payments were: paid in cash
  CHECK(hn::takes_cash({Payment{PaymentMethod::Card, 50000, "POS-1"}, Payment{PaymentMethod::Cash, 150000, ""}}));
  CHECK_FALSE(hn::takes_cash({Payment{PaymentMethod::Card, 199900, "POS-1"}}));
  CHECK_FALSE(hn::takes_cash({Payment{PaymentMethod::Mobile, 99900, "WX-1"}, Payment{PaymentMethod::Card, 100000, "P"}}));
}
