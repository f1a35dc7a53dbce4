#include "ui/counter_printer.hpp"

#include <filesystem>
#include <future>

#include "app/paths.hpp"
#include "ui/invoice_image.hpp"
#include "ui/trace.hpp"

namespace hn::ui {

namespace {

CounterPrinter* g_printer = nullptr;

PrintOutcome failed(PrintOutcome o, const app::Problem& p) {
  o.ok = false;
  o.code = p.code;
  o.message_zh = p.message_zh;
  o.message_en = p.message_en;
  return o;
}

void trace_outcome(const PrintOutcome& o, const char* what) {
  if (o.ok)
    trace("print_ok", {{"what", what}, {"invoice_no", o.invoice_no}, {"copy", o.copy_no}, {"printer", o.printer}});
  else
    trace("print_failed", {{"what", what},
                           {"invoice_no", o.invoice_no},
                           {"copy", o.copy_no},
                           {"printer", o.printer},
                           {"code", o.code},
                           {"message_zh", o.message_zh},
                           {"message_en", o.message_en}});
}

}  // namespace

CounterPrinter& counter_printer() { return *g_printer; }

void print_counter_invoice(const Liveness& owner, const Invoice& inv, const std::string& dir) {
  const std::string text = render_invoice_text(inv);
  counter_printer().invoice(owner, inv, text, render_invoice_image(inv, text), dir, false, nullptr);
}

CounterPrinter::CounterPrinter(Worker& worker, std::optional<std::string> override_uri)
    : worker_(worker), override_(std::move(override_uri)) {
  thread_ = std::thread([this] { run(); });
  g_printer = this;
}

CounterPrinter::~CounterPrinter() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
  g_printer = nullptr;
}

void CounterPrinter::enqueue(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void CounterPrinter::run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and nothing left under way
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    try {
      job();
    } catch (const std::exception& e) {
      trace("print_failed", {{"code", "INTERNAL"}, {"message_en", e.what()}});
    }
  }
}

void CounterPrinter::on_failure(const Liveness& owner, Done listener) {
  std::lock_guard<std::mutex> lock(mutex_);
  listener_token_ = owner.token();
  listener_ = std::move(listener);
}

void CounterPrinter::on_printer_state(const Liveness& owner, Done listener) {
  std::lock_guard<std::mutex> lock(mutex_);
  state_token_ = owner.token();
  state_listener_ = std::move(listener);
}

void CounterPrinter::deliver(std::shared_ptr<std::atomic<bool>> token, Done done, PrintOutcome outcome) {
  std::shared_ptr<std::atomic<bool>> listener_token, state_token;
  Done listener, state;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!outcome.ok) {
      listener_token = listener_token_;
      listener = listener_;
    }
    if (outcome.to_printer) {
      state_token = state_token_;
      state = state_listener_;
    }
  }
  // In this order: the printout's own word on screen, then the strip.
  wxTheApp->CallAfter([token, done, outcome, listener_token, listener, state_token, state] {
    if (done && token && *token) done(outcome);
    if (!outcome.ok && listener && listener_token && *listener_token) listener(outcome);
    if (state && state_token && *state_token) state(outcome);
  });
}

app::PrinterChoice CounterPrinter::choice(app::Terminal& t) const { return app::printer_choice(t, override_); }

void CounterPrinter::invoice(const Liveness& owner, const Invoice& inv, const std::string& text, const wxImage& image,
                             const std::string& dir, bool open_drawer, Done done) {
  // wxImage shares its data by reference count, which is not thread-safe: the other threads get
  // a copy of the raw pixels.
  auto raw = std::make_shared<RawImage>(raw_copy(image));
  auto token = owner.token();
  worker_.post([this, inv, text, raw, dir, open_drawer, token, done](app::Terminal& t) {
    const app::PrinterChoice c = choice(t);
    PrintOutcome o;
    o.invoice_no = inv.invoice_no;
    o.copy_no = inv.copy_no;
    if (c.uri.empty()) {  // no printer set: the files, as before
      const std::string base = dir + "/invoice-" + inv.invoice_no +
                               (inv.copy_no > 0 ? "-copy" + std::to_string(inv.copy_no) : "");
      o.file = base + ".png";
      o.ok = save_invoice_files(base, text, *raw);
      trace("invoice_printed", {{"file", o.file}, {"ok", o.ok}});
      deliver(token, done, o);
      return;
    }
    o.to_printer = true;
    o.printer = c.uri;
    enqueue([this, c, inv, open_drawer, token, done, o]() mutable {
      trace("print_started", {{"what", "invoice"}, {"invoice_no", inv.invoice_no}, {"printer", c.uri}});
      auto output = app::open_invoice_output(c);
      if (output) {
        const auto printed = output.value()->print(inv, open_drawer);
        if (!printed) o = failed(o, printed.problem());
      } else {
        o = failed(o, output.problem());
      }
      trace_outcome(o, "invoice");
      deliver(token, done, o);
    });
  });
}

void CounterPrinter::copy(const Liveness& owner, const app::UserRecord& actor, std::int64_t invoice_no,
                          const std::string& dir, Done done) {
  auto token = owner.token();
  worker_.post([this, actor, invoice_no, dir, token, done](app::Terminal& t) {
    const app::PrinterChoice c = choice(t);
    PrintOutcome o;
    o.invoice_no = format_invoice_no(invoice_no);
    if (c.uri.empty()) {  // no printer: the copy goes to files, numbered and journaled as ever
      const auto copy = t.reprint(actor, invoice_no);
      if (!copy) return deliver(token, done, failed(o, copy.problem()));
      o.copy_no = copy->copy_no;
      const std::string text = render_invoice_text(copy.value());
      const std::string base = dir + "/invoice-" + copy->invoice_no + "-copy" + std::to_string(copy->copy_no);
      o.file = base + ".png";
      // The picture is drawn on the UI thread; here the text file, and the PNG made there.
      auto inv = copy.value();
      wxTheApp->CallAfter([inv, text, base, token, done, o, this]() mutable {
        const RawImage raw = raw_copy(render_invoice_image(inv, text));
        worker_.post([text, base, raw, token, done, o, this](app::Terminal&) mutable {
          o.ok = save_invoice_files(base, text, raw);
          trace("invoice_printed", {{"file", o.file}, {"ok", o.ok}, {"copy", o.copy_no}});
          deliver(token, done, o);
        });
      });
      return;
    }
    o.to_printer = true;
    o.printer = c.uri;
    enqueue([this, c, actor, invoice_no, token, done, o]() mutable {
      trace("print_started", {{"what", "copy"}, {"invoice_no", o.invoice_no}, {"printer", c.uri}});
      auto output = app::open_invoice_output(c);
      if (!output) {
        o = failed(o, output.problem());
      } else {
        // Numbered (and journaled) on the worker, which owns the database, once the printer is
        // reached; this thread waits for it (the worker never waits for this one).
        const auto copy = app::reprint_invoice(*output.value(), [&]() -> app::Result<Invoice> {
          auto promise = std::make_shared<std::promise<app::Result<Invoice>>>();
          auto future = promise->get_future();
          worker_.post([promise, actor, invoice_no](app::Terminal& terminal) {
            try {
              promise->set_value(terminal.reprint(actor, invoice_no));
            } catch (...) {
              promise->set_exception(std::current_exception());
            }
          });
          return future.get();
        });
        if (copy) o.copy_no = copy->copy_no;
        else o = failed(o, copy.problem());
      }
      trace_outcome(o, "copy");
      deliver(token, done, o);
    });
  });
}

std::vector<std::string> CounterPrinter::return_papers(app::Terminal& t, const app::ReturnResult& r,
                                                       const std::string& dir) {
  std::vector<std::pair<std::string, Document>> papers;
  if (r.refund_form) papers.emplace_back("refund-form-", *r.refund_form);
  if (r.credit_note) papers.emplace_back("credit-note-", *r.credit_note);
  // A completed return pays the refund out of the drawer.
  return this->papers(t, papers, r.completed, dir);
}

std::vector<std::string> CounterPrinter::papers(app::Terminal& t,
                                                const std::vector<std::pair<std::string, Document>>& papers,
                                                bool drawer, const std::string& dir) {
  std::vector<std::string> paths;
  if (papers.empty()) return paths;
  const app::PrinterChoice c = choice(t);
  if (c.uri.empty()) {  // no printer: files beside the invoices (owner-only: the form carries the ID)
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    for (const auto& [prefix, doc] : papers) {
      const std::string p = dir + "/" + prefix + doc.number + ".txt";
      if (app::write_private_file(p, render_document_text(doc))) paths.push_back(p);
    }
    return paths;
  }
  enqueue([this, c, papers, drawer] {
    for (const auto& [prefix, doc] : papers) {
      PrintOutcome o;
      o.to_printer = true;
      o.printer = c.uri;
      o.invoice_no = doc.number;
      trace("print_started", {{"what", "document"}, {"number", doc.number}, {"printer", c.uri}});
      auto output = app::open_invoice_output(c);
      if (output) {
        const auto printed = output.value()->print_document(doc, drawer && prefix == "credit-note-");
        if (!printed) o = failed(o, printed.problem());
      } else {
        o = failed(o, output.problem());
      }
      trace_outcome(o, "document");
      deliver(nullptr, nullptr, o);
    }
  });
  return paths;
}

}  // namespace hn::ui
