#include "store/reports.hpp"

#include <sqlite3.h>

#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/invoice.hpp"
#include "store/stored_values.hpp"

namespace hn::store {

DailyFigures Reports::daily_figures(Date date) { return figures(date, date, date.plus_days(-29)); }

DailyFigures Reports::figures(Date from, Date to, Date series_from) {
  DailyFigures f;
  f.date = from;
  f.to = to;
  const std::string lo = from.iso(), hi = to.iso();
  // One read snapshot: the figures add up with each other even while the counter sells
  // (unless the caller already holds a transaction, which is one).
  std::optional<ReadTransaction> read;
  if (sqlite3_get_autocommit(db_.handle())) read.emplace(db_);
  std::map<std::int64_t, std::string> logins;  // user id -> login
  {
    auto st = db_.prepare("SELECT id, login, name FROM users");
    while (st.step()) {
      logins[st.int64(0)] = st.text(1);
      f.by_clerk[st.text(1)].name = st.text(2);
    }
  }
  {
    auto st = db_.prepare("SELECT user_id, COUNT(*) FROM sales WHERE sale_date BETWEEN ? AND ? GROUP BY user_id");
    st.bind(1, lo).bind(2, hi);
    while (st.step()) {
      f.by_clerk[logins[st.int64(0)]].sales = st.integer(1);
      f.sales_count += st.integer(1);
    }
  }
  {
    auto st = db_.prepare("SELECT i.category, s.user_id, COUNT(*), SUM(i.price), SUM(i.subsidy) "
                          "FROM sale_items i JOIN sales s ON s.id = i.sale_id "
                          "WHERE s.sale_date BETWEEN ? AND ? GROUP BY i.category, s.user_id");
    st.bind(1, lo).bind(2, hi);
    while (st.step()) {
      auto& c = f.by_category[parse_stored_category(st.text(0))];
      auto& k = f.by_clerk[logins[st.int64(1)]];
      const int n = st.integer(2);
      const Fen total = st.int64(3), subsidy = st.int64(4);
      c.count += n;
      c.total += total;
      c.subsidy += subsidy;
      k.items += n;
      k.total += total;
      k.subsidy += subsidy;
    }
  }
  {
    auto st = db_.prepare("SELECT COUNT(*), COALESCE(SUM(price), 0), COALESCE(SUM(subsidy), 0) "
                          "FROM returns WHERE return_date BETWEEN ? AND ?");
    st.bind(1, lo).bind(2, hi);
    st.step();
    f.returns_count = st.integer(0);
    f.returns_total = st.int64(1);
    f.returns_subsidy = st.int64(2);
  }
  {
    // 预退货: the pre-return events filed in the period, at the item's price and subsidy.
    auto st = db_.prepare("SELECT COUNT(*), COALESCE(SUM(i.price), 0), COALESCE(SUM(i.subsidy), 0) "
                          "FROM return_events e JOIN return_requests q ON q.id = e.request_id "
                          "JOIN sale_items i ON i.id = q.item_id "
                          "WHERE e.kind = 'pre_return' AND substr(e.at, 1, 10) BETWEEN ? AND ?");
    st.bind(1, lo).bind(2, hi);
    st.step();
    f.pre_returns_count = st.integer(0);
    f.pre_returns_total = st.int64(1);
    f.pre_returns_subsidy = st.int64(2);
  }
  for (const auto& r : refused_attempts(from, to)) {
    ++f.refused_attempts;
    ++f.by_clerk[r.user_login].refused;
    for (const auto& code : r.codes) ++f.refused_by_code[code];
  }
  {
    // A rejected sale waits for the manager until settled; a settled one waits for nothing.
    // (A sale's row is pending, accepted or rejected: naming the two, and keeping the planner
    // off the (kind, ref_id) index with "+", lets outbox_by_state find them without reading
    // the million accepted rows: 2 ms instead of 490 ms on the 1M-sale benchmark store.)
    auto st = db_.prepare("SELECT s.sale_date, COUNT(*), MIN(s.invoice_no), MAX(s.invoice_no) "
                          "FROM outbox o JOIN sales s ON s.id = o.ref_id "
                          "WHERE +o.kind = 'sale' AND o.state IN ('pending', 'rejected') "
                          "AND NOT EXISTS (SELECT 1 FROM sale_resolutions r WHERE r.sale_id = o.ref_id) "
                          "GROUP BY s.sale_date ORDER BY s.sale_date");
    while (st.step()) {
      PendingDay p;
      p.sale_date = parse_stored_date(st.text(0));
      p.count = st.integer(1);
      p.first_invoice = format_invoice_no(st.int64(2));
      p.last_invoice = format_invoice_no(st.int64(3));
      f.pending_upload += p.count;
      f.pending.push_back(std::move(p));
    }
  }
  {
    // The line chart: every day from series_from to `to`, days without sales at zero.
    std::map<std::int64_t, DayPoint> days;
    for (std::int64_t d = series_from.serial(); d <= to.serial(); ++d) days[d].date = Date::from_serial(d);
    // The sales table alone (a sale's total and subsidy are its items' sums): no join.
    auto st = db_.prepare("SELECT sale_date, COUNT(*), SUM(total), SUM(subsidy) FROM sales "
                          "WHERE sale_date BETWEEN ? AND ? GROUP BY sale_date");
    st.bind(1, series_from.iso()).bind(2, hi);
    while (st.step()) {
      auto& p = days[parse_stored_date(st.text(0)).serial()];
      p.sales = st.integer(1);
      p.total = st.int64(2);
      p.subsidy = st.int64(3);
    }
    for (const auto& [serial, p] : days) f.series.push_back(p);
  }
  // Clerks who did nothing in the period are left out.
  for (auto it = f.by_clerk.begin(); it != f.by_clerk.end();)
    it = it->second.sales == 0 && it->second.items == 0 && it->second.refused == 0 ? f.by_clerk.erase(it) : std::next(it);
  return f;
}

std::int64_t Reports::journal_first_seq_at_or_after(const std::string& at) {
  // The journal is appended in time order, so `at` grows with seq: a binary search over the
  // primary key (the journal has no index on `at`, and on a busy terminal it is the largest
  // table). A clock set back across midnight can misplace the entries of those minutes.
  std::int64_t lo = 1, hi = 0;
  {
    auto st = db_.prepare("SELECT COALESCE(MAX(seq), 0) FROM journal");
    st.step();
    hi = st.int64(0) + 1;  // the answer is in [lo, hi]; hi means "after the last entry"
  }
  auto st = db_.prepare("SELECT at FROM journal WHERE seq = ?");
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    st.reset();
    st.bind(1, mid);
    const bool found = st.step();
    if (found && st.text(0) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

std::vector<RefusedAttempt> Reports::refused_attempts(Date from, Date to) {
  const std::int64_t first = journal_first_seq_at_or_after(from.iso());
  const std::int64_t end = journal_first_seq_at_or_after(to.plus_days(1).iso());
  auto st = db_.prepare("SELECT at, user_login, body FROM journal WHERE seq >= ? AND seq < ? AND kind = 'sale_refused'");
  st.bind(1, first).bind(2, end);
  std::vector<RefusedAttempt> out;
  while (st.step()) {
    RefusedAttempt r;
    r.at = st.text(0);
    r.user_login = st.text(1);
    const auto body = nlohmann::json::parse(st.text(2), nullptr, false);
    if (body.is_object() && body.contains("codes") && body["codes"].is_array())
      for (const auto& c : body["codes"])
        if (c.is_string()) r.codes.push_back(c.get<std::string>());
    out.push_back(std::move(r));
  }
  return out;
}

int Reports::pending_uploads() {
  // A rejected sale waits for the manager until settled; a settled one waits for nothing.
  // The states not yet accepted, named, so that outbox_by_state finds the few such rows; "<>"
  // and the (kind, ref_id) index made this a scan of every sale ever made (240 ms of the daily
  // report's 250 on the 1M-sale benchmark store). `+o.kind` keeps the planner off that index.
  auto st = db_.prepare("SELECT COUNT(*) FROM outbox o WHERE +o.kind = 'sale' "
                        "AND o.state IN ('pending', 'rejected', 'withdrawn') "
                        "AND NOT EXISTS (SELECT 1 FROM sale_resolutions r WHERE r.sale_id = o.ref_id)");
  st.step();
  return st.integer(0);
}

std::vector<std::pair<Date, int>> Reports::pending_sales_by_date() {
  auto st = db_.prepare("SELECT s.sale_date, COUNT(*) FROM outbox o JOIN sales s ON s.id = o.ref_id "
                        "WHERE +o.kind = 'sale' AND o.state IN ('pending', 'rejected', 'withdrawn') "
                        "AND NOT EXISTS (SELECT 1 FROM sale_resolutions r WHERE r.sale_id = o.ref_id) "
                        "GROUP BY s.sale_date "
                        "ORDER BY s.sale_date");
  std::vector<std::pair<Date, int>> out;
  while (st.step()) out.emplace_back(parse_stored_date(st.text(0)), st.integer(1));
  return out;
}

int Reports::reprints(const std::string& invoice_no) {
  auto st = db_.prepare(
      "SELECT COUNT(*) FROM journal WHERE kind = 'reprint' AND json_extract(body, '$.invoice_no') = ?");
  st.bind(1, invoice_no);
  st.step();
  return st.integer(0);
}

DatabaseFigures Reports::database_figures() {
  DatabaseFigures f;
  auto st = db_.prepare(
      "SELECT (SELECT COUNT(*) FROM sales), (SELECT COALESCE(MAX(invoice_no), 0) FROM sales), "
      "(SELECT COALESCE(MAX(seq), 0) FROM journal), "
      "(SELECT at FROM journal ORDER BY seq DESC LIMIT 1)");
  if (st.step()) {
    f.sales = st.int64(0);
    f.last_invoice_no = st.int64(1);
    f.journal_seq = st.int64(2);
    f.last_entry_at = st.text(3);
  }
  return f;
}

}  // namespace hn::store
