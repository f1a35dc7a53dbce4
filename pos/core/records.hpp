#pragma once
// The records the terminal's parts pass between them: who works the counter, what was sold,
// returned and exchanged, what waits to go up to the province. Plain values; the store reads
// and writes them (pos/store), the app and the shells show them, the sync client maps them to
// the wire.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalog.hpp"
#include "core/date.hpp"
#include "core/money.hpp"
#include "core/policy_engine.hpp"

namespace hn {

enum class Role { Clerk, Manager, Auditor };
std::string_view role_code(Role r);
std::optional<Role> parse_role(std::string_view code);

struct User {
  std::int64_t id = 0;
  std::string login;
  std::string name;
  Role role = Role::Clerk;
  int failed_pins = 0;
  bool locked = false;
  bool active = true;
};

// One product of a sale, and the line the invoice prints for it (core/invoice.hpp calls it
// InvoiceLine). The invoice's fields come first: a line is written {card, serial, model, …}.
struct SaleItem {
  std::string card_no;
  std::string serial_no;
  std::string model_code;
  Category category = Category::Tv;
  std::string brand;
  std::string name;
  std::string spec;
  Fen price = 0;
  Fen subsidy = 0;
  // 换货: the card this product replaced (same model, same price and subsidy); empty if none.
  std::string replaces_card;
  // The sale's: its row, its place on the sale, and whether it has been taken back.
  std::int64_t id = 0;
  int line_no = 0;
  bool returned = false;
};

struct Sale {
  std::int64_t id = 0;
  std::string uuid;
  std::int64_t invoice_no = 0;
  std::string sold_at;  // local ISO time
  Date sale_date;
  std::int64_t user_id = 0;
  std::string buyer_name;
  std::string buyer_id;   // full: decrypted on read, encrypted on write
  std::string household;  // full: decrypted on read, encrypted on write
  Hukou hukou = Hukou::Agricultural;
  std::string buyer_county;
  std::string policy_phase;
  Fen total = 0;
  Fen subsidy = 0;
  std::string warnings;  // codes of the warnings the clerk saw, comma-separated
  std::vector<SaleItem> items;
};

// 换货: a product swapped for another of the same model (returns issue).
struct ExchangeRecord {
  std::int64_t id = 0;
  std::string uuid;  // its idempotency key at the province, forever
  std::int64_t sale_id = 0;
  std::int64_t item_id = 0;
  std::string old_card;
  std::string old_serial;
  std::string new_card;
  std::string new_serial;
  std::string exchanged_at;  // local ISO time
  Date exchange_date;
  std::int64_t user_id = 0;
  std::int64_t approver_id = 0;
  std::string reason;
  std::string invoice_before;  // opened: the invoice as it read before (it carries the buyer's ID)
};

struct ReturnRecord {
  std::int64_t sale_id = 0;
  std::int64_t item_id = 0;
  std::string card_no;
  std::string returned_at;
  Date return_date;
  std::int64_t user_id = 0;
  std::int64_t approver_id = 0;
  std::string reason;
  Fen price = 0;
  Fen subsidy = 0;
};

// A return in progress (returns issue): opened with a manager's approval, advanced by the
// province's word on the card's subsidy, closed completed (a ReturnRecord) or cancelled.
struct ReturnRequest {
  std::int64_t id = 0;
  std::int64_t sale_id = 0;
  std::int64_t item_id = 0;
  std::string card_no;
  std::string opened_at;
  std::int64_t user_id = 0;
  std::int64_t approver_id = 0;
  std::string reason;
  std::string province_state;  // the last subsidy state known: "not_claimed", "paid", …
  std::string waits_for;       // "province" | "payment_run" | "buyer_refund"; empty when closed
  bool pre_return_filed = false;
  bool return_request_filed = false;
  std::string state = "open";  // "open" | "completed" | "cancelled"
  std::string updated_at;
  std::string closed_at;
  std::int64_t return_id = 0;  // the completed return
};

// An event filed with the province for a return request.
struct ReturnEvent {
  std::int64_t id = 0;
  std::string uuid;  // its idempotency key at the province, forever
  std::int64_t request_id = 0;
  std::string kind;  // "cancel_claim" | "pre_return" | "return_request"
  std::string at;
};

struct ReturnDocument {
  std::string kind;  // "refund_form" | "credit_note" | "voided_invoice"
  std::string number;
  std::string text;  // opened: it may carry the buyer's ID in full
  std::string created_at;
};

// A row of the outbox: something that must go up to the province.
struct OutboxRow {
  std::int64_t id = 0;
  std::string kind;  // "sale" | "return" | "event" | "closing" | "exchange"
  std::int64_t ref_id = 0;
  int attempts = 0;
};

// Work for the manager: what the province rejected, to convert or cancel.
struct Task {
  std::int64_t id = 0;
  std::string kind;
  std::int64_t sale_id = 0;
  std::string code;
  std::string message_zh;
  std::string message_en;
  std::string created_at;
  std::string state;
  std::string resolution;  // "unsubsidised" | "cancelled" | "acknowledged" once resolved
};

// What became of a sale the province rejected.
enum class SaleSettlement { None, Unsubsidised, Cancelled };

// A checkout the rules refused, as journaled: who, when and the refusal codes; never the buyer.
struct RefusedAttempt {
  std::string at;
  std::string user_login;
  std::vector<std::string> codes;
};

// A held sale (挂单, issue 16): the buyer and the lines as the counter had them; its cards are
// reserved to it while it is held.
struct HeldLine {
  std::string card_no;
  std::string serial_no;         // empty: not scanned yet
  std::optional<Fen> price;      // empty: the line's cap
};
struct HeldSale {
  std::int64_t id = 0;  // the number the counter shows: 挂单 #id
  std::string held_at;  // local ISO time
  std::int64_t user_id = 0;
  std::string user_login;
  std::string buyer_name;
  std::string buyer_id;   // full: decrypted on read, encrypted on write
  std::string buyer_id_masked;
  std::string household;  // full: decrypted on read, encrypted on write
  Hukou hukou = Hukou::Agricultural;
  std::optional<std::string> buyer_county;
  Fen total = 0;          // as the counter showed it when held
  std::string state = "held";  // "held" | "sold" | "dropped" | "expired"
  std::vector<HeldLine> lines;
};

// The goods as they stand (issue 16): a label card with its state ("in_stock", "sold",
// "returned"); per model, the cards in stock, sold and taken back; a card with its goods receipt.
struct StockCard {
  std::string card_no, serial_no, model_code, state;
};
struct StockCount {
  std::string model_code;
  std::int64_t in_stock = 0, sold = 0, returned = 0;
};
struct StockEntry {
  std::string card_no, serial_no, model_code, state;
  std::int64_t receipt = 0;
  std::string received_at, source;  // received_at: local time, "YYYY-MM-DD HH:MM"
};

}  // namespace hn
