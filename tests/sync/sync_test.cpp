// Uploading to the provincial system: the real sandbox process on loopback, real terminal
// databases, a fault-injecting proxy between them, nginx with client certificates in front.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "app/province_link.hpp"
#include "app/store_access.hpp"
#include "fault_proxy.hpp"
#include "loopback.hpp"
#include "province_harness.hpp"
#include "tls_harness.hpp"
#include "sync/client/sync_service.hpp"

using namespace hn;
using namespace hn::test;

namespace {





// `huinong --db DB --json ARGS...`: its exit code, its standard output in `out`.
int huinong(const std::string& db, const std::vector<std::string>& args, const Env& env, std::string& out) {
  return run_cli_json(db, args, env, out);
}

int report_rejected(const nlohmann::json& report, const std::string& outlet, const std::string& code) {
  for (const auto& o : report["outlets"])
    if (o["code"] == outlet && o["rejected"].contains(code)) return o["rejected"][code].get<int>();
  return 0;
}
}  // namespace

TEST_CASE("10,000 sales made offline reach the province exactly once through a faulty network",
          "[sync][faults]") {
  TempDir dir;
  // The issue asks for 10,000; HUINONG_SYNC_SALES makes a quicker run while debugging.
  const int n = std::getenv("HUINONG_SYNC_SALES") ? std::atoi(std::getenv("HUINONG_SYNC_SALES")) : 10000;
  Province province(dir.path());
  const auto cred = province.add_outlet("AH-XX-0001", 1, n, dir.file("cards.csv"));
  TestTerminal a(dir.file("a.db"), "AH-XX-0001", dir.file("cards.csv"));
  // Offline: the province is not running; every sale is made on local history.
  for (int i = 1; i <= n; ++i) REQUIRE(a.sell_tv(tv_card(i), "H" + std::to_string(i)));
  REQUIRE(hn::app::store_of(*a.t).reports().pending_uploads() == n);

  province.serve();
  FaultProxy proxy(province.port(), 35, 20261127);
  const auto credential = sync::load_credential(cred);
  auto client = sync::ProvinceClient::connect("http://127.0.0.1:" + std::to_string(proxy.port()), credential);
  sync::SyncService service(hn::app::store_of(*a.t), *client, unix_ms, fast_retries());
  const auto counts = service.drain(std::chrono::minutes(5));

  const auto faults = proxy.counts();
  std::string seen;
  for (const auto& [fault, times] : faults) seen += std::string(fault_name(fault)) + " " + std::to_string(times) + "; ";
  {
    auto st = hn::app::store_of(*a.t).db().prepare(
        "SELECT last_error, COUNT(*) FROM outbox WHERE state = 'pending' GROUP BY last_error");
    while (st.step()) seen += "pending " + std::to_string(st.integer(1)) + ": " + st.text(0) + "; ";
  }
  INFO(seen);
  CHECK(faults.at(Fault::CutResponse) > 0);  // answers lost after the province committed
  CHECK(faults.at(Fault::Reset) > 0);
  CHECK(faults.at(Fault::Error500) > 0);
  CHECK(counts.failures > 0);
  CHECK(counts.pending == 0);
  CHECK(counts.rejected == 0);
  CHECK(counts.accepted + counts.duplicate == n);
  CHECK(counts.duplicate > 0);  // the lost answers came back as duplicates: success, not twice
  CHECK(hn::app::store_of(*a.t).reports().pending_uploads() == 0);
  const auto report = province.report();
  CHECK(report_count(report, "AH-XX-0001", "accepted") == n);
  CHECK(query(province.db(), "SELECT COUNT(*) FROM prov_sales WHERE status = 'accepted'") == n);
  CHECK(query(province.db(), "SELECT COUNT(DISTINCT uuid) FROM prov_sales") == n);
  CHECK(query(province.db(), "SELECT COUNT(*) FROM prov_sale_items") == n);  // no sale twice
}

TEST_CASE("two outlets selling a TV to the same household offline: the province keeps one, the other "
          "becomes a task", "[sync]") {
  TempDir dir;
  Province province(dir.path());
  const auto cred_a = province.add_outlet("AH-XX-0001", 1, 5, dir.file("a.csv"));
  const auto cred_b = province.add_outlet("AH-XX-0002", 101, 5, dir.file("b.csv"));
  TestTerminal a(dir.file("a.db"), "AH-XX-0001", dir.file("a.csv"));
  TestTerminal b(dir.file("b.db"), "AH-XX-0002", dir.file("b.csv"));
  REQUIRE(a.sell_tv(tv_card(1), "3413220012"));
  REQUIRE(b.sell_tv(tv_card(101), "3413220012"));  // POLICY R5: offline, B cannot know
  province.serve();
  auto client_a = sync::ProvinceClient::connect(province.url(), sync::load_credential(cred_a));
  auto client_b = sync::ProvinceClient::connect(province.url(), sync::load_credential(cred_b));
  const auto ca = sync::SyncService(hn::app::store_of(*a.t), *client_a, unix_ms, fast_retries()).pass();
  const auto cb = sync::SyncService(hn::app::store_of(*b.t), *client_b, unix_ms, fast_retries()).pass();
  CHECK(ca.accepted == 1);
  CHECK(cb.rejected == 1);
  const auto tasks = hn::app::store_of(*b.t).tasks().list("open");
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0].code == "HOUSEHOLD_LIMIT");
  CHECK(tasks[0].sale_id > 0);
  CHECK(report_rejected(province.report(), "AH-XX-0002", "HOUSEHOLD_LIMIT") == 1);
  // Rejected is final: the next pass does not send it again.
  CHECK(sync::SyncService(hn::app::store_of(*b.t), *client_b, unix_ms, fast_retries()).pass().sent == 0);
}

TEST_CASE("the manager settles a rejected sale: unsubsidised, or cancelled with its invoice void",
          "[sync][tasks]") {
  TempDir dir;
  Province province(dir.path());
  const auto cred_a = province.add_outlet("AH-XX-0001", 1, 5, dir.file("a.csv"));
  const auto cred_b = province.add_outlet("AH-XX-0002", 101, 5, dir.file("b.csv"));
  TestTerminal a(dir.file("a.db"), "AH-XX-0001", dir.file("a.csv"));
  TestTerminal b(dir.file("b.db"), "AH-XX-0002", dir.file("b.csv"));
  // Two households each buy a TV at both outlets while both are offline.
  for (const auto* household : {"3413220012", "3413220013"}) {
    REQUIRE(a.sell_tv(tv_card(household[9] == '2' ? 1 : 2), household));
    REQUIRE(b.sell_tv(tv_card(household[9] == '2' ? 101 : 102), household));
  }
  province.serve();
  auto client_a = sync::ProvinceClient::connect(province.url(), sync::load_credential(cred_a));
  auto client_b = sync::ProvinceClient::connect(province.url(), sync::load_credential(cred_b));
  REQUIRE(sync::SyncService(hn::app::store_of(*a.t), *client_a, unix_ms, fast_retries()).pass().accepted == 2);
  REQUIRE(sync::SyncService(hn::app::store_of(*b.t), *client_b, unix_ms, fast_retries()).pass().rejected == 2);
  const std::string db = dir.file("b.db");
  const Env manager = {{"HUINONG_PIN", "1234"}}, clerk = {{"HUINONG_PIN", "5678"}};
  std::string out;
  REQUIRE(huinong(db, {"tasks", "list", "--user", "wang"}, manager, out) == 0);
  const auto tasks = nlohmann::json::parse(out)["tasks"];
  REQUIRE(tasks.size() == 2);
  const std::string first = std::to_string(tasks[0]["id"].get<int>());
  const std::string second = std::to_string(tasks[1]["id"].get<int>());
  REQUIRE(huinong(db, {"sync", "status"}, {}, out) == 0);
  CHECK(nlohmann::json::parse(out)["pending"] == 2);  // unsettled, they still wait
  // While unsettled the rejected sale still holds the household's TV here.
  CHECK(hn::app::store_of(*b.t).households().history("3413220012").held.count(Category::Tv) == 1);

  // Refusals first: each says what is wrong, and settles nothing.
  CHECK(huinong(db, {"tasks", "resolve", "--user", "li", "--task", first, "--action", "cancel", "--reason", "x"},
                clerk, out) == 4);  // a clerk may not
  CHECK(huinong(db, {"tasks", "resolve", "--user", "wang", "--task", first, "--action", "refund", "--reason", "x"},
                manager, out) == 2);
  CHECK(out.find("BAD_ACTION") != std::string::npos);
  CHECK(huinong(db, {"tasks", "resolve", "--user", "wang", "--task", first, "--action", "cancel", "--reason", " "},
                manager, out) == 2);
  CHECK(out.find("REASON_REQUIRED") != std::string::npos);
  CHECK(huinong(db, {"tasks", "resolve", "--user", "wang", "--task", "999", "--action", "cancel", "--reason", "x"},
                manager, out) == 2);
  CHECK(out.find("TASK_NOT_FOUND") != std::string::npos);
  CHECK(hn::app::store_of(*b.t).tasks().list("open").size() == 2);

  // Unsubsidised: the sale stands at its price, the reprinted invoice says no subsidy.
  REQUIRE(huinong(db, {"tasks", "resolve", "--user", "wang", "--task", first, "--action", "unsubsidised",
                       "--reason", "买方已在他店享受补贴,同意按原价购买", "--invoice-out", dir.file("first.txt")},
                  manager, out) == 0);
  auto r = nlohmann::json::parse(out);
  CHECK(r["resolution"] == "unsubsidised");
  CHECK(r["subsidy"] == "0.00");
  CHECK(r["total"] == "1999.00");
  const std::string invoice = read_text(dir.file("first.txt"));
  CHECK(invoice.find("不享受补贴 NOT SUBSIDISED") != std::string::npos);
  CHECK(invoice.find("259.87") == std::string::npos);  // 13% of 1999.00 is nowhere on it
  CHECK(hn::app::store_of(*b.t).households().history("3413220012").held.count(Category::Tv) == 0);
  CHECK(huinong(db, {"tasks", "resolve", "--user", "wang", "--task", first, "--action", "cancel", "--reason", "x"},
                manager, out) == 3);
  CHECK(out.find("TASK_ALREADY_RESOLVED") != std::string::npos);

  // Cancelled: the invoice is void, the card taken back, nothing left to return.
  REQUIRE(huinong(db, {"tasks", "resolve", "--user", "wang", "--task", second, "--action", "cancel",
                       "--reason", "买方退回商品"},
                  manager, out) == 0);
  r = nlohmann::json::parse(out);
  CHECK(r["resolution"] == "cancelled");
  const std::string voided = r["invoice_no"];
  CHECK(query(db, "SELECT COUNT(*) FROM label_cards WHERE card_no = '" + tv_card(102) + "' AND state = 'returned'") ==
        1);
  CHECK(huinong(db, {"return", "--user", "li", "--approver", "wang", "--invoice", voided, "--card", tv_card(102)},
                {{"HUINONG_PIN", "5678"}, {"HUINONG_APPROVER_PIN", "1234"}}, out) == 3);
  CHECK(out.find("SALE_CANCELLED") != std::string::npos);
  // The copy printed afterwards on A4 says so, read back as a person would (poppler).
  REQUIRE(huinong(db, {"reprint", "--user", "li", "--invoice", voided, "--printer", "pdf:" + dir.file("void.pdf")},
                  clerk, out) == 0);
  std::string pdf_text;
  REQUIRE(run({"/usr/bin/pdftotext", "-enc", "UTF-8", dir.file("void.pdf"), "-"}, {}, &pdf_text) == 0);
  CHECK(pdf_text.find("已作废 VOID") != std::string::npos);

  // Settled, nothing waits any more; the journal records both decisions with their reasons.
  REQUIRE(huinong(db, {"sync", "status"}, {}, out) == 0);
  CHECK(nlohmann::json::parse(out)["pending"] == 0);
  CHECK(nlohmann::json::parse(out)["open_tasks"] == 0);
  CHECK(query(db, "SELECT COUNT(*) FROM journal WHERE kind = 'task_resolved' AND body LIKE '%买方%'") == 2);
}

TEST_CASE("at checkout the province's answer counts the other outlets, and unanswered the sale is "
          "provisional", "[sync][quota]") {
  TempDir dir;
  Province province(dir.path());
  const auto cred_a = province.add_outlet("AH-XX-0001", 1, 5, dir.file("a.csv"));
  const auto cred_b = province.add_outlet("AH-XX-0002", 101, 5, dir.file("b.csv"));
  TestTerminal a(dir.file("a.db"), "AH-XX-0001", dir.file("a.csv"));
  TestTerminal b(dir.file("b.db"), "AH-XX-0002", dir.file("b.csv"));
  province.serve();
  auto client_a = sync::ProvinceClient::connect(province.url(), sync::load_credential(cred_a));
  REQUIRE(a.sell_tv(tv_card(1), "3413220012"));
  REQUIRE(sync::SyncService(hn::app::store_of(*a.t), *client_a, unix_ms, fast_retries()).pass().accepted == 1);

  auto client_b = sync::ProvinceClient::connect(province.url(), sync::load_credential(cred_b));
  app::ask_province_at_checkout(*b.t, *client_b);
  Cart cart;
  cart.buyer = {"李四", "341322197512124513", "3413220012", Hukou::Agricultural, std::nullopt};
  cart.items.push_back({tv_card(101), "", 199900});
  const auto refused = b.t->checkout(b.clerk, cart);
  REQUIRE(refused.ok());
  CHECK_FALSE(refused->sale);
  REQUIRE_FALSE(refused->check.findings.empty());
  CHECK(refused->check.findings[0].code == FindingCode::HouseholdLimit);  // POLICY R5 province-wide

  province.stop();  // the network drops
  cart.buyer.household = "3413220099";
  const auto started = std::chrono::steady_clock::now();
  const auto offline = b.t->checkout(b.clerk, cart);
  const auto waited = std::chrono::steady_clock::now() - started;
  REQUIRE(offline->sale);
  CHECK(offline->provisional);
  CHECK(waited < std::chrono::milliseconds(2500));  // the clerk is never held long
  CHECK(query(dir.file("b.db"), "SELECT provisional FROM sales") == 1);
}

TEST_CASE("the huinong CLI sets up uploading, uploads and reports its status", "[sync][cli]") {
  TempDir dir;
  Province province(dir.path());
  const auto cred = province.add_outlet("AH-XX-0001", 1, 3, dir.file("a.csv"));
  { TestTerminal a(dir.file("a.db"), "AH-XX-0001", dir.file("a.csv")); REQUIRE(a.sell_tv(tv_card(1), "H1")); }
  province.serve();
  auto cli = [&](const std::vector<std::string>& args, const Env& env, std::string& out) {
    return run_cli_json(dir.file("a.db"), args, env, out);
  };
  std::string out;
  CHECK(cli({"sync", "setup", "--user", "wang", "--server", province.url(), "--credential", cred},
            {{"HUINONG_PIN", "1234"}}, out) == 0);
  CHECK(cli({"sync", "setup", "--user", "li", "--server", province.url(), "--credential", cred},
            {{"HUINONG_PIN", "5678"}}, out) == 4);  // a clerk may not
  REQUIRE(cli({"sync", "status"}, {}, out) == 0);
  auto status = nlohmann::json::parse(out);
  CHECK(status["pending"] == 1);
  CHECK(status["configured"] == true);
  REQUIRE(cli({"sync", "--user", "li", "--once"}, {{"HUINONG_PIN", "5678"}}, out) == 0);
  const auto result = nlohmann::json::parse(out);
  CHECK(result["accepted"] == 1);
  CHECK(result["pending"] == 0);
  REQUIRE(cli({"sync", "status"}, {}, out) == 0);
  CHECK(nlohmann::json::parse(out)["pending"] == 0);
}

TEST_CASE("uploads go through nginx with the outlet's client certificate and are refused without it",
          "[sync][tls]") {
  TempDir dir;
  Province province(dir.path());
  const auto cred = province.add_outlet("AH-XX-0001", 1, 3, dir.file("a.csv"));
  TestTerminal a(dir.file("a.db"), "AH-XX-0001", dir.file("a.csv"));
  REQUIRE(a.sell_tv(tv_card(1), "H1"));
  REQUIRE(a.sell_tv(tv_card(2), "H2"));
  province.serve();

  // Certificates made here with the openssl CLI: a CA, the server (127.0.0.1), the outlet.
  const std::string d = dir.path() + "/";
  make_certificates(d);
  const int port = closed_port();
  Child server = start_nginx(d, port, province.port());

  const std::string url = "https://127.0.0.1:" + std::to_string(port);
  auto credential = sync::load_credential(cred);
  // Without the client certificate: refused, and nothing is lost.
  credential.ca_cert = d + "ca.crt";
  {
    auto bare = sync::ProvinceClient::connect(url, credential);
    const auto c = sync::SyncService(hn::app::store_of(*a.t), *bare, unix_ms, fast_retries()).pass();
    CHECK(c.accepted == 0);
    CHECK(c.failures == 1);
    CHECK(hn::app::store_of(*a.t).reports().pending_uploads() == 2);
  }
  hn::app::store_of(*a.t).db().exec("UPDATE outbox SET next_attempt_at = 0");
  credential.client_cert = d + "client.crt";
  credential.client_key = d + "client.key";
  auto with_cert = sync::ProvinceClient::connect(url, credential);
  const auto c = sync::SyncService(hn::app::store_of(*a.t), *with_cert, unix_ms, fast_retries()).pass();
  CHECK(c.accepted == 2);
  CHECK(hn::app::store_of(*a.t).reports().pending_uploads() == 0);
}
