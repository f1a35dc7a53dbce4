#pragma once
// Uploads in the background while the counter works: its own thread and its own database
// connection (SQLite WAL lets it write while the worker sells), a pass every half minute and
// soon after each sale, results to the status strip through CallAfter. Offline-first: when the
// province does not answer, sales wait in the outbox and nothing at the counter waits for it.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "sync/client/sync_service.hpp"
#include "ui/worker.hpp"

namespace hn::ui {

class Uploader {
 public:
  // `on_pass` runs on the UI thread after every pass that had something to say.
  Uploader(std::string db_path, std::function<void(const sync::SyncCounts&)> on_pass);
  ~Uploader();
  Uploader(const Uploader&) = delete;
  Uploader& operator=(const Uploader&) = delete;
  void nudge();  // a sale was made: upload soon

 private:
  void run();

  std::string db_path_;
  std::function<void(const sync::SyncCounts&)> on_pass_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool nudged_ = false;
  std::thread thread_;
};

}  // namespace hn::ui
