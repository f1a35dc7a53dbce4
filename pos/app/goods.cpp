// Goods receipt (issue 16): the checks a received card goes through whether it comes in a file
// (Terminal::receive_cards) or is scanned as its box arrives, one pair at a time.
#include <nlohmann/json.hpp>

#include "app/access.hpp"
#include "app/terminal.hpp"
#include "platform/crypto.hpp"

namespace hn::app {

namespace {
// What the scanning screen's source column says: no file, the boxes themselves.
constexpr const char* kScanSource = "scan";

// A scanned pair's problem: the row's own words, under a code per field (a file says CSV_INVALID
// and the row; a scan has neither).
Problem scan_problem(const ImportMessage& m) {
  std::string code = m.code;
  if (code.empty())
    code = m.field == "card_no" ? "CARD_INVALID" : m.field == "serial_no" ? "SERIAL_INVALID" : "MODEL_UNKNOWN";
  Problem p = bad_input(code, m.message_zh, m.message_en);
  p.field = m.field;
  return p;
}
}  // namespace

std::optional<ImportMessage> Terminal::already_received(const CardReceiptRow& r, bool with_serial) {
  // POLICY S1: one card per unit, received once.
  if (store_.cards().exists(r.card_no))
    return ImportMessage{r.line, "card_no", "标识卡 " + r.card_no + " 已经登记收货,不能重复登记",
                         "card " + r.card_no + " was already received; it cannot be received twice",
                         "CARD_ALREADY_RECEIVED"};
  if (with_serial && store_.cards().serial_exists(r.model_code, r.serial_no))
    return ImportMessage{r.line, "serial_no", "型号 " + r.model_code + " 的序列号 " + r.serial_no + " 已有标识卡",
                         "serial " + r.serial_no + " of model " + r.model_code + " already has a card",
                         "SERIAL_ALREADY_RECEIVED"};
  return std::nullopt;
}

void Terminal::journal_goods_receipt(const UserRecord& actor, std::int64_t receipt, const std::string& source,
                                     const std::vector<CardReceiptRow>& rows, const std::string& text) {
  journal(actor, "goods_receipt",
          {{"receipt", receipt},
           {"source", source},
           {"cards", rows.size()},
           {"first_card", rows.front().card_no},
           {"last_card", rows.back().card_no},
           {"sha256", platform::sha256_hex(text)}});
}

Result<Done> Terminal::check_card_receipt(const UserRecord& actor, const CardReceiptRow& row) {
  if (actor.role != Role::Manager) return role_refused(actor);
  const CardReceiptRow r{0, trim(row.card_no), trim(row.serial_no), trim(row.model_code)};
  const bool with_serial = !r.serial_no.empty();
  ImportMessage wrong;
  if (!check_card_receipt_row(r, store_.catalog().load(), wrong, with_serial)) return scan_problem(wrong);
  if (const auto taken = already_received(r, with_serial)) return scan_problem(*taken);
  return Done{};
}

Result<CardReceived> Terminal::receive_card(const UserRecord& actor, const CardReceiptRow& scanned, std::int64_t batch) {
  if (actor.role != Role::Manager) return role_refused(actor);
  CardReceiptRow row{0, trim(scanned.card_no), trim(scanned.serial_no), trim(scanned.model_code)};
  ImportMessage wrong;
  if (!check_card_receipt_row(row, store_.catalog().load(), wrong)) return scan_problem(wrong);
  platform::Transaction tx(store_.db());
  if (const auto taken = already_received(row, true)) return scan_problem(*taken);
  const std::string outlet_code = outlet().code;
  if (batch == 0) {
    batch = store_.cards().add_goods_receipt(actor.id, kScanSource, {row}, outlet_code);
  } else if (!store_.cards().add_to_goods_receipt(batch, kScanSource, row, outlet_code)) {
    return bad_input("BATCH_UNKNOWN", "没有扫码收货批次 " + std::to_string(batch) + ":请重新打开收货登记",
                     "there is no scanned goods receipt " + std::to_string(batch) + ": open the goods receipt again");
  }
  // The entry a one-row file of the same card would leave, its digest over that row.
  const std::string as_file = std::string(kCardBatchHeader) + "\n" + row.card_no + "," + row.serial_no + "," +
                              row.model_code + "\n";
  journal_goods_receipt(actor, batch, kScanSource, {row}, as_file);
  tx.commit();
  return CardReceived{batch, row};
}

Catalog Terminal::catalog() { return store_.catalog().load(); }

bool Terminal::card_exists(const std::string& card_no) { return store_.cards().exists(card_no); }

std::vector<StockCard> Terminal::cards(const std::string& state, const std::string& model_code) {
  return store_.cards().list(state, model_code);
}

std::vector<StockCount> Terminal::stock_by_model(const std::string& filter) { return store_.cards().stock_by_model(filter); }

std::vector<StockEntry> Terminal::stock_cards(const std::string& filter, int limit) {
  return store_.cards().stock_cards(filter, limit);
}

}  // namespace hn::app
