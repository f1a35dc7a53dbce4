// The auditor's export and its offline verification (audit issue): a sound file verifies with
// exit 0; each kind of tampering fails with exit 5 and its own message.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"
#include "store/journal.hpp"
#include "platform/signing.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;
using nlohmann::json;

namespace {
std::string at(const char* card, const char* price) { return std::string(card) + "=" + price; }

// Two sales, a return, a closing and an auditor: then the auditor's export.
struct Audited {
  DemoOutlet outlet;
  std::string file = outlet.file("audit.json");
  json bundle;

  Audited() {
    REQUIRE(outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(at(d::kTv1, "1999.00"))).exit_code == 0);
    REQUIRE(outlet.sell(sale_to("李四", d::kIdLi, d::kHouseholdB).item(at(d::kTv2, "1899.00"))).exit_code == 0);
    REQUIRE(outlet.return_item("00000002", d::kTv2).exit_code == 0);
    const auto closed = outlet.as_manager({"close", "day", "--user", d::kManager, "--json"});
    INFO(closed.describe());
    REQUIRE(closed.exit_code == 0);
    CHECK(closed.json()["sales_total"] == "3898.00");
    CHECK(closed.json()["net_total"] == "1999.00");
    REQUIRE(outlet.run({"user", "add", "--user", d::kManager, "--login", "zhou", "--name", "周审计", "--role", "auditor"},
                       {{"HUINONG_PIN", d::kManagerPin}, {"HUINONG_NEW_PIN", "246810"}})
                .exit_code == 0);
    const auto exported =
        outlet.run({"audit", "export", "--user", "zhou", "--out", file, "--json"}, {{"HUINONG_PIN", "246810"}});
    INFO(exported.describe());
    REQUIRE(exported.exit_code == 0);
    bundle = json::parse(*read_file(file));
  }
  // Verifies `b` written to a file of its own: the result.
  RunResult verify(const json& b, const std::string& name) const {
    write_file(outlet.file(name), b.dump(1));
    return run_huinong({"audit", "verify", outlet.file(name), "--json"}, {});
  }
  static bool has(const RunResult& r, const std::string& code) {
    const json out = r.json();
    for (const auto& p : out["problems"])
      if (p["code"] == code) return true;
    return false;
  }
};
}  // namespace

TEST_CASE("an auditor's export verifies anywhere, without the database", "[cli][audit]") {
  Audited a;
  CHECK(file_mode(a.file) == 0600);  // it holds buyers' ID numbers
  CHECK(a.bundle["contains_personal_data"] == true);
  CHECK(a.bundle.dump().find(d::kIdZhang) != std::string::npos);  // in full: it is the auditor's copy
  // Run somewhere else: no HUINONG_DB, no database beside it.
  const auto r = run_huinong({"audit", "verify", a.file, "--json"}, {});
  INFO(r.describe());
  CHECK(r.exit_code == 0);
  CHECK(r.json()["status"] == "verified");
  CHECK(r.json()["closings"] == 1);
  CHECK(r.json()["invoices"] == 2);
  CHECK(r.json()["returns"] == 1);
  // Its key is the terminal's, as the province holds it.
  const std::string key = a.bundle["header"]["public_key"];
  CHECK(run_huinong({"audit", "verify", a.file, "--public-key", key}, {}).exit_code == 0);
  const auto other = run_huinong({"audit", "verify", a.file, "--public-key", std::string(64, 'a'), "--json"}, {});
  CHECK(other.exit_code == 5);
  CHECK(Audited::has(other, "KEY_MISMATCH"));
  // The export is journaled, and the export holds that record of itself.
  bool recorded = false;
  for (const auto& e : a.bundle["journal"]) recorded = recorded || e["kind"] == "audit_export";
  CHECK(recorded);
}

TEST_CASE("tampered exports fail verification, each with its own message", "[cli][audit]") {
  Audited a;
  auto& journal = a.bundle["journal"];
  REQUIRE(journal.size() > 6);

  SECTION("a flipped byte in an event") {
    json b = a.bundle;
    // The first event from the fourth on whose body holds a digit.
    std::size_t at = 3;
    while (at < b["journal"].size() && b["journal"][at]["body"].get<std::string>().find_first_of("0123456789") ==
                                           std::string::npos)
      ++at;
    REQUIRE(at < b["journal"].size());
    std::string body = b["journal"][at]["body"];
    const auto digit = body.find_first_of("0123456789");
    body[digit] = body[digit] == '9' ? '8' : static_cast<char>(body[digit] + 1);
    b["journal"][at]["body"] = body;
    const auto r = a.verify(b, "flipped.json");
    INFO(r.describe());
    CHECK(r.exit_code == 5);
    CHECK(Audited::has(r, "JOURNAL_ALTERED"));
    CHECK(r.out.find("journal event " + std::to_string(at + 1)) != std::string::npos);
  }
  SECTION("a deleted event") {
    json b = a.bundle;
    b["journal"].erase(b["journal"].begin() + 4);
    const auto r = a.verify(b, "deleted.json");
    INFO(r.describe());
    CHECK(r.exit_code == 5);
    CHECK(Audited::has(r, "JOURNAL_GAP"));
    CHECK(r.out.find("event 5 of the journal is missing") != std::string::npos);
  }
  SECTION("two events swapped") {
    json b = a.bundle;
    std::swap(b["journal"][2], b["journal"][3]);
    const auto r = a.verify(b, "swapped.json");
    INFO(r.describe());
    CHECK(r.exit_code == 5);
    CHECK(Audited::has(r, "JOURNAL_ORDER"));
    CHECK_FALSE(Audited::has(r, "JOURNAL_GAP"));
  }
  SECTION("a truncated file") {
    const std::string text = *read_file(a.file);
    write_file(a.outlet.file("cut.json"), text.substr(0, text.size() * 2 / 3));
    const auto r = run_huinong({"audit", "verify", a.outlet.file("cut.json"), "--json"}, {});
    INFO(r.describe());
    CHECK(r.exit_code == 5);
    CHECK(Audited::has(r, "BUNDLE_UNREADABLE"));
  }
  SECTION("the journal's tail cut off, the file still well formed") {
    json b = a.bundle;
    b["journal"].erase(b["journal"].end() - 2, b["journal"].end());
    const auto r = a.verify(b, "tail.json");
    INFO(r.describe());
    CHECK(r.exit_code == 5);
    CHECK(Audited::has(r, "JOURNAL_TRUNCATED"));
  }
  SECTION("re-signed with another key") {
    TempDir keys;  // the forger's own key, signing the file as if it were the terminal's
    const auto forger = hn::platform::SigningKey::create(keys.file("forger.sign"));
    json b = a.bundle;
    b.erase("signature");
    b["header"]["public_key"] = forger.public_hex();
    b["signature"] = forger.sign(hn::store::canonical_json(b));
    const auto r = a.verify(b, "resigned.json");
    INFO(r.describe());
    CHECK(r.exit_code == 5);
    CHECK(Audited::has(r, "KEY_MISMATCH"));
    CHECK(r.out.find("re-signed with another key") != std::string::npos);
  }
  SECTION("an altered closing total, even re-signed with the terminal's own key") {
    // The worst case: someone holding the terminal's key rewrites the closing. The totals no
    // longer add up to the journal's events.
    const auto key = hn::platform::SigningKey::load(a.outlet.db() + ".sign");
    json b = a.bundle;
    json body = json::parse(b["closings"][0]["body"].get<std::string>());
    body["sales_total"] = body["sales_total"].get<std::int64_t>() - 10000;
    body["net_total"] = body["net_total"].get<std::int64_t>() - 10000;
    body["grand_total"] = body["grand_total"].get<std::int64_t>() - 10000;
    b["closings"][0]["body"] = hn::store::canonical_json(body);
    b["closings"][0]["signature"] = key.sign(b["closings"][0]["body"].get<std::string>());
    b.erase("signature");
    b["signature"] = key.sign(hn::store::canonical_json(b));
    const auto r = a.verify(b, "closing.json");
    INFO(r.describe());
    CHECK(r.exit_code == 5);
    CHECK(Audited::has(r, "CLOSING_TOTALS"));
    CHECK_FALSE(Audited::has(r, "BUNDLE_SIGNATURE"));
    CHECK_FALSE(Audited::has(r, "CLOSING_SIGNATURE"));
  }
  SECTION("an altered closing total without the key") {
    json b = a.bundle;
    json body = json::parse(b["closings"][0]["body"].get<std::string>());
    body["sales_total"] = 1;
    b["closings"][0]["body"] = hn::store::canonical_json(body);
    const auto r = a.verify(b, "closing2.json");
    CHECK(r.exit_code == 5);
    CHECK(Audited::has(r, "CLOSING_SIGNATURE"));
  }
}

TEST_CASE("closings are once a day, by a manager, and never for a day to come", "[cli][audit]") {
  DemoOutlet outlet;
  REQUIRE(outlet.as_manager({"close", "day", "--user", d::kManager}).exit_code == 0);
  const auto again = outlet.as_manager({"close", "day", "--user", d::kManager, "--json"});
  CHECK(again.exit_code == 3);
  CHECK(again.out.find("DAY_ALREADY_CLOSED") != std::string::npos);
  CHECK(outlet.as_clerk({"close", "day", "--user", d::kClerk}).exit_code == 4);
  CHECK(outlet.as_manager({"close", "day", "--user", d::kManager, "--date", "2099-01-01"}).exit_code == 2);
  CHECK(outlet.as_manager({"close", "day", "--user", d::kManager, "--date", "yesterday"}).exit_code == 2);
  CHECK(run_huinong({"audit", "verify", outlet.file("nothing.json")}, {}).exit_code == 2);
  // The database keeps the closing as signed.
  CHECK(outlet.reader().count("closings") == 1);
}
