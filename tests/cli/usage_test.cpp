// Bad usage: exit 2 with a message in Chinese and English, on stderr, or with --json as a JSON
// error object on stdout (DESIGN.md "The `huinong` CLI").
#include <catch2/catch.hpp>

#include "cli_harness.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {
struct BadCall {
  const char* what;
  std::vector<std::string> args;  // without --json
  std::string named;              // what both messages must name
};

std::vector<std::string> sale_args(std::vector<std::string> more) {
  std::vector<std::string> a{"sale", "--user", d::kClerk, "--buyer-name", "张三", "--buyer-id", d::kIdZhang};
  a.insert(a.end(), more.begin(), more.end());
  return a;
}

// Runs `call` twice, as text and as --json, and checks both forms of the bad-usage answer.
void check_bad_usage(const DemoOutlet& outlet, const BadCall& call) {
  INFO("call: " << call.what);
  const auto text = outlet.as_clerk(call.args);
  {
    INFO(text.describe());
    CHECK(text.exit_code == 2);
    CHECK(text.out.empty());
    CHECK(has_cjk(text.err));
    CHECK(contains(text.err, call.named));
    // The English line: some plain words besides the code.
    bool english = false;
    for (const auto& l : lines_of(text.err)) english = english || (!has_cjk(l) && contains(l, call.named));
    CHECK(english);
  }
  std::vector<std::string> with_json{"--json"};
  with_json.insert(with_json.end(), call.args.begin(), call.args.end());
  const auto json = outlet.as_clerk(with_json);
  INFO(json.describe());
  CHECK(json.exit_code == 2);
  const auto j = json.json();
  const auto& e = error_of(j);
  REQUIRE(e.contains("code"));
  CHECK_FALSE(e.at("code").get<std::string>().empty());
  const std::string zh = e.at("message_zh"), en = e.at("message_en");
  CHECK(has_cjk(zh));
  CHECK_FALSE(has_cjk(en));
  CHECK(contains(zh, call.named));
  CHECK(contains(en, call.named));
}
}  // namespace

TEST_CASE("unknown commands, unknown options and missing options are bad usage in both languages", "[cli][usage]") {
  DemoOutlet outlet;
  const std::vector<BadCall> calls{
      {"unknown command", {"frobnicate"}, "frobnicate"},
      {"unknown subcommand", {"report", "weekly", "--user", d::kClerk}, "weekly"},
      {"unknown option", sale_args({"--household", d::kHouseholdA, "--item", std::string(d::kTv1) + "=1999.00", "--colour", "red"}),
       "--colour"},
      {"missing --household", sale_args({"--item", std::string(d::kTv1) + "=1999.00"}), "--household"},
      {"missing --item", sale_args({"--household", d::kHouseholdA}), "--item"},
      {"missing --card on return", {"return", "--user", d::kClerk, "--approver", d::kManager, "--invoice", "00000001"}, "--card"},
      {"option without its value", {"report", "daily", "--user", d::kClerk, "--date"}, "--date"},
  };
  for (const auto& call : calls) check_bad_usage(outlet, call);
  CHECK(outlet.reader().count("sales") == 0);
}

TEST_CASE("a malformed --item is bad usage naming the item", "[cli][usage][sale]") {
  DemoOutlet outlet;
  const std::string card = d::kTv1;
  const std::vector<std::string> items{"X", card + "=abc", card + "=-5", card + "=1.234", card + "=", "=1999.00", card + ":=1999.00"};
  for (const auto& item : items) {
    check_bad_usage(outlet, {"malformed item", sale_args({"--household", d::kHouseholdA, "--item", item}), item});
  }
  CHECK(outlet.reader().count("sales") == 0);
}

TEST_CASE("a bad --hukou, --format or --date is bad usage", "[cli][usage]") {
  DemoOutlet outlet;
  check_bad_usage(outlet, {"bad hukou",
                           sale_args({"--household", d::kHouseholdA, "--item", std::string(d::kTv1) + "=1999.00",
                                      "--hukou", "farmer"}),
                           "--hukou"});
  check_bad_usage(outlet, {"impossible date", {"report", "daily", "--user", d::kClerk, "--date", "2009-02-30"}, "2009-02-30"});
  check_bad_usage(outlet, {"date with slashes", {"report", "daily", "--user", d::kClerk, "--date", "2009/02/03"}, "2009/02/03"});
  check_bad_usage(outlet, {"unknown format", {"report", "daily", "--user", d::kClerk, "--format", "xml"}, "--format"});
  CHECK(outlet.reader().count("sales") == 0);
}

TEST_CASE("an argument that is not UTF-8 is bad usage, also with --json", "[cli][usage]") {
  DemoOutlet outlet;
  // Bytes of a GBK terminal ("你" = C4 E3): a message about them must still be a JSON answer.
  const auto command = outlet.as_clerk({"--json", "frobnicate\xC4"});
  {
    INFO(command.describe());
    CHECK(command.exit_code == 2);
    CHECK_NOTHROW(command.json());
  }
  const auto item = outlet.as_clerk({"--json", "sale", "--user", d::kClerk, "--buyer-name", "张三", "--buyer-id", d::kIdZhang,
                                     "--household", d::kHouseholdA, "--item", "\xC4\xE3"});
  {
    INFO(item.describe());
    CHECK(item.exit_code == 2);
    CHECK_NOTHROW(item.json());
  }
  CHECK(outlet.reader().count("sales") == 0);
}

TEST_CASE("the global --db option names the database ahead of HUINONG_DB", "[cli][usage]") {
  DemoOutlet outlet;
  const std::string elsewhere = outlet.file("no-such-dir/other.db");
  const std::vector<std::string> report{"--json", "report", "daily", "--user", d::kClerk, "--date", "2009-01-15"};
  std::vector<std::string> with_db{"--db", outlet.db()};
  with_db.insert(with_db.end(), report.begin(), report.end());
  const auto by_option = outlet.run(with_db, {{"HUINONG_DB", elsewhere}, {"HUINONG_PIN", d::kClerkPin}});
  INFO(by_option.describe());
  CHECK(by_option.exit_code == 0);
  // Without --db, HUINONG_DB names a database that does not exist: bad input, nothing created.
  const auto by_env = outlet.run(report, {{"HUINONG_DB", elsewhere}, {"HUINONG_PIN", d::kClerkPin}});
  INFO(by_env.describe());
  CHECK(by_env.exit_code == 2);
  CHECK_FALSE(file_exists(elsewhere));
}
