#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace hn::test {

namespace {
std::vector<std::string> env_strings(const Env& env) {
  std::vector<std::string> out;
  Env full = env;
  for (const char* inherited : {"PATH", "HOME", "LANG"})
    if (!full.count(inherited))
      if (const char* v = std::getenv(inherited)) full[inherited] = v;
  for (const auto& [k, v] : full) out.push_back(k + "=" + v);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}
}  // namespace

Child& Child::operator=(Child&& o) noexcept {
  if (this != &o) {
    terminate();
    pid_ = o.pid_;
    o.pid_ = -1;
  }
  return *this;
}

Child::~Child() { terminate(); }

bool Child::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    status_ = decode_status(status);
    pid_ = -1;
    return false;
  }
  return true;
}

int Child::wait() {
  if (pid_ > 0) {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    status_ = decode_status(status);
    pid_ = -1;
  }
  return status_;
}

void Child::terminate(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  const auto until = std::chrono::steady_clock::now() + grace;
  while (running() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    wait();
  }
}

Child spawn(const std::vector<std::string>& argv, const Env& env, const std::string& log_file, int extra_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string target = log_file.empty() ? "/dev/null" : log_file;
  posix_spawn_file_actions_addopen(&actions, 1, target.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (extra_fd >= 0) posix_spawn_file_actions_adddup2(&actions, extra_fd, 3);
  std::vector<std::string> args = argv, envs = env_strings(env);
  auto argp = pointers(args), envp = pointers(envs);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, argp.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
  return Child(pid);
}

int run(const std::vector<std::string>& argv, const Env& env, std::string* out) {
  char tmpl[] = "/tmp/huinong-run-XXXXXX";
  const int fd = ::mkstemp(tmpl);
  ::close(fd);
  Child c = spawn(argv, env, tmpl);
  const int rc = c.wait();
  if (out) *out = read_text(tmpl);
  ::unlink(tmpl);
  return rc;
}

XServer::XServer(const std::string& log_file, int width, int height) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe");
  const std::string xvfb = find_program("Xvfb");
  if (xvfb.empty()) throw std::runtime_error("Xvfb is not installed (packaging/install-deps.sh)");
  child_ = spawn({xvfb, "-displayfd", "3", "-screen", "0", std::to_string(width) + "x" + std::to_string(height) + "x24",
                  "-nolisten", "tcp"},
                 {}, log_file, fds[1]);
  ::close(fds[1]);
  // Xvfb writes the display number to fd 3 once it accepts connections.
  std::string number;
  pollfd p{fds[0], POLLIN, 0};
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < until) {
    if (::poll(&p, 1, 100) > 0) {
      char buf[16];
      const auto n = ::read(fds[0], buf, sizeof buf);
      if (n <= 0) break;
      number.append(buf, static_cast<std::size_t>(n));
      if (number.find('\n') != std::string::npos) break;
    }
  }
  ::close(fds[0]);
  while (!number.empty() && (number.back() == '\n' || number.back() == '\r')) number.pop_back();
  if (number.empty()) throw std::runtime_error("Xvfb did not start; see " + log_file);
  display_ = ":" + number;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

}  // namespace hn::test
