// What one careless or hostile client can do to `huinong-sandbox serve` (issue 14, item 8):
// slow connections, oversized and deeply nested bodies, a second server on the same port. All
// against the real process on loopback; bounds are generous and never assert speed.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

#include "harness.hpp"

using namespace hn;
using namespace hn::test;
using nlohmann::json;

namespace {

int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  return fd;
}

bool send_all(int fd, const std::string& s) {
  std::size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = ::send(fd, s.data() + done, s.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Whether the server has closed `fd` (end of stream or reset); whatever it sent before is
// read and dropped.
bool closed_by_server(int fd) {
  char buf[4096];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return false;
    const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n == 0) return true;
    if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
  }
}

// Everything the server sends on `fd` until it closes it (bounded).
std::string read_until_closed(int fd, std::chrono::seconds bound) {
  std::string out;
  const auto until = std::chrono::steady_clock::now() + bound;
  char buf[4096];
  while (std::chrono::steady_clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

// Connections that send the start of a request and then one more byte every half second, as
// a slow (or malicious) client does.
class Drippers {
 public:
  Drippers(int port, int count, const std::string& head) {
    for (int i = 0; i < count; ++i) {
      fds_.push_back(connect_loopback(port));
      REQUIRE(send_all(fds_.back(), head));
    }
    thread_ = std::thread([this] {
      std::unique_lock<std::mutex> lock(mutex_);
      // The pace of the drip is the behaviour under test, not a wait for something.
      while (!cv_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stop_; }))
        for (int fd : fds_) ::send(fd, "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    });
  }
  ~Drippers() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    for (int fd : fds_) ::close(fd);
  }
  int open_count() {
    std::lock_guard<std::mutex> lock(mutex_);
    int n = 0;
    for (int fd : fds_) n += !closed_by_server(fd);
    return n;
  }

 private:
  std::vector<int> fds_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

std::string repeat(const std::string& s, std::size_t times) {
  std::string out;
  out.reserve(s.size() * times);
  for (std::size_t i = 0; i < times; ++i) out += s;
  return out;
}

// The peak resident set of a process, in KiB (VmHWM in /proc/PID/status).
long peak_rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

// The status line's code and the JSON body of a raw HTTP answer.
std::pair<int, json> parse_answer(const std::string& raw) {
  if (raw.rfind("HTTP/1.1 ", 0) != 0 || raw.size() < 12) return {0, json()};
  const auto body_at = raw.find("\r\n\r\n");
  const int status = std::stoi(raw.substr(9, 3));
  if (body_at == std::string::npos) return {status, json()};
  return {status, json::parse(raw.substr(body_at + 4), nullptr, false)};
}

}  // namespace

TEST_CASE("sixteen connections dripping a request byte by byte do not keep others from an answer",
          "[sandbox][limits]") {
  Sandbox sb;
  const auto cred = sb.add_outlet("AH-XX-0001");
  sb.start({"--quiet"});
  Drippers slow(sb.port(), 16, "POST /api/v1/sales HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
  auto client = sb.client(cred);
  client.http().set_read_timeout(30);  // a generous bound for the answer, not a speed requirement
  const Reply r = client.get("/api/v1/updates?since=0");
  CHECK(r.status == 200);
  CHECK(r.body["catalog"].size() == 18);
  // Answered while every slow connection was still there.
  CHECK(slow.open_count() == 16);
}

TEST_CASE("a request head or body dripped slower than its deadline is cut off",
          "[sandbox][limits]") {
  Sandbox sb;
  const auto cred = sb.add_outlet("AH-XX-0001");
  sb.start({"--quiet"});
  Drippers head(sb.port(), 2, "GET /api/v1/updates HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
  Drippers body(sb.port(), 2,
                "POST /api/v1/sales HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                "1000\r\n\r\n{\"sales\":\"");
  // Each byte comes well within the per-read timeout: only a deadline on the whole request
  // ends them. A generous bound: the deadlines are seconds.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(40);
  while ((head.open_count() > 0 || body.open_count() > 0) &&
         std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(head.open_count() == 0);
  CHECK(body.open_count() == 0);
  auto client = sb.client(cred);
  CHECK(client.get("/api/v1/updates?since=0").status == 200);
}

TEST_CASE("a 33 MB body of nested objects is refused before parsing and the server stays small",
          "[sandbox][limits]") {
  Sandbox sb;
  const auto cred = sb.add_outlet("AH-XX-0001");
  sb.start({"--quiet"});
  auto client = sb.client(cred);
  client.http().set_read_timeout(60);
  client.http().set_write_timeout(60);

  // Over the size limit: refused by its Content-Length, the body is never kept.
  const std::string nested = repeat("{\"a\":", 33'000'000 / 5);
  const Reply big = client.post("/api/v1/sales", nested);
  CHECK(big.status == 413);
  CHECK(big.body["error"]["code"] == "BODY_TOO_LARGE");
  CHECK(big.body["error"]["message_en"].get<std::string>().find("4194304") != std::string::npos);
  CHECK(!big.body["error"]["message_zh"].get<std::string>().empty());

  // Under it, nesting deeper than the protocol's own is refused while parsing.
  const Reply deep =
      client.post("/api/v1/sales", repeat("{\"a\":", 200'000) + "1" + repeat("}", 200'000));
  CHECK(deep.status == 400);
  CHECK(deep.body["error"]["code"] == "JSON_TOO_DEEP");
  CHECK(deep.body["error"]["message_en"].get<std::string>().find("32") != std::string::npos);
  CHECK(client.post("/api/v1/returns", repeat("[", 100) + repeat("]", 100)).body["error"]["code"] ==
        "JSON_TOO_DEEP");

  // And so is a body of a million tiny values: each would cost far more parsed than sent.
  const Reply wide =
      client.post("/api/v1/sales", "{\"sales\":[" + repeat("{},", 1'000'000) + "{}]}");
  CHECK(wide.status == 413);
  CHECK(wide.body["error"]["code"] == "BODY_TOO_LARGE");

  const long peak = peak_rss_kib(sb.pid());
  INFO("VmHWM of serve: " << peak << " KiB");
  CHECK(peak > 0);
  CHECK(peak < 200 * 1024);
  // Still serving, and a good request is no worse off.
  CHECK(client.get("/api/v1/updates?since=0").status == 200);
}

TEST_CASE("a chunked or compressed body is refused: its size is not known before reading it",
          "[sandbox][limits]") {
  Sandbox sb;
  const auto cred = sb.add_outlet("AH-XX-0001");
  sb.start({"--quiet"});
  auto client = sb.client(cred);
  const std::string body = R"({"household":"3413220012"})";
  std::string signed_headers;
  for (const auto& [k, v] : client.headers_for("POST", "/api/v1/quota", body))
    signed_headers += k + ": " + v + "\r\n";

  int fd = connect_loopback(sb.port());
  REQUIRE(send_all(fd, "POST /api/v1/quota HTTP/1.1\r\nHost: 127.0.0.1\r\n" + signed_headers +
                           "Transfer-Encoding: chunked\r\n\r\n"));
  // Only the first chunk is sent: the refusal must not wait for the rest.
  char size[16];
  std::snprintf(size, sizeof size, "%zx\r\n", body.size());
  REQUIRE(send_all(fd, size + body + "\r\n"));
  auto [status, answer] = parse_answer(read_until_closed(fd, std::chrono::seconds(30)));
  ::close(fd);
  CHECK(status == 411);
  CHECK(answer["error"]["code"] == "LENGTH_REQUIRED");
  CHECK(answer["error"]["message_en"].get<std::string>().find("Content-Length") !=
        std::string::npos);

  fd = connect_loopback(sb.port());
  REQUIRE(send_all(fd, "POST /api/v1/quota HTTP/1.1\r\nHost: 127.0.0.1\r\n" + signed_headers +
                           "Content-Encoding: gzip\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n" + body));
  std::tie(status, answer) = parse_answer(read_until_closed(fd, std::chrono::seconds(30)));
  ::close(fd);
  CHECK(status == 415);
  CHECK(answer["error"]["code"] == "BAD_REQUEST");
  CHECK(answer["error"]["message_en"].get<std::string>().find("Content-Encoding") !=
        std::string::npos);
  // The signed request itself, sent plainly, is fine.
  CHECK(client.post("/api/v1/quota", body).status == 200);
}

TEST_CASE(
    "a second serve on the same port is refused: port in use, exit 2, the first keeps every "
    "request",
    "[sandbox][limits]") {
  Sandbox sb;
  const auto cred = sb.add_outlet("AH-XX-0001");
  sb.start({"--quiet"});
  const std::string port = std::to_string(sb.port());
  const std::string log = sb.dir().file("second.log");
  Child second = spawn(
      {sandbox_bin(), "serve", "--db", sb.dir().file("second.db"), "--listen", "127.0.0.1:" + port},
      {{"HUINONG_ASSETS_DIR", assets_dir()}}, log);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (second.running() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const bool ended = !second.running();
  if (!ended) second.terminate();
  INFO(read_text(log));
  REQUIRE(ended);
  CHECK(second.wait() == 2);
  const std::string out = read_text(log);
  CHECK(out.find("listening on") == std::string::npos);
  CHECK(out.find("错误:") != std::string::npos);
  CHECK(out.find("已被占用") != std::string::npos);
  CHECK(out.find("already in use") != std::string::npos);
  CHECK(out.find(port) != std::string::npos);

  // Every request reaches the one server that holds the port (and its database).
  for (int i = 0; i < 20; ++i) {
    auto fresh = sb.client(cred);  // a new connection each time: the kernel picks the listener
    CHECK(fresh.get("/api/v1/updates?since=0").status == 200);
  }
}
