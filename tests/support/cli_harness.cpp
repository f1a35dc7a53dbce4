#include "cli_harness.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <stdexcept>

#ifndef HUINONG_BIN
#error "HUINONG_BIN must name the huinong binary"
#endif
#ifndef HUINONG_ASSETS_DIR
#error "HUINONG_ASSETS_DIR must name the source assets directory"
#endif
#ifndef HUINONG_CLI_CACHE_DIR
#error "HUINONG_CLI_CACHE_DIR must name a directory for outlet templates"
#endif

namespace hn_cli {

namespace fs = std::filesystem;

namespace {
constexpr int kTimeoutSeconds = 60;

[[noreturn]] void fail_errno(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

// Closes a file descriptor at the end of a scope.
struct Fd {
  int fd = -1;
  explicit Fd(int f = -1) : fd(f) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};
}  // namespace

// ---- processes ----------------------------------------------------------------------------

nlohmann::json RunResult::json() const {
  try {
    return nlohmann::json::parse(out);
  } catch (const std::exception& e) {
    throw std::runtime_error("stdout is not JSON (" + std::string(e.what()) + ")\n" + describe());
  }
}

std::string RunResult::describe() const {
  std::string cmd = "huinong";
  for (const auto& a : args) cmd += " '" + a + "'";
  return cmd + "\n  exit " + std::to_string(exit_code) + "\n  stdout: " + out + "\n  stderr: " + err;
}

RunResult run_huinong(const std::vector<std::string>& args, const Env& env,
                      const std::string& stdin_path) {
  RunResult r;
  r.args = args;

  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) fail_errno("pipe2");
  Fd out_read(out_pipe[0]), out_write(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) fail_errno("pipe2");
  Fd err_read(err_pipe[0]), err_write(err_pipe[1]);

  std::vector<std::string> argv_s{HUINONG_BIN};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s;
  for (const auto& [k, v] : env) env_s.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, stdin_path.c_str(), O_RDONLY, 0);
  // dup2 clears FD_CLOEXEC on the child's copies; the O_CLOEXEC originals close at exec.
  posix_spawn_file_actions_adddup2(&actions, out_write.fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_write.fd, STDERR_FILENO);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, HUINONG_BIN, &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    errno = rc;
    fail_errno(std::string("posix_spawn ") + HUINONG_BIN);
  }
  out_write.reset();
  err_write.reset();

  // Drain both pipes together so a chatty child can never block on a full pipe.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kTimeoutSeconds);
  bool out_open = true, err_open = true, timed_out = false;
  char buf[8192];
  while (out_open || err_open) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) {
      timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    pollfd fds[2] = {{out_open ? out_read.fd : -1, POLLIN, 0}, {err_open ? err_read.fd : -1, POLLIN, 0}};
    const int n = ::poll(fds, 2, static_cast<int>(left));
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_errno("poll");
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        (i == 0 ? r.out : r.err).append(buf, static_cast<std::size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        (i == 0 ? out_open : err_open) = false;
      }
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) fail_errno("waitpid");
  }
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status)) r.exit_code = 128 + WTERMSIG(status);
  if (timed_out) r.err += "\n[harness: killed after " + std::to_string(kTimeoutSeconds) + " s]";
  return r;
}

// ---- files --------------------------------------------------------------------------------

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << bytes;
  if (!f) throw std::runtime_error("cannot write " + path);
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

unsigned file_mode(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) fail_errno("stat " + path);
  return static_cast<unsigned>(st.st_mode) & 07777u;
}

std::string asset(const std::string& relative) {
  return std::string(HUINONG_ASSETS_DIR) + "/" + relative;
}

// ---- the demo outlet ----------------------------------------------------------------------

Env base_env(const std::string& home) { return Env{{"HOME", home}}; }

namespace {
RunResult must(RunResult r, const char* step) {
  if (r.exit_code != 0)
    throw std::runtime_error(std::string("setting up the demo outlet failed at ") + step + ":\n" + r.describe());
  return r;
}

// Creates the demo outlet's database at `db` from scratch with the real binary.
void build_outlet(const std::string& home, const std::string& db, const OutletOptions& o) {
  Env env = base_env(home);
  env["HUINONG_DB"] = db;
  Env init_env = env;
  init_env["HUINONG_NEW_PIN"] = demo::kManagerPin;
  std::vector<std::string> init{"init", "--outlet-code", demo::kOutletCode, "--outlet-name",
                                "萧县惠农家电城", "--county", demo::kCounty, "--manager",
                                demo::kManager, "--manager-name", "王店长"};
  if (o.household_limit) {
    init.push_back("--household-limit");
    init.push_back(std::to_string(*o.household_limit));
  }
  must(run_huinong(init, init_env), "init");
  Env mgr = env;
  mgr["HUINONG_PIN"] = demo::kManagerPin;
  Env add = mgr;
  add["HUINONG_NEW_PIN"] = demo::kClerkPin;
  must(run_huinong({"user", "add", "--user", demo::kManager, "--login", demo::kClerk, "--name",
                    "李营业员", "--role", "clerk"},
                   add),
       "user add");
  must(run_huinong({"catalog", "import", "--user", demo::kManager, asset("demo/catalog.csv")}, mgr),
       "catalog import");
  must(run_huinong({"cards", "receive", "--user", demo::kManager, asset("demo/cards.csv")}, mgr),
       "cards receive");
}

std::string stat_key(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return path + ":missing;";
  return path + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec) + ":" + std::to_string(st.st_ino) + ";";
}

// Which build of the binary and which shipped data a template was made with.
std::string binary_key() {
  std::string key = stat_key(HUINONG_BIN) + stat_key(asset("demo/catalog.csv")) +
                    stat_key(asset("demo/cards.csv"));
  std::error_code ec;
  std::vector<std::string> policies;
  for (const auto& e : fs::directory_iterator(asset("policy"), ec)) policies.push_back(e.path().string());
  std::sort(policies.begin(), policies.end());
  for (const auto& p : policies) key += stat_key(p);
  char hex[32];
  std::snprintf(hex, sizeof hex, "%016zx", std::hash<std::string>{}(key));
  return hex;
}

const char* const kTemplateFiles[] = {"huinong.db", "huinong.db.key", "huinong.db.sign", "huinong.db.head",
                                      "huinong.db-wal"};

// The template directory for `o`, made under an exclusive lock when it does not exist yet.
std::string template_for(const OutletOptions& o) {
  const std::string cache = HUINONG_CLI_CACHE_DIR;
  fs::create_directories(cache);
  const std::string prefix = binary_key();
  const std::string name =
      prefix + "-limit" + (o.household_limit ? std::to_string(*o.household_limit) : std::string("default"));
  const std::string dir = cache + "/" + name;
  Fd lock(::open((cache + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (lock.fd < 0) fail_errno("open template lock");
  while (::flock(lock.fd, LOCK_EX) != 0)
    if (errno != EINTR) fail_errno("flock");
  if (file_exists(dir + "/huinong.db")) return dir;
  // Templates of other builds, and half-built ones of crashed runs, are of no more use.
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(cache, ec)) {
    const std::string n = e.path().filename().string();
    if (e.is_directory() && n.compare(0, prefix.size(), prefix) != 0) fs::remove_all(e.path(), ec);
  }
  std::string building = cache + "/" + name + ".building-XXXXXX";
  if (!::mkdtemp(building.data())) fail_errno("mkdtemp " + building);
  try {
    build_outlet(building, building + "/huinong.db", o);
  } catch (...) {
    fs::remove_all(building, ec);
    throw;
  }
  if (::rename(building.c_str(), dir.c_str()) != 0) fail_errno("rename template");
  return dir;
}
}  // namespace

DemoOutlet::DemoOutlet(OutletOptions options) : db_(dir_.file("huinong.db")) {
  if (options.fresh) {
    build_outlet(dir_.path(), db_, options);
    return;
  }
  const std::string from = template_for(options);
  for (const char* f : kTemplateFiles) {
    const std::string src = from + "/" + f;
    if (file_exists(src)) fs::copy_file(src, dir_.file(f));  // keeps the 0600 mode
  }
}

RunResult DemoOutlet::run(const std::vector<std::string>& args, const Env& env) const {
  Env e = base_env(dir_.path());
  e["HUINONG_DB"] = db_;
  for (const auto& [k, v] : env) e[k] = v;
  return run_huinong(args, e);
}

RunResult DemoOutlet::as_manager(const std::vector<std::string>& args) const {
  return run(args, {{"HUINONG_PIN", demo::kManagerPin}});
}

RunResult DemoOutlet::as_clerk(const std::vector<std::string>& args) const {
  return run(args, {{"HUINONG_PIN", demo::kClerkPin}});
}

RunResult DemoOutlet::sell(const SaleArgs& s) const {
  std::vector<std::string> args;
  if (s.json) args.push_back("--json");
  for (const char* a : {"sale", "--user"}) args.emplace_back(a);
  args.push_back(s.user);
  args.insert(args.end(), {"--buyer-name", s.buyer_name, "--buyer-id", s.buyer_id, "--household", s.household});
  for (const auto& item : s.items) args.insert(args.end(), {"--item", item});
  args.insert(args.end(), s.extra.begin(), s.extra.end());
  return run(args, {{"HUINONG_PIN", s.pin}});
}

RunResult DemoOutlet::return_item(const std::string& invoice_no, const std::string& card,
                                  const std::string& approver, const std::string& approver_pin) const {
  return run({"--json", "return", "--user", demo::kClerk, "--approver", approver, "--invoice",
              invoice_no, "--card", card},
             {{"HUINONG_PIN", demo::kClerkPin}, {"HUINONG_APPROVER_PIN", approver_pin}});
}

namespace {
RunResult import_as_manager(const DemoOutlet& o, const char* noun, const char* verb,
                            const std::string& csv, bool json) {
  static int serial = 0;
  const std::string path = o.file(std::string(noun) + "-" + std::to_string(++serial) + ".csv");
  write_file(path, csv);
  std::vector<std::string> args;
  if (json) args.push_back("--json");
  args.insert(args.end(), {noun, verb, "--user", demo::kManager, path});
  return o.as_manager(args);
}
}  // namespace

RunResult DemoOutlet::import_catalog(const std::string& csv, bool json) const {
  return import_as_manager(*this, "catalog", "import", csv, json);
}

RunResult DemoOutlet::receive_cards(const std::string& csv, bool json) const {
  return import_as_manager(*this, "cards", "receive", csv, json);
}

// ---- text helpers -------------------------------------------------------------------------

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

namespace {
// Decodes UTF-8 into code points; a malformed byte becomes U+FFFD.
std::vector<char32_t> code_points(const std::string& s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1Fu) : len == 3 ? (b & 0x0Fu) : (b & 0x07u);
    for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    out.push_back(cp);
    i += len;
  }
  return out;
}

bool wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
         (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}
}  // namespace

int display_columns(const std::string& utf8) {
  int n = 0;
  for (char32_t c : code_points(utf8)) n += wide(c) ? 2 : 1;
  return n;
}

bool has_cjk(const std::string& utf8) {
  for (char32_t c : code_points(utf8))
    if (c >= 0x4E00 && c <= 0x9FFF) return true;
  return false;
}

std::string shanghai_date(int days) {
  const std::time_t t = std::time(nullptr) + 8 * 3600 + static_cast<std::time_t>(days) * 86400;
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::optional<std::int64_t> fen_of(const std::string& t) {
  const auto dot = t.find('.');
  if (dot == std::string::npos || dot == 0 || t.size() != dot + 3) return std::nullopt;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (i != dot && (t[i] < '0' || t[i] > '9')) return std::nullopt;
  return std::stoll(t.substr(0, dot)) * 100 + std::stoll(t.substr(dot + 1));
}

std::optional<nlohmann::json> find_finding(const nlohmann::json& sale, const std::string& code) {
  if (!sale.contains("findings") || !sale["findings"].is_array()) return std::nullopt;
  for (const auto& f : sale["findings"])
    if (f.contains("code") && f["code"] == code) return f;
  return std::nullopt;
}

bool has_finding(const nlohmann::json& sale, const std::string& code, const std::string& severity) {
  const auto f = find_finding(sale, code);
  return f && (severity.empty() || (f->contains("severity") && (*f)["severity"] == severity));
}

nlohmann::json error_of(const nlohmann::json& j) {
  if (j.contains("error") && j["error"].is_object()) return j["error"];
  return j;
}

}  // namespace hn_cli
