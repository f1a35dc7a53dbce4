// `sync status --json` tells the truth about the upload (issue 16): whether a province server is
// set at all, and the last upload error with its time, besides every field it had before.
#include <catch2/catch.hpp>

#include "cli_harness.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

TEST_CASE("sync status on a terminal without a province server says configured false and keeps its fields",
          "[cli][sync]") {
  DemoOutlet outlet;
  REQUIRE(outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.00")).exit_code == 0);
  const auto r = outlet.run({"--json", "sync", "status"});
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  const auto j = r.json();
  CHECK(j.at("configured") == false);
  CHECK(j.at("server") == "");
  CHECK(j.at("pending") == 1);
  CHECK(j.at("last_error") == "");
  CHECK(j.at("last_error_at") == "");
  for (const char* field : {"overdue", "state", "oldest_sale_date", "oldest_age_days", "deadline", "rejected",
                            "open_tasks", "last_success_at"})
    CHECK(j.contains(field));
  const auto text = outlet.run({"sync", "status"});
  CHECK(contains(text.out, "尚未设置上传"));
}
