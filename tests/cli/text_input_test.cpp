// Text that enters the terminal (issue 14, items 3 and 9): control characters, NUL, bytes that
// are not UTF-8 and over-long values are refused wherever text comes in (imports, the sale's
// buyer, users, the outlet, reasons, settings), the field named in both languages, nothing
// written; and an error never echoes a whole bad value.
#include <catch2/catch.hpp>

#include <string>

#include "cli_harness.hpp"
#include "core/text.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {
const std::string kCatalogHeader = "model_code,category,brand,name,spec,max_price,valid_from,valid_to\n";
// A good new model before the bad row, so that a partial import would show.
const std::string kGoodModel = "PANDA-LCD26-G,tv,熊猫,液晶彩电,26英寸 LCD,1899.00,2008-12-01,\n";
const std::string kEsc = "\x1b";

std::int64_t models_named(const DemoOutlet& o, const std::string& code) {
  return o.reader().scalar("SELECT COUNT(*) FROM catalog_models WHERE model_code = '" + code + "'");
}

// Exit 2 with this code, the field named in both languages (and in the JSON), in Chinese too.
void check_text_refusal(const RunResult& r, const std::string& code, const std::string& field) {
  INFO(r.describe());
  CHECK(r.exit_code == 2);
  const auto e = error_of(r.json());
  CHECK(e.at("code") == code);
  CHECK(e.value("field", "") == field);
  const std::string zh = e.at("message_zh"), en = e.at("message_en");
  CHECK(has_cjk(zh));
  CHECK(contains(zh, hn::field_name_zh(field)));  // by its Chinese name on a Chinese screen (issue 16)
  CHECK(contains(en, field));
  // The message names the field; it never carries the control character itself.
  CHECK_FALSE(contains(r.out, kEsc));
  CHECK_FALSE(contains(r.err, kEsc));
}
}  // namespace

TEST_CASE("a catalog file with an ESC in a brand is refused naming the row and field, and imports nothing",
          "[cli][catalog][hardening]") {
  DemoOutlet outlet;
  const auto before = outlet.reader().count("catalog_models");
  const auto r = outlet.import_catalog(kCatalogHeader + kGoodModel + "PANDA-X2,tv,熊猫" + kEsc +
                                       "p,液晶彩电,26英寸,1899.00,2008-12-01,\n");
  check_text_refusal(r, "TEXT_CONTROL_CHAR", "brand");
  const auto e = error_of(r.json());
  CHECK(contains(e.at("message_zh").get<std::string>(), "第 3 行"));
  CHECK(contains(e.at("message_en").get<std::string>(), "row 3"));
  CHECK(contains(e.at("message_en").get<std::string>(), "U+001B"));
  CHECK(outlet.reader().count("catalog_models") == before);
  CHECK(models_named(outlet, "PANDA-LCD26-G") == 0);
}

TEST_CASE("NUL, CR LF, bidi overrides and bytes that are not UTF-8 in catalog text are refused",
          "[cli][catalog][hardening]") {
  DemoOutlet outlet;
  const auto before = outlet.reader().count("catalog_models");
  struct Bad {
    std::string row;
    const char* code;
    const char* field;
  };
  const Bad cases[] = {
      {"PANDA-X3,tv,熊猫,液晶" + std::string(1, '\0') + "彩电,26英寸,1899.00,2008-12-01,\n", "TEXT_CONTROL_CHAR", "name"},
      {"PANDA-X4,tv,熊猫,液晶彩电,\"26英寸\r\n合计 Total: 0.00\",1899.00,2008-12-01,\n", "TEXT_CONTROL_CHAR", "spec"},
      {"PANDA-X5,tv,熊猫,\xE2\x80\xAE" "电彩晶液,26英寸,1899.00,2008-12-01,\n", "TEXT_CONTROL_CHAR", "name"},
      {"PANDA-X6,tv,熊猫,液晶\tTV,26英寸,1899.00,2008-12-01,\n", "TEXT_CONTROL_CHAR", "name"},
  };
  for (const auto& bad : cases) {
    const auto r = outlet.import_catalog(kCatalogHeader + kGoodModel + bad.row);
    check_text_refusal(r, bad.code, bad.field);
  }
  CHECK(outlet.reader().count("catalog_models") == before);
}

TEST_CASE("over-long catalog fields are refused without the value in the message",
          "[cli][catalog][hardening]") {
  DemoOutlet outlet;
  const auto before = outlet.reader().count("catalog_models");
  // 65 characters of brand: one more than a brand may have.
  const auto brand = outlet.import_catalog(kCatalogHeader + kGoodModel + "PANDA-X7,tv," + std::string(65, 'B') +
                                           ",液晶彩电,26英寸,1899.00,2008-12-01,\n");
  check_text_refusal(brand, "TEXT_TOO_LONG", "brand");
  CHECK(contains(error_of(brand.json()).at("message_en").get<std::string>(), "64"));
  // A 10 MB field: the CSV reader stops at its field limit; the error is short.
  const auto huge = outlet.import_catalog(kCatalogHeader + kGoodModel + "PANDA-X8,tv,熊猫," +
                                          std::string(10 * 1024 * 1024, 'x') + ",26英寸,1899.00,2008-12-01,\n");
  INFO(huge.describe().substr(0, 2000));
  CHECK(huge.exit_code == 2);
  CHECK(huge.all_output().size() < 2000);
  CHECK(outlet.reader().count("catalog_models") == before);
}

TEST_CASE("a sale whose buyer name holds ESC, CR or LF is refused and saves nothing",
          "[cli][sale][hardening]") {
  DemoOutlet outlet;
  for (const std::string& name : {"张三" + kEsc + "p" + std::string("\x01\x19"), std::string("张三\r\n合计 Total: 0.00"),
                                  std::string("张\n三")}) {
    const auto r = outlet.sell(sale_to(name, d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.00"));
    check_text_refusal(r, "TEXT_CONTROL_CHAR", "buyer_name");
  }
  const auto household =
      outlet.sell(sale_to("张三", d::kIdZhang, "3413220012" + kEsc + "[2J").item(std::string(d::kTv1) + "=1999.00"));
  check_text_refusal(household, "TEXT_CONTROL_CHAR", "household");
  const auto long_name =
      outlet.sell(sale_to(std::string(65, 'Z'), d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.00"));
  check_text_refusal(long_name, "TEXT_TOO_LONG", "buyer_name");
  CHECK(outlet.reader().count("sales") == 0);
  CHECK(outlet.reader().scalar("SELECT COUNT(*) FROM label_cards WHERE state = 'sold'") == 0);
  // A name with the characters a Chinese name may have still sells.
  const auto ok = outlet.sell(sale_to("阿依古丽·买买提", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.00"));
  INFO(ok.describe());
  CHECK(ok.exit_code == 0);
}

TEST_CASE("user names, the outlet's name, reasons and settings refuse control characters",
          "[cli][hardening]") {
  DemoOutlet outlet;
  const auto users = outlet.reader().count("users");
  const auto add = outlet.run({"--json", "user", "add", "--user", d::kManager, "--login", "zhao", "--name",
                               "赵" + kEsc + "]0;pwned\x07", "--role", "clerk"},
                              {{"HUINONG_PIN", d::kManagerPin}, {"HUINONG_NEW_PIN", "5678"}});
  check_text_refusal(add, "TEXT_CONTROL_CHAR", "name");
  CHECK(outlet.reader().count("users") == users);

  const auto setting = outlet.run({"--json", "setting", "set", "--user", d::kManager, "--key", "printer.invoice_dir",
                                   "--value", "/tmp/inv\x1b[2Joices"},
                                  {{"HUINONG_PIN", d::kManagerPin}});
  check_text_refusal(setting, "TEXT_CONTROL_CHAR", "printer.invoice_dir");

  const auto sold = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(std::string(d::kTv1) + "=1999.00"));
  REQUIRE(sold.exit_code == 0);
  const auto ret = outlet.run({"--json", "return", "--user", d::kClerk, "--approver", d::kManager, "--invoice", "1",
                               "--card", d::kTv1, "--reason", "坏了\r\n已退款 Refunded"},
                              {{"HUINONG_PIN", d::kClerkPin}, {"HUINONG_APPROVER_PIN", d::kManagerPin}});
  check_text_refusal(ret, "TEXT_CONTROL_CHAR", "reason");
  CHECK(outlet.reader().count("return_requests") == 0);

  TempDir dir;
  Env env = base_env(dir.path());
  env["HUINONG_DB"] = dir.file("new.db");
  env["HUINONG_NEW_PIN"] = d::kManagerPin;
  const auto init = run_huinong({"--json", "init", "--outlet-code", "AH-XX-0002", "--outlet-name",
                                 "萧县" + kEsc + "c家电", "--county", d::kCounty, "--manager", "wang",
                                 "--manager-name", "王店长"},
                                env);
  check_text_refusal(init, "TEXT_CONTROL_CHAR", "outlet_name");
  CHECK_FALSE(file_exists(dir.file("new.db")));
}

TEST_CASE("a policy file whose name holds a control character is refused", "[cli][policy][hardening]") {
  DemoOutlet outlet;
  const std::string ini = *read_file(asset("policy/2009-04.ini"));
  const auto at = ini.find("name_zh");
  REQUIRE(at != std::string::npos);
  std::string bad = ini;
  bad.replace(bad.find('\n', at), 0, kEsc + "[31m");
  write_file(outlet.file("bad.ini"), bad);
  const auto phases = outlet.reader().count("policy_phases");
  const auto r = outlet.as_manager({"--json", "policy", "import", "--user", d::kManager, outlet.file("bad.ini")});
  check_text_refusal(r, "TEXT_CONTROL_CHAR", "name_zh");
  CHECK(outlet.reader().count("policy_phases") == phases);
}

TEST_CASE("errors quote at most about 60 characters of a bad value, with control characters escaped",
          "[cli][usage][hardening]") {
  DemoOutlet outlet;
  const std::string long_item = std::string(5000, '9') + kEsc + "=abc";
  const auto item = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item(long_item));
  INFO(item.describe().substr(0, 3000));
  CHECK(item.exit_code == 2);
  CHECK(item.all_output().size() < 1200);
  CHECK(contains(item.all_output(), std::string(60, '9') + "…"));

  const auto command = outlet.run({"--json", "catalog", std::string(3000, 'x') + kEsc});
  INFO(command.describe().substr(0, 3000));
  CHECK(command.exit_code == 2);
  CHECK(command.all_output().size() < 1200);
  CHECK_FALSE(contains(command.all_output(), kEsc));

  // A catalog row whose model code is 2,000 characters of junk with an ESC in it.
  const auto code = outlet.import_catalog(kCatalogHeader + std::string(2000, 'M') + kEsc + ",tv,熊猫,液晶彩电,26英寸,1899.00,2008-12-01,\n");
  INFO(code.describe().substr(0, 3000));
  CHECK(code.exit_code == 2);
  CHECK(code.all_output().size() < 1200);
  CHECK_FALSE(contains(code.all_output(), kEsc));
}
