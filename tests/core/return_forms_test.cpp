// The paper of a return (POLICY "Returns"): the subsidy refund form the buyer takes to the
// township finance office, and the credit note of a completed return, as plain text.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "core/id_number.hpp"
#include "core/return_forms.hpp"
#include "core/text.hpp"
#include "samples.hpp"

using hn::Category;
using hn::CreditNoteData;
using hn::RefundFormData;
using hn::test::lines_of;
using hn::test::tv_credit;
using hn::test::tv_refund;

namespace {

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// Whether `part` is in `text` once line breaks and spaces are taken out of both: for notes and
// values that wrap differently at each width.
bool flows(const std::string& text, const std::string& part) {
  auto squeezed = [](std::string s) {
    s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\n'; }),
            s.end());
    return s;
  };
  return contains(squeezed(text), squeezed(part));
}

}  // namespace

TEST_CASE("the refund form carries everything the township finance office needs",
          "[return_forms]") {
  const auto text = hn::render_document_text(hn::refund_form(tv_refund()), 64);
  for (const char* part :
       {"家电下乡补贴资金申报(退还)表", "Subsidy refund form (Home Appliances to the Countryside)",
        "F00000003", "怀宁县石牌镇家电城 (340822001)", "所在县 County: 怀宁县", "王秀英",
        "340822-0012", "发票号码 Invoice No: 00000001", "2009-01-15", "34080100000000010001",
        "TLM26V68-0811A00017", "海信 液晶彩电 HISENSE-TLM26V68", "品类 Category: 彩电",
        "销售价格 Price: ￥1999.00", "应退补贴 Subsidy to repay: ￥259.87", "屏幕有坏点",
        "填表日期 Date: 2009-03-02"}) {
    INFO(part);
    CHECK(contains(text, part));
  }
}

TEST_CASE("the refund form shows the buyer's ID number in full", "[return_forms]") {
  // The finance office finds the buyer's claim by it, as on the invoice (POLICY S4).
  const auto text = hn::render_document_text(hn::refund_form(tv_refund()), 64);
  CHECK(contains(text, "身份证号 ID No: 340822198001010013"));
  CHECK(!contains(text, "3408**********0013"));
}

TEST_CASE("the refund form tells the buyer what to do, in Chinese and English", "[return_forms]") {
  // POLICY "Returns", paid row: repay at the township, the office endorses, then the outlet.
  for (int width : {32, 48, 64}) {
    INFO("width " << width);
    const auto text = hn::render_document_text(hn::refund_form(tv_refund()), width);
    CHECK(flows(text, "请持本表和原销售发票到原申领补贴的乡镇财政所,退还补贴资金￥259.87。"));
    CHECK(flows(text, "在原发票上签署\"补贴已退,可退货\"并加盖公章"));
    CHECK(flows(text, "请持本表和签章后的原发票回到本网点办理退货"));
    CHECK(flows(text, "Take this form and the original invoice to the township finance office"));
    CHECK(flows(text, "repay the subsidy of ￥259.87"));
    CHECK(flows(text, "endorses the invoice \"补贴已退,可退货\""));
    CHECK(flows(text, "Come back to this outlet"));
  }
}

TEST_CASE("the refund form has a signature line and a date for buyer, outlet and township",
          "[return_forms]") {
  const auto doc = hn::refund_form(tv_refund());
  REQUIRE(doc.signatures.size() == 3);
  CHECK(contains(doc.signatures[0], "购买人"));
  CHECK(contains(doc.signatures[0], "Buyer"));
  CHECK(contains(doc.signatures[1], "销售网点"));
  CHECK(contains(doc.signatures[1], "Outlet (stamp)"));
  CHECK(contains(doc.signatures[2], "乡镇财政所"));
  CHECK(contains(doc.signatures[2], "Township finance office (stamp)"));

  const auto lines = lines_of(hn::render_document_text(doc, 64));
  int dates = 0;
  for (const auto& l : lines) dates += contains(l, "日期 Date: ______年____月____日") ? 1 : 0;
  CHECK(dates == 3);
  for (const char* who : {"购买人签字 Buyer:", "销售网点盖章 Outlet (stamp):",
                          "乡镇财政所盖章 Township finance office (stamp):"}) {
    INFO(who);
    const auto at = std::find(lines.begin(), lines.end(), who);
    REQUIRE(at != lines.end());
    // room to sign, the line, then the date
    REQUIRE(lines.end() - at > 4);
    CHECK(at[1].empty());
    CHECK(at[2].empty());
    CHECK(at[3].find_first_not_of('_') == std::string::npos);
    CHECK(contains(at[4], "日期 Date:"));
  }
}

TEST_CASE("the credit note carries the return, the voided invoice and the refund",
          "[return_forms]") {
  const auto text = hn::render_document_text(hn::credit_note(tv_credit()), 64);
  for (const char* part :
       {"退货凭证", "Return credit note", "C00000007", "怀宁县石牌镇家电城 (340822001)",
        "终端 Terminal: T01", "原发票 Invoice: 00000001 已作废 void", "购买人 Buyer: 王秀英",
        "34080100000000010001", "TLM26V68-0811A00017", "海信 液晶彩电 HISENSE-TLM26V68",
        "退款金额 Refund: ￥1999.00", "退还补贴 Subsidy returned: ￥259.87",
        "补贴状态 Subsidy state: 补贴已退", "审批人 Approved by: 张国强", "屏幕有坏点",
        "退货时间 Time: 2009-03-05 14:20"}) {
    INFO(part);
    CHECK(contains(text, part));
  }
  CHECK(flows(text, "产品标识卡已收回并销毁"));
  CHECK(flows(text, "The label card was taken back and destroyed"));
}

TEST_CASE("the credit note masks the buyer's ID number and never shows it in full",
          "[return_forms]") {
  for (int width : {32, 48, 64}) {
    const auto text = hn::render_document_text(hn::credit_note(tv_credit()), width);
    INFO("width " << width);
    CHECK(contains(text, "3408**********0013"));
    CHECK(!flows(text, hn::test::kSampleBuyerId));
    CHECK(!flows(text, "19800101"));
  }
}

TEST_CASE("the credit note names the province's subsidy state in Chinese", "[return_forms]") {
  const std::pair<const char*, const char*> states[] = {
      {"not_claimed", "未申报"}, {"claimed", "已申报"},        {"rejected", "核查未通过"},
      {"refunded", "补贴已退"},  {"never_uploaded", "未上传"},
  };
  for (const auto& [code, words] : states) {
    auto d = tv_credit();
    d.province_state = code;
    const auto text = hn::render_document_text(hn::credit_note(d), 64);
    INFO(code);
    CHECK(contains(text, std::string("补贴状态 Subsidy state: ") + words));
    CHECK(!contains(text, std::string(": ") + code));  // the code itself is not what is printed
  }
}

TEST_CASE("every line of both documents fits the width", "[return_forms]") {
  auto long_refund = tv_refund();
  long_refund.reason =
      "购买后第三天发现冷藏室不制冷,经售后服务网点上门检测确认为压缩机故障,符合三包退货规定 "
      "(compressor failure confirmed by the service visit)";
  for (int width : {32, 48, 64}) {
    for (const auto& doc : {hn::refund_form(tv_refund()), hn::refund_form(long_refund),
                            hn::credit_note(tv_credit())}) {
      for (const auto& l : lines_of(hn::render_document_text(doc, width))) {
        INFO("width " << width << ": '" << l << "'");
        CHECK(hn::display_width(l) <= width);
        CHECK((l.empty() || l.back() != ' '));
      }
    }
  }
}

TEST_CASE("a width below 32 columns is laid out at 32", "[return_forms]") {
  const auto doc = hn::refund_form(tv_refund());
  CHECK(hn::render_document_text(doc, 10) == hn::render_document_text(doc, 32));
}

TEST_CASE("the title is centred and the number flush right", "[return_forms]") {
  for (int width : {32, 48, 64}) {
    INFO("width " << width);
    const auto lines = lines_of(hn::render_document_text(hn::refund_form(tv_refund()), width));
    REQUIRE(lines.size() > 5);
    const auto& title = lines[0];
    const int left = static_cast<int>(title.find_first_not_of(' '));
    CHECK(hn::trim(title) == "家电下乡补贴资金申报(退还)表");
    CHECK(std::abs(width - (left + 28) - left) <= 1);  // 28 columns, as much room either side
    const auto number = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
      return contains(l, "编号 No: F00000003");
    });
    REQUIRE(number != lines.end());
    CHECK(hn::display_width(*number) == width);
  }
}

TEST_CASE("a long product name wraps under its label, whole", "[return_forms]") {
  auto d = tv_refund();
  d.brand = "小天鹅";
  d.product_name = "全自动波轮洗衣机 智能模糊控制 不锈钢内桶 五公斤";
  d.model_code = "LITTLESWAN-XQB50-180G";
  d.category = Category::Washer;
  for (int width : {32, 48, 64}) {
    INFO("width " << width);
    const auto text = hn::render_document_text(hn::refund_form(d), width);
    const auto lines = lines_of(text);
    const auto label = std::find(lines.begin(), lines.end(), "品名型号 Product:");
    REQUIRE(label != lines.end());  // too long for the label's line at any of these widths
    REQUIRE(lines.end() - label > 2);
    CHECK(label[1].rfind("  小天鹅", 0) == 0);  // indented under the label
    CHECK(label[2].rfind("  ", 0) == 0);
    // Nothing lost: the model number is never cut, and the whole name is there in order.
    CHECK(contains(text, "LITTLESWAN-XQB50-180G"));
    std::string value;
    for (auto l = label + 1; l != lines.end() && l->rfind("  ", 0) == 0; ++l) value += *l;
    CHECK(contains(value, "五公斤"));
    CHECK(contains(text, "品类 Category: 洗衣机"));
  }
}

TEST_CASE("amounts are yuan with two decimals", "[return_forms]") {
  auto d = tv_refund();
  d.price = 100000;
  d.subsidy = 13000;
  const auto text = hn::render_document_text(hn::refund_form(d), 64);
  CHECK(contains(text, "销售价格 Price: ￥1000.00"));
  CHECK(contains(text, "应退补贴 Subsidy to repay: ￥130.00"));
  auto c = tv_credit();
  c.subsidy_returned = 0;  // not claimed: nothing to return
  c.refund = 5;
  const auto note = hn::render_document_text(hn::credit_note(c), 64);
  CHECK(contains(note, "退还补贴 Subsidy returned: ￥0.00"));
  CHECK(contains(note, "退款金额 Refund: ￥0.05"));
}
