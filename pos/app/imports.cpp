// A manager's file imports: the catalog of models (with the bid prices), a batch of label cards
// received, a policy phase; and the switch to another phase. Each file is checked whole before
// anything of it is written, then written in one transaction with its journal entry.
#include <nlohmann/json.hpp>

#include "app/access.hpp"
#include "app/terminal.hpp"
#include "core/text.hpp"
#include "platform/crypto.hpp"

namespace hn::app {

namespace {

// The file's problem under its own code when it has one (TEXT_CONTROL_CHAR), else `code`.
Problem from_import(const ImportMessage& m, const std::string& code) {
  Problem p = bad_input(m.code.empty() ? code : m.code, m.where_zh() + m.message_zh + "。文件未导入任何内容",
                        m.where_en() + m.message_en + ". Nothing from the file was imported");
  p.field = m.field;
  return p;
}

}  // namespace

Result<ImportSummary> Terminal::import_catalog(const UserRecord& actor, const std::string& csv_text,
                                               const std::string& source) {
  if (actor.role != Role::Manager) return role_refused(actor);
  std::vector<CatalogModel> models;
  ImportMessage err;
  if (!parse_catalog_csv(csv_text, models, err)) return from_import(err, "CSV_INVALID");
  const PolicyPhase phase = policy();
  ImportSummary summary;
  summary.count = static_cast<int>(models.size());
  for (const auto& m : models) {
    const CategoryPolicy* cp = phase.active_category(m.category);
    // POLICY R3: a bid price above the category cap imports, with a warning; sales are held
    // to both limits.
    if (cp && m.max_price > cp->cap) {
      summary.warnings_zh.push_back("型号 " + m.model_code + " 的中标价格 " + format_yuan(m.max_price) +
                                    " 元高于" + std::string(category_name_zh(m.category)) + "限价 " +
                                    format_yuan(cp->cap) + " 元:销售时按较低的限价执行");
      summary.warnings_en.push_back("model " + m.model_code + " has a bid price " + format_yuan(m.max_price) +
                                    " above the " + std::string(category_name_en(m.category)) + " cap " +
                                    format_yuan(cp->cap) + ": sales are held to the lower one");
    }
  }
  platform::Transaction tx(store_.db());
  for (const auto& m : models) store_.catalog().upsert(m);
  journal(actor, "catalog_import",
          {{"source", source}, {"models", summary.count}, {"sha256", platform::sha256_hex(csv_text)}});
  tx.commit();
  drop_caches();
  return summary;
}

Result<ImportSummary> Terminal::receive_cards(const UserRecord& actor, const std::string& csv_text,
                                              const std::string& source) {
  if (actor.role != Role::Manager) return role_refused(actor);
  const Catalog catalog = store_.catalog().load();
  std::vector<CardReceiptRow> rows;
  ImportMessage err;
  if (!parse_card_batch_csv(csv_text, catalog, rows, err)) return from_import(err, "CSV_INVALID");
  platform::Transaction tx(store_.db());
  for (const auto& r : rows)
    if (const auto wrong = already_received(r, true)) return from_import(*wrong, wrong->code);
  const Outlet o = outlet();
  const auto receipt = store_.cards().add_goods_receipt(actor.id, source, rows, o.code);
  journal_goods_receipt(actor, receipt, source, rows, csv_text);
  tx.commit();
  ImportSummary summary;
  summary.count = static_cast<int>(rows.size());
  return summary;
}

Result<ImportSummary> Terminal::import_policy(const UserRecord& actor, const std::string& ini_text,
                                              const std::string& source) {
  if (actor.role != Role::Manager) return role_refused(actor);
  PolicyPhase phase;
  ImportMessage err;
  if (!parse_policy_file(ini_text, phase, err)) return from_import(err, "POLICY_INVALID");
  platform::Transaction tx(store_.db());
  store_.policy_phases().put(phase.id, ini_text);
  journal(actor, "policy_import",
          {{"phase", phase.id}, {"source", source}, {"sha256", platform::sha256_hex(ini_text)}});
  tx.commit();
  drop_caches();
  ImportSummary summary;
  summary.count = 1;
  return summary;
}

Result<Done> Terminal::use_policy(const UserRecord& actor, const std::string& phase_id) {
  if (actor.role != Role::Manager) return role_refused(actor);
  if (!store_.policy_phases().source(phase_id))
    return bad_input("POLICY_UNKNOWN", "没有补贴政策 " + quote_for_message(phase_id) + ":请先导入",
                     "there is no policy phase " + quote_for_message(phase_id) + ": import it first");
  platform::Transaction tx(store_.db());
  const std::string before = store_.settings().get(kPolicyPhase).value_or("");
  store_.settings().set(kPolicyPhase, phase_id);
  journal(actor, "policy_switch", {{"from", before}, {"to", phase_id}});
  tx.commit();
  drop_caches();
  return Done{};
}

std::vector<std::string> Terminal::policy_phase_ids() { return store_.policy_phases().ids(); }

}  // namespace hn::app
