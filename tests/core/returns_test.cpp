// POLICY "Returns": subsidy first, goods second. Every branch of the table, and what the
// clerk is told at each.
#include <catch2/catch.hpp>

#include "core/returns.hpp"

using hn::decide_return;
using hn::ReturnFiled;
using hn::ReturnStep;
using hn::SubsidyState;

TEST_CASE("a sale never uploaded, unclaimed, refused or refunded returns at once", "[returns]") {
  for (const auto s : {SubsidyState::NeverUploaded, SubsidyState::NotClaimed, SubsidyState::Rejected,
                       SubsidyState::Refunded}) {
    INFO(hn::subsidy_state_code(s));
    const auto d = decide_return(s, {});
    CHECK(d.step == ReturnStep::CompleteNow);
    CHECK(d.waits_for.empty());
    CHECK(d.next_zh.find("销毁标识卡") != std::string::npos);
    // Whatever was filed before does not hold a completed subsidy state back.
    CHECK(decide_return(s, {true, true}).step == ReturnStep::CompleteNow);
  }
}

TEST_CASE("a registered claim is cancelled first, then the goods return", "[returns]") {
  const auto d = decide_return(SubsidyState::Claimed, {});
  CHECK(d.step == ReturnStep::CancelClaimThenComplete);
  CHECK(d.next_zh.find("撤销申报") != std::string::npos);
}

TEST_CASE("an approved, unpaid subsidy files a pre-return once and then waits for the payment run",
          "[returns]") {
  const auto first = decide_return(SubsidyState::Approved, {});
  CHECK(first.step == ReturnStep::FilePreReturn);
  CHECK(first.waits_for == "payment_run");
  const auto later = decide_return(SubsidyState::Approved, {true, false});
  CHECK(later.step == ReturnStep::Wait);
  CHECK(later.waits_for == "payment_run");
  CHECK(later.next_en.find("cannot complete yet") != std::string::npos);
}

TEST_CASE("a paid subsidy files a return request with the refund form once, then waits for the "
          "buyer's repayment", "[returns]") {
  const auto first = decide_return(SubsidyState::Paid, {});
  CHECK(first.step == ReturnStep::FileReturnRequest);
  CHECK(first.waits_for == "buyer_refund");
  CHECK(first.next_zh.find("补贴资金申报(退还)表") != std::string::npos);
  // After a pre-return the payment run came: now the buyer repays.
  CHECK(decide_return(SubsidyState::Paid, {true, false}).step == ReturnStep::FileReturnRequest);
  const auto later = decide_return(SubsidyState::Paid, {true, true});
  CHECK(later.step == ReturnStep::Wait);
  CHECK(later.waits_for == "buyer_refund");
}

TEST_CASE("an unreachable province makes the return wait, saying nothing is lost", "[returns]") {
  const auto d = decide_return(SubsidyState::Unreachable, {});
  CHECK(d.step == ReturnStep::Wait);
  CHECK(d.waits_for == "province");
  CHECK(d.next_en.find("continues by itself") != std::string::npos);
}

TEST_CASE("subsidy states read and write as on the wire", "[returns]") {
  for (const auto* code : {"never_uploaded", "unreachable", "not_claimed", "claimed", "approved", "paid",
                           "refunded", "rejected"}) {
    const auto s = hn::parse_subsidy_state(code);
    REQUIRE(s);
    CHECK(hn::subsidy_state_code(*s) == code);
  }
  CHECK_FALSE(hn::parse_subsidy_state("Paid"));
  CHECK_FALSE(hn::parse_subsidy_state(""));
}

TEST_CASE("the returns screen finds a sale by invoice number, card number or the receipt's QR code",
          "[returns]") {
  CHECK(hn::parse_return_lookup("00000042")->invoice_no == 42);
  CHECK(hn::parse_return_lookup(" 7 ")->invoice_no == 7);
  const auto qr = hn::parse_return_lookup("HNPOS1;outlet=AH-01;terminal=01;invoice=00000003;total=1999.00;subsidy=259.87");
  REQUIRE(qr);
  CHECK(qr->invoice_no == 3);
  CHECK(hn::parse_return_lookup("HNPOS2;o=AH-01;t=01;n=00000012;d=202611281032;a=1999.00;s=259.87;h=ab;g=xy")
            ->invoice_no == 12);
  const auto card = hn::parse_return_lookup("34080100000000010001");
  REQUIRE(card);
  CHECK(card->invoice_no == 0);
  CHECK(card->card_no == "34080100000000010001");
  CHECK_FALSE(hn::parse_return_lookup(""));
  CHECK_FALSE(hn::parse_return_lookup("0"));
  CHECK(hn::parse_return_lookup("123456789")->card_no == "123456789");  // longer than an invoice number
  CHECK_FALSE(hn::parse_return_lookup("34080100 00000010001"));
  CHECK_FALSE(hn::parse_return_lookup("HNPOS1;outlet=X;invoice=;total=1"));
  CHECK_FALSE(hn::parse_return_lookup("电视"));
}
