#pragma once
// The auditor's export (audit issue): one self-contained JSON file — the journal from its
// first event, the signed daily closings, the terminal's public key, the invoices and return
// records of the period — signed as a whole with the terminal's Ed25519 key. verify_bundle
// checks it anywhere, without the database or the network, and says precisely what is wrong.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/journal.hpp"

namespace hn::store {

inline constexpr const char* kBundleFormat = "huinong-audit/1";

// What a closing adds up, recomputed from the journal events it covers: sales and returns
// as journaled (kinds "sale" and "return"), in fen.
struct ClosingTotals {
  std::int64_t sales_count = 0, sales_total = 0, sales_subsidy = 0;
  std::int64_t returns_count = 0, returns_total = 0, returns_subsidy = 0;
  std::string first_invoice, last_invoice;  // of the sales covered; empty when none
  // How the sales covered were paid (issue 16), from their journal entries: per method
  // ("cash" as tendered), and the change given. A sale journaled before payments were
  // recorded was paid exactly in cash.
  std::map<std::string, std::int64_t> payments;
  std::int64_t change_given = 0;
  // What the drawer should hold from these sales: cash tendered minus change.
  std::int64_t cash_net() const {
    const auto it = payments.find("cash");
    return wrap_add(it == payments.end() ? 0 : it->second, -change_given);
  }
  // Sums wrap rather than overflow: a file claiming absurd amounts must still be checked.
  std::int64_t net_total() const {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(sales_total) - static_cast<std::uint64_t>(returns_total));
  }
  static std::int64_t wrap_add(std::int64_t a, std::int64_t b) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
  }
};
ClosingTotals closing_totals(const std::vector<JournalEntry>& covered);
// The closing's canonical body: its figures, the range of the journal it covers and the
// grand total carried on from the previous closing.
nlohmann::json closing_body(const std::string& date, const std::string& outlet, const std::string& terminal,
                            const ClosingTotals& t, std::int64_t first_seq, std::int64_t last_seq,
                            const std::string& last_hash, std::int64_t previous_grand_total,
                            const std::string& previous_closing_hash, const std::string& public_key);

struct AuditProblem {
  std::string code;  // BUNDLE_UNREADABLE, BUNDLE_SIGNATURE, KEY_MISMATCH, JOURNAL_GAP, JOURNAL_ORDER,
                     // JOURNAL_ALTERED, JOURNAL_LINK, JOURNAL_TRUNCATED, CLOSING_SIGNATURE,
                     // CLOSING_TOTALS, CLOSING_ANCHOR
  std::string message_zh;
  std::string message_en;
};

struct AuditReport {
  std::vector<AuditProblem> problems;
  std::string public_key;
  std::string outlet, terminal, from, to;
  std::int64_t events = 0, closings = 0, invoices = 0, returns = 0;
  bool ok() const { return problems.empty(); }
};

// `expected_public_key` (hex), when given, is the key the province holds for this terminal.
AuditReport verify_bundle(const std::string& text, const std::string& expected_public_key = "");

}  // namespace hn::store
