#include "ui/trace.hpp"

#include <chrono>
#include <fstream>
#include <mutex>

namespace hn::ui {

namespace {
std::mutex g_mutex;
std::ofstream g_out;
const auto g_start = std::chrono::steady_clock::now();
}  // namespace

void trace_open(const std::string& path) {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_out.open(path, std::ios::app);
}

bool trace_enabled() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_out.is_open();
}

void trace(const std::string& event, nlohmann::json fields) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_out.is_open()) return;
  fields["event"] = event;
  fields["t_ms"] = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - g_start).count();
  g_out << fields.dump() << "\n" << std::flush;
}

}  // namespace hn::ui
