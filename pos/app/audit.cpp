// Audit (audit issue): the terminal's signing key, the signed daily closings and the
// auditor's export. What an auditor checks with `huinong audit verify` is written here.
#include <filesystem>
#include <map>

#include "app/access.hpp"
#include "app/day_close.hpp"
#include "platform/files.hpp"
#include "app/terminal.hpp"
#include "store/audit_bundle.hpp"
#include "platform/crypto.hpp"
#include "store/sale_ledger.hpp"
#include "store/soundness.hpp"

namespace hn::app {

using nlohmann::json;

platform::SigningKey Terminal::signing_key() {
  const std::string path = platform::SigningKey::path_for(store_.db().path());
  const auto recorded = store_.settings().get(kPublicKey);
  if (recorded) {
    auto key = platform::SigningKey::load(path);
    if (key.public_hex() != *recorded)
      throw platform::SetupError("签名密钥文件 " + path + " 不是本终端的密钥:请从备份恢复",
                              "the signing key file " + path + " is not this terminal's key: restore it from the backup",
                              "KEY_MISMATCH", true);
    return key;
  }
  // A terminal made before closings existed gets its key at the first need, journaled.
  std::error_code ec;
  if (std::filesystem::exists(path, ec))
    throw platform::SetupError("签名密钥文件 " + path + " 已存在但未登记:请核对", "the signing key file " + path +
                                                                             " exists but was never recorded: check it");
  auto key = platform::SigningKey::create(path);
  platform::Transaction tx(store_.db());
  store_.settings().set(kPublicKey, key.public_hex());
  store_.journal(now().iso(), "system", "signing_key",
                 {{"public_key", key.public_hex()}, {"fingerprint", platform::key_fingerprint(key.public_hex())}});
  tx.commit();
  return key;
}

Result<Done> Terminal::check_sales_recorded() {
  platform::ReadTransaction read(store_.db());
  if (const auto m = store::check_sales_against_journal(store_.db(), 1)) {
    const store::DamagedError e = store::sales_damaged(store_.db().path(), *m);
    return verification_failed(e.code(), e.zh(), e.en());
  }
  return Done{};
}

Result<Done> Terminal::require_signing_key() {
  try {
    if (!key_cache_) key_cache_ = signing_key();
    return Done{};
  } catch (const platform::SetupError& e) {
    // The invoice's QR code must be signed, or the terminal's own check of it fails later.
    return verification_failed(e.code(), e.zh() + "。在此之前不能开票", e.en() + ". No invoice can be issued until then");
  }
}

std::vector<Closing> Terminal::closings() {
  std::vector<Closing> out;
  for (const auto& c : store_.closings().all())
    out.push_back({c.date, c.body, c.signature, json::parse(c.body)});
  return out;
}

Result<Closing> Terminal::close_day(const UserRecord& actor, Date date, std::optional<Fen> cash_counted,
                                    bool drop_held) {
  if (!has_role(actor, {Role::Manager})) return role_refused(actor);
  const LocalTime at = now();
  if (auto future = closing_refusal({}, date, at.date)) return *future;  // before the key is made
  const auto key = signing_key();
  // The closing signs the day's figures: the rows they come from must be the journal's.
  if (auto sound = check_sales_recorded(); !sound) return sound.problem();
  platform::Transaction tx(store_.db());
  const auto previous = closings();
  if (auto refusal = closing_refusal(previous, date, at.date)) return *refusal;
  // Issue 16: nothing held survives a closing without the manager deciding (dropped with it).
  if (auto held = settle_holds_for_closing(actor, date, drop_held); !held) return held.problem();
  const std::int64_t first = previous.empty() ? 1 : previous.back().figures.value("last_seq", std::int64_t{0}) + 1;
  const auto covered = store::journal_entries(store_.db(), first, 0);
  const std::int64_t last = covered.empty() ? first - 1 : covered.back().seq;
  const std::string last_hash = covered.empty() ? (previous.empty() ? store::kGenesisHash
                                                                    : previous.back().figures.value("last_hash", ""))
                                                : covered.back().hash;
  const Outlet o = outlet();
  json body = store::closing_body(
      date.iso(), o.code, settings().terminal_id, store::closing_totals(covered), first, last,
      last_hash, previous.empty() ? 0 : previous.back().figures.value("grand_total", std::int64_t{0}),
      previous.empty() ? "" : platform::sha256_hex(previous.back().body), key.public_hex());
  if (cash_counted) {
    body["cash_counted"] = *cash_counted;
    body["cash_difference"] = *cash_counted - body["cash_net"].get<std::int64_t>();
  }
  Closing c{date.iso(), store::canonical_json(body), "", body};
  c.signature = key.sign(c.body);
  const std::int64_t id = store_.closings().insert({c.date, c.body, c.signature}, at.iso());
  // The province keeps a copy: a history rewritten afterwards no longer matches it.
  store_.outbox().enqueue("closing", id, at.iso());
  journal(actor, "closing",
          {{"date", c.date},
           {"body_sha256", platform::sha256_hex(c.body)},
           {"signature", c.signature},
           {"sales_count", body["sales_count"]},
           {"net_total", body["net_total"]},
           {"grand_total", body["grand_total"]},
           {"cash_net", body["cash_net"]},
           {"cash_counted", cash_counted ? json(*cash_counted) : json(nullptr)}});
  tx.commit();
  return c;
}

Result<std::string> Terminal::audit_export(const UserRecord& actor, std::optional<Date> from, std::optional<Date> to) {
  if (!has_role(actor, {Role::Auditor, Role::Manager})) return role_refused(actor);
  if (from && to && *to < *from)
    return bad_input("PERIOD_INVALID", "--from 晚于 --to", "--from is after --to");
  const auto key = signing_key();
  // Every exported sale is as the journal recorded it, or there is no export.
  if (auto sound = check_sales_recorded(); !sound) return sound.problem();
  // Recorded first, so the export holds the record of itself.
  {
    platform::Transaction tx(store_.db());
    journal(actor, "audit_export",
            {{"from", from ? from->iso() : ""}, {"to", to ? to->iso() : ""}, {"personal_data", true}});
    tx.commit();
  }
  platform::ReadTransaction read(store_.db());
  const std::string lo = from ? from->iso() : "0000-00-00", hi = to ? to->iso() : "9999-99-99";
  json journal_rows = json::array();
  const auto entries = store::journal_entries(store_.db(), 1, 0);
  for (const auto& e : entries)
    journal_rows.push_back({{"seq", e.seq}, {"at", e.at}, {"user", e.user_login}, {"kind", e.kind}, {"body", e.body},
                            {"prev_hash", e.prev_hash}, {"hash", e.hash}});
  json closing_rows = json::array();
  for (const auto& c : closings()) closing_rows.push_back({{"date", c.date}, {"body", c.body}, {"signature", c.signature}});
  json invoices = json::array();
  {
    for (const std::int64_t sale_id : store_.sales().ids_between(lo, hi)) {
      const auto sale = store_.sales().find(sale_id);
      if (!sale) continue;
      json items = json::array();
      for (const auto& i : sale->items)
        items.push_back({{"card", i.card_no}, {"serial", i.serial_no}, {"model", i.model_code}, {"price", i.price},
                         {"subsidy", i.subsidy}, {"returned", i.returned}});
      // How it was paid (issue 16), as the rows say: verify_bundle holds them against the journal.
      Fen change = 0;
      json paid = json::array();
      for (const auto& p : store_.sales().payments(sale->id, &change))
        paid.push_back({{"method", payment_method_code(p.method)}, {"amount", p.amount}, {"reference", p.reference}});
      invoices.push_back({{"invoice_no", format_invoice_no(sale->invoice_no)}, {"sale_uuid", sale->uuid},
                          {"sold_at", sale->sold_at}, {"buyer_name", sale->buyer_name}, {"buyer_id", sale->buyer_id},
                          {"household", sale->household}, {"total", sale->total}, {"subsidy", sale->subsidy},
                          {"items", items}, {"payments", paid}, {"change", change},
                          {"upload", store_.sales().upload_state(sale->id)}});
    }
  }
  json returns = json::array();
  for (const auto& q : store_.returns().requests("")) {
    if (q.opened_at.substr(0, 10) < lo || q.opened_at.substr(0, 10) > hi) continue;
    json papers = json::array();
    for (const auto& d : store_.returns().documents(q.id))
      papers.push_back({{"kind", d.kind}, {"number", d.number}, {"text", d.text}, {"created_at", d.created_at}});
    const auto sale = store_.sales().find(q.sale_id);
    returns.push_back({{"request", q.id}, {"invoice_no", sale ? format_invoice_no(sale->invoice_no) : ""},
                       {"card", q.card_no}, {"state", q.state}, {"province_state", q.province_state},
                       {"opened_at", q.opened_at}, {"closed_at", q.closed_at}, {"reason", q.reason},
                       {"documents", papers}});
  }
  json exchanges = json::array();  // 换货: what each line carried before, and why it changed
  for (const auto& x : store_.exchanges().between(lo, hi)) {
    const auto sale = store_.sales().find(x.sale_id);
    const auto approver = store_.users().find(x.approver_id);
    exchanges.push_back({{"uuid", x.uuid}, {"invoice_no", sale ? format_invoice_no(sale->invoice_no) : ""},
                         {"old_card", x.old_card}, {"old_serial", x.old_serial}, {"new_card", x.new_card},
                         {"new_serial", x.new_serial}, {"exchanged_at", x.exchanged_at},
                         {"approver", approver ? approver->login : ""}, {"reason", x.reason},
                         {"invoice_before", x.invoice_before}});
  }
  const Outlet o = outlet();
  json bundle = {{"format", store::kBundleFormat},
                 {"contains_personal_data", true},
                 {"notice_zh", "本文件含购买人身份证号等个人信息,仅供审计使用,须妥善保管"},
                 {"notice_en", "This file holds buyers' ID numbers and other personal data: for audit only, keep it safe"},
                 {"header",
                  {{"outlet", o.code},
                   {"outlet_name", o.name},
                   {"terminal", settings().terminal_id},
                   {"exported_at", now().iso()},
                   {"exported_by", actor.login},
                   {"from", from ? from->iso() : ""},
                   {"to", to ? to->iso() : ""},
                   {"public_key", key.public_hex()},
                   {"journal_count", entries.size()},
                   {"journal_last_seq", entries.empty() ? 0 : entries.back().seq},
                   {"journal_last_hash", entries.empty() ? std::string(store::kGenesisHash) : entries.back().hash}}},
                 {"journal", journal_rows},
                 {"closings", closing_rows},
                 {"invoices", invoices},
                 {"returns", returns},
                 {"exchanges", exchanges}};
  bundle["signature"] = key.sign(store::canonical_json(bundle));
  return bundle.dump(1);
}

namespace {
std::string qr_time(const std::string& sold_at) {  // 2026-11-28T10:32:05 -> 202611281032
  std::string d;
  for (char ch : sold_at.substr(0, 16))
    if (ch >= '0' && ch <= '9') d += ch;
  return d;
}

// The fields of "HNPOS2;k=v;…;g=SIG"; empty when it is not one.
std::map<std::string, std::string> qr_fields(const std::string& payload) {
  std::map<std::string, std::string> out;
  if (payload.rfind("HNPOS2;", 0) != 0) return out;
  std::size_t at = 7;
  while (at < payload.size()) {
    const auto end = payload.find(';', at);
    const std::string part = payload.substr(at, end == std::string::npos ? std::string::npos : end - at);
    const auto eq = part.find('=');
    if (eq == std::string::npos) return {};
    out[part.substr(0, eq)] = part.substr(eq + 1);
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return out;
}
// The first 16 hex of the sale's journal entry hash, as the QR code carries it.
std::string sale_journal_hash(store::Store& store, std::int64_t sale_id) {
  return store.sales().journal_hash(sale_id).substr(0, 16);
}
}  // namespace

std::string Terminal::invoice_qr(const store::SaleRecord& sale, const Invoice& inv, const std::string& journal_hash) {
  if (!key_cache_) key_cache_ = signing_key();
  const std::string hash = journal_hash.substr(0, 16);  // the first 16 hex, as the QR code carries it
  // What a person can compare with the paper, the sale's place in the journal, and the
  // terminal's signature over both: short enough for a 58 mm receipt.
  const std::string signed_part = "HNPOS2;o=" + inv.outlet_code + ";t=" + inv.terminal_id + ";n=" + inv.invoice_no +
                                  ";d=" + qr_time(sale.sold_at) + ";a=" + format_yuan(sale.total) +
                                  ";s=" + format_yuan(sale.subsidy) + ";h=" + hash;
  return signed_part + ";g=" + key_cache_->sign(signed_part);
}

Result<Terminal::QrCheck> Terminal::check_invoice_qr(const std::string& payload) {
  if (payload.size() > files::kMaxInvoiceQrBytes)
    return bad_input("QR_UNREADABLE", "这不是惠农收银台发票的二维码(长于 " + std::to_string(files::kMaxInvoiceQrBytes) + " 字节)",
                     "this is not the QR code of a Huinong POS invoice (longer than " +
                         std::to_string(files::kMaxInvoiceQrBytes) + " bytes)");
  const auto f = qr_fields(payload);
  const auto sig_at = payload.rfind(";g=");
  if (f.empty() || !f.count("n") || !f.count("g") || sig_at == std::string::npos)
    return bad_input("QR_UNREADABLE", "这不是惠农收银台发票的二维码", "this is not the QR code of a Huinong POS invoice");
  QrCheck out;
  out.invoice_no = f.at("n");
  auto no_problem = [&](bool ok, const std::string& zh, const std::string& en) {
    if (ok) return;
    out.problems_zh.push_back(zh);
    out.problems_en.push_back(en);
  };
  const auto key = signing_key();
  no_problem(platform::verify_signature(key.public_hex(), payload.substr(0, sig_at), f.at("g")),
             "二维码签名不符:不是本终端开具,或内容被改动", "the QR code's signature does not match: not issued by "
                                                          "this terminal, or its content was changed");
  const bool digits = !out.invoice_no.empty() && out.invoice_no.size() <= 8 &&
                      out.invoice_no.find_first_not_of("0123456789") == std::string::npos;
  const auto sale = digits ? store_.sales().find_by_invoice(std::stoll(out.invoice_no)) : std::nullopt;
  if (!sale) {
    no_problem(false, "本终端没有发票 " + quote_for_message(out.invoice_no) + " 的记录",
               "this terminal holds no record of invoice " + quote_for_message(out.invoice_no));
    return out;
  }
  const Outlet o = outlet();
  auto field = [&](const char* k) { return f.count(k) ? f.at(k) : std::string(); };
  auto paper = [&](const char* k) { return quote_for_message(field(k)); };  // as the messages show it
  no_problem(field("o") == o.code, "网点不符:纸面 " + paper("o") + ",记录 " + o.code,
             "outlet differs: paper " + paper("o") + ", record " + o.code);
  no_problem(field("d") == qr_time(sale->sold_at), "开票时间不符:纸面 " + paper("d") + ",记录 " + qr_time(sale->sold_at),
             "time differs: paper " + paper("d") + ", record " + qr_time(sale->sold_at));
  no_problem(field("a") == format_yuan(sale->total), "金额不符:纸面 " + paper("a") + ",记录 " + format_yuan(sale->total),
             "total differs: paper " + paper("a") + ", record " + format_yuan(sale->total));
  no_problem(field("s") == format_yuan(sale->subsidy),
             "补贴不符:纸面 " + paper("s") + ",记录 " + format_yuan(sale->subsidy),
             "subsidy differs: paper " + paper("s") + ", record " + format_yuan(sale->subsidy));
  const std::string hash = sale_journal_hash(store_, sale->id);
  no_problem(field("h") == hash, "日志哈希不符:销售记录在开票后被改动", "the journal hash differs: the sale's record "
                                                                       "changed after the invoice was issued");
  return out;
}

}  // namespace hn::app
