#pragma once
// Returns: subsidy first, goods second (先退补贴后退货, POLICY "Returns", R6). Where a return
// stands is decided from the card's subsidy state at the provincial system and from what this
// outlet has already filed; this file says what happens next, and in which words the clerk
// is told. Pure: the store and the network are the callers' business.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hn {

// The subsidy state of a sold card as the province reports it (sync/PROTOCOL.md cards/state),
// plus what the terminal knows without asking.
enum class SubsidyState {
  NeverUploaded,  // the province never received the sale: nobody can have claimed
  Unreachable,    // the province did not answer: the return waits, nothing is lost
  NotClaimed,     // 未申报
  Claimed,        // 已申报备案, not yet checked
  Approved,       // 核查通过, not yet paid
  Paid,           // 已领取补贴
  Refunded,       // the buyer repaid: 补贴已退,可退货
  Rejected,       // the county refused the claim
};

std::string_view subsidy_state_code(SubsidyState s);  // "not_claimed", … as on the wire
std::optional<SubsidyState> parse_subsidy_state(std::string_view code);
// The state in the words a buyer, a clerk and an auditor read: "未申报 (not claimed)"; an
// unknown code as it came.
std::string subsidy_state_words(std::string_view code);

// What this outlet has already filed with the province for the return.
struct ReturnFiled {
  bool pre_return = false;      // 预退货
  bool return_request = false;  // 退货申请 (refund form printed)
};

enum class ReturnStep {
  CompleteNow,          // record it, take back and destroy the card, quota back
  CancelClaimThenComplete,  // file the claim's cancellation, then complete
  FilePreReturn,        // file 预退货, then wait for the payment run
  FileReturnRequest,    // file 退货申请, print the refund form, wait for the buyer's repayment
  Wait,                 // nothing to file: wait for the province
};

struct ReturnDecision {
  ReturnStep step = ReturnStep::Wait;
  std::string waits_for;  // when not completing: "province" | "payment_run" | "buyer_refund"
  std::string next_zh;    // what the clerk must do next, in plain words
  std::string next_en;
};

// POLICY "Returns": every branch of the table.
ReturnDecision decide_return(SubsidyState state, const ReturnFiled& filed);

// What the clerk typed or scanned on the returns screen to find the sale: an invoice number
// (up to 8 digits), a label card number, or the receipt's QR code ("HNPOS1;…;invoice=N;…").
struct ReturnLookup {
  std::int64_t invoice_no = 0;  // 0 when found by card
  std::string card_no;          // set when a card was given
};
std::optional<ReturnLookup> parse_return_lookup(std::string_view text);

}  // namespace hn
