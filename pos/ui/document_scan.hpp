#pragma once
// F6 at the counter: a picture of the buyer's ID card or 户口簿 page read by OCR on a thread of
// its own (a read takes about a second: never on the UI thread, and not on the database worker,
// which the counter's checks need). The picture lives only inside that thread's job: taken,
// read, dropped. The reading comes back with CallAfter while the panel that asked is alive.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "document/reader.hpp"
#include "imaging/camera.hpp"
#include "ui/worker.hpp"

namespace hn::ui {

struct DocumentOutcome {
  std::optional<document::Reading> reading;
  std::string error_code, error_zh, error_en;
};

class DocumentScanner {
 public:
  // `files`: the camera's simulator (image files in turn); `camera`: a V4L2 device; both empty:
  // every scan names its file.
  DocumentScanner(std::vector<std::string> files, std::string camera);
  // Waits for a read under way (at most a second or two), so no thread outlives the panel.
  ~DocumentScanner();
  DocumentScanner(const DocumentScanner&) = delete;
  DocumentScanner& operator=(const DocumentScanner&) = delete;
  // Whether scan() needs a file from the clerk (no camera and no simulator set up).
  bool needs_file() const { return files_.empty() && camera_.empty(); }
  bool busy() const { return *busy_; }
  // Takes the picture (from `file`, else the source) and reads it; `done` runs on the UI thread.
  void scan(const Liveness& owner, const std::string& file, std::function<void(DocumentOutcome&)> done);

 private:
  struct Shared {
    std::mutex mutex;  // one read at a time on the reader and the source
    std::unique_ptr<document::DocumentReader> reader;
    std::unique_ptr<imaging::FrameSource> source;
  };
  std::vector<std::string> files_;
  std::string camera_;
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
  std::shared_ptr<std::atomic<bool>> busy_ = std::make_shared<std::atomic<bool>>(false);
  std::thread thread_;
};

}  // namespace hn::ui
