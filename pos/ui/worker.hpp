#pragma once
// One background thread owns the terminal's database connection; the UI thread never touches
// SQLite. Jobs run in order; results come back to the UI thread with CallAfter and are dropped
// when the window that asked has closed (the Poedit then_on_window idea, with a liveness token
// instead of wxWeakRef, which must not be copied across threads).
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <wx/app.h>

#include "app/terminal.hpp"

namespace hn::ui {

// Held by a window; jobs it starts deliver only while it is alive.
class Liveness {
 public:
  Liveness() : alive_(std::make_shared<std::atomic<bool>>(true)) {}
  ~Liveness() { *alive_ = false; }
  Liveness(const Liveness&) = delete;
  Liveness& operator=(const Liveness&) = delete;
  std::shared_ptr<std::atomic<bool>> token() const { return alive_; }

 private:
  std::shared_ptr<std::atomic<bool>> alive_;
};

class Worker {
 public:
  // Opens the terminal on the worker thread; `on_error` gets every exception a job throws
  // (on the UI thread), in both languages.
  Worker(std::string db_path, std::function<void(const std::string& zh, const std::string& en)> on_error);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void post(std::function<void(app::Terminal&)> job);

  // Runs `job` on the worker; then `done(result)` on the UI thread while `owner` lives.
  template <class R>
  void ask(const Liveness& owner, std::function<R(app::Terminal&)> job, std::function<void(R&)> done) {
    auto token = owner.token();
    post([token, job = std::move(job), done = std::move(done)](app::Terminal& t) {
      auto result = std::make_shared<R>(job(t));
      wxTheApp->CallAfter([token, result, done] {
        if (*token) done(*result);
      });
    });
  }

  // Blocks until every job posted so far has run (start-up and shutdown only).
  void drain();

 private:
  void run();

  std::string db_path_;
  std::function<void(const std::string&, const std::string&)> on_error_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void(app::Terminal&)>> jobs_;
  bool stopping_ = false;
  bool busy_ = false;
  std::condition_variable idle_;
  std::thread thread_;
};

}  // namespace hn::ui
