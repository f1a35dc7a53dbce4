#pragma once
// The terminal's one SQLite file: repositories over the schema of migrations.cpp. Methods
// that change data expect the caller to hold a Transaction when several must be atomic
// (a sale is ONE transaction: see pos/app/checkout.cpp).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/catalog.hpp"
#include "core/label_card.hpp"
#include "core/payment.hpp"
#include "core/policy_engine.hpp"
#include "core/report.hpp"
#include "store/crypto.hpp"
#include "store/db.hpp"
#include "store/journal.hpp"

namespace hn::store {

inline constexpr const char* kKeyCheckSetting = "keys.check";
// How many journal entries back the start-up check compares the sales rows with.
inline constexpr std::int64_t kStartupSalesWindow = 500;
struct SaleMismatch;
class DamagedError;
// DATABASE_DAMAGED naming the invoice whose rows disagree with the journal.
DamagedError sales_damaged(const std::string& db_path, const SaleMismatch& m);

enum class Role { Clerk, Manager, Auditor };
std::string_view role_code(Role r);
std::optional<Role> parse_role(std::string_view code);

struct UserRecord {
  std::int64_t id = 0;
  std::string login;
  std::string name;
  Role role = Role::Clerk;
  int failed_pins = 0;
  bool locked = false;
  bool active = true;
};

// After this many wrong PINs in a row the account is locked until a manager unlocks it.
inline constexpr int kMaxFailedPins = 5;

struct SaleItemRecord {
  std::int64_t id = 0;
  int line_no = 0;
  std::string card_no;
  std::string serial_no;
  std::string model_code;
  Category category = Category::Tv;
  std::string brand;
  std::string name;
  std::string spec;
  Fen price = 0;
  Fen subsidy = 0;
  bool returned = false;
};

struct SaleRecord {
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
  std::vector<SaleItemRecord> items;
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

// What became of a sale the province rejected.
enum class SaleSettlement { None, Unsubsidised, Cancelled };

class Store {
 public:
  // Opens an existing terminal database and its key file (`<db>.key`).
  // Opens an existing terminal database after the start-up check (soundness.hpp), the key
  // check (KEY_MISMATCH) and the journal head check (journal_head.hpp). `restoring`: a backup
  // being put in place, whose head file is made anew from its journal.
  static Store open(const std::string& db_path, bool restoring = false);
  // Creates a new database and key file; refuses when either exists.
  static Store create(const std::string& db_path);
  static std::string key_path_for(const std::string& db_path) { return db_path + ".key"; }

  Database& db() { return db_; }
  const KeyRing& keys() const { return keys_; }
  JournalEntry journal(const std::string& at, const std::string& user_login,
                       const std::string& kind, const nlohmann::json& body) {
    return journal_append(db_, at, user_login, kind, body);
  }

  // Settings (outlet, terminal, policy choices).
  std::optional<std::string> setting(const std::string& key);
  void set_setting(const std::string& key, const std::string& value);

  // Users.
  std::optional<UserRecord> find_user(const std::string& login);
  std::optional<UserRecord> find_user(std::int64_t id);
  std::vector<UserRecord> users();
  std::int64_t add_user(const std::string& login, const std::string& name, Role role,
                        const std::string& pin);
  bool pin_matches(std::int64_t user_id, const std::string& pin);
  // Counts a sign-in attempt before its PIN is compared: the attempt's number (1 to
  // kMaxFailedPins), or empty when the user is locked, inactive or has no attempt left.
  std::optional<int> reserve_pin_attempt(std::int64_t user_id);
  void lock_user(std::int64_t user_id);
  void clear_failed_pins(std::int64_t user_id);
  // As long as comparing a PIN, for a login that does not exist.
  static void spend_pin_time(const std::string& pin);
  // A new PIN; unlocks the user and clears the count of wrong PINs.
  void set_pin(std::int64_t user_id, const std::string& pin);
  void unlock_user(std::int64_t user_id);

  // Policy phases as shipped or received from the province, verbatim.
  void put_policy_phase(const std::string& id, const std::string& source);
  std::optional<std::string> policy_phase_source(const std::string& id);
  std::vector<std::string> policy_phase_ids();

  // The catalog.
  void upsert_model(const CatalogModel& m);
  Catalog load_catalog();
  std::optional<CatalogModel> find_model(const std::string& model_code);

  // Label cards. A card this outlet never received reads as NotReceived (POLICY R8).
  std::optional<LabelCard> find_card(const std::string& card_no, const std::string& outlet_code);
  bool card_exists(const std::string& card_no);
  bool serial_exists(const std::string& model_code, const std::string& serial_no);
  std::int64_t add_goods_receipt(std::int64_t user_id, const std::string& source,
                                 const std::vector<CardReceiptRow>& rows,
                                 const std::string& outlet_code);
  std::int64_t card_count();
  struct StockCard {
    std::string card_no, serial_no, model_code, state;
  };
  // This outlet's label cards, in card order; `state` and `model_code` filter when not empty.
  std::vector<StockCard> cards(const std::string& state, const std::string& model_code);
  // Goods received by scanning (stock.cpp, issue 16): a card added to an earlier goods receipt
  // of the same screen, its count raised; false when there is no such receipt of `source`.
  bool add_to_goods_receipt(std::int64_t receipt, const std::string& source, const CardReceiptRow& row,
                            const std::string& outlet_code);
  // The stock view (stock.cpp): per model, the cards in stock, sold and taken back.
  struct StockCount {
    std::string model_code;
    std::int64_t in_stock = 0, sold = 0, returned = 0;
  };
  std::vector<StockCount> stock_by_model(const std::string& filter);
  // Cards with their goods receipt, by model then card; `filter` is a whole card number or a
  // part of a model code (any case), empty for all; at most `limit` rows.
  struct StockEntry {
    std::string card_no, serial_no, model_code, state;
    std::int64_t receipt = 0;
    std::string received_at, source;  // received_at: local time, "YYYY-MM-DD HH:MM"
  };
  std::vector<StockEntry> stock_cards(const std::string& filter, int limit);

  // Households: units held per category (sold, not returned) at this terminal.
  HouseholdHistory household_history(const std::string& household);
  std::string household_hash(const std::string& household) const;

  // Sales.
  std::int64_t next_invoice_no();
  // Inserts the sale and its items, marks the cards sold and queues the upload.
  std::int64_t insert_sale(SaleRecord& sale);
  // The keyed hashes of a sale's buyer (ID number, 户号): computed once for the sale's row and
  // its journal entry (checkout), not once for each.
  struct BuyerHashes {
    std::string id_hash;
    std::string household_hash;
  };
  BuyerHashes buyer_hashes(const SaleRecord& sale) const;
  std::int64_t insert_sale(SaleRecord& sale, const BuyerHashes& hashes);
  std::optional<SaleRecord> find_sale_by_invoice(std::int64_t invoice_no);
  std::optional<SaleRecord> find_sale(std::int64_t sale_id);
  // How a sale was paid (sale_payments.cpp, issue 16), in the caller's transaction; the change
  // is kept on the sale's cash payments' first row. Read back in order; none for sales made
  // before payments were recorded.
  void insert_sale_payments(std::int64_t sale_id, const std::vector<Payment>& payments, Fen change);
  std::vector<Payment> sale_payments(std::int64_t sale_id, Fen* change = nullptr);
  // The payments of the sales of figures.date..figures.to per method (cash as tendered) and
  // the change given, into the figures, for the reports and the closing. Sales later returned
  // or voided still count: the money was taken then (refunds are not payments).
  void add_payment_totals(DailyFigures& figures);
  // The outbox state of a sale: "pending", "accepted" or "rejected".
  std::string sale_upload_state(std::int64_t sale_id);

  // Returns: marks the item returned and its card destroyed, and queues the event (unless the
  // province never took the sale: `tell_province` false).
  std::int64_t insert_return(const ReturnRecord& r, bool tell_province = true);
  std::int64_t open_return_request(const ReturnRequest& r);
  void update_return_request(const ReturnRequest& r);
  std::optional<ReturnRequest> find_return_request(std::int64_t id);
  std::optional<ReturnRequest> open_return_request_for_item(std::int64_t item_id);
  // In opening order; `state` filters when not empty.
  std::vector<ReturnRequest> return_requests(const std::string& state);
  // Files an event for the province: recorded and queued in the outbox (kind "event").
  std::int64_t add_return_event(std::int64_t request_id, const std::string& kind, const std::string& at);
  std::optional<ReturnEvent> find_return_event(std::int64_t id);
  // A withdrawn return's steps not yet sent stay unsent (outbox state "withdrawn").
  void withdraw_return_events(std::int64_t request_id);
  void add_return_document(std::int64_t request_id, const ReturnDocument& doc);
  std::vector<ReturnDocument> return_documents(std::int64_t request_id);
  // By a card on the sale now, or by a card an exchange took back.
  std::optional<SaleRecord> find_sale_by_card(const std::string& card_no);

  // Exchanges (returns issue): the item takes the new card and serial, the old card is taken
  // back, the new one sold; with `tell_province`, an outbox row of kind 'exchange'.
  std::int64_t insert_exchange(const ExchangeRecord& x, bool tell_province);
  std::optional<ExchangeRecord> find_exchange(std::int64_t id);
  std::optional<ExchangeRecord> exchange_of_old_card(const std::string& card_no);
  std::vector<ExchangeRecord> exchanges_of_sale(std::int64_t sale_id);
  std::vector<ExchangeRecord> exchanges_between(const std::string& from_date, const std::string& to_date);
  // What goes up to the province: a row of `kind` ("sale", "return", "event", "closing",
  // "exchange") for `ref_id`, in the caller's transaction.
  void enqueue_upload(const char* kind, std::int64_t ref_id, const std::string& at);
  // An outbox row that no longer needs sending (its subject is not the province's to hear).
  void outbox_withdraw(std::int64_t id);
  // An outbox row that waits for something else to go first: tried again at `unix_ms`.
  void outbox_defer(std::int64_t id, std::int64_t unix_ms);

  // The outbox (sync issue).
  // Pending rows whose next attempt is due at `unix_ms`, oldest first.
  std::vector<OutboxRow> due_outbox(std::int64_t unix_ms, int limit);
  // The province answered: "accepted" (also for duplicates) or "rejected" with its code.
  void outbox_answered(std::int64_t id, const std::string& state, const std::string& code,
                       const std::string& message, const std::string& at);
  // No usable answer: counted, and retried no earlier than `next_attempt_at` (unix ms).
  void outbox_failed(std::int64_t id, const std::string& error, std::int64_t next_attempt_at);
  // The earliest next attempt among pending rows (0 when none are pending).
  std::int64_t next_outbox_attempt();
  std::optional<ReturnRecord> find_return(std::int64_t return_id);
  void mark_provisional(std::int64_t sale_id);
  std::int64_t add_task(const Task& t);
  std::vector<Task> tasks(const std::string& state);
  std::optional<Task> find_task(std::int64_t task_id);
  // Closes an open task. For a sale's task, `settlement` is recorded with the sale for good;
  // a cancelled sale's cards still out are recorded as taken back. Throws if already closed.
  void resolve_task(const Task& task, SaleSettlement settlement, const std::string& resolution,
                    std::int64_t user_id, const std::string& reason, const std::string& at);
  SaleSettlement sale_settlement(std::int64_t sale_id);

  // Held sales (held_sales.cpp, issue 16), in the caller's transaction. put_held_sale inserts
  // (id 0) or replaces the buyer and lines of a held one; its id.
  std::int64_t put_held_sale(const HeldSale& h);
  std::optional<HeldSale> find_held_sale(std::int64_t id);
  // Held (not closed) sales held after `after` (local ISO; "" for all), oldest first.
  std::vector<HeldSale> held_sales(const std::string& after);
  // Held ones held at or before `at_or_before`: the expired (and the ones a closing covers).
  std::vector<HeldSale> held_sales_up_to(const std::string& at_or_before);
  // The held sale (held after `after`, not `except`) a card is reserved to; 0 when none.
  std::int64_t card_held_by(const std::string& card_no, const std::string& after, std::int64_t except);
  // Closes a held one: "sold" (with its sale), "dropped" (by whom, why) or "expired".
  void close_held_sale(std::int64_t id, const std::string& state, const std::string& at, std::int64_t user_id,
                       std::int64_t sale_id, const std::string& reason);

  // Reports.
  DailyFigures daily_figures(Date date);  // the day, and the 30 days up to it for the chart
  // The figures of [from, to]; the series runs from `series_from` to `to`. Deadlines of the
  // pending days are the caller's (they need the calendar and today).
  DailyFigures report_figures(Date from, Date to, Date series_from);
  // Checkout attempts the rules refused (journal kind "sale_refused"), in time order.
  std::vector<RefusedAttempt> refused_attempts(Date from, Date to);
  // The first journal entry written at or after `at` (local ISO time); one past the last
  // when there is none.
  std::int64_t journal_first_seq_at_or_after(const std::string& at);
  int pending_uploads();
  // Sales not yet accepted by the province, counted per sale date, oldest first.
  std::vector<std::pair<Date, int>> pending_sales_by_date();

 private:
  Store(Database db, KeyRing keys) : db_(std::move(db)), keys_(std::move(keys)) {}
  static void check_keys(Database& db, const KeyRing& keys, const std::string& key_path);
  void take_back_card(const std::string& card_no);  // POLICY S1: never sellable again
  std::vector<ExchangeRecord> exchanges_where(const std::string& where, const std::vector<std::string>& args);
  Database db_;
  KeyRing keys_;
};

}  // namespace hn::store
