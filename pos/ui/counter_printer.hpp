#pragma once
// The counter's invoice printer (app/printing.hpp, device.invoice_printer or --printer): every
// printout runs on its own thread, in order, never on the UI thread and never holding up the
// database worker (a printer that is off may take seconds to time out); results come back with
// CallAfter to windows still open. Without a printer set, invoices and return papers go to
// files beside the database, as before (PNG and text, invoice_image.hpp).
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <wx/image.h>

#include "app/printing.hpp"
#include "app/terminal.hpp"
#include "ui/worker.hpp"

namespace hn::ui {

struct PrintOutcome {
  bool to_printer = false;  // false: written to files (no printer set)
  bool ok = true;
  std::string printer;      // the URI, when to_printer
  std::string invoice_no;   // the invoice (or the document's number)
  int copy_no = 0;          // a copy's number (副本 COPY n)
  std::string file;         // the PNG, when to files
  std::string code, message_zh, message_en;  // when !ok
};

class CounterPrinter {
 public:
  using Done = std::function<void(const PrintOutcome&)>;
  // `override_uri`: --printer, in place of the setting for this run.
  CounterPrinter(Worker& worker, std::optional<std::string> override_uri);
  ~CounterPrinter();  // the printout under way finishes; the thread is joined
  CounterPrinter(const CounterPrinter&) = delete;
  CounterPrinter& operator=(const CounterPrinter&) = delete;

  // A committed sale's invoice (`open_drawer`: the original, paid at the counter), or the
  // invoice as it now stands after an exchange or a settled task. `image` is what the screen
  // shows, written as the PNG when there is no printer.
  void invoice(const Liveness& owner, const Invoice& inv, const std::string& text, const wxImage& image,
               const std::string& dir, bool open_drawer, Done done);
  // A copy, as `huinong reprint` makes it: the printer reached first, then the copy numbered
  // (Terminal::reprint, journaled), then printed, marked 副本 COPY n. Never opens the drawer.
  void copy(const Liveness& owner, const app::UserRecord& actor, std::int64_t invoice_no, const std::string& dir,
            Done done);
  // From a worker job: a return's papers (the refund form, the credit note) to the printer in the
  // background, the drawer opened for a completed return's refund; without a printer, written
  // to files now (their paths returned). Failures go to the failure listener.
  std::vector<std::string> return_papers(app::Terminal& t, const app::ReturnResult& r, const std::string& dir);

  // From a worker job: papers (file name prefix, document) to the printer in the background, or
  // without a printer written to owner-only text files in `dir` now (their paths returned): the
  // return papers, the signed daily closing (F9 → 8).
  std::vector<std::string> papers(app::Terminal& t, const std::vector<std::pair<std::string, Document>>& papers,
                                  bool open_drawer, const std::string& dir);

  // Told of every failed printout (on the UI thread): the counter screen says so in red.
  void on_failure(const Liveness& owner, Done listener);
  // Told of every printout sent to a printer, ok or failed (on the UI thread, after the
  // printout's own listeners): the status strip shows the printer's state from it.
  void on_printer_state(const Liveness& owner, Done listener);
  // This run's --printer, when one was given (in place of device.invoice_printer).
  const std::optional<std::string>& override_uri() const { return override_; }

 private:
  void enqueue(std::function<void()> job);
  void run();
  void deliver(std::shared_ptr<std::atomic<bool>> token, Done done, PrintOutcome outcome);
  app::PrinterChoice choice(app::Terminal& t) const;

  Worker& worker_;
  std::optional<std::string> override_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::shared_ptr<std::atomic<bool>> listener_token_;
  Done listener_;
  std::shared_ptr<std::atomic<bool>> state_token_;
  Done state_listener_;
  std::thread thread_;
};

// The one printer of this process (made in main.cpp after the worker, gone before it).
CounterPrinter& counter_printer();

// An invoice as it now stands (after an exchange, a settled task) for the buyer: printed, or
// filed without a printer; the drawer stays shut. UI thread.
void print_counter_invoice(const Liveness& owner, const Invoice& inv, const std::string& dir);

}  // namespace hn::ui
