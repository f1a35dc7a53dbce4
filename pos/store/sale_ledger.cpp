#include "store/sale_ledger.hpp"

#include <charconv>
#include <cstdio>
#include <set>

#include "store/platform_names.hpp"

namespace hn::store {

using nlohmann::json;

namespace {
std::int64_t num(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}
std::string str(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

SaleMismatch mismatch(const LedgerSale& s, const std::string& what_zh, const std::string& what_en) {
  return {s.invoice_no, "发票 " + s.invoice_no + " 的" + what_zh + "与日志记录不符",
          "invoice " + s.invoice_no + ": its " + what_en + " does not match what the journal recorded"};
}
}  // namespace

void SaleLedger::apply(const JournalEntry& e) {
  if (e.kind != "sale" && e.kind != "exchange" && e.kind != "return") return;
  const json b = json::parse(e.body, nullptr, false);
  if (!b.is_object()) return;
  if (e.kind == "sale") {
    LedgerSale s;
    s.seq = e.seq;
    s.uuid = str(b, "sale_uuid");
    s.invoice_no = str(b, "invoice_no");
    s.total = num(b, "total");
    s.subsidy = num(b, "subsidy");
    s.policy_phase = str(b, "policy_phase");
    s.buyer_id_hash = str(b, "buyer_id_hash");
    s.household_hash = str(b, "household_hash");
    for (const auto& i : b.value("items", json::array()))
      s.items.push_back({str(i, "card"), str(i, "serial"), str(i, "model"), str(i, "category"), num(i, "price"),
                         num(i, "subsidy"), false});
    if (const auto paid = b.find("payments"); paid != b.end() && paid->is_array()) {
      s.payments_recorded = true;
      for (const auto& p : *paid) s.payments.push_back({str(p, "method"), str(p, "reference"), num(p, "amount")});
      s.change = num(b, "change");
    }
    sales_[s.uuid] = std::move(s);
    return;
  }
  const auto it = sales_.find(str(b, "sale_uuid"));
  if (it == sales_.end()) return;
  for (auto& item : it->second.items) {
    if (e.kind == "exchange" && item.card == str(b, "old_card")) {
      item.card = str(b, "new_card");
      item.serial = str(b, "new_serial");
      break;
    }
    if (e.kind == "return" && item.card == str(b, "card")) {
      item.returned = true;
      break;
    }
  }
}

const LedgerSale* SaleLedger::find(const std::string& uuid) const {
  const auto it = sales_.find(uuid);
  return it == sales_.end() ? nullptr : &it->second;
}

std::optional<SaleMismatch> compare_sale(const LedgerSale& s, const json& r) {
  if (str(r, "invoice_no") != s.invoice_no) return mismatch(s, "发票号", "invoice number");
  if (r.contains("sale_uuid") && str(r, "sale_uuid") != s.uuid) return mismatch(s, "销售编号", "sale uuid");
  if (num(r, "total") != s.total) return mismatch(s, "金额", "total");
  if (num(r, "subsidy") != s.subsidy) return mismatch(s, "补贴额", "subsidy");
  const std::pair<const char*, const std::string*> recorded[] = {
      {"policy_phase", &s.policy_phase}, {"buyer_id_hash", &s.buyer_id_hash}, {"household_hash", &s.household_hash}};
  for (const auto& [key, value] : recorded)
    if (r.contains(key) && str(r, key) != *value)
      return mismatch(s, std::string("购买人或政策记录(") + key + ")", std::string("buyer or policy record (") + key + ")");
  const json items = r.value("items", json::array());
  if (!items.is_array() || items.size() != s.items.size()) return mismatch(s, "商品行数", "number of lines");
  for (std::size_t i = 0; i < s.items.size(); ++i) {
    const auto& want = s.items[i];
    const json& got = items[i];
    const std::string line = std::to_string(i + 1);
    if (str(got, "card") != want.card || str(got, "serial") != want.serial || str(got, "model") != want.model ||
        (got.contains("category") && str(got, "category") != want.category))
      return mismatch(s, "第 " + line + " 行的标识卡、序列号或型号", "line " + line + "'s card, serial or model");
    if (num(got, "price") != want.price || num(got, "subsidy") != want.subsidy)
      return mismatch(s, "第 " + line + " 行的价格或补贴", "line " + line + "'s price or subsidy");
    if (got.value("returned", false) != want.returned)
      return mismatch(s, "第 " + line + " 行的退货状态", "line " + line + "'s returned state");
  }
  // Issue 16: how it was paid, as the journal recorded it.
  if (r.contains("payments")) {
    const json paid = r.value("payments", json::array());
    if (!paid.is_array() || paid.size() != s.payments.size()) return mismatch(s, "付款笔数", "number of payments");
    for (std::size_t i = 0; i < s.payments.size(); ++i) {
      const auto& want = s.payments[i];
      const json& got = paid[i];
      const std::string n = std::to_string(i + 1);
      if (str(got, "method") != want.method || num(got, "amount") != want.amount ||
          str(got, "reference") != want.reference)
        return mismatch(s, "第 " + n + " 笔付款的方式、金额或参考号", "payment " + n + "'s method, amount or reference");
    }
    if (num(r, "change") != s.change) return mismatch(s, "找零", "change");
  }
  return std::nullopt;
}

std::optional<SaleMismatch> check_sales_against_journal(Database& db, std::int64_t from_seq) {
  SaleLedger ledger;
  {
    auto st = db.prepare("SELECT seq, kind, body FROM journal WHERE seq >= ? AND kind IN ('sale', 'exchange', 'return') "
                         "ORDER BY seq");
    st.bind(1, from_seq);
    while (st.step()) {
      JournalEntry e;
      e.seq = st.int64(0);
      e.kind = st.text(1);
      e.body = st.text(2);
      ledger.apply(e);
    }
  }
  // By the invoice number the journal recorded (unique); the uuid is compared with the rest.
  auto sale = db.prepare("SELECT id, invoice_no, total, subsidy, policy_phase, buyer_id_hash, household_hash, "
                         "journal_seq, uuid FROM sales WHERE invoice_no = ?");
  auto items = db.prepare("SELECT card_no, serial_no, model_code, category, price, subsidy, state FROM sale_items "
                          "WHERE sale_id = ? ORDER BY line_no");
  auto payments = db.prepare("SELECT method, amount, reference, change FROM sale_payments WHERE sale_id = ? "
                             "ORDER BY seq");
  for (const auto& [uuid, s] : ledger.sales()) {
    std::int64_t invoice_no = 0;
    const auto parsed = std::from_chars(s.invoice_no.data(), s.invoice_no.data() + s.invoice_no.size(), invoice_no);
    const bool number = parsed.ec == std::errc() && parsed.ptr == s.invoice_no.data() + s.invoice_no.size();
    if (number) sale.bind(1, invoice_no);
    if (!number || !sale.step()) {
      sale.reset();
      // Found by its uuid (no index: only when something is already wrong), its number was changed.
      auto by_uuid = db.prepare("SELECT 1 FROM sales WHERE uuid = ?");
      by_uuid.bind(1, uuid);
      if (by_uuid.step()) return mismatch(s, "发票号", "invoice number");
      return SaleMismatch{s.invoice_no, "发票 " + s.invoice_no + " 的销售记录不见了(日志中有)",
                          "invoice " + s.invoice_no + ": the sale is in the journal but its record is gone"};
    }
    char no[16];
    std::snprintf(no, sizeof no, "%08lld", static_cast<long long>(sale.int64(1)));
    json r = {{"invoice_no", no},
              {"total", sale.int64(2)},
              {"subsidy", sale.int64(3)},
              {"policy_phase", sale.text(4)},
              {"buyer_id_hash", sale.text(5)},
              {"household_hash", sale.text(6)},
              {"sale_uuid", sale.text(8)},
              {"items", json::array()}};
    const bool linked = !sale.is_null(7) && sale.int64(7) == s.seq;
    const std::int64_t sale_id = sale.int64(0);
    items.bind(1, sale_id);
    sale.reset();
    while (items.step())
      r["items"].push_back({{"card", items.text(0)},
                            {"serial", items.text(1)},
                            {"model", items.text(2)},
                            {"category", items.text(3)},
                            {"price", items.int64(4)},
                            {"subsidy", items.int64(5)},
                            {"returned", items.text(6) == "returned"}});
    items.reset();
    r["payments"] = json::array();
    std::int64_t change = 0;
    payments.bind(1, sale_id);
    while (payments.step()) {
      r["payments"].push_back({{"method", payments.text(0)}, {"amount", payments.int64(1)}, {"reference", payments.text(2)}});
      change += payments.int64(3);
    }
    payments.reset();
    r["change"] = change;
    if (!linked)
      return SaleMismatch{s.invoice_no, "发票 " + s.invoice_no + " 的销售记录与日志条目的关联被改动",
                          "invoice " + s.invoice_no + ": the sale's link to its journal entry was changed"};
    if (auto m = compare_sale(s, r)) return m;
  }
  // A row the journal never recorded: added, or moved from a deleted entry.
  auto extra = db.prepare("SELECT invoice_no FROM sales WHERE (journal_seq >= ? OR journal_seq IS NULL) "
                          "ORDER BY invoice_no");
  extra.bind(1, from_seq);
  std::set<std::string> journaled;
  for (const auto& [uuid, s] : ledger.sales()) journaled.insert(s.invoice_no);
  std::int64_t rows = 0;
  std::string first_unknown;
  while (extra.step()) {
    ++rows;
    char no[16];
    std::snprintf(no, sizeof no, "%08lld", static_cast<long long>(extra.int64(0)));
    if (!journaled.count(no) && first_unknown.empty()) first_unknown = no;
  }
  if (!first_unknown.empty() || rows != static_cast<std::int64_t>(ledger.sales().size())) {
    const std::string no = first_unknown.empty() ? std::string("?") : first_unknown;
    return SaleMismatch{no, "发票 " + no + " 的销售记录在日志中没有对应条目", "invoice " + no + ": the sale has no journal entry"};
  }
  return std::nullopt;
}

}  // namespace hn::store
