#include "core/return_forms.hpp"

#include <algorithm>
#include <cstdio>
#include <string_view>

#include "core/returns.hpp"
#include "core/text.hpp"

namespace hn {

namespace {

std::string money(Fen fen) { return "\xEF\xBF\xA5" + format_yuan(fen); }  // full-width ￥

std::string outlet_of(const std::string& name, const std::string& code) {
  return code.empty() ? name : name + " (" + code + ")";
}

std::string product_of(const std::string& brand, const std::string& name,
                       const std::string& model) {
  std::string out;
  for (const std::string* part : {&brand, &name, &model}) {
    if (part->empty()) continue;
    if (!out.empty()) out += ' ';
    out += *part;
  }
  return out;
}

std::string hh_mm(int seconds_of_day) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", (seconds_of_day / 3600) % 24,
                (seconds_of_day / 60) % 60);
  return buf;
}

// ---- layout ---------------------------------------------------------------------------------

std::string rtrim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::string spaces(int n) { return std::string(static_cast<std::size_t>(std::max(0, n)), ' '); }

// "1. " or "12. " at the start of a note: its continuation lines hang under the text.
int list_marker_width(const std::string& note) {
  std::size_t i = 0;
  while (i < note.size() && note[i] >= '0' && note[i] <= '9') ++i;
  if (i == 0 || i + 1 >= note.size() || note[i] != '.' || note[i + 1] != ' ') return 0;
  return static_cast<int>(i + 2);
}

}  // namespace

// POLICY "Returns", paid row: the form the buyer takes to the township finance office (§7, §10).
Document refund_form(const RefundFormData& d) {
  Document doc;
  doc.title = "家电下乡补贴资金申报(退还)表";
  doc.subtitle = "Subsidy refund form (Home Appliances to the Countryside)";
  doc.number = d.form_no;
  doc.rows = {
      {"销售网点 Outlet", outlet_of(d.outlet_name, d.outlet_code)},
      {"所在县 County", d.county},
      {"购买人 Buyer", d.buyer_name},
      // In full: the finance office finds the buyer's claim by it, as on the invoice (S4).
      {"身份证号 ID No", d.buyer_id},
      {"户号 Household", d.household},
      {"发票号码 Invoice No", d.invoice_no},
      {"购买日期 Date of sale", d.sale_date.iso()},
      {"标识卡号 Label card No", d.card_no},
      {"产品序列号 Serial No", d.serial_no},
      {"品名型号 Product", product_of(d.brand, d.product_name, d.model_code)},
      {"品类 Category", std::string(category_name_zh(d.category))},
      {"销售价格 Price", money(d.price)},
      {"应退补贴 Subsidy to repay", money(d.subsidy)},
      {"退货原因 Reason", d.reason},
      {"填表日期 Date", d.issued_at.date.iso()},
  };
  const std::string amount = money(d.subsidy);
  // What the township finance office writes on the invoice once the buyer has repaid (§10).
  const std::string endorsement = "\"补贴已退,可退货\"";
  doc.notes = {
      "办理步骤:",
      "1. 请持本表和原销售发票到原申领补贴的乡镇财政所,退还补贴资金" + amount + "。",
      "2. 乡镇财政所在家电下乡信息管理系统中确认退还,在原发票上签署" + endorsement + "并加盖公章。",
      "3. 请持本表和签章后的原发票回到本网点办理退货。",
      "What to do next:",
      "1. Take this form and the original invoice to the township finance office (乡镇财政所) " +
          std::string("where the subsidy was claimed, and repay the subsidy of ") + amount + ".",
      "2. The office confirms the repayment in the system and endorses the invoice " + endorsement +
          " (subsidy repaid, goods may be returned) with its stamp.",
      "3. Come back to this outlet with this form and the endorsed invoice to finish the return.",
  };
  doc.signatures = {
      "购买人签字 Buyer",
      "销售网点盖章 Outlet (stamp)",
      "乡镇财政所盖章 Township finance office (stamp)",
  };
  return doc;
}

// POLICY "Returns": printed when a return completes; kept 3 years with the voided invoice's copy.
Document credit_note(const CreditNoteData& d) {
  Document doc;
  doc.title = "退货凭证";
  doc.subtitle = "Return credit note";
  doc.number = d.note_no;
  doc.rows = {
      {"销售网点 Outlet", outlet_of(d.outlet_name, d.outlet_code)},
      {"终端 Terminal", d.terminal_id},
      {"原发票 Invoice", d.invoice_no + " 已作废 void"},
      {"购买人 Buyer", d.buyer_name},
      {"身份证号 ID No", d.buyer_id_masked},
      {"标识卡号 Label card No", d.card_no},
      {"产品序列号 Serial No", d.serial_no},
      {"品名型号 Product", product_of(d.brand, d.product_name, d.model_code)},
      {"退款金额 Refund", money(d.refund)},
      {"退还补贴 Subsidy returned", money(d.subsidy_returned)},
      {"补贴状态 Subsidy state", subsidy_state_words(d.province_state)},
      {"审批人 Approved by", d.approver_name},
      {"退货原因 Reason", d.reason},
      {"退货时间 Time", d.completed_at.date.iso() + " " + hh_mm(d.completed_at.seconds_of_day)},
  };
  doc.notes = {
      "产品标识卡已收回并销毁。本凭证与作废发票复印件一并留存3年备查。",
      "The label card was taken back and destroyed. This note is kept for 3 years with a copy "
      "of the voided invoice.",
  };
  doc.signatures = {
      "购买人签字 Buyer",
      "销售网点盖章 Outlet (stamp)",
  };
  return doc;
}

std::string render_document_text(const Document& doc, int width) {
  width = std::max(width, 32);
  std::string out;
  auto line = [&](const std::string& s) { out += printable_text(rtrim(s)) + "\n"; };  // never a control character
  auto centred = [&](const std::string& text) {
    for (const auto& l : wrap_text(text, width)) line(spaces((width - display_width(l)) / 2) + l);
  };
  const std::string rule(static_cast<std::size_t>(width), '-');

  centred(doc.title);
  if (!doc.subtitle.empty()) centred(doc.subtitle);
  line("");
  if (!doc.number.empty())
    for (const auto& l : wrap_text("编号 No: " + doc.number, width)) line(pad_left(l, width));
  line(rule);

  // "label: value" on one line when it fits; else the label, and the value indented under it.
  for (const auto& row : doc.rows) {
    const std::string label = row.label + ":";
    if (display_width(label) + 1 + display_width(row.value) <= width) {
      line(label + " " + row.value);
      continue;
    }
    for (const auto& l : wrap_text(label, width)) line(l);
    for (const auto& l : wrap_text(row.value, width - 2)) line("  " + l);
  }
  line(rule);

  for (std::size_t n = 0; n < doc.notes.size(); ++n) {
    const std::string& note = doc.notes[n];
    const int hang = list_marker_width(note);
    if (n > 0 && hang == 0) line("");  // a note that is not a list item starts a new block
    const auto lines = wrap_text(note.substr(static_cast<std::size_t>(hang)), width - hang);
    for (std::size_t i = 0; i < lines.size(); ++i)
      line((i == 0 ? note.substr(0, static_cast<std::size_t>(hang)) : spaces(hang)) + lines[i]);
  }

  // Each signature: its label, room to sign (and stamp), the line, the date.
  const std::string date_line = "日期 Date: ______年____月____日";  // 31 columns
  for (const auto& signature : doc.signatures) {
    line("");
    for (const auto& l : wrap_text(signature + ":", width)) line(l);
    line("");
    line("");
    line(std::string(static_cast<std::size_t>(std::min(width, 40)), '_'));
    line(date_line);
  }
  return out;
}

}  // namespace hn
