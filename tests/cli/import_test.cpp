// `catalog import` and `cards receive`: all-or-nothing, with every bad row named in both
// languages, and the catalog's bid prices held under the category cap (POLICY R1, R3, R8).
#include <catch2/catch.hpp>

#include "cli_harness.hpp"
#include "core/text.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {
const std::string kCatalogHeader = "model_code,category,brand,name,spec,max_price,valid_from,valid_to\n";
const std::string kCardsHeader = "card_no,serial_no,model_code\n";
// A good new model, listed before the bad row so that a partial import would show.
const std::string kGoodModel = "PANDA-LCD26-G,tv,熊猫,液晶彩电,26英寸 LCD,1899.00,2008-12-01,\n";

struct BadFile {
  const char* what;
  std::string csv;
  int row;                   // the line the message must name (the header is row 1)
  const char* field;         // the field it must name, or "" when the whole row/file is wrong
  std::string needle_en;     // a further word the English message must contain
};

void check_named_refusal(const RunResult& r, const BadFile& bad) {
  INFO(r.describe());
  CHECK(r.exit_code == 2);
  const auto j = r.json();
  const auto& e = error_of(j);
  CHECK_FALSE(e.at("code").get<std::string>().empty());
  const std::string zh = e.at("message_zh"), en = e.at("message_en");
  CHECK(has_cjk(zh));
  CHECK(contains(zh, "第 " + std::to_string(bad.row) + " 行"));
  CHECK(contains(en, "row " + std::to_string(bad.row)));
  if (*bad.field) {
    CHECK(contains(zh, hn::field_name_zh(bad.field)));  // by its Chinese name (issue 16)
    CHECK(contains(en, bad.field));
  }
  CHECK(contains(en, bad.needle_en));
}
}  // namespace

TEST_CASE("a model whose bid price is above its category cap imports with a warning and sells only up to the cap",
          "[cli][catalog][price]") {
  DemoOutlet outlet;
  const auto imported =
      outlet.import_catalog(kCatalogHeader + "PANDA-LCD32-X,tv,熊猫,液晶彩电,32英寸 LCD,2899.00,2008-12-01,\n");
  INFO(imported.describe());
  REQUIRE(imported.exit_code == 0);
  const auto j = imported.json();
  REQUIRE(j.at("warnings").is_array());
  REQUIRE_FALSE(j.at("warnings").empty());
  CHECK(contains(j.at("warnings").dump(), "PANDA-LCD32-X"));
  CHECK(outlet.reader().scalar("SELECT COUNT(*) FROM catalog_models WHERE model_code = 'PANDA-LCD32-X'") == 1);

  const auto cards = outlet.receive_cards(kCardsHeader + "34080100000000019001,LCD32X-0812P00001,PANDA-LCD32-X\n");
  INFO(cards.describe());
  REQUIRE(cards.exit_code == 0);

  // POLICY R3: held to the lower of the bid price (2899.00) and the TV cap (2000.00).
  const auto over = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item("34080100000000019001=2000.01"));
  INFO(over.describe());
  CHECK(over.exit_code == 3);
  const auto f = find_finding(over.json(), "PRICE_OVER_CAP");
  REQUIRE(f.has_value());
  CHECK(contains(f->at("message_en").get<std::string>(), "2000.00"));
  CHECK(contains(f->at("message_zh").get<std::string>(), "2000.00"));

  const auto at_cap = outlet.sell(sale_to("张三", d::kIdZhang, d::kHouseholdA).item("34080100000000019001=2000.00"));
  INFO(at_cap.describe());
  CHECK(at_cap.exit_code == 0);
  CHECK(at_cap.json().at("subsidy") == "260.00");  // 13% of 2000.00
}

TEST_CASE("a catalog file with one bad row imports nothing and names the row and field in both languages",
          "[cli][catalog][import]") {
  DemoOutlet outlet;
  const std::vector<BadFile> files{
      {"wrong header", "model,category,brand,name,spec,max_price,valid_from,valid_to\n" + kGoodModel, 1, "", "header"},
      {"unknown category", kCatalogHeader + kGoodModel + "PANDA-X1,television,熊猫,彩电,21英寸,999.00,2008-12-01,\n", 3,
       "category", "television"},
      {"bad price", kCatalogHeader + kGoodModel + "PANDA-X2,tv,熊猫,彩电,21英寸,12x,2008-12-01,\n", 3, "max_price", "12x"},
      {"bad date", kCatalogHeader + kGoodModel + "PANDA-X3,tv,熊猫,彩电,21英寸,999.00,2009-02-30,\n", 3, "valid_from",
       "2009-02-30"},
      {"duplicate model", kCatalogHeader + kGoodModel + "PANDA-LCD26-G,tv,熊猫,液晶彩电,26英寸,1799.00,2008-12-01,\n", 3,
       "model_code", "PANDA-LCD26-G"},
      // "你好" in GBK: a spreadsheet saved in the Chinese Windows default encoding.
      {"GBK-encoded file", kCatalogHeader + kGoodModel + "PANDA-X4,tv,熊猫,\xC4\xE3\xBA\xC3,21,999.00,2008-12-01,\n", 3, "",
       "UTF-8"},
  };
  const std::int64_t models_before = outlet.reader().count("catalog_models");
  REQUIRE(models_before == 18);
  for (const auto& bad : files) {
    INFO("file: " << bad.what);
    check_named_refusal(outlet.import_catalog(bad.csv), bad);
    if (std::string(bad.what) == "GBK-encoded file") {
      const auto& e = error_of(outlet.import_catalog(bad.csv).json());
      CHECK(contains(e.at("message_zh").get<std::string>(), "UTF-8"));
    }
    CHECK(outlet.reader().count("catalog_models") == models_before);
    CHECK(outlet.reader().scalar("SELECT COUNT(*) FROM catalog_models WHERE model_code = 'PANDA-LCD26-G'") == 0);
  }

  // Without --json the same message goes to stderr, in both languages.
  const auto text = outlet.import_catalog(files[2].csv, false);
  INFO(text.describe());
  CHECK(text.exit_code == 2);
  CHECK(contains(text.err, "第 3 行"));
  CHECK(contains(text.err, "row 3"));
  CHECK(contains(text.err, "max_price"));
}

TEST_CASE("a card receipt with one bad row receives nothing and names the row and field in both languages",
          "[cli][cards][import]") {
  DemoOutlet outlet;
  const std::string good = "34080100000000019101,TLM26V68-0812A00101,HISENSE-TLM26V68\n";
  std::string many_good;
  for (int i = 2; i <= 5; ++i)
    many_good += "3408010000000001910" + std::to_string(i) + ",TLM26V68-0812A0010" + std::to_string(i) + ",HISENSE-TLM26V68\n";
  const std::vector<BadFile> files{
      {"duplicate card in the file", kCardsHeader + good + "34080100000000019101,TLM26V68-0812A00199,HISENSE-TLM26V68\n",
       3, "card_no", "34080100000000019101"},
      {"card already received", kCardsHeader + good + d::kTv1 + ",TLM26V68-0812A00198,HISENSE-TLM26V68\n", 3, "card_no",
       d::kTv1},
      {"unknown model", kCardsHeader + good + "34080100000000019106,X-0001,NO-SUCH-MODEL\n", 3, "model_code",
       "NO-SUCH-MODEL"},
      // Five good rows, then the last one bad: still nothing at all.
      {"last row bad", kCardsHeader + good + many_good + "34080100000000019106,,HISENSE-TLM26V68\n", 7, "serial_no", ""},
  };
  const std::int64_t cards_before = outlet.reader().count("label_cards");
  REQUIRE(cards_before == 60);
  const std::int64_t receipts_before = outlet.reader().count("goods_receipts");
  for (const auto& bad : files) {
    INFO("file: " << bad.what);
    check_named_refusal(outlet.receive_cards(bad.csv), bad);
    CHECK(outlet.reader().count("label_cards") == cards_before);
    CHECK(outlet.reader().count("goods_receipts") == receipts_before);
    CHECK(outlet.reader().scalar("SELECT COUNT(*) FROM label_cards WHERE card_no = '34080100000000019101'") == 0);
  }
  // The same good rows alone are received.
  const auto ok = outlet.receive_cards(kCardsHeader + good + many_good);
  INFO(ok.describe());
  CHECK(ok.exit_code == 0);
  CHECK(outlet.reader().count("label_cards") == cards_before + 5);
}
