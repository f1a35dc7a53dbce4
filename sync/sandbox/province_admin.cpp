// The administration commands of huinong-sandbox (outlet add, catalog import, policy use,
// cards issue, claim, report): bad input throws InputError, and nothing is half-written.
#include <algorithm>

#include "core/text.hpp"
#include "province_internal.hpp"
#include "platform/crypto.hpp"

namespace hn::sandbox {

using platform::Transaction;
using namespace detail;

InputError import_error(const ImportMessage& m, const std::string& what_zh, const std::string& what_en) {
  std::string zh, en;
  if (m.line > 0) {
    zh = "第 " + std::to_string(m.line) + " 行";
    en = "row " + std::to_string(m.line);
  }
  if (!m.field.empty()) {
    zh += (zh.empty() ? "" : " ") + m.field;
    en += (en.empty() ? "" : ", ") + m.field;
  }
  if (!zh.empty()) zh += ":";
  if (!en.empty()) en += ": ";
  return InputError(what_zh + "未导入任何内容。" + zh + m.message_zh,
                    "nothing from " + what_en + " was imported. " + en + m.message_en);
}

sync::Credential Province::add_outlet(const std::string& code, const std::string& name,
                                      const std::string& county, const std::string& out_dir) {
  if (code.empty() || code.size() > 32 ||
      std::any_of(code.begin(), code.end(), [](char c) { return !is_uuid_char(c); }))
    throw InputError("网点编码 '" + code + "' 无效:1-32 位字母、数字或 -",
                     "outlet code '" + code + "' is invalid: 1-32 letters, digits or -");
  if (trim(name).empty() || !is_valid_utf8(name))
    throw InputError("请给出网点名称(UTF-8)", "give the outlet's name (UTF-8)");
  if (county.size() != 6 || std::any_of(county.begin(), county.end(), [](char c) { return c < '0' || c > '9'; }))
    throw InputError("县级行政区划代码 '" + county + "' 无效:应为 6 位数字,如 341322",
                     "county code '" + county + "' is invalid: it has 6 digits, e.g. 341322");
  Transaction tx(db_);
  if (find_outlet(code))
    throw InputError("网点 " + code + " 已经登记", "outlet " + code + " is already registered");
  sync::Credential c;
  try {
    c = sync::write_credential(out_dir, code, name, county);
  } catch (const platform::SetupError& e) {
    throw InputError(e.zh(), e.en());
  }
  db_.prepare("INSERT INTO prov_outlets(code, name, county, key_hex, created_at) VALUES(?,?,?,?,?)")
      .bind(1, code)
      .bind(2, name)
      .bind(3, county)
      .bind(4, platform::to_hex(c.key))
      .bind(5, local_now_iso())
      .run();
  tx.commit();
  return c;
}

int Province::import_catalog(const std::string& csv_text) {
  std::vector<CatalogModel> models;
  ImportMessage err;
  if (!parse_catalog_csv(csv_text, models, err))  // POLICY R1: all rows or none
    throw import_error(err, "中标产品目录", "the catalog");
  Transaction tx(db_);
  const std::int64_t next = version() + 1;
  bool changed = false;
  auto find = db_.prepare(
      "SELECT category, brand, name, spec, max_price_fen, valid_from, valid_to FROM prov_catalog "
      "WHERE model_code = ?");
  auto put = db_.prepare(
      "INSERT INTO prov_catalog(model_code, category, brand, name, spec, max_price_fen, valid_from, "
      "valid_to, version) VALUES(?,?,?,?,?,?,?,?,?) ON CONFLICT(model_code) DO UPDATE SET "
      "category = excluded.category, brand = excluded.brand, name = excluded.name, "
      "spec = excluded.spec, max_price_fen = excluded.max_price_fen, "
      "valid_from = excluded.valid_from, valid_to = excluded.valid_to, version = excluded.version");
  for (const auto& m : models) {
    const std::string cat(category_code(m.category));
    const std::optional<std::string> to = m.valid_to ? std::optional(m.valid_to->iso()) : std::nullopt;
    find.bind(1, m.model_code);
    const bool same = find.step() && find.text(0) == cat && find.text(1) == m.brand &&
                      find.text(2) == m.name && find.text(3) == m.spec &&
                      find.int64(4) == m.max_price && find.text(5) == m.valid_from.iso() &&
                      find.optional_text(6) == to;
    find.reset();
    if (same) continue;  // unchanged rows keep their version: updates carry changes only
    put.bind(1, m.model_code).bind(2, cat).bind(3, m.brand).bind(4, m.name).bind(5, m.spec);
    put.bind(6, m.max_price).bind(7, m.valid_from.iso()).bind(8, to).bind(9, next);
    put.run();
    put.reset();
    changed = true;
  }
  if (changed) bump_version();
  tx.commit();
  return static_cast<int>(models.size());
}

void Province::put_policy(const PolicyPhase& phase, const std::string& source) {
  auto find = db_.prepare("SELECT source FROM prov_policies WHERE id = ?");
  find.bind(1, phase.id);
  if (find.step() && find.text(0) == source) return;
  find.reset();
  const std::int64_t v = bump_version();
  db_.prepare("INSERT INTO prov_policies(id, source, version, imported_at) VALUES(?,?,?,?) "
              "ON CONFLICT(id) DO UPDATE SET source = excluded.source, version = excluded.version, "
              "imported_at = excluded.imported_at")
      .bind(1, phase.id)
      .bind(2, source)
      .bind(3, v)
      .bind(4, local_now_iso())
      .run();
}

std::string Province::use_policy(const std::string& ini_text) {
  PolicyPhase phase;
  ImportMessage err;
  if (!parse_policy_file(ini_text, phase, err)) throw import_error(err, "补贴政策文件", "the policy file");
  Transaction tx(db_);
  put_policy(phase, ini_text);
  if (active_policy_id() != phase.id) {
    {
      Use st(st_->meta_put);
      st->bind(1, kMetaPolicy).bind(2, phase.id).run();
    }
    // The terminals' caches and ours key on the version: a switch is a change too, and the
    // phase switched to is sent again with the next updates.
    const std::int64_t v = bump_version();
    db_.prepare("UPDATE prov_policies SET version = ? WHERE id = ?").bind(1, v).bind(2, phase.id).run();
  }
  tx.commit();
  return phase.id;
}

int Province::issue_cards(const std::string& csv_text, const std::string& outlet_code) {
  if (!find_outlet(outlet_code))
    throw InputError("没有网点 " + outlet_code + ":请先 outlet add",
                     "there is no outlet " + outlet_code + ": run outlet add first");
  refresh();
  std::vector<CardReceiptRow> rows;
  ImportMessage err;
  if (!parse_card_batch_csv(csv_text, catalog_, rows, err))
    throw import_error(err, "标识卡文件", "the card file");
  Transaction tx(db_);
  const std::int64_t v = bump_version();
  const std::string now = local_now_iso();
  auto serial = db_.prepare("SELECT card_no FROM prov_cards WHERE model_code = ? AND serial_no = ?");
  auto ins = db_.prepare(
      "INSERT INTO prov_cards(card_no, serial_no, model_code, outlet_code, version, issued_at) "
      "VALUES(?,?,?,?,?,?)");
  for (const auto& r : rows) {
    {
      Use card(st_->card_get);
      card->bind(1, r.card_no);
      // POLICY S1: a card number is unique province-wide.
      if (card->step())
        throw InputError("第 " + std::to_string(r.line) + " 行:标识卡 " + r.card_no + " 已发给网点 " +
                             card->text(2) + "。文件未导入任何内容",
                         "row " + std::to_string(r.line) + ": card " + r.card_no +
                             " was already issued to outlet " + card->text(2) +
                             ". Nothing from the file was imported");
    }
    serial.bind(1, r.model_code).bind(2, r.serial_no);
    if (serial.step())
      throw InputError("第 " + std::to_string(r.line) + " 行:型号 " + r.model_code + " 的序列号 " +
                           r.serial_no + " 已在标识卡 " + serial.text(0) + " 上。文件未导入任何内容",
                       "row " + std::to_string(r.line) + ": serial " + r.serial_no + " of model " +
                           r.model_code + " is already on card " + serial.text(0) +
                           ". Nothing from the file was imported");
    serial.reset();
    ins.bind(1, r.card_no).bind(2, r.serial_no).bind(3, r.model_code).bind(4, outlet_code);
    ins.bind(5, v).bind(6, now);
    ins.run();
    ins.reset();
  }
  tx.commit();
  return static_cast<int>(rows.size());
}

void Province::set_claim(const std::string& card_no, const std::string& state) {
  if (!is_claim_state(state))
    throw InputError("补贴状态 '" + state + "' 无效:应为 claimed、approved、paid、refunded 或 rejected",
                     "subsidy state '" + state + "' is invalid: use claimed, approved, paid, refunded or rejected");
  Transaction tx(db_);
  {
    Use sold(st_->sold_card);
    sold->bind(1, card_no);
    if (!sold->step())
      throw InputError("省平台没有标识卡 " + card_no + " 的销售记录,无法申报补贴",
                       "the province holds no sale of card " + card_no + ": there is nothing to claim");
  }
  std::int64_t held = 0;
  {
    Use cur(st_->claim_get);
    cur->bind(1, card_no);
    if (cur->step()) held = cur->int64(1);
  }
  Use put(st_->claim_put);
  put->bind(1, card_no).bind(2, state).bind(3, held).bind(4, local_now_iso()).run();
  tx.commit();
}

nlohmann::json Province::report() {
  nlohmann::json outlets = nlohmann::json::array();
  auto list = db_.prepare("SELECT code, name, county FROM prov_outlets ORDER BY code");
  // One row per UUID: an accepted sale is counted once however often it was re-sent, and so
  // is a rejected one (it is answered again, but it is still one rejected sale).
  auto answered = db_.prepare(
      "SELECT 'sale', status, code, COUNT(*) FROM prov_sales WHERE outlet_code = ?1 GROUP BY status, code "
      "UNION ALL "
      "SELECT 'event', status, code, COUNT(*) FROM prov_events WHERE outlet_code = ?1 GROUP BY status, code");
  auto duplicates = db_.prepare("SELECT kind, count FROM prov_duplicates WHERE outlet_code = ?");
  while (list.step()) {
    const std::string code = list.text(0);
    nlohmann::json sales = {{"accepted", 0}, {"duplicates", 0}, {"rejected", nlohmann::json::object()},
                            {"rejected_total", 0}};
    nlohmann::json events = sales;
    answered.bind(1, code);
    while (answered.step()) {
      auto& dst = answered.text(0) == "sale" ? sales : events;
      const std::int64_t n = answered.int64(3);
      if (answered.text(1) == "accepted") {
        dst["accepted"] = dst["accepted"].get<std::int64_t>() + n;
      } else {
        dst["rejected"][answered.text(2)] = n;
        dst["rejected_total"] = dst["rejected_total"].get<std::int64_t>() + n;
      }
    }
    answered.reset();
    duplicates.bind(1, code);
    while (duplicates.step())
      (duplicates.text(0) == "sale" ? sales : events)["duplicates"] = duplicates.int64(1);
    duplicates.reset();
    nlohmann::json o = {{"code", code}, {"name", list.text(1)}, {"county", list.text(2)}};
    o.update(sales);
    o["events"] = events;
    outlets.push_back(std::move(o));
  }
  return {{"outlets", outlets}, {"version", version()}, {"policy", active_policy_id()}};
}

}  // namespace hn::sandbox
