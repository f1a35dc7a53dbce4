#include "store_generator.hpp"
#include "app/store_access.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <random>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/id_number.hpp"
#include "core/invoice.hpp"
#include "store/journal.hpp"
#include "fixtures.hpp"
#include "store/migrations.hpp"

namespace hn::bench {

namespace fs = std::filesystem;

namespace {
// Bump when the generated data changes shape: cached stores of another version are rebuilt.
// 2: a journal entry per sale and return; 3: sold cards name their sale (schema 12); 4: the
// date index of schema 12 covers the reports
constexpr const char* kGeneratorVersion = "policy-store/4";
constexpr const char* kMetaKey = "bench.generator";
constexpr Date kFirstSaleDay{2008, 12, 1};
constexpr std::int64_t kSaleDays = 560;  // 2008-12-01 .. 2010-06-13
constexpr std::int64_t kCardsPerReceipt = 1000;
constexpr std::int64_t kRowsPerTransaction = 100'000;

// 30 models of the four categories of the 2008-12 phase, most popular first in each category.
// Two bid prices sit above the category cap (imported with a warning; sold at the cap).
constexpr const char* kCatalogCsv =
    "model_code,category,brand,name,spec,max_price,valid_from,valid_to\n"
    "HISENSE-TLM26V68,tv,海信,液晶彩电,26英寸 LCD,1999.00,2008-12-01,\n"
    "TCL-L22E9,tv,TCL,液晶彩电,22英寸 LCD,1699.00,2008-12-01,\n"
    "CHANGHONG-SF2198,tv,长虹,纯平彩电,21英寸 CRT 纯平,899.00,2008-12-01,\n"
    "SKYWORTH-21TI9000,tv,创维,纯平彩电,21英寸 CRT 纯平,799.00,2008-12-01,\n"
    "KONKA-P29SE282,tv,康佳,超平彩电,29英寸 CRT 超平,1599.00,2008-12-01,\n"
    "HAIER-L26A8A,tv,海尔,液晶彩电,26英寸 LCD,2099.00,2008-12-01,\n"
    "PANDA-2188,tv,熊猫,纯平彩电,21英寸 CRT,699.00,2008-12-01,\n"
    "XOCECO-LC22,tv,厦华,液晶彩电,22英寸 LCD,1599.00,2008-12-01,\n"
    "SKYWORTH-26L16SW,tv,创维,液晶彩电,26英寸 LCD,1899.00,2008-12-01,\n"
    "CHANGHONG-LT2619,tv,长虹,液晶彩电,26英寸 LCD,1999.00,2008-12-01,\n"
    "HAIER-BCD-186KB,fridge,海尔,双门冰箱,186升 双门 直冷,1799.00,2008-12-01,\n"
    "MEILING-BCD-181MLA,fridge,美菱,双门冰箱,181升 双门,1599.00,2008-12-01,\n"
    "RONGSHENG-BCD-202EA,fridge,容声,三门冰箱,202升 三门 直冷,1999.00,2008-12-01,\n"
    "MIDEA-BCBD-145KM,fridge,美的,卧式冷柜,145升 卧式,1199.00,2008-12-01,\n"
    "SIEMENS-KK22F4810W,fridge,西门子,三门冰箱,226升 三门,2699.00,2008-12-01,\n"
    "XINFEI-BCD-196,fridge,新飞,双门冰箱,196升 双门,1699.00,2008-12-01,\n"
    "AUCMA-BC-92,fridge,澳柯玛,单门冰箱,92升 单门,899.00,2008-12-01,\n"
    "HAIER-BD-203,fridge,海尔,卧式冷柜,203升 卧式,1499.00,2008-12-01,\n"
    "NOKIA-1680C,phone,诺基亚,手机,GSM 直板 彩屏 摄像头,599.00,2008-12-01,\n"
    "NOKIA-2610,phone,诺基亚,手机,GSM 直板 彩屏,399.00,2008-12-01,\n"
    "LENOVO-I906,phone,联想,手机,GSM 翻盖 彩屏,699.00,2008-12-01,\n"
    "AMOI-A202,phone,夏新,手机,GSM 直板,299.00,2008-12-01,\n"
    "TCL-C900,phone,TCL,手机,GSM 翻盖,499.00,2008-12-01,\n"
    "ZTE-F188,phone,中兴,手机,GSM 直板 老人机,349.00,2008-12-01,\n"
    "LITTLESWAN-XQB50-180G,washer,小天鹅,全自动洗衣机,5公斤 波轮 全自动,1099.00,2008-12-01,\n"
    "HAIER-XQB50-7288,washer,海尔,全自动洗衣机,5公斤 波轮 全自动,1199.00,2008-12-01,\n"
    "MIDEA-XPB70-1186S,washer,美的,双缸洗衣机,7公斤 双缸 半自动,599.00,2008-12-01,\n"
    "ROYALSTAR-XPB60,washer,荣事达,双缸洗衣机,6公斤 双缸,499.00,2008-12-01,\n"
    "SANYO-XQB55-M805,washer,三洋,全自动洗衣机,5.5公斤 波轮,1299.00,2008-12-01,\n"
    "HAIER-XPB70-LS,washer,海尔,双缸洗衣机,7公斤 双缸,699.00,2008-12-01,\n";

// Share of the sales per category (TVs first, as in the first year of the programme).
constexpr std::array<std::pair<Category, int>, 4> kCategoryWeights = {
    {{Category::Tv, 40}, {Category::Fridge, 25}, {Category::Phone, 20}, {Category::Washer, 15}}};
// How many of the four categories a household bought: mean ~2.05, so N sales reach ~N/2
// households (POLICY R5, limit 1 per category: never more than 4).
constexpr std::array<int, 4> kPurchasesWeights = {35, 35, 20, 10};

struct SaleEvent {
  std::int32_t household;
  std::uint8_t member;  // 0: the head of household; 1: another member
  std::uint8_t model;   // index into Models::list
};

struct Models {
  std::vector<const CatalogModel*> list;
  std::vector<Fen> price_cap;                 // lower of bid price and category cap
  std::vector<std::vector<std::uint8_t>> by_category;  // indices, most popular first
  std::vector<std::discrete_distribution<int>> pick;   // per category, weight 1/(rank+1)
};

std::string meta_text(std::int64_t sales, std::int64_t households, std::int64_t stock) {
  return std::string(kGeneratorVersion) + " sales=" + std::to_string(sales) +
         " households=" + std::to_string(households) + " stock=" + std::to_string(stock);
}

void remove_store_files(const std::string& db_path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal", ".key", ".sign", ".head"}) {
    std::error_code ec;
    fs::remove(db_path + suffix, ec);
  }
}

// The cached store's metadata, or "" when it is missing, damaged or of another schema.
std::string cached_meta(const std::string& db_path) {
  if (!fs::exists(db_path) || !fs::exists(db_path + ".key")) return "";
  sqlite3* db = nullptr;
  std::string meta;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    int version = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
      version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    st = nullptr;
    if (version == store::latest_schema_version() &&
        sqlite3_prepare_v2(db, "SELECT value FROM settings WHERE key = ?", -1, &st, nullptr) ==
            SQLITE_OK) {
      sqlite3_bind_text(st, 1, kMetaKey, -1, SQLITE_STATIC);
      if (sqlite3_step(st) == SQLITE_ROW)
        meta = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return meta;
}

std::int64_t meta_value(const std::string& meta, const std::string& key) {
  const auto at = meta.find(" " + key + "=");
  if (at == std::string::npos) return 0;
  return std::stoll(meta.substr(at + key.size() + 2));
}

std::string local_iso(std::int64_t day, std::int64_t seconds) {
  return LocalTime{kFirstSaleDay.plus_days(day), static_cast<int>(seconds)}.iso();
}

std::string card_no(std::int64_t j) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "341122%014lld", static_cast<long long>(j + 1));
  return buf;
}

std::string serial_no(const CatalogModel& m, std::int64_t j) {
  // The model code's last part and a running number, as on the nameplate.
  const auto dash = m.model_code.find_last_of('-');
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s-%09lld", m.model_code.substr(dash + 1).c_str(),
                static_cast<long long>(j + 1));
  return buf;
}

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}
// About 0.5% of the sold items were returned (their cards destroyed).
bool is_returned(std::int64_t j) { return splitmix(static_cast<std::uint64_t>(j) ^ 0xABCDEFULL) % 1000 < 5; }

std::string uuid_v4(std::mt19937_64& rng) {
  const std::uint64_t a = rng(), b = rng();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xFFFF), static_cast<unsigned>(a & 0xFFF),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3FFF)),
                static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFULL));
  return buf;
}

void generate(const std::string& db_path, std::int64_t sales) {
  const Stopwatch sw;
  remove_store_files(db_path);
  // The outlet, its users, the policy phases and the catalog through the use cases.
  const app::FixedClock opening(unix_at(Date{2008, 11, 28}, 9 * 3600));
  std::int64_t manager_id = 0;
  std::vector<std::int64_t> clerk_ids;
  {
    BenchOutlet o = create_outlet(db_path, opening);
    auto imported = o.terminal->import_catalog(o.manager, kCatalogCsv, "bench catalog");
    expect(imported, "catalog import");
    manager_id = o.manager.id;
    for (const auto& u : hn::app::store_of(*o.terminal).users().all())
      if (u.role == store::Role::Clerk) clerk_ids.push_back(u.id);
  }

  // The bulk rows go straight into the schema through the store's own connection, with
  // durability off while generating (nobody reads the file until it is finished).
  store::Store s = store::Store::open(db_path);
  platform::Database& db = s.db();
  db.exec("PRAGMA journal_mode=OFF");
  db.exec("PRAGMA synchronous=OFF");
  db.exec("PRAGMA foreign_keys=OFF");
  db.exec("PRAGMA secure_delete=OFF");
  db.exec("PRAGMA cache_size=-1048576");  // 1 GiB

  std::string phase_id = "2008-12";
  PolicyPhase phase;
  {
    ImportMessage err;
    const auto source = s.policy_phases().source(phase_id);
    if (!source || !parse_policy_file(*source, phase, err))
      throw std::runtime_error("the 2008-12 phase is missing from the new outlet");
  }
  const Catalog catalog = s.catalog().load();
  Models models;
  {
    // In the CSV's order: most popular first within each category.
    std::istringstream lines(kCatalogCsv);
    std::string line;
    std::getline(lines, line);  // header
    models.by_category.resize(kAllCategories.size());
    while (std::getline(lines, line)) {
      const CatalogModel* m = catalog.find(line.substr(0, line.find(',')));
      if (!m) throw std::runtime_error("catalog model missing after import: " + line);
      const CategoryPolicy* cp = phase.active_category(m->category);
      if (!cp) throw std::runtime_error("catalog model of an inactive category: " + m->model_code);
      models.by_category[static_cast<std::size_t>(m->category)].push_back(
          static_cast<std::uint8_t>(models.list.size()));
      models.list.push_back(m);
      models.price_cap.push_back(std::min(m->max_price, cp->cap));
    }
    for (const auto& indices : models.by_category) {
      std::vector<double> w;
      for (std::size_t r = 0; r < indices.size(); ++r) w.push_back(1.0 / static_cast<double>(r + 1));
      if (w.empty()) w.push_back(1);
      models.pick.emplace_back(w.begin(), w.end());
    }
  }

  // Who bought what: households with 1-4 purchases of distinct categories, in random order
  // over the period so that a household's purchases are spread in time.
  std::mt19937_64 rng(20081201);
  std::discrete_distribution<int> purchases(kPurchasesWeights.begin(), kPurchasesWeights.end());
  std::vector<double> cat_w;
  for (const auto& cw : kCategoryWeights) cat_w.push_back(cw.second);
  std::discrete_distribution<int> category_pick(cat_w.begin(), cat_w.end());
  std::vector<SaleEvent> events;
  events.reserve(static_cast<std::size_t>(sales));
  std::int32_t households = 0;
  while (static_cast<std::int64_t>(events.size()) < sales) {
    const std::int64_t want = std::min<std::int64_t>(purchases(rng) + 1, sales - static_cast<std::int64_t>(events.size()));
    std::array<bool, 4> taken{};
    for (int k = 0; k < want; ++k) {
      int c;
      do c = category_pick(rng);
      while (taken[static_cast<std::size_t>(c)]);
      taken[static_cast<std::size_t>(c)] = true;
      const auto cat = static_cast<std::size_t>(kCategoryWeights[static_cast<std::size_t>(c)].first);
      const auto model = models.by_category[cat][static_cast<std::size_t>(models.pick[cat](rng))];
      const std::uint8_t member = k > 0 && rng() % 10 < 3 ? 1 : 0;
      events.push_back({households, member, model});
    }
    ++households;
  }
  std::shuffle(events.begin(), events.end(), rng);
  const std::int64_t stock = std::max<std::int64_t>(1000, sales / 20);
  const std::int64_t cards = sales + stock;
  std::printf("  generating %lld sales of %d households, %lld label cards (%lld in stock)\n",
              static_cast<long long>(sales), households, static_cast<long long>(cards),
              static_cast<long long>(stock));
  std::fflush(stdout);

  // Goods receipts and label cards: card j is sold by sale j; cards from `sales` on are stock.
  std::vector<std::uint8_t> stock_model(static_cast<std::size_t>(stock));
  for (auto& m : stock_model) {
    const auto cat = static_cast<std::size_t>(kCategoryWeights[static_cast<std::size_t>(category_pick(rng))].first);
    m = models.by_category[cat][static_cast<std::size_t>(models.pick[cat](rng))];
  }
  const auto model_of_card = [&](std::int64_t j) -> const CatalogModel& {
    return *models.list[j < sales ? events[static_cast<std::size_t>(j)].model
                                  : stock_model[static_cast<std::size_t>(j - sales)]];
  };
  {
    platform::Transaction tx(db);
    auto receipt = db.prepare("INSERT INTO goods_receipts(id, received_at, user_id, source, card_count) "
                              "VALUES(?,?,?,?,?)");
    const std::int64_t receipts = (cards + kCardsPerReceipt - 1) / kCardsPerReceipt;
    for (std::int64_t r = 0; r < receipts; ++r) {
      // A batch arrives a little before the sales it supplies.
      const std::int64_t day = std::max<std::int64_t>(0, std::min(r * kCardsPerReceipt, sales - 1) * kSaleDays / sales - 2);
      receipt.reset();
      receipt.bind(1, r + 1).bind(2, local_iso(day, 8 * 3600)).bind(3, manager_id)
          .bind(4, "省平台标识卡批次 " + std::to_string(r + 1))
          .bind(5, std::min(kCardsPerReceipt, cards - r * kCardsPerReceipt));
      receipt.run();
    }
    tx.commit();
  }
  {
    auto card = db.prepare("INSERT INTO label_cards(card_no, serial_no, model_code, outlet_code, "
                           "receipt_id, state, sale_id) VALUES(?,?,?,?,?,?,NULLIF(?,0))");
    for (std::int64_t j = 0; j < cards;) {
      platform::Transaction tx(db);
      for (const std::int64_t end = std::min(cards, j + kRowsPerTransaction); j < end; ++j) {
        const CatalogModel& m = model_of_card(j);
        card.reset();
        card.bind(1, card_no(j)).bind(2, serial_no(m, j)).bind(3, m.model_code).bind(4, kOutletCode)
            .bind(5, j / kCardsPerReceipt + 1)
            .bind(6, j >= sales ? "in_stock" : is_returned(j) ? "returned" : "sold")
            .bind(7, j >= sales ? 0 : j + 1);  // card j is sold in sale j + 1
        card.run();
      }
      tx.commit();
    }
    std::printf("  label cards written (%.0f s)\n", sw.seconds());
    std::fflush(stdout);
  }

  // Sales, their items, returns and the outbox, in invoice order over the period.
  // buyer_id_enc and household_enc: ONE value sealed with the store's key (store.keys().seal())
  // of a placeholder of the real length, reused for every sale: it has the real size and
  // opens with the key, but sealing 2M values would only slow generation down, and no check
  // reads them. The keyed hashes (buyer_id_hash, household_hash) are the real ones, computed by
  // the store's own functions, so lookups by household find these sales.
  const platform::Bytes sealed_id = s.keys().seal(std::string(18, '0'));
  const platform::Bytes sealed_household = s.keys().seal(std::string(15, '0'));
  const std::int64_t pending = std::min<std::int64_t>(2000, sales / 500);
  auto sale = db.prepare(
      "INSERT INTO sales(id, uuid, invoice_no, sold_at, sale_date, user_id, buyer_name, buyer_id_enc, "
      "buyer_id_hash, buyer_id_masked, household_enc, household_hash, hukou, buyer_county, "
      "policy_phase, total, subsidy, warnings, journal_seq) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  auto item = db.prepare("INSERT INTO sale_items(id, sale_id, line_no, card_no, serial_no, model_code, "
                         "category, brand, name, spec, price, subsidy, state) "
                         "VALUES(?,?,1,?,?,?,?,?,?,?,?,?,?)");
  auto ret = db.prepare("INSERT INTO returns(sale_id, item_id, card_no, returned_at, return_date, "
                        "user_id, approver_id, reason, price, subsidy, state) "
                        "VALUES(?,?,?,?,?,?,?,?,?,?,'completed')");
  auto outbox = db.prepare("INSERT INTO outbox(kind, ref_id, created_at, state, attempts) "
                           "VALUES(?,?,?,?,?)");
  for (std::int64_t j = 0; j < sales;) {
    platform::Transaction tx(db);
    for (const std::int64_t end = std::min(sales, j + kRowsPerTransaction); j < end; ++j) {
      const SaleEvent& e = events[static_cast<std::size_t>(j)];
      const CatalogModel& m = *models.list[e.model];
      const CategoryPolicy& cp = *phase.active_category(m.category);
      // Shop hours 08:00-20:00, time running forward with the invoice number.
      const std::int64_t day = j * kSaleDays / sales;
      const std::int64_t second = 8 * 3600 + (j * kSaleDays % sales) * 12 * 3600 / sales;
      const std::string at = local_iso(day, second);
      const std::string date = at.substr(0, 10);
      const std::string id = buyer_id(e.household, e.member);
      const std::string county = id.substr(0, 6);
      const Fen price = std::max<Fen>(100, models.price_cap[e.model] - static_cast<Fen>(rng() % 20) * 1000);
      const Fen subsidy = cp.subsidy.subsidy_for(price);
      const bool returned = is_returned(j);
      // Each sale has its journal entry, as checkout writes it: the terminal compares the
      // newest rows with their entries at every open, and every row at a backup or export.
      const std::string uuid = uuid_v4(rng);
      const std::string id_hash = s.keys().lookup_hash("id", id);
      const std::string household_hash = s.households().hash(household_no(e.household));
      const auto entry = store::journal_append(
          db, at, "li", "sale",
          {{"sale_uuid", uuid},
           {"invoice_no", format_invoice_no(j + 1)},
           {"buyer_id_masked", mask_id_text(id)},
           {"buyer_id_hash", id_hash},
           {"household_hash", household_hash},
           {"policy_phase", phase_id},
           {"total", price},
           {"subsidy", subsidy},
           {"items", nlohmann::json::array({{{"card", card_no(j)},
                                             {"serial", serial_no(m, j)},
                                             {"model", m.model_code},
                                             {"category", category_code(m.category)},
                                             {"price", price},
                                             {"subsidy", subsidy}}})},
           {"warnings", nlohmann::json::array()},
           {"provisional", false}});
      sale.reset();
      sale.bind(1, j + 1).bind(2, uuid).bind(3, j + 1).bind(4, at).bind(5, date)
          .bind(6, clerk_ids[static_cast<std::size_t>(j) % clerk_ids.size()])
          .bind(7, buyer_name(e.household, e.member))
          .bind_blob(8, sealed_id)
          .bind(9, id_hash)
          .bind(10, mask_id_text(id))
          .bind_blob(11, sealed_household)
          .bind(12, household_hash)
          .bind(13, "agricultural").bind(14, county).bind(15, phase_id).bind(16, price)
          .bind(17, subsidy).bind(18, county == kOutletCounty ? "" : "COUNTY_MISMATCH").bind(19, entry.seq);
      sale.run();
      item.reset();
      item.bind(1, j + 1).bind(2, j + 1).bind(3, card_no(j)).bind(4, serial_no(m, j))
          .bind(5, m.model_code).bind(6, category_code(m.category)).bind(7, m.brand).bind(8, m.name)
          .bind(9, m.spec).bind(10, price).bind(11, subsidy).bind(12, returned ? "returned" : "sold");
      item.run();
      const bool uploaded = j < sales - pending;
      outbox.reset();
      outbox.bind(1, "sale").bind(2, j + 1).bind(3, at).bind(4, uploaded ? "accepted" : "pending")
          .bind(5, uploaded ? 1 : 0);
      outbox.run();
      if (returned) {
        const std::string back = local_iso(day, std::min<std::int64_t>(second + 3600, 86399));
        store::journal_append(db, back, "wang", "return",
                              {{"sale_uuid", uuid}, {"invoice_no", format_invoice_no(j + 1)}, {"card", card_no(j)},
                               {"price", price}, {"subsidy", subsidy}});
        ret.reset();
        ret.bind(1, j + 1).bind(2, j + 1).bind(3, card_no(j)).bind(4, back).bind(5, date)
            .bind(6, clerk_ids[0]).bind(7, manager_id).bind(8, "质量问题,换货").bind(9, price)
            .bind(10, subsidy);
        ret.run();
        outbox.reset();
        outbox.bind(1, "return").bind(2, db.last_insert_rowid()).bind(3, back)
            .bind(4, uploaded ? "accepted" : "pending").bind(5, uploaded ? 1 : 0);
        outbox.run();
      }
    }
    tx.commit();
    if (j % 250'000 == 0 || j == sales) {
      std::printf("  %lld sales written (%.0f s)\n", static_cast<long long>(j), sw.seconds());
      std::fflush(stdout);
    }
  }
  // Last, so that an interrupted generation is never taken for a finished one.
  s.settings().set(kMetaKey, meta_text(sales, households, stock));
  db.exec("PRAGMA journal_mode=WAL");
}

// Generation writes with synchronous=OFF: flush the file before measuring, so the kernel's
// writeback of ~1 GB does not run under the measurement.
void flush_to_disk(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}
}  // namespace

GeneratedStore ensure_generated_store(const Options& options) {
  fs::create_directories(options.dir);
  GeneratedStore g;
  g.db_path = options.dir + "/policy-store-" + std::to_string(options.sales) + ".db";
  g.sales = options.sales;
  std::string meta = options.regenerate ? "" : cached_meta(g.db_path);
  const std::string expected_prefix =
      std::string(kGeneratorVersion) + " sales=" + std::to_string(options.sales) + " ";
  if (meta.rfind(expected_prefix, 0) != 0) {
    std::printf("generating %s (schema version %d) ...\n", g.db_path.c_str(),
                store::latest_schema_version());
    std::fflush(stdout);
    const Stopwatch sw;
    const pid_t child = ::fork();
    if (child < 0) throw std::runtime_error("fork failed");
    if (child == 0) {
      int rc = 0;
      try {
        generate(g.db_path, options.sales);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "store generation failed: %s\n", e.what());
        rc = 1;
      }
      std::fflush(stdout);
      std::fflush(stderr);
      ::_exit(rc);
    }
    int status = 0;
    struct rusage usage {};
    if (::wait4(child, &status, 0, &usage) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      remove_store_files(g.db_path);
      throw std::runtime_error("store generation failed");
    }
    flush_to_disk(g.db_path);
    g.generated_now = true;
    g.generation_seconds = sw.seconds();
    meta = cached_meta(g.db_path);
    std::printf("generated in %.1f s, flushed to disk (peak RSS of the generator process %.0f MiB)\n",
                g.generation_seconds, static_cast<double>(usage.ru_maxrss) / 1024.0);
  } else {
    std::printf("reusing the cached %s (%s)\n", g.db_path.c_str(), meta.c_str());
  }
  g.households = meta_value(meta, "households");
  g.stock = meta_value(meta, "stock");
  if (g.households <= 0 || g.stock <= 0) throw std::runtime_error("generated store has no metadata");
  return g;
}

}  // namespace hn::bench
