// Where the uploads stand against their deadline (POLICY S5) and how the last upload pass
// ended: the status strip of the counter and `huinong sync status`.
#include "app/store_access.hpp"
#include "app/terminal.hpp"
#include "core/text.hpp"

namespace hn::app {

UploadStatus Terminal::upload_status() {
  UploadStatus status;
  const HolidayCalendar cal = calendar();
  const UploadDeadline rule;  // POLICY S5: 3 working days
  const Date today = now().date;
  for (const auto& [date, n] : store_.reports().pending_sales_by_date()) {
    status.pending += n;
    const Date due = rule.due(date, cal);
    if (UploadDeadline::state(today, due) == DeadlineState::Overdue) status.overdue += n;
    if (!status.oldest) {
      status.oldest = date;
      status.due = due;
      status.state = UploadDeadline::state(today, due);
    }
  }
  status.open_tasks = static_cast<int>(store_.tasks().list("open").size());
  const Settings s = settings();
  status.configured = !s.sync_server.empty();
  status.last_error = s.sync_last_error;
  status.last_error_at = s.sync_last_error_at;
  return status;
}

void Terminal::record_upload_outcome(const std::string& error) {
  platform::Transaction tx(store_.db());
  put_setting(*this, kSyncLastError, error.empty() ? "" : escape_for_message(error, 200));
  put_setting(*this, kSyncLastErrorAt, error.empty() ? "" : now().iso());
  if (error.empty()) put_setting(*this, kSyncLastSuccessAt, now().iso());
  tx.commit();
}

std::int64_t Terminal::rejected_uploads() { return store_.outbox().rejected_count(); }

}  // namespace hn::app
