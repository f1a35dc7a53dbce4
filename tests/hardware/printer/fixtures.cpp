#include "fixtures.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <catch2/catch.hpp>

extern char** environ;

namespace hn_print_test {

using hn::Category;
using hn::InvoiceLine;

hn::Invoice two_item_invoice() {
  InvoiceLine tv;
  tv.card_no = "34080100000000010001";
  tv.serial_no = "TLM26V68-0811A00017";
  tv.model_code = "HISENSE-TLM26V68";
  tv.category = Category::Tv;
  tv.brand = "海信";
  tv.name = "液晶彩电";
  tv.spec = "26英寸 LCD";
  tv.price = 199900;
  tv.subsidy = 25987;
  InvoiceLine fridge;
  fridge.card_no = "34080200000000020001";
  fridge.serial_no = "BCD186KB-0811Q04410";
  fridge.model_code = "HAIER-BCD-186KB";
  fridge.category = Category::Fridge;
  fridge.brand = "海尔";
  fridge.name = "双门冰箱";
  fridge.spec = "186升 双门 直冷";
  fridge.price = 179900;
  fridge.subsidy = 23387;

  hn::Invoice inv;
  inv.invoice_no = hn::format_invoice_no(1);
  inv.issued_at = {hn::Date{2009, 1, 15}, 10 * 3600 + 32 * 60 + 5};
  inv.outlet_code = "340822001";
  inv.outlet_name = "怀宁县石牌镇家电城";
  inv.terminal_id = "T01";
  inv.clerk_name = "李红";
  inv.buyer_name = "王秀英";
  inv.buyer_id = "340822198001010013";
  inv.household = "340822-0012";
  inv.lines = {tv, fridge};
  inv.total = 379800;   // 1999.00 + 1799.00
  inv.subsidy = 49374;  // 259.87 + 233.87
  return inv;
}

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

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
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

TempDir::TempDir() {
  char tmpl[] = "/tmp/huinong-print-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
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
