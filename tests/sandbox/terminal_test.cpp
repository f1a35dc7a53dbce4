// The terminal's own client (sync/client) against the real sandbox: the province's refusals
// issue 14 added reach the manager the way every rejection does.
#include <catch2/catch.hpp>

#include <fstream>

#include "core/money.hpp"
#include "app/store_access.hpp"
#include "province_harness.hpp"
#include "platform/crypto.hpp"
#include "sync/client/sync_service.hpp"

using namespace hn;
using namespace hn::test;

namespace {

constexpr const char* kPhoneCard = "77020000000000000001";
constexpr const char* kPhoneSerial = "PHONE-0000001";

// What a broken or tampered terminal writes: a 699.00 phone with a 200.00 subsidy, the line
// and the sale agreeing with each other, queued for upload like any sale.
std::int64_t record_phone_sale_claiming(TestTerminal& term, Fen subsidy) {
  store::Store& store = hn::app::store_of(*term.t);
  const auto model = store.catalog().find("LENOVO-I906");
  REQUIRE(model);
  store::SaleRecord s;
  s.uuid = platform::new_uuid();
  s.sold_at = term.t->now().iso();
  s.sale_date = term.t->now().date;
  s.user_id = term.clerk.id;
  s.buyer_name = "张三";
  s.buyer_id = "341322198001011239";
  s.household = "3413220300";
  s.hukou = Hukou::Agricultural;
  s.buyer_county = "341322";
  s.policy_phase = "2008-12";
  store::SaleItemRecord it;
  it.line_no = 1;
  it.card_no = kPhoneCard;
  it.serial_no = kPhoneSerial;
  it.model_code = model->model_code;
  it.category = model->category;
  it.brand = model->brand;
  it.name = model->name;
  it.spec = model->spec;
  it.price = model->max_price;
  it.subsidy = subsidy;
  s.items.push_back(it);
  s.total = it.price;
  s.subsidy = subsidy;
  platform::Transaction tx(store.db());
  s.invoice_no = store.sales().next_invoice_no();
  const std::int64_t id = store.sales().insert(s);
  tx.commit();
  return id;
}

}  // namespace

TEST_CASE("the terminal turns SUBSIDY_MISMATCH into a task for the manager, like every rejection",
          "[sandbox][sync][policy]") {
  TempDir dir;
  Province province(dir.path());
  const auto cred = province.add_outlet("AH-XX-0001", 1, 2, dir.file("tv.csv"));
  const std::string phones = dir.file("phones.csv");
  std::ofstream(phones) << "card_no,serial_no,model_code\n"
                        << kPhoneCard << "," << kPhoneSerial << ",LENOVO-I906\n";
  sandbox({"cards", "issue", "--db", province.db(), phones, "--outlet", "AH-XX-0001"});

  TestTerminal term(dir.file("t.db"), "AH-XX-0001", dir.file("tv.csv"));
  std::string text;
  {
    std::ifstream in(phones);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  REQUIRE(term.t->receive_cards(term.manager, text, phones));
  REQUIRE(term.sell_tv(tv_card(1), "3413220301"));  // a sale made right, beside it
  const std::int64_t wrong = record_phone_sale_claiming(term, 20000);

  province.serve({"--quiet"});
  auto client = sync::ProvinceClient::connect(province.url(), sync::load_credential(cred));
  const auto counts = sync::SyncService(hn::app::store_of(*term.t), *client, unix_ms, fast_retries()).pass();
  CHECK(counts.accepted == 1);
  CHECK(counts.rejected == 1);
  CHECK(hn::app::store_of(*term.t).sales().upload_state(wrong) == "rejected");

  // The manager's task names the code and both figures, in both languages.
  const auto tasks = hn::app::store_of(*term.t).tasks().list("open");
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0].kind == "sale_rejected");
  CHECK(tasks[0].sale_id == wrong);
  CHECK(tasks[0].code == "SUBSIDY_MISMATCH");
  for (const auto* m : {&tasks[0].message_zh, &tasks[0].message_en}) {
    CHECK(m->find("200.00") != std::string::npos);
    CHECK(m->find("90.87") != std::string::npos);
  }
  // A rejection is final: it is not sent again.
  CHECK(sync::SyncService(hn::app::store_of(*term.t), *client, unix_ms, fast_retries()).pass().sent == 0);
  // The manager settles it as any rejected sale: here, sold without the subsidy.
  const auto settled = term.t->resolve_task(term.manager, tasks[0].id, "unsubsidised",
                                            "终端补贴计算有误,按原价销售");
  REQUIRE(settled);
  CHECK(settled->task.resolution == "unsubsidised");
  CHECK(hn::app::store_of(*term.t).tasks().list("open").empty());
  // The province holds the one right sale, and the wrong one as rejected.
  const auto report = province.report();
  CHECK(report_count(report, "AH-XX-0001", "accepted") == 1);
  CHECK(report["outlets"][0]["rejected"] == nlohmann::json{{"SUBSIDY_MISMATCH", 1}});
}
