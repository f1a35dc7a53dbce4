// How each sale was paid (issue 16): the sale_payments rows, written in the sale's transaction.
#include <stdexcept>

#include "store/sales.hpp"

namespace hn::store {

void Sales::insert_payments(std::int64_t sale_id, const std::vector<Payment>& payments, Fen change) {
  auto row = db_.prepare("INSERT INTO sale_payments(sale_id, seq, method, amount, reference, change) "
                         "VALUES(?,?,?,?,?,?)");
  bool change_placed = change == 0;
  int seq = 0;
  for (const auto& p : payments) {
    Fen here = 0;
    if (!change_placed && p.method == PaymentMethod::Cash) {
      here = change;
      change_placed = true;
    }
    row.reset();
    row.bind(1, sale_id).bind(2, ++seq).bind(3, std::string(payment_method_code(p.method)))
        .bind(4, p.amount).bind(5, p.reference).bind(6, here);
    row.run();
  }
  // The core gives change from cash only; a caller that did otherwise must not commit.
  if (!change_placed) throw std::logic_error("change without a cash payment");
}

std::vector<Payment> Sales::payments(std::int64_t sale_id, Fen* change) {
  auto q = db_.prepare("SELECT method, amount, reference, change FROM sale_payments WHERE sale_id = ? ORDER BY seq");
  q.bind(1, sale_id);
  std::vector<Payment> out;
  Fen total_change = 0;
  while (q.step()) {
    Payment p;
    p.method = parse_payment_method(q.text(0)).value_or(PaymentMethod::Cash);
    p.amount = q.int64(1);
    p.reference = q.text(2);
    total_change += q.int64(3);
    out.push_back(std::move(p));
  }
  if (change) *change = total_change;
  return out;
}

void Sales::add_payment_totals(DailyFigures& f) {
  auto q = db_.prepare("SELECT p.method, COUNT(*), SUM(p.amount), SUM(p.change) FROM sale_payments p "
                       "JOIN sales s ON s.id = p.sale_id WHERE s.sale_date BETWEEN ? AND ? GROUP BY p.method");
  q.bind(1, f.date.iso()).bind(2, f.to.iso());
  while (q.step()) {
    auto& t = f.by_payment[q.text(0)];
    t.count += q.integer(1);
    t.amount += q.int64(2);
    f.change_given += q.int64(3);
  }
}

}  // namespace hn::store
