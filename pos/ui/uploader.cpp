#include "ui/uploader.hpp"

#include <chrono>

#include "app/province_link.hpp"
#include "ui/trace.hpp"

namespace hn::ui {

namespace {
constexpr auto kInterval = std::chrono::seconds(30);

std::int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

Uploader::Uploader(std::string db_path, std::function<void(const sync::SyncCounts&)> on_pass)
    : db_path_(std::move(db_path)), on_pass_(std::move(on_pass)) {
  thread_ = std::thread([this] { run(); });
}

Uploader::~Uploader() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Uploader::nudge() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    nudged_ = true;
  }
  cv_.notify_all();
}

void Uploader::run() {
  app::SystemClock clock;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait_for(lock, kInterval, [this] { return stopping_ || nudged_; });
      if (stopping_) return;
      nudged_ = false;
    }
    try {
      // A fresh connection each pass: a manager may have set up or changed the province since.
      auto terminal = app::Terminal::open(db_path_, clock);
      auto client = app::connect_province(*terminal);
      if (!client) continue;
      sync::SyncService service = app::sync_service(*terminal, *client, unix_ms);
      std::string ignored;
      service.pull_updates(ignored);
      sync::SyncCounts counts = service.pass();
      // Returns waiting on the province take their next step; what they filed goes up now.
      app::ask_province_at_checkout(*terminal, *client);
      if (!terminal->advance_open_returns().empty()) counts = service.pass();
      terminal->record_upload_outcome(counts.last_error);  // for the status strip
      trace("upload_pass", {{"sent", counts.sent}, {"accepted", counts.accepted},
                            {"duplicate", counts.duplicate}, {"rejected", counts.rejected},
                            {"pending", counts.pending}, {"error", counts.last_error}});
      auto cb = on_pass_;
      wxTheApp->CallAfter([cb, counts] { cb(counts); });
    } catch (const std::exception& e) {
      trace("upload_error", {{"message", e.what()}});
    }
  }
}

}  // namespace hn::ui
