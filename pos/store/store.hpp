#pragma once
// The terminal's one SQLite file: repositories over the schema of migrations.cpp. Methods
// that change data expect the caller to hold a Transaction when several must be atomic
// (a sale is ONE transaction: see pos/app/checkout.cpp).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/records.hpp"
#include "store/cards.hpp"
#include "store/catalog.hpp"
#include "store/closings.hpp"
#include "store/platform_names.hpp"
#include "store/exchanges.hpp"
#include "store/held_sales.hpp"
#include "store/households.hpp"
#include "store/journal.hpp"
#include "store/outbox.hpp"
#include "store/policy_phases.hpp"
#include "store/reports.hpp"
#include "store/returns.hpp"
#include "store/sales.hpp"
#include "store/settings.hpp"
#include "store/tasks.hpp"
#include "store/users.hpp"

namespace hn::store {

inline constexpr const char* kKeyCheckSetting = "keys.check";
// How many journal entries back the start-up check compares the sales rows with.
inline constexpr std::int64_t kStartupSalesWindow = 500;
struct SaleMismatch;
class DamagedError;
// DATABASE_DAMAGED naming the invoice whose rows disagree with the journal.
DamagedError sales_damaged(const std::string& db_path, const SaleMismatch& m);

// The records (core/records.hpp) by the names they had here.
using hn::ExchangeRecord;
using hn::HeldLine;
using hn::HeldSale;
using hn::OutboxRow;
using hn::parse_role;
using hn::RefusedAttempt;
using hn::ReturnDocument;
using hn::ReturnEvent;
using hn::ReturnRecord;
using hn::ReturnRequest;
using hn::Role;
using hn::role_code;
using hn::SaleSettlement;
using hn::Task;
using UserRecord = hn::User;
using SaleItemRecord = hn::SaleItem;
using SaleRecord = hn::Sale;

class Store {
 public:
  // Opens an existing terminal database and its key file (`<db>.key`).
  // Opens an existing terminal database after the start-up check (soundness.hpp), the key
  // check (KEY_MISMATCH) and the journal head check (journal_head.hpp). `restoring`: a backup
  // being put in place, whose head file is made anew from its journal.
  static Store open(const std::string& db_path, bool restoring = false);
  // Creates a new database and key file; refuses when either exists.
  static Store create(const std::string& db_path);
  static std::string key_path_for(const std::string& db_path) { return db_path + ".key"; }

  Database& db() { return db_; }
  const KeyRing& keys() const { return keys_; }
  JournalEntry journal(const std::string& at, const std::string& user_login,
                       const std::string& kind, const nlohmann::json& body) {
    return journal_append(db_, at, user_login, kind, body);
  }

  // One repository per aggregate, over this connection (and the keys where they seal personal
  // data): `store.users().find(login)`, `store.sales().insert(sale)`. Each is two references,
  // made on the call; none outlives the Store.
  Settings settings() { return Settings(db_); }
  Users users() { return Users(db_); }
  PolicyPhases policy_phases() { return PolicyPhases(db_); }
  CatalogModels catalog() { return CatalogModels(db_); }
  Cards cards() { return Cards(db_); }
  Households households() { return Households(db_, keys_); }
  Sales sales() { return Sales(db_, keys_); }
  Returns returns() { return Returns(db_, keys_); }
  Exchanges exchanges() { return Exchanges(db_, keys_); }
  Outbox outbox() { return Outbox(db_); }
  Tasks tasks() { return Tasks(db_); }
  HeldSales held_sales() { return HeldSales(db_, keys_); }
  Reports reports() { return Reports(db_); }
  Closings closings() { return Closings(db_); }

 private:
  Store(Database db, KeyRing keys) : db_(std::move(db)), keys_(std::move(keys)) {}
  static void check_keys(Database& db, const KeyRing& keys, const std::string& key_path);
  Database db_;
  KeyRing keys_;
};

}  // namespace hn::store
