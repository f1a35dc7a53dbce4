#include "core/policy.hpp"

#include <set>

#include "core/text.hpp"

namespace hn {

Fen SubsidyRule::subsidy_for(Fen price) const {
  if (price <= 0) return 0;
  if (threshold && price > *threshold) return flat_above;  // 2010 tiers: flat above threshold
  return multiply_round_half_up(price, rate_basis_points, 10000);  // POLICY S2
}

const CategoryPolicy* PolicyPhase::active_category(Category c) const {
  const auto it = categories.find(c);
  return it != categories.end() && it->second.active ? &it->second : nullptr;
}

PolicyPhase apply_overrides(PolicyPhase phase, const PolicyOverrides& overrides) {
  for (const auto& [category, limit] : overrides.household_limit) {
    const auto it = phase.categories.find(category);
    if (it != phase.categories.end()) it->second.household_limit = limit;
  }
  if (overrides.county_mismatch) phase.county_mismatch = *overrides.county_mismatch;
  return phase;
}

std::optional<int> parse_percent_basis_points(std::string_view text) {
  // A percentage has the shape of an amount with two decimals: reuse the money parser.
  const auto v = parse_yuan(text);
  if (!v || *v > 10000) return std::nullopt;
  return static_cast<int>(*v);
}

namespace {
std::optional<bool> parse_yes_no(std::string_view v) {
  if (v == "yes" || v == "true" || v == "1") return true;
  if (v == "no" || v == "false" || v == "0") return false;
  return std::nullopt;
}

std::optional<int> parse_small_int(std::string_view v, int lo, int hi) {
  if (v.empty() || v.size() > 4) return std::nullopt;
  int n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (n < lo || n > hi) return std::nullopt;
  return n;
}
}  // namespace

bool parse_policy_file(std::string_view text, PolicyPhase& out, ImportMessage& error) {
  out = PolicyPhase{};
  if (!is_valid_utf8(text)) {
    error = {0, "", "策略文件不是 UTF-8 编码", "the policy file is not UTF-8"};
    return false;
  }
  auto bad = [&](int line, const std::string& key, std::string zh, std::string en) {
    error = {line, key, std::move(zh), std::move(en)};
    return false;
  };
  CategoryPolicy* section = nullptr;
  int section_line = 0;  // where the current [category] opened, for messages about it
  std::set<std::string> section_keys;
  std::set<std::string> top_keys;
  bool have_id = false, have_from = false;
  int line_no = 0;
  std::size_t pos = 0;
  bool have_flat = false;
  auto finish_section = [&]() {
    if (!section) return true;
    for (const char* k : {"active", "cap", "household_limit", "subsidy_rate"})
      if (!section_keys.count(k))
        return bad(section_line, k, "[" + std::string(category_code(section->category)) + "] 缺少 " + k,
                   "[" + std::string(category_code(section->category)) + "] lacks " + k);
    if (section->subsidy.threshold && !have_flat)
      return bad(section_line, "subsidy_flat_above",
                 "[" + std::string(category_code(section->category)) + "] 设了 subsidy_threshold 就必须给出 subsidy_flat_above 的金额",
                 "[" + std::string(category_code(section->category)) + "] subsidy_threshold needs an amount in subsidy_flat_above");
    return true;
  };
  while (pos <= text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(pos, end - pos));
    pos = end + 1;
    ++line_no;
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    line = trim(line);
    if (line.empty()) {
      if (end == text.size()) break;
      continue;
    }
    if (line.front() == '[') {
      if (line.back() != ']') return bad(line_no, "", "节名缺少 ]", "section name lacks ]");
      if (!finish_section()) return false;
      const auto name = escape_for_message(trim(std::string_view(line).substr(1, line.size() - 2)));
      const auto cat = parse_category(name);
      if (!cat) return bad(line_no, name, "未知品类", "unknown category");
      if (out.categories.count(*cat)) return bad(line_no, name, "品类重复", "category listed twice");
      section = &out.categories[*cat];
      section->category = *cat;
      section_keys.clear();
      section_line = line_no;
      have_flat = false;
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string::npos)
      return bad(line_no, "", "应为 key = value", "expected key = value");
    // The key names the field in messages: cut and escaped, as it may be anything.
    const auto key = escape_for_message(trim(std::string_view(line).substr(0, eq)));
    const auto value = trim(std::string_view(line).substr(eq + 1));
    const auto bad_value = [&]() {
      return bad(line_no, key, "值 " + quote_for_message(value) + " 无效",
                 "value " + quote_for_message(value) + " is invalid");
    };
    const auto bad_text = [&](TextKind kind) {
      const auto check = check_text(key, value, kind);
      if (check.ok()) return false;
      error = import_message(line_no, check);
      return true;
    };
    if (!section) {
      if (!top_keys.insert(key).second) return bad(line_no, key, "设置项重复", "setting given twice");
      if (key == "id") {
        if (value.empty()) return bad_value();
        if (bad_text(TextKind::PolicyId)) return false;
        out.id = value, have_id = true;
      } else if (key == "name_zh") {
        if (bad_text(TextKind::PolicyName)) return false;
        out.name_zh = value;
      } else if (key == "name_en") {
        if (bad_text(TextKind::PolicyName)) return false;
        out.name_en = value;
      } else if (key == "effective_from") {
        const auto d = parse_iso_date(value);
        if (!d) return bad_value();
        out.effective_from = *d, have_from = true;
      } else if (key == "central_share") {
        const auto n = parse_small_int(value, 0, 100);
        if (!n) return bad_value();
        out.central_share_percent = *n;
      } else if (key == "county_mismatch") {
        if (value == "warn") out.county_mismatch = MismatchAction::Warn;
        else if (value == "refuse") out.county_mismatch = MismatchAction::Refuse;
        else return bad_value();
      } else {
        return bad(line_no, key, "未知设置项", "unknown setting");
      }
      continue;
    }
    if (!section_keys.insert(key).second)
      return bad(line_no, key, "设置项重复", "setting given twice");
    if (key == "active") {
      const auto b = parse_yes_no(value);
      if (!b) return bad_value();
      section->active = *b;
    } else if (key == "cap") {
      const auto v = parse_yuan(value);
      if (!v) return bad_value();
      section->cap = *v;
    } else if (key == "household_limit") {
      const auto n = parse_small_int(value, 0, 99);
      if (!n) return bad_value();
      section->household_limit = *n;
    } else if (key == "subsidy_rate") {
      const auto bp = parse_percent_basis_points(value);
      if (!bp) return bad_value();
      section->subsidy.rate_basis_points = *bp;
    } else if (key == "subsidy_threshold") {
      if (!value.empty()) {
        const auto v = parse_yuan(value);
        if (!v) return bad_value();
        section->subsidy.threshold = *v;
      }
    } else if (key == "subsidy_flat_above") {
      if (!value.empty()) {
        const auto v = parse_yuan(value);
        if (!v) return bad_value();
        section->subsidy.flat_above = *v;
        have_flat = true;
      }
    } else {
      return bad(line_no, key, "未知设置项", "unknown setting");
    }
  }
  if (!finish_section()) return false;
  if (!have_id) return bad(0, "id", "缺少策略编号 id", "the policy id is missing");
  if (!have_from)
    return bad(0, "effective_from", "缺少生效日期 effective_from", "effective_from is missing");
  for (const auto& [cat, cp] : out.categories)
    if (cp.active && cp.cap == 0)
      return bad(0, std::string(category_code(cat)), "启用的品类限价不能为 0",
                 "an active category needs a cap above 0");
  return true;
}

}  // namespace hn
