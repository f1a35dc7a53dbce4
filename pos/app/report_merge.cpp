#include "app/report_merge.hpp"

#include <map>
#include <set>

#include "core/invoice.hpp"

namespace hn::app {

using nlohmann::json;

namespace {
std::optional<Date> date_of(const std::string& iso_time) {
  return iso_time.size() >= 10 ? parse_iso_date(iso_time.substr(0, 10)) : std::nullopt;
}

std::int64_t int_of(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

std::string string_of(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A journal entry's body, parsed; an empty object when it is not JSON.
json body_of(const json& entry) {
  json b = json::parse(string_of(entry, "body"), nullptr, false);
  return b.is_object() ? b : json::object();
}

std::string label_of(const json& bundle) {
  const json& h = bundle.at("header");
  return string_of(h, "outlet") + "/" + string_of(h, "terminal");
}

// The sale date of each invoice, as the terminal stored it with the sale.
std::map<std::string, Date> invoice_dates(const json& bundle) {
  std::map<std::string, Date> out;
  if (!bundle.contains("invoices") || !bundle["invoices"].is_array()) return out;
  for (const auto& inv : bundle["invoices"])
    if (const auto d = date_of(string_of(inv, "sold_at"))) out[string_of(inv, "invoice_no")] = *d;
  return out;
}
}  // namespace

std::optional<std::pair<Date, Date>> bundle_period(const json& bundle) {
  std::optional<std::pair<Date, Date>> out;
  auto widen = [&](Date d) {
    if (!out) out = std::make_pair(d, d);
    out->first = std::min(out->first, d);
    out->second = std::max(out->second, d);
  };
  const auto dates = invoice_dates(bundle);
  for (const auto& e : bundle.at("journal")) {
    const std::string kind = string_of(e, "kind");
    if (kind != "sale" && kind != "return" && kind != "sale_refused") continue;
    const auto d = date_of(string_of(e, "at"));
    if (kind == "sale") {
      const auto it = dates.find(string_of(body_of(e), "invoice_no"));
      if (it != dates.end()) widen(it->second);
      else if (d) widen(*d);
    } else if (d) {
      widen(*d);
    }
  }
  return out;
}

DailyFigures figures_from_bundle(const json& bundle, Date from, Date to, Date series_from,
                                 const HolidayCalendar& calendar, Date today) {
  DailyFigures f;
  f.date = from;
  f.to = to;
  f.terminals = {label_of(bundle)};
  auto in_period = [&](Date d) { return d >= from && d <= to; };
  std::map<std::int64_t, DayPoint> series;
  for (std::int64_t d = series_from.serial(); d <= to.serial(); ++d) series[d].date = Date::from_serial(d);

  const auto dates = invoice_dates(bundle);
  std::map<std::string, std::string> names;               // login -> name
  std::map<std::string, std::pair<Fen, Fen>> card_money;  // card -> price, subsidy
  std::set<std::string> pre_returned;                     // return requests with a pre-return filed
  for (const auto& e : bundle.at("journal")) {
    const std::string kind = string_of(e, "kind");
    const std::string user = string_of(e, "user");
    const auto at_date = date_of(string_of(e, "at"));
    const json b = body_of(e);
    if (kind == "init") {
      names[string_of(b, "manager")] = string_of(b, "manager_name");
    } else if (kind == "user_added") {
      names[string_of(b, "login")] = string_of(b, "name");
    } else if (kind == "sale") {
      const auto it = dates.find(string_of(b, "invoice_no"));
      const std::optional<Date> day = it != dates.end() ? std::optional<Date>(it->second) : at_date;
      const json items = b.contains("items") && b["items"].is_array() ? b["items"] : json::array();
      for (const auto& i : items) card_money[string_of(i, "card")] = {int_of(i, "price"), int_of(i, "subsidy")};
      if (!day) continue;
      const bool counted = in_period(*day);
      auto point = series.find(day->serial());
      if (point != series.end()) {
        ++point->second.sales;
        point->second.total += int_of(b, "total");
        point->second.subsidy += int_of(b, "subsidy");
      }
      if (counted) {
        ++f.sales_count;
        ++f.by_clerk[user].sales;
      }
      for (const auto& i : items) {
        const auto cat = parse_category(string_of(i, "category"));
        const Fen price = int_of(i, "price"), subsidy = int_of(i, "subsidy");
        if (counted && cat) {
          auto& c = f.by_category[*cat];
          ++c.count;
          c.total += price;
          c.subsidy += subsidy;
          auto& k = f.by_clerk[user];
          ++k.items;
          k.total += price;
          k.subsidy += subsidy;
        }
      }
    } else if (kind == "return") {
      if (!at_date || !in_period(*at_date)) continue;
      ++f.returns_count;
      f.returns_total += int_of(b, "price");
      f.returns_subsidy += int_of(b, "subsidy");
    } else if (kind == "return_waiting") {
      // 预退货: the entry that first records the pre-return as filed.
      const std::string request = string_of(b, "request");
      const bool filed = b.contains("pre_return_filed") && b["pre_return_filed"] == true;
      if (!filed || !pre_returned.insert(request).second) continue;
      if (!at_date || !in_period(*at_date)) continue;
      const auto money = card_money.find(string_of(b, "card"));
      ++f.pre_returns_count;
      if (money != card_money.end()) {
        f.pre_returns_total += money->second.first;
        f.pre_returns_subsidy += money->second.second;
      }
    } else if (kind == "sale_refused") {
      if (!at_date || !in_period(*at_date)) continue;
      ++f.refused_attempts;
      ++f.by_clerk[user].refused;
      if (b.contains("codes") && b["codes"].is_array())
        for (const auto& c : b["codes"])
          if (c.is_string()) ++f.refused_by_code[c.get<std::string>()];
    }
  }
  for (auto& [login, c] : f.by_clerk) c.name = names.count(login) ? names[login] : login;
  for (const auto& [serial, p] : series) f.series.push_back(p);

  // Not yet accepted by the province when exported, unless the manager settled the sale.
  std::set<std::string> settled;
  for (const auto& e : bundle.at("journal")) {
    if (string_of(e, "kind") != "task_resolved") continue;
    const json b = body_of(e);
    const std::string resolution = string_of(b, "resolution");
    if (resolution == "unsubsidised" || resolution == "cancelled") settled.insert(string_of(b, "invoice_no"));
  }
  std::map<std::int64_t, PendingDay> pending;
  const UploadDeadline rule;  // POLICY S5
  if (bundle.contains("invoices") && bundle["invoices"].is_array()) {
    for (const auto& inv : bundle["invoices"]) {
      const std::string no = string_of(inv, "invoice_no");
      const auto day = date_of(string_of(inv, "sold_at"));
      if (!day || string_of(inv, "upload") == "accepted" || settled.count(no)) continue;
      auto& p = pending[day->serial()];
      if (p.count == 0) {
        p.sale_date = *day;
        p.first_invoice = p.last_invoice = no;
        p.due = rule.due(*day, calendar);
        p.state = UploadDeadline::state(today, p.due);
      }
      ++p.count;
      p.first_invoice = std::min(p.first_invoice, no);  // 8 digits, zero-padded: text order is number order
      p.last_invoice = std::max(p.last_invoice, no);
      ++f.pending_upload;
    }
  }
  for (auto& [serial, p] : pending) f.pending.push_back(std::move(p));
  return f;
}

Result<MergedReport> merge_reports(const std::vector<MergeInput>& files, std::optional<Date> from,
                                   std::optional<Date> to, const HolidayCalendar& calendar, Date today,
                                   int central_share_percent) {
  if (files.empty())
    return bad_input("FILES_MISSING", "请给出至少一个审计导出文件", "give at least one audit export file");
  std::vector<json> bundles;
  std::set<std::string> terminals;
  MergedReport out;
  for (const auto& file : files) {
    // The file's signatures first: figures are read only from what the terminal signed.
    const store::AuditReport check = store::verify_bundle(file.text);
    if (!check.ok()) {
      const auto& p = check.problems.front();
      return Problem{ProblemKind::VerificationFailed, p.code,
                     "文件 " + file.path + " 核验失败,未合并:[" + p.code + "] " + p.message_zh,
                     "the file " + file.path + " failed verification and nothing was merged: [" + p.code + "] " +
                         p.message_en};
    }
    json b = json::parse(file.text);
    const std::string label = label_of(b);
    if (!terminals.insert(label).second)
      return bad_input("TERMINAL_TWICE", "终端 " + label + " 的导出文件给了两次(" + file.path + "):每个终端只给一个文件",
                       "two files of terminal " + label + " (" + file.path + "): give one file per terminal");
    const std::string outlet = string_of(b["header"], "outlet"), name = string_of(b["header"], "outlet_name");
    if (bundles.empty()) {
      out.outlet_code = outlet;
      out.outlet_name = name;
    } else if (outlet != out.outlet_code) {
      out.outlet_code = "";
      out.outlet_name = "";
    }
    out.files.push_back(file.path);
    bundles.push_back(std::move(b));
  }
  if (!from || !to) {
    std::optional<std::pair<Date, Date>> all;
    for (const auto& b : bundles)
      if (const auto p = bundle_period(b)) {
        if (!all) all = p;
        all->first = std::min(all->first, p->first);
        all->second = std::max(all->second, p->second);
      }
    if (!from) from = all ? all->first : today;
    if (!to) to = all ? std::max(all->second, *from) : *from;
  }
  if (*to < *from) return bad_input("PERIOD_INVALID", "--from 晚于 --to", "--from is after --to");
  // A day's report charts the 30 days up to it, as on the terminal; a period charts itself.
  const Date series_from = *from == *to ? from->plus_days(-29) : *from;
  std::vector<DailyFigures> parts;
  for (const auto& b : bundles) parts.push_back(figures_from_bundle(b, *from, *to, series_from, calendar, today));
  out.report = make_daily_report(merge_figures(parts), central_share_percent);
  return out;
}

}  // namespace hn::app
