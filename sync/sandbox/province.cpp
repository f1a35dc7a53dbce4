#include "province.hpp"

#include <algorithm>
#include <chrono>

#include "core/date.hpp"
#include "core/label_card.hpp"
#include "core/money.hpp"
#include "province_internal.hpp"
#include "platform/signing.hpp"

namespace hn::sandbox {

using platform::Database;
using platform::Statement;
using platform::Transaction;
using sync::UploadResult;
using sync::WireSale;

namespace {
constexpr int kUtcOffsetMinutes = 8 * 60;  // Asia/Shanghai

// SUBSIDY_MISMATCH when a line, or the sale, claims another subsidy than `check` computed;
// both figures in the message, of the first line that differs and of the whole sale.
std::optional<UploadResult> subsidy_mismatch(const UploadedSale& uploaded, const SaleCheck& check) {
  const WireSale& s = uploaded.sale;
  std::string zh, en;
  for (std::size_t i = 0; i < check.lines.size() && i < uploaded.line_subsidies.size(); ++i) {
    const Fen claimed = uploaded.line_subsidies[i], rule = check.lines[i].subsidy;
    if (claimed == rule) continue;
    const std::string line = std::to_string(i + 1), card = check.lines[i].card_no;
    zh = "第 " + line + " 行(标识卡 " + card + ")申报补贴 " + format_yuan(claimed) + " 元,按补贴规则应为 " +
         format_yuan(rule) + " 元";
    en = "line " + line + " (card " + card + ") claims a subsidy of " + format_yuan(claimed) +
         ", the rule gives " + format_yuan(rule);
    break;
  }
  // With one line the sale's figures are the line's: said once.
  if (s.subsidy != check.subsidy && (zh.empty() || check.lines.size() > 1)) {
    zh += (zh.empty() ? "" : ";") + std::string("全单申报补贴 ") + format_yuan(s.subsidy) + " 元,按补贴规则应为 " +
          format_yuan(check.subsidy) + " 元";
    en += (en.empty() ? "" : "; ") + std::string("the sale claims a subsidy of ") + format_yuan(s.subsidy) +
          " in all, the rule gives " + format_yuan(check.subsidy);
  }
  if (zh.empty()) return std::nullopt;
  return detail::rejected(
      s.uuid, "SUBSIDY_MISMATCH",
      "补贴申报与补贴规则不符:" + zh + "。省平台不予接收:请技术支持检查终端,并将此销售转为无补贴销售或取消",
      "the subsidy claimed is not the rule's: " + en +
          ". The province does not take the sale: have support check the terminal, and settle the sale as "
          "unsubsidised or cancel it");
}
}  // namespace

namespace detail {

bool is_uuid_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

bool is_local_time(const std::string& s) {
  if (s.size() != 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
  if (!parse_iso_date(s.substr(0, 10))) return false;
  for (std::size_t i : {11u, 12u, 14u, 15u, 17u, 18u})
    if (s[i] < '0' || s[i] > '9') return false;
  return std::stoi(s.substr(11, 2)) < 24 && std::stoi(s.substr(14, 2)) < 60 &&
         std::stoi(s.substr(17, 2)) < 60;
}

UploadResult rejected(const std::string& uuid, const std::string& code, std::string zh, std::string en) {
  return UploadResult{uuid, "rejected", code, std::move(zh), std::move(en)};
}

UploadResult uuid_conflict(const std::string& uuid) {
  return rejected(uuid, "UUID_CONFLICT", "UUID " + uuid + " 已被另一网点的记录使用:请联系技术支持",
                  "UUID " + uuid + " is already used by another outlet's record: contact support");
}

}  // namespace detail

using namespace detail;

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string local_now_iso() { return local_time_from_unix(unix_now(), kUtcOffsetMinutes).iso(); }

Province::Statements::Statements(Database& db)
    : meta_get(db.prepare("SELECT value FROM prov_meta WHERE key = ?")),
      meta_put(db.prepare("INSERT INTO prov_meta(key, value) VALUES(?, ?) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value")),
      outlet_get(db.prepare("SELECT code, name, county, key_hex FROM prov_outlets WHERE code = ?")),
      card_get(db.prepare(
          "SELECT serial_no, model_code, outlet_code, state FROM prov_cards WHERE card_no = ?")),
      history_all(db.prepare(
          "SELECT i.category, COUNT(*) FROM prov_sales s JOIN prov_sale_items i ON i.sale_id = s.id "
          "WHERE s.household = ? AND s.status = 'accepted' AND i.returned = 0 GROUP BY i.category")),
      history_except(db.prepare(
          "SELECT i.category, COUNT(*) FROM prov_sales s JOIN prov_sale_items i ON i.sale_id = s.id "
          "WHERE s.household = ? AND s.status = 'accepted' AND i.returned = 0 "
          "AND s.outlet_code <> ? GROUP BY i.category")),
      sale_find(db.prepare(
          "SELECT status, code, message_zh, message_en, outlet_code FROM prov_sales WHERE uuid = ?")),
      sale_insert(db.prepare(
          "INSERT INTO prov_sales(uuid, outlet_code, invoice_no, sold_at, sale_date, policy_phase, "
          "buyer_name, buyer_id, household, hukou, buyer_county, total_fen, subsidy_fen, status, "
          "code, message_zh, message_en, warnings, received_at) "
          "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")),
      item_insert(db.prepare(
          "INSERT INTO prov_sale_items(sale_id, line_no, card_no, serial_no, model_code, category, "
          "price_fen, subsidy_fen) VALUES(?,?,?,?,?,?,?,?)")),
      card_set_state(db.prepare("UPDATE prov_cards SET state = ? WHERE card_no = ?")),
      duplicate_count(db.prepare(
          "INSERT INTO prov_duplicates(outlet_code, kind, count, last_at) VALUES(?,?,1,?) "
          "ON CONFLICT(outlet_code, kind) DO UPDATE SET count = count + 1, last_at = excluded.last_at")),
      event_find(db.prepare(
          "SELECT status, code, message_zh, message_en, outlet_code FROM prov_events WHERE uuid = ?")),
      event_insert(db.prepare(
          "INSERT INTO prov_events(uuid, outlet_code, kind, sale_uuid, card_no, at, reason, status, "
          "code, message_zh, message_en, received_at, new_card, new_serial) "
          "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,NULLIF(?, ''),NULLIF(?, ''))")),
      event_sale(db.prepare("SELECT id FROM prov_sales WHERE uuid = ? AND status = 'accepted' "
                            "AND outlet_code = ?")),
      event_item(db.prepare(
          "SELECT id, returned FROM prov_sale_items WHERE sale_id = ? AND card_no = ?")),
      item_return(db.prepare("UPDATE prov_sale_items SET returned = 1 WHERE id = ?")),
      claim_get(db.prepare("SELECT state, payment_held FROM prov_claims WHERE card_no = ?")),
      claim_put(db.prepare(
          "INSERT INTO prov_claims(card_no, state, payment_held, updated_at) VALUES(?,?,?,?) "
          "ON CONFLICT(card_no) DO UPDATE SET state = excluded.state, "
          "payment_held = excluded.payment_held, updated_at = excluded.updated_at")),
      claim_delete(db.prepare("DELETE FROM prov_claims WHERE card_no = ?")),
      sold_card(db.prepare(
          "SELECT s.uuid FROM prov_sale_items i JOIN prov_sales s ON s.id = i.sale_id "
          "WHERE i.card_no = ?")),
      own_sold_card(db.prepare(
          "SELECT s.uuid FROM prov_sale_items i JOIN prov_sales s ON s.id = i.sale_id "
          "WHERE i.card_no = ? AND s.outlet_code = ?")),
      nonce_insert(db.prepare(
          "INSERT OR IGNORE INTO prov_nonces(outlet_code, nonce, seen_at) VALUES(?,?,?)")),
      nonce_prune(db.prepare("DELETE FROM prov_nonces WHERE seen_at <= ?")) {}

Province::Province(Database db) : db_(std::move(db)) {}
Province::~Province() = default;
Province::Province(Province&&) noexcept = default;
Province& Province::operator=(Province&&) noexcept = default;

Province Province::open(const std::string& path, const std::string& assets_dir) {
  Province p(Database::open(path, /*create=*/true, detail::province_migrations(assets_dir)));
  // The sandbox is a stand-in, not a till: a commit need not survive a power cut, and
  // uploads of 10,000 sales must be quick (DESIGN.md "Budgets").
  p.db_.exec("PRAGMA synchronous=NORMAL");
  p.st_ = std::make_unique<Statements>(p.db_);
  return p;
}

std::int64_t Province::version() {
  Use st(st_->meta_get);
  st->bind(1, kMetaVersion);
  return st->step() ? std::stoll(st->text(0)) : 0;
}

std::int64_t Province::bump_version() {
  const std::int64_t v = version() + 1;
  Use st(st_->meta_put);
  st->bind(1, kMetaVersion).bind(2, std::to_string(v)).run();
  return v;
}

std::string Province::active_policy_id() {
  Use st(st_->meta_get);
  st->bind(1, kMetaPolicy);
  return st->step() ? st->text(0) : std::string();
}

void Province::refresh() {
  const std::int64_t v = version();
  if (v == cached_version_) return;
  Catalog catalog;
  auto st = db_.prepare(
      "SELECT model_code, category, brand, name, spec, max_price_fen, valid_from, valid_to "
      "FROM prov_catalog");
  while (st.step()) {
    CatalogModel m;
    m.model_code = st.text(0);
    const auto cat = parse_category(st.text(1));
    const auto from = parse_iso_date(st.text(6));
    if (!cat || !from) throw std::runtime_error("damaged catalog row " + m.model_code);
    m.category = *cat;
    m.brand = st.text(2);
    m.name = st.text(3);
    m.spec = st.text(4);
    m.max_price = st.int64(5);
    m.valid_from = *from;
    if (const auto to = st.optional_text(7)) m.valid_to = parse_iso_date(*to);
    catalog.put(std::move(m));
  }
  const std::string id = active_policy_id();
  auto ps = db_.prepare("SELECT source FROM prov_policies WHERE id = ?");
  ps.bind(1, id);
  PolicyPhase phase;
  ImportMessage err;
  if (!ps.step() || !parse_policy_file(ps.text(0), phase, err))
    throw std::runtime_error("the stored policy phase " + id + " is missing or damaged");
  catalog_ = std::move(catalog);
  policy_ = std::move(phase);
  cached_version_ = v;
}

// --- the server side ---------------------------------------------------------------------

std::optional<Outlet> Province::find_outlet(const std::string& code) {
  Use st(st_->outlet_get);
  st->bind(1, code);
  if (!st->step()) return std::nullopt;
  return Outlet{st->text(0), st->text(1), st->text(2)};
}

std::optional<std::vector<unsigned char>> Province::outlet_key(const std::string& code) {
  Use st(st_->outlet_get);
  st->bind(1, code);
  if (!st->step()) return std::nullopt;
  const std::string hex = st->text(3);
  std::vector<unsigned char> key;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    key.push_back(static_cast<unsigned char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return key;
}

std::map<std::string, std::map<std::string, std::int64_t>> Province::recent_nonces(std::int64_t now) {
  {
    Use prune(st_->nonce_prune);
    prune->bind(1, now - sync::kNonceMemorySeconds).run();
  }
  std::map<std::string, std::map<std::string, std::int64_t>> out;
  auto st = db_.prepare("SELECT outlet_code, nonce, seen_at FROM prov_nonces");
  while (st.step()) out[st.text(0)][st.text(1)] = st.int64(2);
  return out;
}

void Province::remember_nonce(const std::string& outlet_code, const std::string& nonce,
                              std::int64_t now) {
  if (++st_->nonces_since_prune >= 256) {
    st_->nonces_since_prune = 0;
    Use prune(st_->nonce_prune);
    prune->bind(1, now - sync::kNonceMemorySeconds).run();
  }
  Use st(st_->nonce_insert);
  st->bind(1, outlet_code).bind(2, nonce).bind(3, now).run();
}

std::optional<LabelCard> Province::card_for(const std::string& card_no, const std::string& outlet_code) {
  Use st(st_->card_get);
  st->bind(1, card_no);
  if (!st->step()) return std::nullopt;  // never issued: CARD_UNKNOWN
  LabelCard c{card_no, st->text(0), st->text(1), CardStatus::InStock};
  const std::string state = st->text(3);
  // The same order as the terminal's own records (store::Store::find_card): a card shipped to
  // another outlet was not received here (POLICY R8), whatever became of it there; one of ours
  // already sold, or taken back and destroyed, is sold (POLICY S1, R6).
  if (st->text(2) != outlet_code) c.status = CardStatus::NotReceived;
  else if (state == "sold") c.status = CardStatus::Sold;
  else if (state == "returned") c.status = CardStatus::Returned;
  return c;
}

HouseholdHistory Province::history(const std::string& household, const std::string* except_outlet) {
  // POLICY R5 across all outlets; POLICY R6: returned items give the quota back.
  Use st(except_outlet ? st_->history_except : st_->history_all);
  st->bind(1, household);
  if (except_outlet) st->bind(2, *except_outlet);
  HouseholdHistory h;
  while (st->step())
    if (const auto cat = parse_category(st->text(0))) h.held[*cat] += st->integer(1);
  return h;
}

void Province::count_duplicate(const std::string& outlet_code, const char* kind, const UploadResult& r,
                               const std::string& now_iso) {
  if (r.status != "duplicate") return;
  Use st(st_->duplicate_count);
  st->bind(1, outlet_code).bind(2, kind).bind(3, now_iso).run();
}

std::vector<UploadResult> Province::upload_sales(const Outlet& outlet, const std::vector<UploadedSale>& sales) {
  refresh();
  const std::string now = local_now_iso();
  std::vector<UploadResult> out;
  out.reserve(sales.size());
  // One batch, one transaction: the sales are checked in order, each against the province as
  // the ones before it left it (a second TV for the same household in the batch is refused).
  Transaction tx(db_);
  for (const auto& s : sales) {
    out.push_back(upload_one(outlet, s, now));
    count_duplicate(outlet.code, "sale", out.back(), now);
  }
  tx.commit();
  return out;
}

UploadResult Province::upload_one(const Outlet& outlet, const UploadedSale& uploaded, const std::string& now) {
  const WireSale& s = uploaded.sale;
  {
    // The UUID is the idempotency key forever: accepted once, a duplicate ever after; a
    // rejected one is rejected again with the same code.
    Use find(st_->sale_find);
    find->bind(1, s.uuid);
    if (find->step()) {
      // Never "duplicate" for another outlet's sale: that outlet would take its own sale,
      // which the province does not hold, as delivered.
      if (find->text(4) != outlet.code) return uuid_conflict(s.uuid);
      if (find->text(0) == "accepted") return UploadResult{s.uuid, "duplicate", "", "", ""};
      return rejected(s.uuid, find->text(1), find->text(2), find->text(3));
    }
  }

  Cart cart;
  cart.buyer = s.buyer;
  for (const auto& item : s.items) cart.items.push_back({item.card_no, item.serial_no, item.price});
  SaleContext ctx;
  ctx.catalog = &catalog_;
  ctx.policy = &policy_;
  ctx.outlet = outlet;  // its county from the outlets table (POLICY R7)
  ctx.today = *parse_iso_date(s.sale_date);  // checked as of the sale's own date
  if (!s.buyer.household.empty()) ctx.history = history(s.buyer.household, nullptr);
  for (const auto& item : s.items)
    ctx.cards.push_back(is_valid_card_no(item.card_no) ? card_for(item.card_no, outlet.code)
                                                       : std::nullopt);
  // The same engine as the terminal: POLICY R1-R8, S1-S3.
  const SaleCheck check = check_sale(ctx, cart);

  UploadResult r{s.uuid, "accepted", "", "", ""};
  std::string warnings;
  for (const auto& f : check.findings) {
    if (f.severity == Severity::Refuse) {
      if (r.code.empty()) r = rejected(s.uuid, std::string(finding_code_name(f.code)), f.message_zh, f.message_en);
    } else {
      // Warnings (COUNTY_MISMATCH by default, POLICY R7) do not reject.
      warnings += (warnings.empty() ? "" : ",") + std::string(finding_code_name(f.code));
    }
  }
  // A sale the rules allow still claims exactly the rule's subsidy, line by line; anything
  // else comes from a broken or tampered terminal and is never quietly rewritten (POLICY S2).
  if (r.code.empty())
    if (auto wrong = subsidy_mismatch(uploaded, check)) r = std::move(*wrong);
  const bool ok = r.status == "accepted";

  Use ins(st_->sale_insert);
  ins->bind(1, s.uuid).bind(2, outlet.code).bind(3, s.invoice_no).bind(4, s.sold_at);
  ins->bind(5, s.sale_date).bind(6, s.policy_phase).bind(7, s.buyer.name).bind(8, s.buyer.id_text);
  ins->bind(9, s.buyer.household).bind(10, hukou_code(s.buyer.hukou)).bind(11, s.buyer.county);
  // Accepted, the claim is the engine's figure; rejected, the row keeps what was claimed.
  ins->bind(12, ok ? check.total : s.total).bind(13, ok ? check.subsidy : s.subsidy);
  ins->bind(14, ok ? "accepted" : "rejected").bind(15, r.code).bind(16, r.message_zh);
  ins->bind(17, r.message_en).bind(18, warnings).bind(19, now);
  ins->run();
  if (!ok) return r;  // a rejected sale is not stored as sold

  const std::int64_t sale_id = db_.last_insert_rowid();
  for (std::size_t i = 0; i < check.lines.size(); ++i) {
    const PricedLine& line = check.lines[i];
    {
      Use item(st_->item_insert);
      item->bind(1, sale_id).bind(2, static_cast<std::int64_t>(i + 1)).bind(3, line.card_no);
      item->bind(4, line.serial_no).bind(5, line.model->model_code);
      item->bind(6, category_code(line.model->category)).bind(7, line.price).bind(8, line.subsidy);
      item->run();
    }
    Use sold(st_->card_set_state);  // POLICY S1: sold once, province-wide
    sold->bind(1, "sold").bind(2, line.card_no).run();
  }
  return r;
}

std::vector<UploadResult> Province::upload_closings(const Outlet& outlet, const nlohmann::json& closings) {
  const std::string now = local_now_iso();
  std::vector<UploadResult> out;
  Transaction tx(db_);
  for (const auto& c : closings) {
    const std::string uuid = c.value("uuid", ""), body = c.value("body", ""), sig = c.value("signature", ""),
                      key = c.value("public_key", "");
    auto seen = db_.prepare("SELECT body FROM prov_closings WHERE uuid = ? AND outlet_code = ?");
    seen.bind(1, uuid).bind(2, outlet.code);
    if (seen.step()) {
      out.push_back(seen.text(0) == body ? UploadResult{uuid, "duplicate", "", "", ""}
                                         : rejected(uuid, "CLOSING_CHANGED", "同一日结的内容与先前上传的不同",
                                                    "this closing differs from the copy uploaded before"));
      continue;
    }
    auto known = db_.prepare("SELECT public_key FROM prov_outlet_keys WHERE outlet_code = ?");
    known.bind(1, outlet.code);
    const std::string registered = known.step() ? known.text(0) : "";
    if (!registered.empty() && registered != key) {
      out.push_back(rejected(uuid, "KEY_CHANGED", "日结的签名密钥与本网点登记的不同",
                             "the closing is signed with a key other than the one registered for this outlet"));
      continue;
    }
    if (!hn::platform::verify_signature(key, body, sig)) {
      out.push_back(rejected(uuid, "CLOSING_SIGNATURE", "日结签名不符", "the closing does not match its signature"));
      continue;
    }
    if (registered.empty())
      db_.prepare("INSERT INTO prov_outlet_keys(outlet_code, public_key, since) VALUES(?,?,?)")
          .bind(1, outlet.code)
          .bind(2, key)
          .bind(3, now)
          .run();
    const auto parsed = nlohmann::json::parse(body, nullptr, false);
    db_.prepare("INSERT INTO prov_closings(uuid, outlet_code, date, body, signature, public_key, received_at) "
                "VALUES(?,?,?,?,?,?,?)")
        .bind(1, uuid)
        .bind(2, outlet.code)
        .bind(3, parsed.is_object() ? parsed.value("date", "") : "")
        .bind(4, body)
        .bind(5, sig)
        .bind(6, key)
        .bind(7, now)
        .run();
    out.push_back(UploadResult{uuid, "accepted", "", "", ""});
  }
  tx.commit();
  return out;
}

std::map<Category, int> Province::household_held(const std::string& household,
                                                 const std::string& outlet_code) {
  std::map<Category, int> out;
  for (Category c : kAllCategories) out[c] = 0;
  // "at every outlet except the asking one (the terminal knows its own)".
  for (const auto& [cat, n] : history(household, &outlet_code).held) out[cat] = n;
  return out;
}

std::optional<nlohmann::json> Province::card_state(const std::string& card_no, const std::string& outlet_code) {
  std::string sale_uuid;
  {
    // Only the outlet that sold the card learns its sale and its subsidy state: to any other
    // it is a card the province never saw sold (PROTOCOL.md "cards/state").
    Use sold(st_->own_sold_card);
    sold->bind(1, card_no).bind(2, outlet_code);
    if (!sold->step()) return std::nullopt;
    sale_uuid = sold->text(0);
  }
  std::string state = "not_claimed";
  {
    Use claim(st_->claim_get);
    claim->bind(1, card_no);
    if (claim->step()) state = claim->text(0);
  }
  return nlohmann::json{{"card", card_no}, {"sale_uuid", sale_uuid}, {"state", state}};
}

nlohmann::json Province::updates(const std::string& outlet_code, std::int64_t since) {
  // Read in one transaction so `version` and the rows agree.
  db_.exec("BEGIN");
  try {
    const std::int64_t v = version();
    nlohmann::json catalog = nlohmann::json::array(), policies = nlohmann::json::array(),
                   cards = nlohmann::json::array();
    auto cs = db_.prepare(
        "SELECT model_code, category, brand, name, spec, max_price_fen, valid_from, valid_to "
        "FROM prov_catalog WHERE version > ? ORDER BY model_code");
    cs.bind(1, since);
    while (cs.step()) {
      nlohmann::json m = {{"model_code", cs.text(0)}, {"category", cs.text(1)},
                          {"brand", cs.text(2)},      {"name", cs.text(3)},
                          {"spec", cs.text(4)},       {"max_price_fen", cs.int64(5)},
                          {"valid_from", cs.text(6)}, {"valid_to", nullptr}};
      if (const auto to = cs.optional_text(7)) m["valid_to"] = *to;
      catalog.push_back(std::move(m));
    }
    auto ps = db_.prepare("SELECT id, source FROM prov_policies WHERE version > ? ORDER BY id");
    ps.bind(1, since);
    while (ps.step()) policies.push_back({{"id", ps.text(0)}, {"source", ps.text(1)}});
    auto ks = db_.prepare(
        "SELECT card_no, serial_no, model_code FROM prov_cards WHERE outlet_code = ? AND version > ? "
        "ORDER BY card_no");
    ks.bind(1, outlet_code).bind(2, since);
    while (ks.step())
      cards.push_back({{"card_no", ks.text(0)}, {"serial_no", ks.text(1)}, {"model_code", ks.text(2)}});
    db_.exec("COMMIT");
    return {{"version", v}, {"catalog", catalog}, {"policies", policies}, {"cards", cards}};
  } catch (...) {
    db_.exec("ROLLBACK");
    throw;
  }
}

}  // namespace hn::sandbox
