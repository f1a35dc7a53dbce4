#include "server.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include <httplib.h>

#include "connection_guard.hpp"
#include "province.hpp"
#include "protocol/protocol.hpp"
#include "request_limits.hpp"

namespace hn::sandbox {

namespace {

constexpr const char* kJson = "application/json; charset=utf-8";

std::string dump(const nlohmann::json& j) {
  // Every string in an answer was checked as UTF-8 on the way in; replace rather than throw.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(dump(body), kJson);
}

void send_error(httplib::Response& res, int status, const std::string& code, const std::string& zh,
                const std::string& en) {
  send_json(res, status, sync::error_body(code, zh, en));
}

void send_refusal(httplib::Response& res, const Refusal& r) { send_error(res, r.status, r.code, r.zh, r.en); }

void bad_request(httplib::Response& res, const std::string& zh, const std::string& en) {
  send_error(res, 400, "BAD_REQUEST", zh, en);
}

// 401 answers (PROTOCOL.md "Every request is signed").
void refuse(httplib::Response& res, sync::Verdict v) {
  switch (v) {
    case sync::Verdict::OutletUnknown:
      return send_error(res, 401, "OUTLET_UNKNOWN", "省平台没有这个网点:请核对 X-Huinong-Outlet 与网点凭据",
                        "the province knows no such outlet: check X-Huinong-Outlet and the credential");
    case sync::Verdict::SignatureStale:
      return send_error(res, 401, "SIGNATURE_STALE",
                        "请求时间与省平台时钟相差超过 " + std::to_string(sync::kMaxClockSkewSeconds) +
                            " 秒:请校准终端时钟",
                        "the request time is more than " + std::to_string(sync::kMaxClockSkewSeconds) +
                            " s from the province's clock: set the terminal's clock right");
    case sync::Verdict::Replayed:
      return send_error(res, 401, "REPLAYED", "该请求已经收到过(随机数重复):重放的请求被拒绝",
                        "this request was already received (nonce seen before): a replay is refused");
    case sync::Verdict::SignatureInvalid:
    case sync::Verdict::Ok:
      break;
  }
  send_error(res, 401, "SIGNATURE_INVALID", "请求签名不符:内容被改动,或密钥不对",
             "the request's signature does not verify: it was altered, or the key is wrong");
}

std::optional<nlohmann::json> parse_object(const httplib::Request& req, httplib::Response& res) {
  // Its shape first, without keeping anything: a parsed value costs many times its bytes.
  if (const auto refused = check_json_shape(req.body)) {
    send_refusal(res, *refused);
    return std::nullopt;
  }
  auto j = nlohmann::json::parse(req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    bad_request(res, "请求体应为 JSON 对象", "the body must be a JSON object");
    return std::nullopt;
  }
  return j;
}

// A non-empty string member of the body, or a 400 naming it.
std::optional<std::string> string_member(const nlohmann::json& j, const char* key,
                                         httplib::Response& res) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    bad_request(res, std::string("请求体须有非空字符串字段 ") + key,
                std::string("the body needs a non-empty string field ") + key);
    return std::nullopt;
  }
  return it->get<std::string>();
}

class App {
 public:
  App(Province province, bool quiet, ConnectionGuard& guard)
      : province_(std::move(province)), quiet_(quiet), guard_(guard) {
    nonces_ = province_.recent_nonces(unix_now());
  }

  using Handler = void (App::*)(const httplib::Request&, httplib::Response&, const Outlet&);

  // Every endpoint: one request at a time against the database, after its signature.
  httplib::Server::Handler guarded(Handler h) {
    return [this, h](const httplib::Request& req, httplib::Response& res) {
      // The request is in; the server's own time (the wait for the database too) has no
      // deadline, the answer has one again.
      struct Working {
        ConnectionGuard& guard;
        explicit Working(ConnectionGuard& g) : guard(g) { guard.handler_started(); }
        ~Working() { guard.handler_finished(); }
      } working(guard_);
      std::lock_guard<std::mutex> lock(mutex_);
      try {
        const std::string code = req.get_header_value("X-Huinong-Outlet");
        const std::optional<Outlet> outlet = province_.find_outlet(code);
        std::optional<std::vector<unsigned char>> key;
        if (outlet) key = province_.outlet_key(code);
        const std::int64_t now = unix_now();
        // Nonce memory only for registered outlets: made-up outlet codes must not grow it.
        std::map<std::string, std::int64_t> none;
        auto& seen = key ? nonces_[code] : none;
        // The path with its query string, as sent: the request target.
        const sync::Verdict v = sync::verify_request(
            key ? &*key : nullptr, req.method, req.target, req.body,
            req.get_header_value("X-Huinong-Timestamp"), req.get_header_value("X-Huinong-Nonce"),
            req.get_header_value("X-Huinong-Signature"), now, seen);
        if (v != sync::Verdict::Ok) return refuse(res, v);
        province_.remember_nonce(code, req.get_header_value("X-Huinong-Nonce"), now);
        (this->*h)(req, res, *outlet);
      } catch (const std::exception& e) {
        if (!quiet_) std::cerr << "internal error: " << e.what() << std::endl;
        send_error(res, 500, "INTERNAL", std::string("省平台内部错误:") + e.what(),
                   std::string("internal error of the province: ") + e.what());
      }
    };
  }

  void sales(const httplib::Request& req, httplib::Response& res, const Outlet& outlet) {
    const auto body = parse_object(req, res);
    if (!body) return;
    const auto list = body->find("sales");
    if (list == body->end() || !list->is_array())
      return bad_request(res, "请求体应为 {\"sales\": [...]}", "the body must be {\"sales\": [...]}");
    if (list->size() > static_cast<std::size_t>(sync::kMaxBatch))
      return send_error(res, 413, "BATCH_TOO_LARGE",
                        "一批至多 " + std::to_string(sync::kMaxBatch) + " 笔销售,本批 " +
                            std::to_string(list->size()) + " 笔",
                        "at most " + std::to_string(sync::kMaxBatch) + " sales a batch, this one has " +
                            std::to_string(list->size()));
    std::vector<UploadedSale> sales(list->size());
    for (std::size_t i = 0; i < list->size(); ++i) {
      std::string error;
      if (!sync::sale_from_wire((*list)[i], sales[i].sale, error)) {
        const std::string where = "sales[" + std::to_string(i) + "]." + error;
        return bad_request(res, "销售数据有误:" + where, "a sale is malformed: " + where);
      }
      // Each line's claim, checked by sale_from_wire to be a non-negative integer.
      for (const auto& item : (*list)[i]["items"]) sales[i].line_subsidies.push_back(item["subsidy_fen"].get<Fen>());
    }
    answer(res, province_.upload_sales(outlet, sales));
  }

  void returns(const httplib::Request& req, httplib::Response& res, const Outlet& outlet) {
    const auto body = parse_object(req, res);
    if (!body) return;
    const auto list = body->find("events");
    if (list == body->end() || !list->is_array())
      return bad_request(res, "请求体应为 {\"events\": [...]}", "the body must be {\"events\": [...]}");
    if (list->size() > static_cast<std::size_t>(sync::kMaxBatch))
      return send_error(res, 413, "BATCH_TOO_LARGE",
                        "一批至多 " + std::to_string(sync::kMaxBatch) + " 个事件",
                        "at most " + std::to_string(sync::kMaxBatch) + " events a batch");
    std::vector<WireEvent> events(list->size());
    for (std::size_t i = 0; i < list->size(); ++i) {
      std::string error;
      if (!event_from_wire((*list)[i], events[i], error)) {
        const std::string where = "events[" + std::to_string(i) + "]." + error;
        return bad_request(res, "退货事件有误:" + where, "an event is malformed: " + where);
      }
    }
    answer(res, province_.upload_events(outlet, events));
  }

  void closings(const httplib::Request& req, httplib::Response& res, const Outlet& outlet) {
    const auto body = parse_object(req, res);
    if (!body) return;
    const auto list = body->find("closings");
    if (list == body->end() || !list->is_array() || list->size() > static_cast<std::size_t>(sync::kMaxBatch))
      return bad_request(res, "请求体应为 {\"closings\": [...]}", "the body must be {\"closings\": [...]}");
    for (const auto& c : *list)
      if (!c.is_object() || !c.contains("uuid") || !c["uuid"].is_string() || !c.contains("body") ||
          !c["body"].is_string() || !c.contains("signature") || !c["signature"].is_string() ||
          !c.contains("public_key") || !c["public_key"].is_string())
        return bad_request(res, "日结应含 uuid、body、signature、public_key",
                           "a closing needs uuid, body, signature and public_key");
    answer(res, province_.upload_closings(outlet, *list));
  }

  void quota(const httplib::Request& req, httplib::Response& res, const Outlet& outlet) {
    const auto body = parse_object(req, res);
    if (!body) return;
    const auto household = string_member(*body, "household", res);
    if (!household) return;
    nlohmann::json held = nlohmann::json::object();
    for (const auto& [cat, n] : province_.household_held(*household, outlet.code))
      held[std::string(category_code(cat))] = n;
    send_json(res, 200, {{"household_held", held}});
  }

  void card_state(const httplib::Request& req, httplib::Response& res, const Outlet& outlet) {
    const auto body = parse_object(req, res);
    if (!body) return;
    const auto card = string_member(*body, "card", res);
    if (!card) return;
    const auto state = province_.card_state(*card, outlet.code);
    // Another outlet's card reads exactly as a card never sold (PROTOCOL.md "cards/state").
    if (!state)
      return send_error(res, 404, "NOT_FOUND", "省平台没有本网点售出标识卡 " + shown_value(*card) + " 的记录",
                        "the province holds no sale of card " + shown_value(*card) + " by this outlet");
    send_json(res, 200, *state);
  }

  void updates(const httplib::Request& req, httplib::Response& res, const Outlet& outlet) {
    std::int64_t since = 0;
    if (req.has_param("since")) {
      const std::string s = req.get_param_value("since");
      if (s.empty() || s.size() > 18 ||
          s.find_first_not_of("0123456789") != std::string::npos)
        return bad_request(res, "since 应为非负整数(上次的 version)",
                           "since must be a non-negative integer (the last version)");
      since = std::stoll(s);
    }
    send_json(res, 200, province_.updates(outlet.code, since));
  }

 private:
  void answer(httplib::Response& res, const std::vector<sync::UploadResult>& results) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : results) out.push_back(sync::result_to_json(r));
    send_json(res, 200, {{"results", out}});
  }

  Province province_;
  bool quiet_;
  ConnectionGuard& guard_;
  std::mutex mutex_;
  std::map<std::string, std::map<std::string, std::int64_t>> nonces_;  // per outlet
};

// Why `host`:`port` cannot be listened on, as errno from a bind of our own: httplib does not
// say. 0 when it can be (now).
int bind_errno(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* list = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &list) != 0) return EADDRNOTAVAIL;
  int err = EADDRNOTAVAIL;
  for (const addrinfo* a = list; a; a = a->ai_next) {
    const int s = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (s < 0) {
      err = errno;
      continue;
    }
    int yes = 1;
    ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    const bool bound = ::bind(s, a->ai_addr, a->ai_addrlen) == 0 && ::listen(s, 1) == 0;
    err = bound ? 0 : errno;
    ::close(s);
    if (bound) break;
  }
  ::freeaddrinfo(list);
  return err;
}

void print_bind_error(const std::string& host, int port) {
  const std::string where = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
  const int err = bind_errno(host, port);
  std::string zh, en;
  if (err == EADDRINUSE) {
    zh = "端口 " + std::to_string(port) + " 已被占用:" + where +
         " 上已有程序在监听(可能是另一个 huinong-sandbox serve)。请先停止它,或换一个端口";
    en = "port " + std::to_string(port) + " is already in use: a program already listens on " + where +
         " (perhaps another huinong-sandbox serve). Stop it first, or choose another port";
  } else if (err == EACCES) {
    zh = "没有权限在 " + where + " 上监听(1024 以下的端口需要管理员权限):请换一个端口";
    en = "no permission to listen on " + where + " (ports below 1024 need administrator rights): choose another port";
  } else if (err == 0) {  // free again by now
    zh = "刚才无法在 " + where + " 上监听:请再试一次";
    en = "could not listen on " + where + " a moment ago: try again";
  } else {
    zh = "无法在 " + where + " 上监听(" + std::strerror(err) + ")";
    en = "cannot listen on " + where + " (" + std::strerror(err) + ")";
  }
  std::cerr << "错误:" << zh << "\nerror: " << en << std::endl;
}

}  // namespace

bool is_loopback_host(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  in_addr a{};
  if (::inet_pton(AF_INET, host.c_str(), &a) != 1) return false;
  return (ntohl(a.s_addr) >> 24) == 127;
}

int serve(const ServeOptions& o) {
  // SIGTERM and SIGINT are taken by one thread that stops the server; every other thread
  // (the server's pool included, created below) inherits the blocked mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  // Before the server and its threads: it outlives them.
  ConnectionGuard guard;
  App app(Province::open(o.db_path, o.assets_dir), o.quiet, guard);

  std::unique_ptr<httplib::Server> server;
  if (!o.tls_cert.empty()) {
    server = std::make_unique<httplib::SSLServer>(
        o.tls_cert.c_str(), o.tls_key.c_str(), o.client_ca.empty() ? nullptr : o.client_ca.c_str());
    if (!server->is_valid()) {
      std::cerr << "错误:无法载入 TLS 证书或私钥(" << o.tls_cert << ", " << o.tls_key
                << (o.client_ca.empty() ? "" : ", " + o.client_ca) << ")\n"
                << "error: cannot load the TLS certificate, key or client CA" << std::endl;
      return 2;
    }
  } else {
    server = std::make_unique<httplib::Server>();
  }
  httplib::Server& svr = *server;
  // A growing pool and deadlines on whole requests: slow clients hold no one up.
  guard.install(svr);
  // A body over the limit is refused by its Content-Length, and what follows is read and
  // dropped, never kept (413 BODY_TOO_LARGE).
  svr.set_payload_max_length(kMaxBodyBytes);
  svr.set_keep_alive_max_count(100000);  // one kept-alive connection drains a whole outbox
  // An idle kept-alive connection holds a worker until this timeout, and stop() waits for the
  // workers: keep it short so SIGTERM ends the process within about a second.
  svr.set_keep_alive_timeout(1);
  svr.set_tcp_nodelay(true);
  // The port is this server's alone: SO_REUSEADDR only, so that a restart binds at once past
  // TIME_WAIT. httplib's default adds SO_REUSEPORT, with which a second `serve` on the same
  // port started and took most of the requests.
  svr.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });

  const std::string api = sync::kApiPrefix;
  svr.Post(api + "/sales", app.guarded(&App::sales));
  svr.Post(api + "/returns", app.guarded(&App::returns));
  svr.Post(api + "/quota", app.guarded(&App::quota));
  svr.Post(api + "/closings", app.guarded(&App::closings));
  svr.Post(api + "/cards/state", app.guarded(&App::card_state));
  svr.Get(api + "/updates", app.guarded(&App::updates));

  // After the head, before any of the body: its deadline, and the bodies refused unread (one
  // without a length, or compressed, could grow without bound while it is read).
  svr.set_pre_routing_handler([&guard](const httplib::Request& req, httplib::Response& res) {
    const bool has_length = req.has_header("Content-Length");
    guard.head_received(has_length ? declared_length(req.get_header_value("Content-Length")) : 0);
    const auto refused = check_body_form(req.method, req.get_header_value("Transfer-Encoding"),
                                         req.get_header_value("Content-Encoding"), has_length);
    if (!refused) return httplib::Server::HandlerResponse::Unhandled;
    send_refusal(res, *refused);
    guard.close_after_answer();
    return httplib::Server::HandlerResponse::Handled;
  });
  // A client that waits for "100 Continue" learns of a body over the limit before sending it.
  svr.set_expect_100_continue_handler([&guard](const httplib::Request& req, httplib::Response& res) {
    const std::size_t declared = declared_length(req.get_header_value("Content-Length"));
    if (declared <= kMaxBodyBytes) return 100;
    send_refusal(res, body_too_large(declared));
    guard.close_after_answer();
    return 413;
  });
  // Errors httplib answers itself (no such path, body too large, a malformed request) get the
  // protocol's error body too.
  svr.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 404)
      send_error(res, 404, "NOT_FOUND", "没有这个接口", "there is no such endpoint");
    else if (res.status == 413)
      send_refusal(res, body_too_large(declared_length(req.get_header_value("Content-Length"))));
    else if (res.status >= 500)
      send_error(res, res.status, "INTERNAL", "省平台内部错误", "internal error of the province");
    else
      send_error(res, res.status, "BAD_REQUEST", "请求不符合协议", "the request does not follow the protocol");
  });
  svr.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    send_error(res, 500, "INTERNAL", "省平台内部错误", "internal error of the province");
  });
  // Called once an answer is written: the access log, and the next request's deadline.
  svr.set_logger([&guard, quiet = o.quiet](const httplib::Request& req, const httplib::Response& res) {
    if (!quiet) {
      const std::string outlet = req.get_header_value("X-Huinong-Outlet");
      std::fprintf(stderr, "%s %s %s %d\n", outlet.empty() ? "-" : outlet.c_str(), req.method.c_str(),
                   req.target.c_str(), res.status);
    }
    guard.answered();
  });

  int port = o.port;
  if (port == 0) port = svr.bind_to_any_port(o.host);
  else if (!svr.bind_to_port(o.host, port)) port = -1;
  if (port <= 0) {
    print_bind_error(o.host, o.port);
    return 2;
  }
  guard.set_port(port);
  const std::string shown = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
  std::cout << "listening on " << shown << ":" << port << std::endl;  // endl flushes

  std::atomic<bool> done{false}, signalled{false};
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    if (!done) signalled = true;
    // stop() only acts once the loop runs; repeat until listen_after_bind() has returned.
    while (!done) {
      svr.stop();
      guard.stop();  // connections waiting on their clients end now, answers are finished
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  const bool ok = svr.listen_after_bind();
  done = true;
  // Wake the stopper when the loop ended without a signal.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  if (!o.quiet) std::cerr << "stopped" << std::endl;
  return ok || signalled ? 0 : 1;
}

}  // namespace hn::sandbox
