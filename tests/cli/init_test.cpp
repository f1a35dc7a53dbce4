// `huinong init`: never overwrites a terminal's database, and checks what it is given.
#include <catch2/catch.hpp>

#include "cli_harness.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {
std::vector<std::string> init_args(const std::string& county) {
  return {"init", "--outlet-code", "AH-XX-0002", "--outlet-name", "萧县第二网点", "--county", county,
          "--manager", "zhou", "--manager-name", "周店长"};
}
}  // namespace

TEST_CASE("init refuses an existing database and leaves it intact", "[cli][init]") {
  DemoOutlet outlet;
  const auto sold = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.00"));
  INFO(sold.describe());
  REQUIRE(sold.exit_code == 0);
  const auto db_before = read_file(outlet.db());
  const auto key_before = read_file(outlet.db() + ".key");
  REQUIRE(db_before);
  REQUIRE(key_before);

  const auto r = outlet.run(init_args(d::kCounty), {{"HUINONG_NEW_PIN", "135790"}});
  INFO(r.describe());
  CHECK(r.exit_code == 2);
  CHECK(has_cjk(r.err));
  CHECK(contains(r.err, outlet.db()));

  CHECK(read_file(outlet.db()) == db_before);
  CHECK(read_file(outlet.db() + ".key") == key_before);
  // Still the same terminal: its manager, its sale.
  const auto report = outlet.as_manager({"--json", "report", "daily", "--user", d::kManager, "--date", "2009-01-15"});
  INFO(report.describe());
  CHECK(report.exit_code == 0);
  CHECK(outlet.reader().count("sales") == 1);
  CHECK(outlet.reader().scalar("SELECT COUNT(*) FROM users WHERE login = 'zhou'") == 0);
}

TEST_CASE("init refuses a county code that is not six digits and creates nothing", "[cli][init]") {
  TempDir dir;
  Env env = base_env(dir.path());
  env["HUINONG_DB"] = dir.file("huinong.db");
  env["HUINONG_NEW_PIN"] = d::kManagerPin;
  for (const std::string county : {"12345", "1234567", "34132X"}) {
    INFO("county " << county);
    const auto r = run_huinong(init_args(county), env);
    INFO(r.describe());
    CHECK(r.exit_code == 2);
    CHECK(has_cjk(r.err));
    CHECK(contains(r.err, county));
    CHECK_FALSE(file_exists(dir.file("huinong.db")));
    CHECK_FALSE(file_exists(dir.file("huinong.db.key")));
  }
  // --json: the error as a JSON object.
  std::vector<std::string> args{"--json"};
  const auto more = init_args("12345");
  args.insert(args.end(), more.begin(), more.end());
  const auto j = run_huinong(args, env);
  INFO(j.describe());
  CHECK(j.exit_code == 2);
  CHECK(contains(error_of(j.json()).at("message_en").get<std::string>(), "12345"));
}
