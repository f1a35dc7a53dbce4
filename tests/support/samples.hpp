#pragma once
// Sample paper for the core's renderers and the printers: one sale of a 海信 TV and a 海尔
// fridge to 王秀英 on 2009-01-15 10:32:05 (invoice 00000001 of outlet 340822001, 怀宁县石牌镇家电城),
// and the TV's return: the subsidy refund form and the credit note. The golden files of
// tests/core and tests/hardware/printer are rendered from these.
#include <string>
#include <vector>

#include "core/invoice.hpp"
#include "core/return_forms.hpp"

namespace hn::test {

// 340822 19800101 001 + check '3' (sum 196, mod 11 = 9; see tests/core/id_number_test.cpp)
inline constexpr const char* kSampleBuyerId = "340822198001010013";

InvoiceLine tv_line();      // HISENSE-TLM26V68, 1999.00, subsidy 259.87
InvoiceLine fridge_line();  // HAIER-BCD-186KB, 1799.00, subsidy 233.87
Invoice two_item_invoice();
// The TV of the two-item invoice comes back after the subsidy was paid ...
RefundFormData tv_refund();
// ... and once the buyer has repaid at the township, the return completes.
CreditNoteData tv_credit();

// `text` cut at each '\n' (a '\r' stays in its line; a last line without '\n' counts).
std::vector<std::string> lines_of(const std::string& text);

}  // namespace hn::test
