#pragma once
// The use cases of one terminal: what the CLI and the GUI both call. Each use case checks the
// actor's role, runs the rules of the core, and writes through the store in one transaction.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "app/clock.hpp"
#include "app/problem.hpp"
#include "app/settings.hpp"
#include "core/calendar.hpp"
#include "core/invoice.hpp"
#include "core/payment.hpp"
#include "core/policy_engine.hpp"
#include "core/report.hpp"
#include "core/return_forms.hpp"
#include "core/returns.hpp"
#include "platform/signing.hpp"
#include "store/store.hpp"

namespace hn::app {

// The records and types the shells get from the use cases (they include no store/ header).
using store::HeldSale;
using store::parse_role;
using store::ReturnDocument;
using store::ReturnRequest;
using store::Role;
using store::role_code;
using store::SaleRecord;
using platform::SetupError;
using store::Task;
using store::UserRecord;
using StockCard = hn::StockCard;
using StockCount = hn::StockCount;
using StockEntry = hn::StockEntry;

struct InitOptions {
  std::string outlet_code;
  std::string outlet_name;
  std::string county;
  std::string manager_login;
  std::string manager_name;
  std::string manager_pin;
  std::optional<int> household_limit;  // POLICY R5: overrides the phase for every category
  std::string policy_phase = "2008-12";
  std::string terminal_id = "01";
  std::string assets_dir;  // where policy/*.ini are read from
};

struct ImportSummary {
  int count = 0;
  std::vector<std::string> warnings_zh;
  std::vector<std::string> warnings_en;
};

// A box received by scanning (goods.cpp): its row and the goods receipt it went into.
struct CardReceived {
  std::int64_t batch = 0;
  CardReceiptRow row;
};

struct CheckoutResult {
  SaleCheck check;  // findings, lines, totals: present whether accepted or refused
  std::optional<store::SaleRecord> sale;  // present when accepted
  std::optional<Invoice> invoice;
  bool provisional = false;  // made on local history: the province did not answer in time
  // How the sale was paid (issue 16) and the change given; set when accepted.
  std::vector<Payment> payments;
  Fen change = 0;
};

// Where the uploads stand against their deadline (POLICY S5), for the status bar.
struct UploadStatus {
  int pending = 0;
  int overdue = 0;
  std::optional<Date> oldest;    // the oldest pending sale's date
  std::optional<Date> due;       // and its deadline
  DeadlineState state = DeadlineState::OnTime;
  int open_tasks = 0;  // what the province rejected, waiting for the manager
  bool configured = false;     // a province server is set (sync setup): else nothing goes up
  std::string last_error;      // the last upload pass's error; empty after a pass without one
  std::string last_error_at;   // its local time, ISO
};

// Where a return stands after a step (returns issue): completed (return_id, credit note), or
// waiting for the province with what was filed and what the clerk must do next.
struct ReturnResult {
  store::SaleRecord sale;
  store::SaleItemRecord item;
  std::int64_t return_id = 0;  // when completed
  store::ReturnRequest request;
  ReturnDecision decision;
  bool completed = false;
  bool changed = false;                  // this step filed, completed or learnt something
  std::optional<Document> refund_form;   // to print now: the subsidy was paid
  std::optional<Document> credit_note;   // to print now: the return completed
};

// An exchange for the same model as made (returns issue): the sale as it now stands, the
// record, and the invoice to print for the buyer (same number, the new card, marked 换货).
struct ExchangeResult {
  store::SaleRecord sale;
  store::ExchangeRecord exchange;
  Invoice invoice;
};

// A manager's settling of a task (sync issue): the task as closed, and for a sale the invoice
// as it now stands, to print for the buyer.
struct TaskResolution {
  store::Task task;
  std::optional<Invoice> invoice;
};

// A task as the managers' lists show it: for a sale's, its invoice number and total (refunded
// when the sale is cancelled); "" and 0 otherwise.
struct TaskEntry {
  store::Task task;
  std::string invoice_no;
  Fen total = 0;
};

// A daily closing (Z), signed: app/day_close.hpp.
struct Closing;

// A backup made (backup.cpp): the copy and its key file, owner-only, checked before it counts.
struct BackupResult {
  std::string file;      // DIR/huinong-YYYYMMDD-HHMMSS.db
  std::string key_file;  // file + ".key": the copy is useless without it
  std::int64_t sales = 0;
  std::int64_t journal_seq = 0;  // the last journal entry the copy holds
  std::string sha256;            // of the copy, as journaled
  std::vector<std::string> removed;  // daily backups beyond the newest 30, removed
};

// A backup put in place of (or where there was no) database.
struct RestoreResult {
  std::string db;
  std::string from;
  std::string set_aside;  // where the replaced database went (with --force); empty when none
  std::int64_t sales = 0;
  std::int64_t last_invoice_no = 0;
  std::string last_entry_at;  // the time of the backup's last journal entry
};

// What `init` made that exists nowhere else: the manager's recovery code, to be written down
// and kept apart from the terminal (it unlocks a manager and sets a new PIN, once).
struct InitResult {
  std::string recovery_code;  // "1234-5678-9012-3456"
};

// Daily backups kept in backup.dir.
inline constexpr int kBackupsKept = 30;

// Validation of identifiers typed by people and scripts.
bool is_valid_login(const std::string& login);
bool is_valid_pin(const std::string& pin);
bool is_valid_county(const std::string& county);
bool is_valid_outlet_code(const std::string& code);
// The fields of `init` in the order a person fills them in (outlet code, name, county, manager
// login, name, PIN, household limit): the first one that is wrong, with its code
// (OUTLET_CODE_INVALID, OUTLET_NAME_INVALID, COUNTY_INVALID, LOGIN_INVALID, NAME_INVALID,
// PIN_INVALID, HOUSEHOLD_LIMIT_INVALID). Terminal::init checks these first; the first-run
// wizard checks one page before the next.
Result<Done> check_init_options(const InitOptions& options);

class Terminal {
 public:
  // Creates the database, key file, settings, policy phases and first manager.
  static Result<InitResult> init(const std::string& db_path, const InitOptions& options,
                                 const Clock& clock);
  // Opens an existing terminal database. Throws on a missing or damaged database.
  static std::unique_ptr<Terminal> open(const std::string& db_path, const Clock& clock);

  // Checks a login and PIN; counts failures, locks after kMaxFailedPins, and journals both.
  Result<UserRecord> authenticate(const std::string& login, const std::string& pin);
  // As authenticate, and the user's role must be one of `roles`.
  Result<UserRecord> authorize(const std::string& login, const std::string& pin,
                               std::initializer_list<Role> roles);

  Result<Done> add_user(const UserRecord& actor, const std::string& login,
                        const std::string& name, Role role, const std::string& pin);
  Result<Done> unlock_user(const UserRecord& actor, const std::string& login);
  // A manager's user administration (users.cpp), each journaled (never a PIN): a new PIN that
  // also unlocks (user_pin_reset), deactivation (user_deactivated: the user can no longer sign
  // in) and a change of role (user_role_changed; `role` is clerk|manager|auditor, else
  // ROLE_INVALID). The last active manager is never deactivated or demoted (LAST_MANAGER).
  // USER_UNKNOWN for a login that does not exist, USER_INACTIVE for one already deactivated.
  Result<Done> reset_pin(const UserRecord& actor, const std::string& login, const std::string& new_pin);
  Result<Done> deactivate_user(const UserRecord& actor, const std::string& login);
  // Done with the role as it was; no journal entry when the role is unchanged.
  Result<std::string> change_role(const UserRecord& actor, const std::string& login, const std::string& role);
  // The recovery code (printed once by `init` or by new_recovery_code) lets a manager who is
  // locked out, or forgot the PIN, set a new PIN: it unlocks the account, is used up, and a
  // new code is made (returned, to be written down). Wrong codes are journaled; every one of
  // them costs as much as a PIN check. RECOVERY_CODE_WRONG, RECOVERY_NOT_SET, NOT_A_MANAGER.
  Result<std::string> recover_manager(const std::string& login, const std::string& code, const std::string& new_pin);
  // A manager makes a new recovery code (the old one stops working). Journaled.
  Result<std::string> new_recovery_code(const UserRecord& actor);
  Result<ImportSummary> import_catalog(const UserRecord& actor, const std::string& csv_text,
                                       const std::string& source);
  Result<ImportSummary> receive_cards(const UserRecord& actor, const std::string& csv_text,
                                      const std::string& source);
  // Goods receipt by scanning as the boxes arrive (goods.cpp, issue 16): the label card, then
  // its serial, for the model the manager names. The checks are a file row's (core
  // check_card_receipt_row, then not received before: POLICY S1); each pair is its own
  // transaction with a goods_receipt journal entry like a one-row file's, and goes into `batch`,
  // the goods receipt the screen's earlier pairs went into (0: a new one, source "scan").
  // CARD_INVALID, SERIAL_INVALID, MODEL_UNKNOWN, CARD_ALREADY_RECEIVED, SERIAL_ALREADY_RECEIVED,
  // BATCH_UNKNOWN. check_card_receipt writes nothing: with an empty serial it checks the card
  // alone (just scanned, its serial still to come).
  Result<Done> check_card_receipt(const UserRecord& actor, const CardReceiptRow& row);
  Result<CardReceived> receive_card(const UserRecord& actor, const CardReceiptRow& row, std::int64_t batch = 0);
  Result<ImportSummary> import_policy(const UserRecord& actor, const std::string& ini_text,
                                      const std::string& source);
  Result<Done> use_policy(const UserRecord& actor, const std::string& phase_id);
  // A manager's settings: ui.language (zh_CN|en), ui.idle_lock_minutes (0-120, 0 = never),
  // printer.invoice_dir, policy.county_mismatch (warn|refuse), backup.dir (an absolute path:
  // where the daily backups go), and the devices (app/device_settings.hpp: device.invoice_printer,
  // device.cash_drawer, device.id_reader, device.scanners, device.camera). Journaled.
  Result<Done> change_setting(const UserRecord& actor, const std::string& key, const std::string& value);

  // Backups (backup.cpp). A manager's copy (VACUUM INTO) of the database and its key file into
  // `dir` (empty: the setting backup.dir), checked in full (integrity and the whole journal, so
  // damage to old rows shows here) and journaled.
  Result<BackupResult> backup(const UserRecord& actor, const std::string& dir);
  // The daily backup, at the first sign-in of a day when backup.dir is set; keeps the newest
  // kBackupsKept there. Empty when none was due.
  Result<std::optional<BackupResult>> backup_if_due(const UserRecord& signed_in);
  // Puts a backup (and its key file) at `db_path` after checking it in full; an existing
  // database there is set aside (renamed, never deleted) only with `force`. Journaled in the
  // restored database.
  static Result<RestoreResult> restore(const std::string& backup_path, const std::string& db_path,
                                       bool force, const Clock& clock);

  // The live check the counter screen runs as the clerk scans; writes nothing.
  SaleCheck preview(const Cart& cart);
  // Checks and, when nothing refuses, commits the sale as ONE transaction.
  Result<CheckoutResult> checkout(const UserRecord& clerk, const Cart& cart);
  // As checkout, paid with `payments` (issue 16; none: exactly in cash). The payments are
  // settled against the total inside the sale's transaction and stored and journaled with it;
  // PAYMENT_INVALID (bad input) or PAYMENT_SHORT (refused) and nothing is written when they
  // do not settle it.
  Result<CheckoutResult> checkout(const UserRecord& clerk, const Cart& cart, const std::vector<Payment>& payments);
  // Opens a return with a manager's approval and takes it as far as the province's word on the
  // card's subsidy allows (POLICY "Returns": subsidy first, goods second): at once when the
  // sale never went up or no subsidy stands, else filing a claim cancellation, a pre-return or
  // a return request (with the refund form) and waiting.
  Result<ReturnResult> return_item(const UserRecord& actor, const UserRecord& approver,
                                   std::int64_t invoice_no, const std::string& card_no,
                                   const std::string& reason);
  // Asks the province again about a waiting return and takes the next step (the system's
  // doing: journaled as "sync").
  Result<ReturnResult> advance_return(std::int64_t request_id);
  // Every open return, advanced; the ones that changed.
  std::vector<ReturnResult> advance_open_returns();
  // A manager withdraws a waiting return (the buyer keeps the goods). Journaled with the reason.
  Result<ReturnResult> cancel_return(const UserRecord& actor, std::int64_t request_id, const std::string& reason);
  // The request and what the clerk must do next, as last known (no network).
  Result<ReturnResult> return_status(std::int64_t request_id);
  // The sale a card was sold on, for the returns screen that finds by card.
  std::optional<std::int64_t> invoice_of_card(const std::string& card_no);
  // 换货: the product under `old_card` on the invoice is swapped for the unit carrying
  // `new_card`/`new_serial`, of the same model, with a manager's approval and a reason. One
  // transaction: the line takes the new card, the old one is taken back, the journal and the
  // outbox (kind 'exchange', once the province holds the sale) get their rows.
  Result<ExchangeResult> exchange_item(const UserRecord& actor, const UserRecord& approver, std::int64_t invoice_no,
                                       const std::string& old_card, const std::string& new_card,
                                       const std::string& new_serial, const std::string& reason);

  // The province's word on a sold card's subsidy; Unreachable when unanswered.
  using SubsidyLookup = std::function<SubsidyState(const std::string& card_no)>;
  void set_subsidy_lookup(SubsidyLookup lookup) { subsidy_lookup_ = std::move(lookup); }

  // A manager settles what the province rejected. For a sale: "unsubsidised" (the sale stands
  // at its price, without subsidy, and holds no quota) or "cancel" (the goods come back, the
  // invoice is void, the cards are taken back); for a return: "acknowledge". Needs a reason;
  // journaled.
  Result<TaskResolution> resolve_task(const UserRecord& actor, std::int64_t task_id,
                                      const std::string& action, const std::string& reason);

  // Held sales (挂单, holds.cpp, issue 16). A clerk holds the cart (buyer and lines; a line's
  // price 0 is kept as "the cap"): its cards are reserved to it (another sale is refused
  // CARD_HELD) until it is recalled and sold, dropped by a manager, dropped at the closing, or
  // expires after sale.hold_minutes. A cart recalled from a held sale (cart.held_id) is held
  // again under the same number. HOLD_EMPTY, CARD_HELD. Journaled ("hold").
  Result<store::HeldSale> hold_sale(const UserRecord& clerk, const Cart& cart, Fen total);
  // The held sales still open, oldest first; the expired ones are closed (journaled) first.
  std::vector<store::HeldSale> held_sales();
  // A held sale taken back into the counter (journaled "hold_recalled"); it stays held, its
  // cards reserved, until it is sold. HOLD_UNKNOWN, HOLD_CLOSED.
  Result<store::HeldSale> recall_hold(const UserRecord& clerk, std::int64_t id);
  // A manager drops a held sale (journaled "hold_dropped" with the reason): its cards are free.
  Result<store::HeldSale> drop_hold(const UserRecord& manager, std::int64_t id, const std::string& reason);
  // How long a sale may stay held (the setting sale.hold_minutes, kHoldMinutesDefault unset).
  int hold_minutes();

  // Audit (audit.cpp). The daily closing of `date` (today or before, once): covers the journal
  // since the previous closing; signed; journaled; queued for the province. Manager.
  // With `cash_counted` (issue 16), the cash the manager counted is signed on the closing with
  // its difference against the cash the covered sales took (cash tendered minus change).
  // Sales still held from `date` or before refuse it (HELD_SALES_OPEN, naming them) unless
  // `drop_held`: then they are dropped with the closing, each journaled (issue 16).
  Result<Closing> close_day(const UserRecord& actor, Date date, std::optional<Fen> cash_counted = std::nullopt,
                            bool drop_held = false);
  std::vector<Closing> closings();
  // The auditor's export of [from, to] (either open): one signed JSON file's text, marked as
  // holding personal data. Auditor or manager; journaled.
  Result<std::string> audit_export(const UserRecord& actor, std::optional<Date> from, std::optional<Date> to);
  // The terminal's Ed25519 key, made now if this terminal predates it (journaled).
  platform::SigningKey signing_key();

  // What a scanned invoice QR code says against the record (audit check-invoice).
  struct QrCheck {
    std::string invoice_no;
    std::vector<std::string> problems_zh, problems_en;  // empty: the paper matches the record
  };
  Result<QrCheck> check_invoice_qr(const std::string& payload);

  Result<Invoice> invoice(std::int64_t invoice_no);
  // A copy of a committed invoice for printing again: "副本 COPY n", n counting every reprint
  // of that invoice; journaled. The sale itself is untouched.
  Result<Invoice> reprint(const UserRecord& actor, std::int64_t invoice_no);
  // The manager's reports (reports issue): the day with the 30 days up to it for the chart,
  // and a period day by day. Pending uploads carry their deadline as of today.
  DailyReport daily_report(Date date);
  DailyReport period_report(Date from, Date to);
  // A checkout the rules refused at the counter (the clerk pressed check out on a refused
  // cart): journaled as "sale_refused" with the codes and the number of items, never the buyer.
  void record_refused_attempt(const UserRecord& clerk, const SaleCheck& check);
  // "AH-XX-0001/01": the outlet and this terminal, as reports name it.
  std::string terminal_label();
  UploadStatus upload_status();
  // What an upload pass (CLI `sync` or the counter's uploader) ended with: an error is kept with
  // its time for upload_status; an empty one clears it and records the time of the success.
  void record_upload_outcome(const std::string& error);
  HolidayCalendar calendar();
  // A person signed in at the counter screen (journaled; the CLI authenticates per command).
  void record_login(const UserRecord& user);
  void record_logout(const UserRecord& user, const std::string& why);
  // An ID card face or 户口簿 page was read by OCR (issue 9): journaled as "document_read" with
  // `summary` (kind, which fields were read, the ID check's outcome, the buyer's consent), never
  // the picture and never a personal field in clear.
  void record_document_read(const UserRecord& user, const nlohmann::json& summary);

  // When the province can be asked (sync set up), what a household holds at the other outlets:
  // consulted at checkout with a short timeout. Unanswered, the sale is made on local history
  // and marked provisional; not asked (no province set up), it is simply local.
  struct RemoteAnswer {
    bool asked = false;
    std::optional<HouseholdHistory> held;  // empty when asked but unanswered
  };
  using RemoteHistory = std::function<RemoteAnswer(const std::string& household)>;
  void set_remote_history(RemoteHistory remote) { remote_history_ = std::move(remote); }

  // Told the name of each of checkout's steps as it ends (tests/bench): the benchmark's
  // breakdown is timed on the real checkout, not on a copy of it. Unset, a step costs a test.
  using StepListener = std::function<void(const char* step)>;
  void set_step_listener(StepListener listener) { step_listener_ = std::move(listener); }

  Outlet outlet();
  PolicyPhase policy();
  LocalTime now();
  // The settings as stored, defaults where none is (settings.hpp); read once, again after a
  // change by this terminal or another connection.
  Settings settings();

  // What the screens and commands list and look up; each reads, none writes.
  std::vector<UserRecord> users();                  // users.cpp
  std::vector<std::string> policy_phase_ids();      // imports.cpp: the phases imported
  Catalog catalog();                                // goods.cpp: as stored now
  bool card_exists(const std::string& card_no);     // a label card on record here
  // This outlet's label cards, in card order; `state` and `model_code` filter when not empty.
  std::vector<StockCard> cards(const std::string& state, const std::string& model_code);
  // The stock screen: per model (`filter` a part of a model code, "" all), and the cards with
  // their goods receipt (`filter` a card number or a part of a model code; at most `limit`).
  std::vector<StockCount> stock_by_model(const std::string& filter);
  std::vector<StockEntry> stock_cards(const std::string& filter, int limit);
  std::optional<SaleRecord> sale_by_invoice(std::int64_t invoice_no);  // invoices.cpp
  // tasks.cpp: the tasks in `state` (open|resolved), each with its sale's invoice.
  std::vector<TaskEntry> task_list(const std::string& state);
  // returns.cpp: each return in `state` ("" = all) as return_status has it; the paper kept
  // with a return (its refund form, credit note); a sale's upload state (pending, accepted,
  // rejected, ...).
  std::vector<ReturnResult> returns_in(const std::string& state);
  std::vector<ReturnDocument> return_documents(std::int64_t request_id);
  std::string sale_upload_state(std::int64_t sale_id);
  // sync_status.cpp: the outbox rows the province rejected.
  std::int64_t rejected_uploads();

 private:
  friend store::Store& store_of(Terminal& t);  // store_access.hpp: pos/app and the tests only
  friend void put_setting(Terminal& t, const std::string& key, const std::string& value);
  Terminal(store::Store store, const Clock& clock) : store_(std::move(store)), clock_(clock) {}
  SaleContext context_for(const Cart& cart, const Catalog& catalog, const PolicyPhase& policy,
                          const std::optional<HouseholdHistory>& elsewhere = std::nullopt);
  // What the checkout of a sale just committed holds already: its invoice is made from these
  // instead of read back (a sale that new has no exchange, return or province answer yet).
  struct JustSold {
    std::string clerk_name;
    std::vector<Payment> payments;
    Fen change = 0;
    std::string journal_hash;
  };
  Invoice make_invoice(const store::SaleRecord& sale, int copy_no, const JustSold* just_sold = nullptr);
  store::JournalEntry journal(const UserRecord& actor, const std::string& kind, const nlohmann::json& body);
  void journal_refusal(const UserRecord& clerk, const SaleCheck& check);
  // The QR code of a sale's invoice: what the paper says, the sale's journal hash, signed.
  std::string invoice_qr(const store::SaleRecord& sale, const Invoice& inv, const std::string& journal_hash);
  std::optional<platform::SigningKey> key_cache_;

  store::Store store_;
  const Clock& clock_;
  // What a sale reads every time but rarely changes, read once: the catalog, the policy in
  // force, the outlet, the clock's offset, the settings. Dropped when this terminal changes them
  // (put_setting) and when another connection (the CLI, the uploader) commits anything (PRAGMA
  // data_version).
  void refresh_caches();
  void drop_caches();
  // One PRAGMA data_version per use case: the first refresh_caches() in the scope asks, the
  // rest of the use case (now(), outlet(), policy() called again and again) trusts the answer.
  class FreshCaches {
   public:
    explicit FreshCaches(Terminal& t) : t_(t), outer_(t.caches_fresh_) {
      t_.refresh_caches();
      t_.caches_fresh_ = true;
    }
    ~FreshCaches() { t_.caches_fresh_ = outer_; }
    FreshCaches(const FreshCaches&) = delete;
    FreshCaches& operator=(const FreshCaches&) = delete;

   private:
    Terminal& t_;
    bool outer_;
  };
  bool caches_fresh_ = false;
  StepListener step_listener_;
  void step_done(const char* step) {
    if (step_listener_) step_listener_(step);
  }
  std::optional<Catalog> catalog_cache_;
  std::optional<PolicyPhase> policy_cache_;
  std::optional<Outlet> outlet_cache_;
  std::optional<int> offset_cache_;
  std::optional<Settings> settings_cache_;
  std::int64_t data_version_ = -1;
  RemoteHistory remote_history_;
  SubsidyLookup subsidy_lookup_;

  static std::string make_recovery_code(store::Store& s);
  // SIGNING_KEY_MISSING / KEY_MISMATCH when the invoice's QR code cannot be signed: nothing
  // that prints an invoice goes ahead without it.
  Result<Done> require_signing_key();
  // Every sales row against the journal (store/sale_ledger.hpp): DATABASE_DAMAGED naming the
  // invoice when one disagrees.
  Result<Done> check_sales_recorded();

  // Goods receipt (goods.cpp): a row's card or serial already on record (`with_serial`: the
  // serial too), as the file import words it; and the journal entry of a receipt.
  std::optional<ImportMessage> already_received(const CardReceiptRow& row, bool with_serial);
  void journal_goods_receipt(const UserRecord& actor, std::int64_t receipt, const std::string& source,
                             const std::vector<CardReceiptRow>& rows, const std::string& text);

  Result<BackupResult> make_backup(const UserRecord& actor, const std::string& dir, bool automatic);

  // Returns (returns.cpp).
  SubsidyState subsidy_state_of(const store::SaleRecord& sale, const std::string& card_no);
  ReturnResult take_return_step(store::ReturnRequest request, store::SaleRecord sale, SubsidyState state,
                                const std::string& actor_login);
  void complete_return(ReturnResult& r, const std::string& at, const std::string& actor_login);
  Result<ReturnResult> load_request(std::int64_t request_id);

  // Held sales (holds.cpp): the local time before which a hold has expired; the expired ones
  // closed and journaled (in the caller's transaction); the one a cart's sale completes; the
  // ones a closing of `date` must settle.
  std::string hold_cutoff();
  void expire_holds();
  void settle_hold_on_sale(const UserRecord& clerk, const Cart& cart, const store::SaleRecord& sale);
  Result<Done> settle_holds_for_closing(const UserRecord& actor, Date date, bool drop_held);
};

}  // namespace hn::app
