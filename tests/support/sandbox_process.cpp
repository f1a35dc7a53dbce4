#include "sandbox_process.hpp"

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <thread>

namespace hn::test {

Served serve_sandbox(const std::string& db, const std::string& log, const std::vector<std::string>& extra,
                     const Env& env) {
  std::vector<std::string> argv = {HUINONG_SANDBOX_BIN, "serve", "--db", db, "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  std::remove(log.c_str());
  Served served{spawn(argv, env, log), 0};
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < until) {
    const std::string text = read_text(log);
    // The first line names the port the kernel picked.
    const std::string line = "listening on 127.0.0.1:";
    if (text.compare(0, line.size(), line) == 0 && text.find('\n') != std::string::npos) {
      served.port = std::stoi(text.substr(line.size()));
      return served;
    }
    if (!served.process.running()) throw std::runtime_error("sandbox exited: " + text);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error("sandbox did not start: " + read_text(log));
}

}  // namespace hn::test
