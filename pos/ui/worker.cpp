#include "ui/worker.hpp"

#include "app/province_link.hpp"

namespace hn::ui {

Worker::Worker(std::string db_path,
               std::function<void(const std::string&, const std::string&)> on_error)
    : db_path_(std::move(db_path)), on_error_(std::move(on_error)) {
  thread_ = std::thread([this] { run(); });
}

Worker::~Worker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Worker::post(std::function<void(app::Terminal&)> job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void Worker::drain() {
  std::unique_lock<std::mutex> lock(mutex_);
  idle_.wait(lock, [this] { return jobs_.empty() && !busy_; });
}

void Worker::run() {
  app::SystemClock clock;
  std::unique_ptr<app::Terminal> terminal;
  auto report = [this](std::string zh, std::string en) {
    auto cb = on_error_;
    wxTheApp->CallAfter([cb, zh, en] { cb(zh, en); });
  };
  try {
    terminal = app::Terminal::open(db_path_, clock);
    // With uploading set up (now or later), checkout asks the province about the household
    // (<= 1.5 s).
    app::follow_province_at_checkout(*terminal);
  } catch (const app::SetupError& e) {
    report(e.zh(), e.en());
  } catch (const std::exception& e) {
    report(std::string("无法打开数据库:") + e.what(), std::string("cannot open the database: ") + e.what());
  }
  for (;;) {
    std::function<void(app::Terminal&)> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_ && jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
      busy_ = true;
    }
    if (terminal) {
      // Exceptions are for the broken (disk, database): turn them into words in one place.
      try {
        job(*terminal);
      } catch (const app::SetupError& e) {
        report(e.zh(), e.en());
      } catch (const std::exception& e) {
        report(std::string("内部错误:") + e.what(), std::string("internal error: ") + e.what());
      }
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      busy_ = false;
      if (jobs_.empty()) idle_.notify_all();
    }
  }
}

}  // namespace hn::ui
