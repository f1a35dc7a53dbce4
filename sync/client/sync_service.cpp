#include "sync/client/sync_service.hpp"

#include <set>
#include <thread>

#include "core/date.hpp"
#include "core/label_card.hpp"
#include "core/policy.hpp"
#include "platform/crypto.hpp"
#include "sync/client/sale_wire.hpp"

namespace hn::sync {

namespace {

// The idempotency key of a return event: the same return always has the same key.
std::string return_event_uuid(const std::string& sale_uuid, const std::string& card) {
  return "return-" + sale_uuid + "-" + card;
}
}  // namespace

SyncService::SyncService(store::Store& store, ProvinceClient& client, std::function<std::int64_t()> unix_ms,
                         Options options)
    : store_(store),
      client_(client),
      now_ms_(std::move(unix_ms)),
      options_(options),
      backoff_(options.backoff_base, options.backoff_cap) {
  options_.batch_size = std::max(1, std::min(options_.batch_size, kMaxBatch));
}

std::string SyncService::now_iso() { return local_time_from_unix(now_ms_() / 1000, 480).iso(); }

int SyncService::undelivered() { return store_.outbox().pending_count(); }

void SyncService::upload_batch(const std::vector<store::OutboxRow>& rows, SyncCounts& counts, bool& failed) {
  // Sales and return events go to different endpoints; a batch holds one kind.
  const std::string kind = rows.front().kind;
  nlohmann::json items = nlohmann::json::array();
  std::vector<const store::OutboxRow*> sent;
  for (const auto& row : rows) {
    if (row.kind != kind) continue;
    if (kind == "sale") {
      const auto sale = store_.sales().find(row.ref_id);
      if (!sale) continue;
      items.push_back(sale_to_wire(*sale));
    } else if (kind == "closing") {
      // A signed daily closing (audit issue): the province keeps a copy.
      const auto closing = store_.closings().find(row.ref_id);
      if (!closing) continue;
      const auto body = nlohmann::json::parse(closing->body, nullptr, false);
      items.push_back({{"uuid", "closing-" + closing->date + "-" + platform::sha256_hex(closing->body).substr(0, 32)},
                       {"body", closing->body},
                       {"signature", closing->signature},
                       {"public_key", body.is_object() ? body.value("public_key", "") : ""}});
    } else if (kind == "event") {
      // A step of a return that waits on the province: cancel_claim, pre_return, return_request.
      const auto ev = store_.returns().find_event(row.ref_id);
      const auto req = ev ? store_.returns().find_request(ev->request_id) : std::nullopt;
      const auto sale = req ? store_.sales().find(req->sale_id) : std::nullopt;
      if (!sale) continue;
      items.push_back({{"uuid", ev->uuid},
                       {"kind", ev->kind},
                       {"sale_uuid", sale->uuid},
                       {"card", req->card_no},
                       {"at", ev->at},
                       {"reason", req->reason}});
    } else if (kind == "exchange") {
      // 换货 (returns issue): the province moves the line, and any claim, to the new card.
      const auto x = store_.exchanges().find(row.ref_id);
      const auto sale = x ? store_.sales().find(x->sale_id) : std::nullopt;
      if (!sale) continue;
      const std::string sale_state = store_.sales().upload_state(sale->id);
      if (sale_state == "rejected") {  // the province does not hold the sale: nothing to move
        store_.outbox().withdraw(row.id);
        continue;
      }
      if (sale_state != "accepted") {  // the sale goes first; it may already carry the new card
        store_.outbox().defer(row.id, now_ms_() + 1000);
        continue;
      }
      items.push_back({{"uuid", x->uuid},
                       {"kind", "exchange"},
                       {"sale_uuid", sale->uuid},
                       {"card", x->old_card},
                       {"new_card", x->new_card},
                       {"new_serial", x->new_serial},
                       {"at", x->exchanged_at},
                       {"reason", x->reason}});
    } else {
      const auto ret = store_.returns().find(row.ref_id);
      if (!ret) continue;
      const auto sale = store_.sales().find(ret->sale_id);
      if (!sale) continue;
      items.push_back({{"uuid", return_event_uuid(sale->uuid, ret->card_no)},
                       {"kind", "return"},
                       {"sale_uuid", sale->uuid},
                       {"card", ret->card_no},
                       {"at", ret->returned_at},
                       {"reason", ret->reason}});
    }
    sent.push_back(&row);
  }
  if (sent.empty()) return;
  Answer answer;
  const auto results = client_.upload(kind == "sale" ? "/sales" : kind == "closing" ? "/closings" : "/returns",
                                      kind == "sale" ? "sales" : kind == "closing" ? "closings" : "events",
                                      items, answer, options_.timeout);
  const std::string at = now_iso();
  platform::Transaction tx(store_.db());
  if (!results) {
    // No usable answer. The province may still have committed the batch (an answer cut off
    // on its way back): the same UUIDs go again later and come back as duplicates.
    failed = true;
    ++counts.failures;
    counts.last_error = answer.code + ": " + answer.message_en;
    // REPLAYED means the province refused a second copy of a request it had already seen:
    // libcurl resends a request whose kept-alive connection died under it. The next attempt
    // is signed afresh (and answered "duplicate" if the first copy was committed).
    const bool try_again = answer.retryable() || answer.code == "NO_ANSWER" || answer.code == "REPLAYED";
    // A refusal of the request itself (say, no client certificate) is not cured by waiting a
    // second: such rows wait an hour, or the next run a person starts.
    for (const auto* row : sent) {
      const std::int64_t delay = try_again ? backoff_.delay(row->attempts).count() : 3600 * 1000;
      store_.outbox().failed(row->id, answer.code + " " + answer.message_en, now_ms_() + delay);
    }
    store_.settings().set("sync.last_error", counts.last_error);
    tx.commit();
    return;
  }
  for (std::size_t i = 0; i < sent.size(); ++i) {
    const auto& r = (*results)[i];
    const auto& row = *sent[i];
    ++counts.sent;
    if (r.status == "accepted" || r.status == "duplicate") {
      (r.status == "accepted" ? counts.accepted : counts.duplicate)++;
      store_.outbox().answered(row.id, "accepted", r.status, "", at);
    } else {
      ++counts.rejected;
      // A rejection is the province's word on the rules: never retried blindly, it becomes
      // the manager's task (convert to an unsubsidised sale, or cancel).
      store_.outbox().answered(row.id, "rejected", r.code, r.message_en, at);
      store::Task t;
      t.kind = row.kind == "sale"       ? "sale_rejected"
               : row.kind == "closing"  ? "closing_rejected"
               : row.kind == "exchange" ? "exchange_rejected"
                                        : "return_rejected";
      // A rejected return step: the return stays open and waits; the manager is told.
      t.sale_id = 0;
      if (row.kind == "sale") {
        t.sale_id = row.ref_id;
      } else if (row.kind == "return") {
        if (const auto ret = store_.returns().find(row.ref_id)) t.sale_id = ret->sale_id;
      } else if (row.kind == "exchange") {
        if (const auto x = store_.exchanges().find(row.ref_id)) t.sale_id = x->sale_id;
      } else if (const auto ev = store_.returns().find_event(row.ref_id)) {
        if (const auto req = store_.returns().find_request(ev->request_id)) t.sale_id = req->sale_id;
      }
      t.code = r.code;
      t.message_zh = r.message_zh;
      t.message_en = r.message_en;
      t.created_at = at;
      store_.tasks().add(t);
    }
  }
  store_.settings().set("sync.last_success_at", at);
  store_.settings().set("sync.last_error", "");
  store::journal_append(store_.db(), at, "sync", "upload",
                        {{"kind", kind},
                         {"sent", sent.size()},
                         {"accepted", counts.accepted},
                         {"duplicate", counts.duplicate},
                         {"rejected", counts.rejected}});
  tx.commit();
}

SyncCounts SyncService::pass() {
  SyncCounts counts;
  bool failed = false;
  std::int64_t last_id = -1;
  while (!failed) {
    auto rows = store_.outbox().due(now_ms_(), options_.batch_size);
    if (rows.empty() || rows.front().id == last_id) break;
    last_id = rows.front().id;
    // Keep the batch to one kind, in outbox order: sales before the returns that follow them.
    std::vector<store::OutboxRow> batch;
    for (const auto& r : rows) {
      if (r.kind != rows.front().kind) break;
      batch.push_back(r);
    }
    upload_batch(batch, counts, failed);
  }
  counts.pending = store_.reports().pending_uploads();
  counts.undelivered = undelivered();
  return counts;
}

SyncCounts SyncService::drain(std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  SyncCounts total;
  for (;;) {
    const SyncCounts c = pass();
    total.sent += c.sent;
    total.accepted += c.accepted;
    total.duplicate += c.duplicate;
    total.rejected += c.rejected;
    total.failures += c.failures;
    if (!c.last_error.empty()) total.last_error = c.last_error;
    total.pending = c.pending;
    total.undelivered = c.undelivered;
    if (c.undelivered == 0 || std::chrono::steady_clock::now() >= until) break;
    // Wait for the earliest retry, but not past the limit.
    const std::int64_t wait_ms = std::max<std::int64_t>(0, store_.outbox().next_attempt() - now_ms_());
    const auto wait = std::min<std::chrono::steady_clock::duration>(
        std::chrono::milliseconds(wait_ms), until - std::chrono::steady_clock::now());
    if (wait > std::chrono::steady_clock::duration::zero()) std::this_thread::sleep_for(wait);
  }
  return total;
}

bool SyncService::pull_updates(std::string& error) {
  const std::int64_t since = std::stoll(store_.settings().get("sync.updates_version").value_or("0"));
  const Answer a = client_.call("GET", "/updates?since=" + std::to_string(since), nullptr, std::chrono::seconds(30));
  if (!a.ok()) {
    error = a.code + ": " + a.message_en;
    return false;
  }
  // Everything is checked first and applied in one transaction after; any fault in the
  // answer, of shape or of content, applies nothing and says what it was.
  std::vector<CatalogModel> models;
  std::vector<std::pair<std::string, std::string>> policies;
  std::vector<CardReceiptRow> cards;
  std::int64_t version = 0;
  try {
    const auto& j = a.json;
    if (!j.is_object() || !j.contains("version") || !j["version"].is_number_integer()) {
      error = "BAD_ANSWER: no version";
      return false;
    }
    version = j["version"].get<std::int64_t>();
    if (version < since) {  // PROTOCOL.md: the version only grows
      error = "BAD_ANSWER: version " + std::to_string(version) + " is older than " + std::to_string(since);
      return false;
    }
    std::set<std::string> update_models;
    for (const auto& m : j.value("catalog", nlohmann::json::array())) {
      CatalogModel cm;
      const auto cat = parse_category(m.value("category", ""));
      const auto from = parse_iso_date(m.value("valid_from", ""));
      const bool has_to = m.contains("valid_to") && !m["valid_to"].is_null();
      if (has_to) cm.valid_to = parse_iso_date(m["valid_to"].get<std::string>());
      cm.model_code = m.value("model_code", "");
      cm.brand = m.value("brand", "");
      cm.name = m.value("name", "");
      cm.spec = m.value("spec", "");
      if (!cat || !from || (has_to && !cm.valid_to) || !m.contains("max_price_fen") ||
          !m["max_price_fen"].is_number_integer() || !is_valid_model_code(cm.model_code)) {
        error = "BAD_ANSWER: catalog entry " + m.dump();
        return false;
      }
      // The same text check as a catalog file (control characters, length): nothing applied.
      if (const auto text = check_catalog_text(cm); !text.ok()) {
        error = "BAD_ANSWER: catalog entry " + cm.model_code + ": " + text.code() + " " + text.message_en();
        return false;
      }
      cm.category = *cat;
      cm.max_price = m["max_price_fen"].get<Fen>();
      cm.valid_from = *from;
      if (cm.max_price <= 0) {
        error = "BAD_ANSWER: catalog entry " + m.dump();
        return false;
      }
      update_models.insert(cm.model_code);
      models.push_back(std::move(cm));
    }
    for (const auto& p : j.value("policies", nlohmann::json::array())) {
      PolicyPhase phase;
      ImportMessage err;
      if (!parse_policy_file(p.value("source", ""), phase, err)) {
        error = "BAD_ANSWER: policy " + err.text();
        return false;
      }
      policies.emplace_back(phase.id, p.value("source", ""));
    }
    std::set<std::string> seen;
    for (const auto& c : j.value("cards", nlohmann::json::array())) {
      CardReceiptRow r{0, c.value("card_no", ""), c.value("serial_no", ""), c.value("model_code", "")};
      const bool known_model = update_models.count(r.model_code) > 0 || store_.catalog().find(r.model_code);
      if (!is_valid_card_no(r.card_no) || !is_valid_serial_no(r.serial_no) || !known_model ||
          !seen.insert(r.card_no).second) {
        error = "BAD_ANSWER: card " + c.dump();
        return false;
      }
      if (!store_.cards().exists(r.card_no)) cards.push_back(std::move(r));
    }
  } catch (const nlohmann::json::exception& e) {  // a field of the wrong JSON type
    error = std::string("BAD_ANSWER: ") + e.what();
    return false;
  }
  const bool changed = version != since || !models.empty() || !policies.empty() || !cards.empty();
  if (!changed) return true;
  const std::string at = now_iso();
  try {
    platform::Transaction tx(store_.db());
    for (const auto& m : models) store_.catalog().upsert(m);
    for (const auto& [id, source] : policies) store_.policy_phases().put(id, source);
    if (!cards.empty()) {
      const auto users = store_.users().all();
      std::int64_t user = users.empty() ? 0 : users.front().id;
      for (const auto& u : users)
        if (u.role == store::Role::Manager) user = u.id;
      store_.cards().add_goods_receipt(user, "province update " + std::to_string(version), cards,
                               store_.settings().get("outlet.code").value_or(""));
    }
    store_.settings().set("sync.updates_version", std::to_string(version));
    store::journal_append(store_.db(), at, "sync", "province_update",
                          {{"version", version}, {"models", models.size()}, {"policies", policies.size()},
                           {"cards", cards.size()}});
    tx.commit();
  } catch (const platform::DbError& e) {  // say, a serial this outlet already holds
    error = std::string("BAD_ANSWER: not applied: ") + e.what();
    return false;
  }
  return true;
}

}  // namespace hn::sync
