// The huinong-sandbox command line: a stable contract for tests and trainers. Bad usage or bad
// input exits 2 with a Chinese and an English message.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

#include "harness.hpp"
#include "platform/database.hpp"
#include "store/migrations.hpp"

using namespace hn::test;

namespace {
int sandbox(const std::vector<std::string>& args, std::string* out = nullptr) {
  std::vector<std::string> argv = {sandbox_bin()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, {{"HUINONG_ASSETS_DIR", assets_dir()}}, out);
}

bool bilingual(const std::string& out) {
  return out.find("错误:") != std::string::npos && out.find("error: ") != std::string::npos;
}
}  // namespace

TEST_CASE("--help prints the commands, no command is a usage error", "[sandbox][cli]") {
  std::string out;
  CHECK(sandbox({"--help"}, &out) == 0);
  for (const char* cmd : {"serve", "outlet add", "catalog import", "cards issue", "claim", "report", "--listen"})
    CHECK(out.find(cmd) != std::string::npos);
  CHECK(sandbox({"serve", "--help"}) == 0);
  CHECK(sandbox({}) == 2);
  out.clear();
  CHECK(sandbox({"frobnicate", "--db", "x"}, &out) == 2);
  CHECK(bilingual(out));
  CHECK(out.find("frobnicate") != std::string::npos);
}

TEST_CASE("options are checked: missing, unknown, repeated, empty", "[sandbox][cli]") {
  TempDir dir;
  const std::string db = dir.file("p.db");
  std::string out;
  CHECK(sandbox({"report"}, &out) == 2);
  CHECK(bilingual(out));
  CHECK(out.find("--db") != std::string::npos);
  out.clear();
  CHECK(sandbox({"report", "--db", db, "--colour", "red"}, &out) == 2);
  CHECK(out.find("--colour") != std::string::npos);
  out.clear();
  CHECK(sandbox({"report", "--db", db, "--db", db}, &out) == 2);
  CHECK(out.find("twice") != std::string::npos);
  out.clear();
  CHECK(sandbox({"claim", "--db", db, "--card", "", "--state", "paid"}, &out) == 2);
  CHECK(bilingual(out));
  out.clear();
  CHECK(sandbox({"catalog", "import", "--db", db}, &out) == 2);
  CHECK(out.find("CATALOG.csv") != std::string::npos);
  out.clear();
  CHECK(sandbox({"report", "--db", db, "extra"}, &out) == 2);
  out.clear();
  CHECK(sandbox({"report", "--db", dir.file("no/such/dir/p.db")}, &out) == 2);
  CHECK(bilingual(out));
}

TEST_CASE("serve listens on loopback only unless --allow-remote", "[sandbox][cli]") {
  TempDir dir;
  const std::string db = dir.file("p.db");
  for (const char* addr : {"0.0.0.0:0", "192.168.1.10:8443", "[::]:0", "example.com:80"}) {
    std::string out;
    CHECK(sandbox({"serve", "--db", db, "--listen", addr}, &out) == 2);
    CHECK(bilingual(out));
    CHECK(out.find("--allow-remote") != std::string::npos);
  }
  for (const char* addr : {"127.0.0.1", "127.0.0.1:", ":8443", "127.0.0.1:70000", "127.0.0.1:http"}) {
    std::string out;
    CHECK(sandbox({"serve", "--db", db, "--listen", addr}, &out) == 2);
    CHECK(out.find("HOST:PORT") != std::string::npos);
  }
  std::string out;
  CHECK(sandbox({"serve", "--db", db, "--listen", "127.0.0.1:0", "--client-ca", "ca.crt"}, &out) == 2);
  CHECK(out.find("--client-ca") != std::string::npos);
  out.clear();
  CHECK(sandbox({"serve", "--db", db, "--listen", "127.0.0.1:0", "--tls-cert", "c.crt"}, &out) == 2);
  CHECK(out.find("--tls-key") != std::string::npos);
}

TEST_CASE("the database is created owner-only on first use, with the default policy", "[sandbox][cli]") {
  TempDir dir;
  const std::string db = dir.file("p.db");
  std::string out;
  REQUIRE(sandbox({"report", "--db", db, "--json"}, &out) == 0);
  const auto j = nlohmann::json::parse(out);
  CHECK(j["policy"] == "2008-12");  // POLICY.md: the Dec 2008 phase is the default
  CHECK(j["outlets"].empty());
  struct stat st {};
  REQUIRE(::stat(db.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

namespace {
// The tables of a database file, read without writing to it.
std::vector<std::string> tables_of(const std::string& path) {
  auto db = hn::platform::Database::open_immutable(path);
  auto st = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  std::vector<std::string> names;
  while (st.step()) names.push_back(st.text(0));
  return names;
}
}  // namespace

TEST_CASE("the sandbox's file holds the province's tables, not the terminal's", "[sandbox][cli]") {
  TempDir dir;
  const std::string db = dir.file("p.db");
  REQUIRE(sandbox({"report", "--db", db}) == 0);
  const auto tables = tables_of(db);
  REQUIRE_FALSE(tables.empty());
  for (const auto& t : tables) CHECK(t.rfind("prov_", 0) == 0);
}

TEST_CASE("a sandbox file that also holds the terminal's tables keeps opening", "[sandbox][cli]") {
  // What the sandbox made while it opened its file with the terminal's migrations too.
  TempDir dir;
  const std::string db = dir.file("p.db");
  hn::platform::Database::open(db, true, hn::store::terminal_migrations());
  REQUIRE(sandbox({"report", "--db", db}) == 0);
  REQUIRE(sandbox({"outlet", "add", "--db", db, "--code", "AH-1", "--name", "n", "--county", "341322",
                   "--out", dir.file("cred")}) == 0);
  std::string out;
  REQUIRE(sandbox({"report", "--db", db, "--json"}, &out) == 0);
  CHECK(nlohmann::json::parse(out)["outlets"].size() == 1);
  const auto tables = tables_of(db);
  CHECK(std::count(tables.begin(), tables.end(), "sales") == 1);  // left as it was
  CHECK(std::count(tables.begin(), tables.end(), "prov_outlets") == 1);
}

TEST_CASE("outlet add validates its input and never overwrites a credential", "[sandbox][cli]") {
  TempDir dir;
  const std::string db = dir.file("p.db");
  std::string out;
  CHECK(sandbox({"outlet", "add", "--db", db, "--code", "AH XX", "--name", "n", "--county", "341322", "--out",
                 dir.file("c0")},
                &out) == 2);
  CHECK(bilingual(out));
  out.clear();
  CHECK(sandbox({"outlet", "add", "--db", db, "--code", "AH-1", "--name", "n", "--county", "34132", "--out",
                 dir.file("c0")},
                &out) == 2);
  CHECK(out.find("county") != std::string::npos);
  REQUIRE(sandbox({"outlet", "add", "--db", db, "--code", "AH-1", "--name", "网点一", "--county", "341322",
                   "--out", dir.file("c1")}) == 0);
  out.clear();
  CHECK(sandbox({"outlet", "add", "--db", db, "--code", "AH-1", "--name", "again", "--county", "341322", "--out",
                 dir.file("c2")},
                &out) == 2);
  CHECK(out.find("already registered") != std::string::npos);
  out.clear();
  CHECK(sandbox({"outlet", "add", "--db", db, "--code", "AH-2", "--name", "n", "--county", "341322", "--out",
                 dir.file("c1")},
                &out) == 2);
  CHECK(out.find("not overwritten") != std::string::npos);
  // The refused outlet was not registered either.
  out.clear();
  REQUIRE(sandbox({"report", "--db", db, "--json"}, &out) == 0);
  CHECK(nlohmann::json::parse(out)["outlets"].size() == 1);
}

TEST_CASE("catalog and card files are taken whole or not at all", "[sandbox][cli]") {
  TempDir dir;
  const std::string db = dir.file("p.db");
  std::string out;
  {
    std::ofstream(dir.file("bad.csv")) << "model_code,category,brand,name,spec,max_price,valid_from,valid_to\n"
                                          "OK-1,tv,b,n,s,1000.00,2008-12-01,\n"
                                          "BAD-2,tv,b,n,s,abc,2008-12-01,\n";
  }
  CHECK(sandbox({"catalog", "import", "--db", db, dir.file("bad.csv")}, &out) == 2);
  CHECK(bilingual(out));
  CHECK(out.find("row 3") != std::string::npos);
  out.clear();
  CHECK(sandbox({"catalog", "import", "--db", db, dir.file("missing.csv")}, &out) == 2);
  CHECK(out.find("missing.csv") != std::string::npos);
  REQUIRE(sandbox({"catalog", "import", "--db", db, assets_dir() + "/demo/catalog.csv"}) == 0);
  REQUIRE(sandbox({"outlet", "add", "--db", db, "--code", "AH-1", "--name", "n", "--county", "341322", "--out",
                   dir.file("c1")}) == 0);
  out.clear();
  CHECK(sandbox({"cards", "issue", "--db", db, assets_dir() + "/demo/cards.csv", "--outlet", "AH-9"}, &out) == 2);
  CHECK(out.find("AH-9") != std::string::npos);
  {
    std::ofstream(dir.file("cards.csv")) << "card_no,serial_no,model_code\nC1,S1,HISENSE-TLM26V68\nC2,S2,NO-SUCH-MODEL\n";
  }
  out.clear();
  CHECK(sandbox({"cards", "issue", "--db", db, dir.file("cards.csv"), "--outlet", "AH-1"}, &out) == 2);
  CHECK(out.find("NO-SUCH-MODEL") != std::string::npos);
  REQUIRE(sandbox({"cards", "issue", "--db", db, assets_dir() + "/demo/cards.csv", "--outlet", "AH-1"}) == 0);
  out.clear();
  // A card number is unique province-wide.
  CHECK(sandbox({"cards", "issue", "--db", db, assets_dir() + "/demo/cards.csv", "--outlet", "AH-1"}, &out) == 2);
  CHECK(out.find("already issued") != std::string::npos);
  out.clear();
  CHECK(sandbox({"policy", "use", "--db", db, dir.file("bad.csv")}, &out) == 2);
  CHECK(bilingual(out));
  out.clear();
  REQUIRE(sandbox({"catalog", "import", "--db", db, "--policy", assets_dir() + "/policy/2010-06.ini",
                   assets_dir() + "/demo/catalog.csv", "--json"},
                  &out) == 0);
  CHECK(nlohmann::json::parse(out)["policy"] == "2010-06");
}
