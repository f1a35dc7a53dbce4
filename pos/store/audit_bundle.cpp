#include "store/audit_bundle.hpp"

#include "store/sale_ledger.hpp"

#include <map>

#include "store/platform_names.hpp"

namespace hn::store {

using nlohmann::json;

namespace {
// An integer field, or `fallback` when absent or not an integer (a float such as 4e39 must
// never be converted: that is undefined behaviour).
std::int64_t int_field(const json& j, const std::string& key, std::int64_t fallback) {
  if (!j.is_object()) return fallback;
  const auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<std::int64_t>() : fallback;
}
}  // namespace

ClosingTotals closing_totals(const std::vector<JournalEntry>& covered) {
  ClosingTotals t;
  for (const auto& e : covered) {
    if (e.kind != "sale" && e.kind != "return") continue;
    const json b = json::parse(e.body, nullptr, false);
    if (!b.is_object()) continue;
    if (e.kind == "sale") {
      ++t.sales_count;
      t.sales_total = ClosingTotals::wrap_add(t.sales_total, int_field(b, "total", 0));
      t.sales_subsidy = ClosingTotals::wrap_add(t.sales_subsidy, int_field(b, "subsidy", 0));
      const std::string no = b.value("invoice_no", "");
      if (t.first_invoice.empty()) t.first_invoice = no;
      t.last_invoice = no;
      const auto paid = b.find("payments");
      if (paid == b.end() || !paid->is_array()) {
        t.payments["cash"] = ClosingTotals::wrap_add(t.payments["cash"], int_field(b, "total", 0));
      } else {
        for (const auto& p : *paid) {
          if (!p.is_object() || !p.contains("method") || !p["method"].is_string()) continue;
          auto& sum = t.payments[p["method"].get<std::string>()];
          sum = ClosingTotals::wrap_add(sum, int_field(p, "amount", 0));
        }
        t.change_given = ClosingTotals::wrap_add(t.change_given, int_field(b, "change", 0));
      }
    } else {
      ++t.returns_count;
      t.returns_total = ClosingTotals::wrap_add(t.returns_total, int_field(b, "price", 0));
      t.returns_subsidy = ClosingTotals::wrap_add(t.returns_subsidy, int_field(b, "subsidy", 0));
    }
  }
  return t;
}

json closing_body(const std::string& date, const std::string& outlet, const std::string& terminal,
                  const ClosingTotals& t, std::int64_t first_seq, std::int64_t last_seq, const std::string& last_hash,
                  std::int64_t previous_grand_total, const std::string& previous_closing_hash,
                  const std::string& public_key) {
  return {{"date", date},
          {"outlet", outlet},
          {"terminal", terminal},
          {"first_seq", first_seq},
          {"last_seq", last_seq},
          {"last_hash", last_hash},
          {"sales_count", t.sales_count},
          {"sales_total", t.sales_total},
          {"sales_subsidy", t.sales_subsidy},
          {"returns_count", t.returns_count},
          {"returns_total", t.returns_total},
          {"returns_subsidy", t.returns_subsidy},
          {"net_total", t.net_total()},
          {"grand_total", ClosingTotals::wrap_add(previous_grand_total, t.net_total())},
          {"first_invoice", t.first_invoice},
          {"last_invoice", t.last_invoice},
          {"previous_closing", previous_closing_hash},
          {"public_key", public_key},
          {"payments", t.payments},
          {"change_given", t.change_given},
          {"cash_net", t.cash_net()}};
}

namespace {
class Checker {
 public:
  explicit Checker(AuditReport& r) : r_(r) {}
  void fail(const std::string& code, const std::string& zh, const std::string& en) {
    // One line per problem kind is what a person can act on; the first few of each.
    if (++per_code_[code] > 3) return;
    r_.problems.push_back({code, zh, en});
  }

 private:
  AuditReport& r_;
  std::map<std::string, int> per_code_;
};

std::string n(std::int64_t v) { return std::to_string(v); }
}  // namespace

AuditReport verify_bundle(const std::string& text, const std::string& expected_public_key) {
  AuditReport r;
  Checker c(r);
  json b = json::parse(text, nullptr, false);
  // Every field is checked for its type before it is read: any text is an answer, never a throw.
  const bool format_ok = b.is_object() && b.contains("format") && b["format"].is_string() && b["format"] == kBundleFormat;
  if (b.is_discarded() || !format_ok || !b.contains("header") ||
      !b["header"].is_object() || !b.contains("journal") || !b["journal"].is_array()) {
    c.fail("BUNDLE_UNREADABLE", "文件不完整或不是审计导出文件(可能被截断):无法核验",
           "the file is cut off or is not an audit export: nothing can be verified");
    return r;
  }
  try {
    const json& h = b["header"];
    r.public_key = h.value("public_key", "");
    r.outlet = h.value("outlet", "");
    r.terminal = h.value("terminal", "");
    r.from = h.value("from", "");
    r.to = h.value("to", "");

    // The key: the one the journal recorded when it was made, and the province's if given.
    std::string journaled_key;
    for (const auto& e : b["journal"])
      if (e.value("kind", "") == "signing_key")
        journaled_key = json::parse(e.value("body", "{}"), nullptr, false).value("public_key", "");
    if (!journaled_key.empty() && journaled_key != r.public_key)
      c.fail("KEY_MISMATCH", "文件所附公钥 " + key_fingerprint(r.public_key) + " 与日志记录的终端公钥 " +
                                 key_fingerprint(journaled_key) + " 不同:文件被另一密钥重新签名",
             "the public key in the file (" + key_fingerprint(r.public_key) + ") is not the terminal's key "
             "recorded in its journal (" + key_fingerprint(journaled_key) + "): the file was re-signed with another key");
    if (!expected_public_key.empty() && expected_public_key != r.public_key)
      c.fail("KEY_MISMATCH", "文件所附公钥 " + key_fingerprint(r.public_key) + " 不是省平台登记的公钥 " +
                                 key_fingerprint(expected_public_key),
             "the public key in the file (" + key_fingerprint(r.public_key) + ") is not the key the province "
             "holds for this terminal (" + key_fingerprint(expected_public_key) + ")");

    // The file as a whole, as exported.
    json unsigned_part = b;
    unsigned_part.erase("signature");
    if (!verify_signature(r.public_key, canonical_json(unsigned_part), b.value("signature", "")))
      c.fail("BUNDLE_SIGNATURE", "文件的签名与内容不符:导出后被改动,或由另一密钥签名",
             "the file's signature does not match its content: it was changed after export, or signed "
             "with another key");

    // The journal: from its first event, gap-free, in order, each hash over its content.
    std::vector<JournalEntry> journal;
    std::int64_t expected_seq = 1;
    std::string prev_hash = kGenesisHash;
    for (std::size_t i = 0; i < b["journal"].size(); ++i) {
      const json& j = b["journal"][i];
      JournalEntry e{int_field(j, "seq", 0), j.value("at", ""),        j.value("user", ""),
                     j.value("kind", ""),             j.value("body", ""),      j.value("prev_hash", ""),
                     j.value("hash", "")};
      if (e.seq < expected_seq) {
        c.fail("JOURNAL_ORDER", "日志顺序被打乱:第 " + n(static_cast<std::int64_t>(i) + 1) + " 条是事件 " + n(e.seq) +
                                    ",应为 " + n(expected_seq),
               "events are out of order: entry " + n(static_cast<std::int64_t>(i) + 1) + " is event " + n(e.seq) +
                   " where event " + n(expected_seq) + " belongs");
      } else if (e.seq > expected_seq) {
        const bool swapped = i + 1 < b["journal"].size() && int_field(b["journal"][i + 1], "seq", 0) == expected_seq;
        if (swapped)
          c.fail("JOURNAL_ORDER", "日志顺序被打乱:事件 " + n(e.seq) + " 排在事件 " + n(expected_seq) + " 之前",
                 "events are out of order: event " + n(e.seq) + " comes before event " + n(expected_seq));
        else
          c.fail("JOURNAL_GAP",
                 "日志缺少事件 " + n(expected_seq) + (e.seq - 1 > expected_seq ? " 至 " + n(e.seq - 1) : "") + ":已被删除",
                 "event" + std::string(e.seq - 1 > expected_seq ? "s " : " ") + n(expected_seq) +
                     (e.seq - 1 > expected_seq ? " to " + n(e.seq - 1) : "") + " of the journal " +
                     (e.seq - 1 > expected_seq ? "are" : "is") + " missing: deleted");
      }
      if (journal_hash(e.prev_hash, e.seq, e.at, e.user_login, e.kind, e.body) != e.hash)
        c.fail("JOURNAL_ALTERED", "日志事件 " + n(e.seq) + "(" + e.kind + ")的内容与其哈希不符:已被改动",
               "journal event " + n(e.seq) + " (" + e.kind + ") does not match its hash: it was altered");
      else if (e.prev_hash != prev_hash && e.seq == expected_seq)
        c.fail("JOURNAL_LINK", "日志事件 " + n(e.seq) + " 未接上前一事件的哈希:链条断开",
               "journal event " + n(e.seq) + " does not link to the event before it: the chain is broken");
      prev_hash = e.hash;
      expected_seq = std::max(expected_seq, e.seq + 1);
      journal.push_back(std::move(e));
    }
    r.events = static_cast<std::int64_t>(journal.size());
    const std::int64_t declared_last = int_field(h, "journal_last_seq", 0);
    const std::int64_t actual_last = journal.empty() ? 0 : journal.back().seq;
    if (int_field(h, "journal_count", -1) != r.events || declared_last != actual_last)
      c.fail("JOURNAL_TRUNCATED",
             "日志在事件 " + n(actual_last) + " 处结束,但文件声明到事件 " + n(declared_last) + ":尾部被截去",
             "the journal ends at event " + n(actual_last) + " but the file declares " + n(declared_last) +
                 ": its tail was cut off");

    // The closings: signed by the terminal, adding up to what the journal holds.
    std::int64_t grand = 0;
    std::string previous = "";
    for (const auto& cl : b.value("closings", json::array())) {
      ++r.closings;
      const std::string body_text = cl.value("body", "");
      const json body = json::parse(body_text, nullptr, false);
      const std::string date = body.is_object() ? body.value("date", "?") : "?";
      if (!verify_signature(r.public_key, body_text, cl.value("signature", ""))) {
        c.fail("CLOSING_SIGNATURE", date + " 的日结签名不符:日结被改动或不是本终端签发",
               "the closing of " + date + " does not match its signature: it was altered or not signed by "
               "this terminal");
      }
      if (!body.is_object()) continue;
      const std::int64_t first = int_field(body, "first_seq", 0), last = int_field(body, "last_seq", 0);
      std::vector<JournalEntry> covered;
      std::string anchor;
      for (const auto& e : journal) {
        if (e.seq >= first && e.seq <= last) covered.push_back(e);
        if (e.seq == last) anchor = e.hash;
      }
      if (anchor.empty() || anchor != body.value("last_hash", ""))
        c.fail("CLOSING_ANCHOR", date + " 的日结所锚定的日志事件 " + n(last) + " 与文件中的日志不符",
               "the closing of " + date + " is anchored to journal event " + n(last) +
                   ", which the journal in the file does not match");
      const ClosingTotals t = closing_totals(covered);
      const json expect = closing_body(date, body.value("outlet", ""), body.value("terminal", ""), t, first, last,
                                       body.value("last_hash", ""), grand, previous, body.value("public_key", ""));
      for (const auto* field : {"sales_count", "sales_total", "sales_subsidy", "returns_count", "returns_total",
                                "returns_subsidy", "net_total", "grand_total"}) {
        if (int_field(body, field, -1) != expect[field].get<std::int64_t>())
          c.fail("CLOSING_TOTALS",
                 date + " 的日结 " + field + " 为 " + n(int_field(body, field, -1)) + ",日志合计为 " +
                     n(expect[field].get<std::int64_t>()) + ":合计不符",
                 "the closing of " + date + " says " + field + " " + n(int_field(body, field, -1)) +
                     " but its journal events add up to " + n(expect[field].get<std::int64_t>()));
      }
      // Issue 16: the payments of the day, on closings made since they were recorded.
      if (body.contains("cash_net") &&
          (body.value("payments", json::object()) != expect["payments"] ||
           int_field(body, "change_given", -1) != expect["change_given"].get<std::int64_t>() ||
           int_field(body, "cash_net", -1) != expect["cash_net"].get<std::int64_t>()))
        c.fail("CLOSING_TOTALS", date + " 的日结付款合计与日志不符",
               "the closing of " + date + " has payment totals its journal events do not add up to");
      grand = int_field(body, "grand_total", 0);
      previous = sha256_hex(body_text);
    }
    // Each invoice as the journal recorded it (and changed it by exchanges and returns): an
    // export made from altered rows says which invoice differs.
    SaleLedger ledger;
    for (const auto& e : journal) ledger.apply(e);
    for (const auto& inv : b.value("invoices", json::array())) {
      const LedgerSale* journaled = inv.is_object() ? ledger.find(inv.value("sale_uuid", "")) : nullptr;
      const std::string no = inv.is_object() ? inv.value("invoice_no", "?") : "?";
      if (!journaled) {
        c.fail("DATABASE_DAMAGED", "发票 " + no + " 在日志中没有销售记录:销售表被改动",
               "invoice " + no + " has no sale in the journal: the sales table was altered");
      } else if (const auto m = compare_sale(*journaled, inv)) {
        c.fail("DATABASE_DAMAGED", m->what_zh + ":销售表被改动", m->what_en + ": the sales table was altered");
      }
    }
    r.invoices = static_cast<std::int64_t>(b.value("invoices", json::array()).size());
    r.returns = static_cast<std::int64_t>(b.value("returns", json::array()).size());
  } catch (const json::exception& e) {
    c.fail("BUNDLE_UNREADABLE", std::string("文件结构不符:") + e.what(),
           std::string("the file's structure is not an audit export: ") + e.what());
  }
  return r;
}

}  // namespace hn::store
