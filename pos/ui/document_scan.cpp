#include "ui/document_scan.hpp"

#include "app/clock.hpp"
#include "core/date.hpp"

namespace hn::ui {

DocumentScanner::DocumentScanner(std::vector<std::string> files, std::string camera)
    : files_(std::move(files)), camera_(std::move(camera)) {}

DocumentScanner::~DocumentScanner() {
  if (thread_.joinable()) thread_.join();
}

void DocumentScanner::scan(const Liveness& owner, const std::string& file, std::function<void(DocumentOutcome&)> done) {
  if (busy_->exchange(true)) return;
  auto token = owner.token();
  if (thread_.joinable()) thread_.join();  // the last read is over: busy_ was false
  thread_ = std::thread([shared = shared_, busy = busy_, token, file, files = files_, camera = camera_, done = std::move(done)] {
    auto outcome = std::make_shared<DocumentOutcome>();
    auto fail = [&](const imaging::Error& e) {
      outcome->error_code = e.code;
      outcome->error_zh = e.message_zh;
      outcome->error_en = e.message_en;
    };
    {
      std::lock_guard<std::mutex> lock(shared->mutex);
      if (!shared->reader) {
        auto r = document::DocumentReader::open();
        if (r) shared->reader = std::move(r.value());
        else fail(r.error());
      }
      if (shared->reader) {
        shared->reader->set_today(local_time_from_unix(app::SystemClock().unix_seconds(), 480).date);
        std::optional<imaging::Image> picture;
        if (!file.empty()) {
          auto img = imaging::load_image(file);
          if (img) picture = std::move(img.value());
          else fail(img.error());
        } else {
          if (!shared->source) {
            if (!files.empty()) {
              shared->source = std::make_unique<imaging::StillFrames>(files);
            } else {
              imaging::CameraOptions o;
              o.device = camera;
              auto cam = imaging::V4l2Camera::open(o);
              if (cam) shared->source = std::move(cam.value());
              else fail(cam.error());
            }
          }
          if (shared->source) {
            auto frame = shared->source->grab(3000);
            if (frame) picture = std::move(frame.value());
            else fail(frame.error());
          }
        }
        if (picture) {
          auto reading = shared->reader->read(picture->view());
          if (reading) outcome->reading = std::move(reading.value());
          else fail(reading.error());
        }
        // `picture` ends here: the pixels are freed with the job, never written anywhere.
      }
    }
    *busy = false;
    wxTheApp->CallAfter([token, outcome, done] {
      if (*token) done(*outcome);
    });
  });
}

}  // namespace hn::ui
