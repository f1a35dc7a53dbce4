#pragma once
// The provincial information system's records as the sandbox keeps them (its own SQLite file)
// and the rules it applies to what outlets upload: the same policy engine as the terminal
// (hn::check_sale), fed with the province's view of every outlet (sync/PROTOCOL.md).
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/catalog.hpp"
#include "core/policy.hpp"
#include "core/policy_engine.hpp"
#include "protocol/protocol.hpp"
#include "platform/database.hpp"

namespace hn::sandbox {

// Bad input to an administration command (a file, an option value): exit 2 in the CLI.
class InputError : public std::runtime_error {
 public:
  InputError(std::string zh, std::string en)
      : std::runtime_error(zh + " / " + en), zh_(std::move(zh)), en_(std::move(en)) {}
  const std::string& zh() const { return zh_; }
  const std::string& en() const { return en_; }

 private:
  std::string zh_, en_;
};

// An all-or-nothing import refused on the row and field `m` names.
InputError import_error(const ImportMessage& m, const std::string& what_zh, const std::string& what_en);

// One return / pre-return / cancel-claim event as it comes up (PROTOCOL.md "POST /api/v1/returns").
struct WireEvent {
  std::string uuid;
  std::string kind;  // "return" | "pre_return" | "cancel_claim" | "return_request" | "exchange"
  std::string sale_uuid;
  std::string card;
  std::string at;
  std::string reason;
  std::string new_card;    // exchange only: the replacement's label card
  std::string new_serial;  // exchange only: the replacement's serial
};
// false with `error` naming the bad field, as sync::sale_from_wire does for sales.
bool event_from_wire(const nlohmann::json& j, WireEvent& out, std::string& error);

// A sale as it came up: the wire sale and the subsidy each of its lines claims
// (sync::WireSale keeps only the total, which sale_from_wire checked to be their sum).
struct UploadedSale {
  sync::WireSale sale;
  std::vector<Fen> line_subsidies;  // one per item, in order
};

// The subsidy states of a sold card (PROTOCOL.md "POST /api/v1/cards/state"); `claim` plays the
// township finance office that moves them.
bool is_claim_state(const std::string& s);

class Province {
 public:
  // Opens the sandbox database, creating it (owner-only) on first use; a new database gets the
  // default policy phase from `assets_dir`/policy/ (POLICY.md: the Dec 2008 one).
  static Province open(const std::string& path, const std::string& assets_dir);
  ~Province();
  Province(Province&&) noexcept;
  Province& operator=(Province&&) noexcept;

  platform::Database& db() { return db_; }

  // --- administration (the CLI); bad input throws InputError ---------------------------
  // Registers the outlet and writes its credential directory (sync::write_credential).
  sync::Credential add_outlet(const std::string& code, const std::string& name,
                              const std::string& county, const std::string& out_dir);
  // The winning-bid catalog (POLICY R1): all rows or none; returns the number of models.
  int import_catalog(const std::string& csv_text);
  // Stores a policy phase file and makes it the one sales are checked with; returns its id.
  std::string use_policy(const std::string& ini_text);
  // Label cards shipped to an outlet (POLICY R8); all rows or none; returns the count.
  int issue_cards(const std::string& csv_text, const std::string& outlet_code);
  // The township's word on a sold card's subsidy.
  void set_claim(const std::string& card_no, const std::string& state);
  // Per outlet: sales accepted, duplicates answered, sales rejected by code (and the same for
  // return events).
  nlohmann::json report();
  std::string active_policy_id();

  // --- the server side -----------------------------------------------------------------
  std::optional<Outlet> find_outlet(const std::string& code);
  std::optional<std::vector<unsigned char>> outlet_key(const std::string& code);
  // Nonces survive a restart of `serve` (PROTOCOL.md: REPLAYED within 600 s).
  std::map<std::string, std::map<std::string, std::int64_t>> recent_nonces(std::int64_t unix_now);
  void remember_nonce(const std::string& outlet_code, const std::string& nonce, std::int64_t unix_now);

  // One batch in one transaction, in order; one result per sale. A sale the rules accept
  // but whose claimed subsidy is not the rule's figure is rejected SUBSIDY_MISMATCH.
  std::vector<sync::UploadResult> upload_sales(const Outlet& outlet, const std::vector<UploadedSale>& sales);
  std::vector<sync::UploadResult> upload_events(const Outlet& outlet,
                                                const std::vector<WireEvent>& events);
  // Signed daily closings (audit issue): kept as sent; the first closing's key is the
  // outlet's from then on, and a closing signed by another key or not matching its signature
  // is rejected (CLOSING_SIGNATURE, KEY_CHANGED).
  std::vector<sync::UploadResult> upload_closings(const Outlet& outlet, const nlohmann::json& closings);
  // Units the household holds per category at every outlet but `outlet_code`.
  std::map<Category, int> household_held(const std::string& household,
                                         const std::string& outlet_code);
  // {"card","sale_uuid","state"} or nullopt when the province holds no accepted sale of the
  // card by `outlet_code`: another outlet's card is answered as one never sold.
  std::optional<nlohmann::json> card_state(const std::string& card_no, const std::string& outlet_code);
  // The answer of GET /api/v1/updates?since=N for the outlet.
  nlohmann::json updates(const std::string& outlet_code, std::int64_t since);
  std::int64_t version();

 private:
  struct Statements;
  explicit Province(platform::Database db);
  std::int64_t bump_version();
  void put_policy(const PolicyPhase& phase, const std::string& source);
  // The catalog and policy, reloaded when the updates version moved (another process imported).
  void refresh();
  std::optional<LabelCard> card_for(const std::string& card_no, const std::string& outlet_code);
  HouseholdHistory history(const std::string& household, const std::string* except_outlet);
  sync::UploadResult upload_one(const Outlet& outlet, const UploadedSale& sale, const std::string& now_iso);
  sync::UploadResult event_one(const Outlet& outlet, const WireEvent& e, const std::string& now_iso);
  sync::UploadResult exchange_one(const Outlet& outlet, const WireEvent& e, std::int64_t sale_id);
  void count_duplicate(const std::string& outlet_code, const char* kind, const sync::UploadResult& r,
                       const std::string& now_iso);

  platform::Database db_;
  std::unique_ptr<Statements> st_;  // after db_: finalized before the database closes
  std::int64_t cached_version_ = -1;
  Catalog catalog_;
  PolicyPhase policy_;
};

// Local time now as ISO text (China: UTC+8, no DST since 1991).
std::string local_now_iso();
std::int64_t unix_now();

}  // namespace hn::sandbox
