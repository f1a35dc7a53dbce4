#pragma once
// Sales, their items and how they were paid (sale_payments.cpp). The buyer's ID number and 户号
// are sealed with the KeyRing on write and opened on read.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/payment.hpp"
#include "core/records.hpp"
#include "core/report.hpp"
#include "store/platform_names.hpp"

namespace hn::store {

class Sales {
 public:
  Sales(Database& db, const KeyRing& keys) : db_(db), keys_(keys) {}
  std::int64_t next_invoice_no();
  // Inserts the sale and its items, marks the cards sold and queues the upload.
  std::int64_t insert(Sale& sale);
  // The keyed hashes of a sale's buyer (ID number, 户号): computed once for the sale's row and
  // its journal entry (checkout), not once for each.
  struct BuyerHashes {
    std::string id_hash;
    std::string household_hash;
  };
  BuyerHashes buyer_hashes(const Sale& sale) const;
  // `journal_seq`, when not 0: the sale's journal entry, appended first in the same transaction
  // (checkout), so the row is written linked to it.
  std::int64_t insert(Sale& sale, const BuyerHashes& hashes, std::int64_t journal_seq = 0);
  std::optional<Sale> find_by_invoice(std::int64_t invoice_no);
  std::optional<Sale> find(std::int64_t sale_id);
  // By a card on the sale now, or by a card an exchange took back.
  std::optional<Sale> find_by_card(const std::string& card_no);
  // How a sale was paid (sale_payments.cpp, issue 16), in the caller's transaction; the change
  // is kept on the sale's cash payments' first row. Read back in order; none for sales made
  // before payments were recorded.
  void insert_payments(std::int64_t sale_id, const std::vector<Payment>& payments, Fen change);
  std::vector<Payment> payments(std::int64_t sale_id, Fen* change = nullptr);
  // The payments of the sales of figures.date..figures.to per method (cash as tendered) and
  // the change given, into the figures, for the reports and the closing. Sales later returned
  // or voided still count: the money was taken then (refunds are not payments).
  void add_payment_totals(DailyFigures& figures);
  // The outbox state of a sale: "pending", "accepted" or "rejected".
  std::string upload_state(std::int64_t sale_id);
  void mark_provisional(std::int64_t sale_id);
  // What became of a sale the province rejected (tasks.hpp settles it).
  SaleSettlement settlement(std::int64_t sale_id);
  // The hash of the sale's journal entry; empty when it has none.
  std::string journal_hash(std::int64_t sale_id);
  // The sales dated `from_date`..`to_date` (ISO, inclusive), in invoice order.
  std::vector<std::int64_t> ids_between(const std::string& from_date, const std::string& to_date);
  // The lowest sale id; 0 when there is no sale.
  std::int64_t first_id();

 private:
  std::optional<std::string> setting(const std::string& key);
  std::string household_hash(const std::string& household) const;
  void enqueue_upload(const char* kind, std::int64_t ref_id, const std::string& at);
  Database& db_;
  const KeyRing& keys_;
};

}  // namespace hn::store
