#include "fixtures.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <catch2/catch.hpp>

extern char** environ;

namespace hn_print_test {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(HUINONG_PRINTER_TESTS_DIR) + "/golden/" + name;
  if (std::getenv("HUINONG_UPDATE_GOLDEN")) write_file(path, actual);
  const std::string expected = read_file(path);
  const auto want = lines_of(expected);
  const auto got = lines_of(actual);
  for (std::size_t i = 0; i < want.size() && i < got.size(); ++i) {
    INFO(name << " line " << i + 1);
    CHECK(got[i] == want[i]);
  }
  CHECK(got.size() == want.size());
}

Output run_program(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", 01, 0);
  pid_t pid = 0;
  const int err = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  Output o;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(pipe_fds[0], buf, sizeof buf)) > 0)
    o.out.append(buf, static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  if (err != 0) return o;
  int status = 0;
  ::waitpid(pid, &status, 0);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return o;
}

}  // namespace hn_print_test
