#pragma once
// Sales as the journal recorded them (hardening issue): the journal is the truth the auditor's
// tools check the tables against. A "sale" entry gives the sale; the "exchange" and "return"
// entries after it change a line's card or mark it returned. Anyone who edits the `sales` or
// `sale_items` rows (a total, a price, a card) or its `sale_payments` rows (a method, an
// amount, a reference, the change) without a journal entry, or deletes a sale,
// leaves rows that no longer agree with this fold: DATABASE_DAMAGED, naming the invoice.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/journal.hpp"
#include "store/platform_names.hpp"

namespace hn::store {

struct LedgerItem {
  std::string card, serial, model, category;
  std::int64_t price = 0, subsidy = 0;
  bool returned = false;
};

// A payment as the sale's journal entry recorded it (issue 16); amounts in fen.
struct LedgerPayment {
  std::string method, reference;
  std::int64_t amount = 0;
};

struct LedgerSale {
  std::int64_t seq = 0;  // the "sale" entry
  std::string uuid;
  std::string invoice_no;  // as printed, "00000001"
  std::int64_t total = 0, subsidy = 0;
  std::string policy_phase, buyer_id_hash, household_hash;
  std::vector<LedgerItem> items;
  // How it was paid and the change given (issue 16). A sale journaled before payments were
  // recorded has none, and no payment row may claim it.
  bool payments_recorded = false;
  std::vector<LedgerPayment> payments;
  std::int64_t change = 0;
};

// The sales the entries create, in journal order, with what later entries did to them.
// Entries of other kinds are ignored; an exchange or return of a sale not among them too.
class SaleLedger {
 public:
  void apply(const JournalEntry& e);
  const std::map<std::string, LedgerSale>& sales() const { return sales_; }
  const LedgerSale* find(const std::string& uuid) const;

 private:
  std::map<std::string, LedgerSale> sales_;
};

// One sale whose record disagrees with its journal entry.
struct SaleMismatch {
  std::string invoice_no;
  std::string what_zh, what_en;
};

// A sale as written somewhere else (a table row, an auditor's export) against the journal's.
// `record` uses the export's field names: invoice_no, sale_uuid, total, subsidy, items[{card,
// serial, model, price, subsidy, returned}] (and, for rows, category, policy_phase and the two
// hashes, compared when present); payments[{method, amount, reference}] and change, compared
// when present (an export made before payments were exported has neither).
std::optional<SaleMismatch> compare_sale(const LedgerSale& journaled, const nlohmann::json& record);

// Compares the `sales`, `sale_items` and `sale_payments` rows with the journal from entry `from_seq` on: every
// sale the journal made there must be a row that agrees with it, and no row made there may be
// missing from the journal. 1 checks everything (backups, exports, closings); the start-up
// check passes the last few hundred entries. Empty when all agree.
std::optional<SaleMismatch> check_sales_against_journal(Database& db, std::int64_t from_seq);

}  // namespace hn::store
