#pragma once
// Child processes for the GUI tests and benchmarks: Xvfb, the real huinong-pos, xdotool and
// the huinong CLI, each with an explicit environment and no shell in between.
#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace hn::test {

using Env = std::map<std::string, std::string>;

class Child {
 public:
  Child() = default;
  Child(pid_t pid) : pid_(pid) {}  // NOLINT: a spawned child
  Child(Child&& o) noexcept : pid_(o.pid_) { o.pid_ = -1; }
  Child& operator=(Child&& o) noexcept;
  ~Child();  // kills and reaps a child still running
  pid_t pid() const { return pid_; }
  bool running();
  int wait();  // exit status, or 128 + signal
  void terminate(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

// Starts argv[0] (a path) with exactly `env` (plus PATH and HOME), stdout and stderr appended
// to `log_file` when given, else /dev/null. `extra_fd`, when >= 0, is passed on as fd 3.
Child spawn(const std::vector<std::string>& argv, const Env& env, const std::string& log_file = "",
            int extra_fd = -1);
// Runs to completion; stdout into `out` when given.
int run(const std::vector<std::string>& argv, const Env& env, std::string* out = nullptr);

// A private X server for one test: Xvfb on a free display it picks itself (-displayfd).
class XServer {
 public:
  explicit XServer(const std::string& log_file, int width = 1280, int height = 800);
  const std::string& display() const { return display_; }

 private:
  Child child_;
  std::string display_;
};

// Reads a whole file ("" when missing).
std::string read_text(const std::string& path);
std::string find_program(const std::string& name);  // "" when not on PATH

}  // namespace hn::test
