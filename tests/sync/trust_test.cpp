// What the terminal trusts from the province: the server's public key when it is pinned (TLS
// through nginx with client certificates), and the catalog, policy and card updates it applies
// to its own records, all of one answer or none of it. The real sandbox process on loopback,
// real terminal databases, the openssl CLI for keys; a canned server on loopback for answers
// the sandbox would never give.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "app/province_link.hpp"
#include "app/store_access.hpp"
#include "loopback.hpp"
#include "province_harness.hpp"
#include "tls_harness.hpp"
#include "sync/client/sync_service.hpp"
#include "sync/protocol/protocol.hpp"

using namespace hn;
using namespace hn::test;

namespace {


// Every row of `sql`, every column as text, one line per row: a snapshot to compare.
std::string rows_of(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    out = std::string("SQL ERROR: ") + sqlite3_errmsg(h);
  } else {
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const auto* t = sqlite3_column_text(st, i);
        out += (i ? "|" : "") + (t ? std::string(reinterpret_cast<const char*>(t)) : std::string("NULL"));
      }
      out += "\n";
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(h);
  return out;
}

std::int64_t count_of(const std::string& db, const std::string& sql) {
  const std::string r = rows_of(db, sql);
  return r.empty() || r.rfind("SQL ERROR", 0) == 0 ? -1 : std::stoll(r);
}

// Everything a province update may touch in the terminal's database.
std::string update_state(const std::string& db) {
  return "catalog:\n" + rows_of(db, "SELECT * FROM catalog_models ORDER BY model_code") +
         "cards:\n" + rows_of(db, "SELECT * FROM label_cards ORDER BY card_no") +
         "receipts:\n" + rows_of(db, "SELECT * FROM goods_receipts ORDER BY id") +
         // The policy files by their digest: a failure prints a line, not whole files.
         "policies: " + sync::sha256_hex(rows_of(db, "SELECT id, source FROM policy_phases ORDER BY id")) + "\n" +
         "settings:\n" + rows_of(db, "SELECT key, value FROM settings WHERE key LIKE 'sync.%' ORDER BY key") +
         "journal:\n" + rows_of(db, "SELECT seq, kind, body FROM journal ORDER BY seq");
}

// An HTTP server on loopback that gives every request the same canned 200 answer: a province
// that answers what the sandbox never would. It records the request lines it was sent.
class CannedProvince {
 public:
  explicit CannedProvince(std::string body) : body_(std::move(body)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listener_, 16) != 0)
      throw std::runtime_error("canned province: cannot listen on loopback");
    socklen_t len = sizeof a;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { loop(); });
  }
  ~CannedProvince() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    ::close(listener_);
  }
  CannedProvince(const CannedProvince&) = delete;
  CannedProvince& operator=(const CannedProvince&) = delete;
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  void loop() {
    while (!stopping_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      // A GET has no body: the request ends with its headers.
      std::string req;
      char buf[4096];
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      while (req.find("\r\n\r\n") == std::string::npos && std::chrono::steady_clock::now() < until) {
        pollfd q{fd, POLLIN, 0};
        if (::poll(&q, 1, 50) <= 0) continue;
        const auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        req.append(buf, static_cast<std::size_t>(n));
      }
      {
        std::lock_guard<std::mutex> lock(mutex_);
        requests_.push_back(req.substr(0, req.find("\r\n")));
      }
      const std::string answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
                                 "Content-Length: " + std::to_string(body_.size()) +
                                 "\r\nConnection: close\r\n\r\n" + body_;
      const char* at = answer.data();
      std::size_t left = answer.size();
      while (left > 0) {
        const auto w = ::send(fd, at, left, MSG_NOSIGNAL);
        if (w <= 0) break;
        at += w;
        left -= static_cast<std::size_t>(w);
      }
      ::close(fd);
    }
  }

  std::string body_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> requests_;
};

}  // namespace

TEST_CASE("public-key pinning: uploads go through nginx only to the server whose key is pinned",
          "[sync][tls][pinning]") {
  TempDir dir;
  Province province(dir.path());
  const std::string cred = province.add_outlet("AH-XX-0001", 1, 3, dir.file("a.csv"));
  TestTerminal a(dir.file("a.db"), "AH-XX-0001", dir.file("a.csv"));
  REQUIRE(a.sell_tv(tv_card(1), "H1"));
  REQUIRE(a.sell_tv(tv_card(2), "H2"));
  province.serve();

  const std::string d = dir.path() + "/";
  make_certificates(d);
  // The outlet's credential directory holds its TLS files too (PROTOCOL.md "Transport").
  namespace fs = std::filesystem;
  for (const char* f : {"ca.crt", "client.crt", "client.key"}) fs::copy_file(d + f, cred + "/" + f);

  // The server's real public key, as libcurl documents for CURLOPT_PINNEDPUBLICKEY ...
  openssl({"x509", "-in", d + "server.crt", "-pubkey", "-noout", "-out", d + "server.pub.pem"});
  openssl({"pkey", "-pubin", "-in", d + "server.pub.pem", "-outform", "DER", "-out", d + "server.pub.der"});
  const std::string real_pin = pin_of_der(d + "server.pub.der");
  // ... and another key altogether.
  openssl({"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", d + "other.key"});
  openssl({"pkey", "-in", d + "other.key", "-pubout", "-outform", "DER", "-out", d + "other.pub.der"});
  const std::string wrong_pin = pin_of_der(d + "other.pub.der");
  INFO("real pin " << real_pin << ", other pin " << wrong_pin);
  REQUIRE(real_pin.size() == 8 + 44);  // "sha256//" and 32 bytes in base64
  REQUIRE(wrong_pin.size() == 8 + 44);
  REQUIRE(real_pin != wrong_pin);

  const int port = closed_port();
  Child nginx = start_nginx(d, port, province.port());
  const std::string url = "https://127.0.0.1:" + std::to_string(port);

  // The pin reaches the client the way the terminal's own does: `sync setup` stores it,
  // connect_province hands it to the transport.
  SECTION("pinned to another key: refused before anything is sent; pinned to the server's: accepted") {
    REQUIRE(app::setup_sync(*a.t, a.manager, url, cred, wrong_pin).ok());
    CHECK(hn::app::store_of(*a.t).settings().get("sync.pinned_public_key") == wrong_pin);
    {
      auto client = app::connect_province(*a.t);
      REQUIRE(client);
      const auto c = sync::SyncService(hn::app::store_of(*a.t), *client, unix_ms, fast_retries()).pass();
      INFO("last_error: " << c.last_error);
      CHECK(c.sent == 0);
      CHECK(c.accepted == 0);
      CHECK(c.failures == 1);
      CHECK(c.pending == 2);
      CHECK(c.last_error.find("pinned public key") != std::string::npos);
      CHECK(c.last_error.rfind("SERVER_UNTRUSTED", 0) == 0);
    }
    // A server that is not who it should be is not a network blip: no quick retries.
    CHECK(hn::app::store_of(*a.t).outbox().next_attempt() > unix_ms() + 30 * 60 * 1000);
    CHECK(hn::app::store_of(*a.t).reports().pending_uploads() == 2);
    CHECK(hn::app::store_of(*a.t).settings().get("sync.last_error").value_or("").find("pinned public key") != std::string::npos);
    CHECK(count_of(dir.file("a.db"), "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND "
                                     "last_error LIKE '%pinned public key%'") == 2);
    // Nothing reached the province: no sale, not even a request's nonce.
    CHECK(count_of(province.db(), "SELECT COUNT(*) FROM prov_sales") == 0);
    CHECK(count_of(province.db(), "SELECT COUNT(*) FROM prov_nonces") == 0);
    CHECK(report_count(province.report(), "AH-XX-0001", "accepted") == 0);

    // The same credential, CA and client certificate, pinned to the server's own key: the
    // manager's new setup sends at once, without waiting out the hour.
    REQUIRE(app::setup_sync(*a.t, a.manager, url, cred, real_pin).ok());
    auto client = app::connect_province(*a.t);
    REQUIRE(client);
    const auto c = sync::SyncService(hn::app::store_of(*a.t), *client, unix_ms, fast_retries()).pass();
    INFO("last_error: " << c.last_error);
    CHECK(c.failures == 0);
    CHECK(c.accepted == 2);
    CHECK(hn::app::store_of(*a.t).reports().pending_uploads() == 0);
    CHECK(hn::app::store_of(*a.t).settings().get("sync.last_error") == "");
    CHECK(report_count(province.report(), "AH-XX-0001", "accepted") == 2);
  }

  SECTION("the pin given straight to ProvinceClient::connect") {
    auto credential = sync::load_credential(cred);
    REQUIRE(credential.ca_cert == cred + "/ca.crt");
    REQUIRE(credential.client_cert == cred + "/client.crt");
    {
      auto pinned_elsewhere = sync::ProvinceClient::connect(url, credential, wrong_pin);
      const auto c = sync::SyncService(hn::app::store_of(*a.t), *pinned_elsewhere, unix_ms, fast_retries()).pass();
      CHECK(c.accepted == 0);
      CHECK(c.failures == 1);
      CHECK(c.last_error.find("pinned public key") != std::string::npos);
      CHECK(hn::app::store_of(*a.t).reports().pending_uploads() == 2);
      CHECK(count_of(province.db(), "SELECT COUNT(*) FROM prov_sales") == 0);
    }
    hn::app::store_of(*a.t).db().exec("UPDATE outbox SET next_attempt_at = 0");
    auto pinned_right = sync::ProvinceClient::connect(url, credential, real_pin);
    const auto c = sync::SyncService(hn::app::store_of(*a.t), *pinned_right, unix_ms, fast_retries()).pass();
    INFO("last_error: " << c.last_error);
    CHECK(c.accepted == 2);
    CHECK(hn::app::store_of(*a.t).reports().pending_uploads() == 0);
  }
}

TEST_CASE("the client applies catalog, policy and card updates atomically", "[sync][updates]") {
  TempDir dir;
  Province province(dir.path());
  const std::string cred = province.add_outlet("AH-XX-0001", 1, 3, dir.file("a.csv"));
  TestTerminal a(dir.file("a.db"), "AH-XX-0001", dir.file("a.csv"));
  province.serve();
  auto client = sync::ProvinceClient::connect(province.url(), sync::load_credential(cred));
  sync::SyncService service(hn::app::store_of(*a.t), *client, unix_ms, fast_retries());
  auto& store = hn::app::store_of(*a.t);
  const std::string db = dir.file("a.db");
  const std::string update_entries = "SELECT COUNT(*) FROM journal WHERE kind = 'province_update'";

  // The first pull: everything since version 0, which this terminal already has from its files.
  std::string error;
  REQUIRE(service.pull_updates(error));
  INFO("error: " << error);
  const std::int64_t first_version = province.report()["version"].get<std::int64_t>();
  CHECK(store.settings().get("sync.updates_version") == std::to_string(first_version));
  CHECK(count_of(db, update_entries) == 1);
  REQUIRE(store.catalog().find("TCL-L22E9"));
  CHECK(store.catalog().find("TCL-L22E9")->max_price == 169900);
  CHECK_FALSE(store.catalog().find("HAIER-BCD-TEST1"));

  // The province changes: a new model and a lower bid price for an old one ...
  std::ofstream(dir.file("catalog-2.csv"))
      << "model_code,category,brand,name,spec,max_price,valid_from,valid_to\n"
      << "HAIER-BCD-TEST1,fridge,海尔,冰箱,178升 双门,2299.00,2008-12-01,\n"
      << "TCL-L22E9,tv,TCL,液晶彩电,22英寸 LCD,1599.00,2008-12-01,\n";
  sandbox({"catalog", "import", "--db", province.db(), dir.file("catalog-2.csv")});
  // ... cards of the new model for this outlet, and cards for another outlet ...
  {
    std::ofstream cards(dir.file("cards-2.csv"));
    cards << "card_no,serial_no,model_code\n";
    for (int i = 11; i <= 13; ++i) cards << tv_card(i) << ",HAIER-" << i << ",HAIER-BCD-TEST1\n";
  }
  sandbox({"cards", "issue", "--db", province.db(), dir.file("cards-2.csv"), "--outlet", "AH-XX-0001"});
  province.add_outlet("AH-XX-0002", 101, 2, dir.file("b.csv"));
  // ... and a policy phase of its own.
  std::string policy = read_text(std::string(HUINONG_TEST_ASSETS_DIR) + "/policy/2010-06.ini");
  const auto id_at = policy.find("id = 2010-06");
  REQUIRE(id_at != std::string::npos);
  policy.replace(id_at, std::strlen("id = 2010-06"), "id = 2011-01");
  std::ofstream(dir.file("2011-01.ini")) << policy;
  sandbox({"policy", "use", "--db", province.db(), dir.file("2011-01.ini")});
  const std::int64_t new_version = province.report()["version"].get<std::int64_t>();
  REQUIRE(new_version > first_version);
  CHECK_FALSE(store.policy_phases().source("2011-01"));

  REQUIRE(service.pull_updates(error));
  const auto fridge = store.catalog().find("HAIER-BCD-TEST1");
  REQUIRE(fridge);
  CHECK(fridge->category == Category::Fridge);
  CHECK(fridge->max_price == 229900);
  CHECK(store.catalog().find("TCL-L22E9")->max_price == 159900);
  CHECK(store.catalog().find("HISENSE-TLM26V68")->max_price == 199900);  // untouched
  const auto in_stock = store.cards().list("in_stock", "HAIER-BCD-TEST1");
  REQUIRE(in_stock.size() == 3);
  CHECK(in_stock[0].card_no == tv_card(11));
  CHECK(in_stock[0].serial_no == "HAIER-11");
  CHECK(in_stock[2].card_no == tv_card(13));
  CHECK(store.cards().find(tv_card(12), "AH-XX-0001")->status == CardStatus::InStock);
  CHECK_FALSE(store.cards().exists(tv_card(101)));  // the other outlet's cards stay there
  CHECK(store.cards().list("in_stock", "").size() == 6);
  CHECK(store.policy_phases().source("2011-01") == policy);
  CHECK(store.settings().get("sync.updates_version") == std::to_string(new_version));
  CHECK(count_of(db, update_entries) == 2);
  const auto entry = nlohmann::json::parse(
      rows_of(db, "SELECT body FROM journal WHERE kind = 'province_update' ORDER BY seq DESC LIMIT 1"));
  CHECK(entry["version"] == new_version);
  CHECK(entry["models"] == 2);  // only what changed
  CHECK(entry["policies"] == 1);
  CHECK(entry["cards"] == 3);
  CHECK(count_of(db, "SELECT COUNT(*) FROM goods_receipts WHERE source = 'province update " +
                         std::to_string(new_version) + "'") == 1);
  // The cards are sellable: a fridge of the new model at its price.
  {
    Cart cart;
    cart.buyer = {"张三", "341322198001011239", "3413220012", Hukou::Agricultural, std::nullopt};
    cart.items.push_back({tv_card(11), "", 229900});
    const auto sold = a.t->checkout(a.clerk, cart);
    REQUIRE(sold.ok());
    CHECK(sold->sale);
  }

  // A second pull with nothing new changes none of the records.
  const std::string before = update_state(db);
  REQUIRE(service.pull_updates(error));
  CHECK(store.settings().get("sync.updates_version") == std::to_string(new_version));
  // Not even the journal: an empty pull every half minute would flood it.
  CHECK(update_state(db) == before);

  SECTION("an answer with one bad card applies nothing, not even its good parts") {
    const std::string state = update_state(db);
    const std::string version = store.settings().get("sync.updates_version").value();
    const nlohmann::json answer = {
        {"version", new_version + 10},
        {"catalog", {{{"model_code", "MIDEA-GOOD-2"}, {"category", "fridge"}, {"brand", "美的"},
                      {"name", "冰箱"}, {"spec", "200升"}, {"max_price_fen", 249900},
                      {"valid_from", "2008-12-01"}, {"valid_to", nullptr}}}},
        {"policies", {{{"id", "2012-01"}, {"source", [&] {
                         std::string p = policy;
                         p.replace(p.find("id = 2011-01"), std::strlen("id = 2011-01"), "id = 2012-01");
                         return p;
                       }()}}}},
        {"cards", {{{"card_no", tv_card(21)}, {"serial_no", "GOOD-21"}, {"model_code", "HISENSE-TLM26V68"}},
                   {{"card_no", "NOT A CARD!"}, {"serial_no", "BAD-22"}, {"model_code", "HISENSE-TLM26V68"}}}}};
    CannedProvince canned(answer.dump());
    auto to_canned = sync::ProvinceClient::connect(canned.url(), sync::load_credential(cred));
    sync::SyncService from_canned(store, *to_canned, unix_ms, fast_retries());
    std::string why;
    CHECK_FALSE(from_canned.pull_updates(why));
    INFO("error: " << why);
    CHECK(why.rfind("BAD_ANSWER: card", 0) == 0);
    CHECK(why.find("NOT A CARD!") != std::string::npos);
    // The client asked for what came after its version, and got its answer.
    REQUIRE(canned.requests().size() == 1);
    CHECK(canned.requests()[0] == "GET /api/v1/updates?since=" + version + " HTTP/1.1");
    CHECK_FALSE(store.catalog().find("MIDEA-GOOD-2"));
    CHECK_FALSE(store.cards().exists(tv_card(21)));
    CHECK_FALSE(store.policy_phases().source("2012-01"));
    CHECK(store.settings().get("sync.updates_version") == version);
    CHECK(update_state(db) == state);  // the journal too: nothing was applied
  }

  SECTION("an answer that fails while being applied is rolled back whole") {
    // Each entry passes the client's checks; the second card names a model in no catalog,
    // which the database refuses after the catalog entry and the first card went in.
    const std::string state = update_state(db);
    const std::string version = store.settings().get("sync.updates_version").value();
    const nlohmann::json answer = {
        {"version", new_version + 20},
        {"catalog", {{{"model_code", "MIDEA-GOOD-3"}, {"category", "fridge"}, {"brand", "美的"},
                      {"name", "冰箱"}, {"spec", "210升"}, {"max_price_fen", 259900},
                      {"valid_from", "2008-12-01"}, {"valid_to", nullptr}}}},
        {"policies", nlohmann::json::array()},
        {"cards", {{{"card_no", tv_card(31)}, {"serial_no", "GOOD-31"}, {"model_code", "MIDEA-GOOD-3"}},
                   {{"card_no", tv_card(32)}, {"serial_no", "GOOD-32"}, {"model_code", "NO-SUCH-MODEL"}}}}};
    CannedProvince canned(answer.dump());
    auto to_canned = sync::ProvinceClient::connect(canned.url(), sync::load_credential(cred));
    sync::SyncService from_canned(store, *to_canned, unix_ms, fast_retries());
    std::string why;
    bool applied = true;
    std::string thrown;
    try {
      applied = from_canned.pull_updates(why);
    } catch (const std::exception& e) {
      thrown = e.what();
    }
    INFO("error: " << why << "; thrown: " << thrown);
    CHECK((!applied || !thrown.empty()));  // not taken as applied
    CHECK(thrown.empty());  // false with the reason, as sync_service.hpp promises
    CHECK_FALSE(store.catalog().find("MIDEA-GOOD-3"));
    CHECK_FALSE(store.cards().exists(tv_card(31)));
    CHECK_FALSE(store.cards().exists(tv_card(32)));
    CHECK(store.settings().get("sync.updates_version") == version);
    CHECK(update_state(db) == state);
  }
}


namespace {
// The province's answer as fixed bytes, without a server.
class CannedTransport final : public sync::Transport {
 public:
  CannedTransport(long status, std::string body) : status_(status), body_(std::move(body)) {}
  sync::HttpResponse request(const std::string&, const std::string&, const std::string&,
                             const std::vector<std::pair<std::string, std::string>>&,
                             std::chrono::milliseconds) override {
    sync::HttpResponse r;
    r.status = status_;
    r.body = body_;
    return r;
  }

 private:
  long status_;
  std::string body_;
};

sync::ProvinceClient canned_client(long status, std::string body) {
  sync::Credential c;
  c.outlet_code = "340822001";
  c.key.assign(32, 0x5A);
  return sync::ProvinceClient(c, std::make_unique<CannedTransport>(status, std::move(body)),
                              [] { return std::int64_t{1231986725}; });
}
}  // namespace

// Found by tests/fuzz/fuzz_protocol (corpus seed-repro-*): these threw json::type_error.
TEST_CASE("an answer whose fields have the wrong JSON type is a value, not an exception", "[sync]") {
  const std::chrono::milliseconds timeout(1000);
  {
    auto client = canned_client(409, R"({"error":{"code":1,"message_zh":[],"message_en":null}})");
    const auto a = client.call("POST", "/sales", nullptr, timeout);
    CHECK(!a.ok());
    CHECK(a.code == "HTTP_409");
    CHECK(a.message_en.empty());
  }
  {
    auto client = canned_client(200, R"({"card":5,"state":"paid"})");
    CHECK(!client.card_subsidy_state("34080100000000010001", timeout));
  }
}
