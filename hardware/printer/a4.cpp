#include "printer/a4.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>

#include "core/text.hpp"
#include "printer/a4_page.hpp"

namespace hn::printer {

using namespace a4;

namespace {

std::string b(const std::string& s) { return "<b>" + escape(s) + "</b>"; }
std::string e(const std::string& s) { return escape(s); }
// Each payment and the change under "实收 Paid now" (issue 16); nothing when paid exactly in cash.
std::string payment_lines(const Invoice& inv) {
  std::string out;
  for (const auto& p : invoice_payment_lines(inv)) out += "\n" + e(p.label) + ": ￥" + e(format_yuan(p.amount));
  return out;
}

}  // namespace

Result<std::string> invoice_pdf(const Invoice& inv) {
  std::string bytes;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(append_bytes, &bytes, kPageWidth, kPageHeight);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                 ("家电下乡产品销售发票 " + inv.invoice_no).c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Huinong POS 惠农收银台");
  cairo_t* cr = cairo_create(surface);
  Page page(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  const double content = kPageWidth - 2 * kMargin;

  // POLICY S4: the top-right corner carries the buyer's name, ID number and every card.
  double y = kMargin;
  const double block_width = 300;
  const double block_x = kPageWidth - kMargin - block_width;
  std::string block = "购买人 Buyer: " + b(inv.buyer_name) + "\n身份证号 ID: " + b(inv.buyer_id);
  for (std::size_t i = 0; i < inv.lines.size(); ++i)
    block += std::string(i == 0 ? "\n标识卡号 Cards: " : "\n") + b(inv.lines[i].card_no);
  y += page.text(block, block_x, y, block_width, 10.5, PANGO_ALIGN_RIGHT);

  if (inv.copy_no > 0) {  // 副本: in red, top left, where the block is not
    cairo_set_source_rgb(cr, 0.75, 0.05, 0.1);
    page.text(b("副本 COPY " + std::to_string(inv.copy_no)), kMargin, kMargin, 200, 16);
    cairo_set_source_rgb(cr, 0, 0, 0);
  }

  y += 18;
  y += page.text(b("家电下乡产品销售发票"), kMargin, y, content, 22, PANGO_ALIGN_CENTER);
  y += page.text(e("Home Appliances to the Countryside - Sales Invoice"), kMargin, y, content, 11,
                 PANGO_ALIGN_CENTER);
  if (!inv.status.empty()) {  // 已作废 / 不享受补贴: in red, under the title
    cairo_set_source_rgb(cr, 0.75, 0.05, 0.1);
    y += 4 + page.text(b(inv.status), kMargin, y + 4, content, 16, PANGO_ALIGN_CENTER);
    cairo_set_source_rgb(cr, 0, 0, 0);
  }
  y += 16;

  const int seconds = inv.issued_at.seconds_of_day;
  char time_buf[8];
  std::snprintf(time_buf, sizeof time_buf, "%02d:%02d", (seconds / 3600) % 24, (seconds / 60) % 60);
  const double half = content / 2;
  page.text("发票号码 Invoice No: " + b(inv.invoice_no), kMargin, y, half, 10);
  y += page.text("开票日期 Date: " + e(inv.issued_at.date.iso() + " " + time_buf), kMargin + half,
                 y, half, 10, PANGO_ALIGN_RIGHT) +
       3;
  page.text("销售网点 Outlet: " + e(inv.outlet_name + " (" + inv.outlet_code + ")"), kMargin, y,
            half * 1.3, 10);
  y += page.text("终端 Terminal: " + e(inv.terminal_id) + "   开票人 Clerk: " + e(inv.clerk_name),
                 kMargin + half, y, half, 10, PANGO_ALIGN_RIGHT) +
       3;
  y += page.text("户号 Household: " + e(inv.household), kMargin, y, content, 10) + 8;

  // The products: name and model | spec, category | card, serial | price | subsidy.
  const double col_x[] = {kMargin, kMargin + 150, kMargin + 265, kMargin + 400,
                          kMargin + content - 60};
  const double col_w[] = {145, 110, 130, content - 400 - 60, 60};
  page.rule(y, 1.2);
  y += 4;
  const char* heads[] = {"品名 型号\nProduct, model", "规格 品类\nSpec, category",
                         "标识卡 / 序列号\nCard / serial", "单价\nPrice", "补贴\nSubsidy"};
  double head_h = 0;
  for (int c = 0; c < 5; ++c)
    head_h = std::max(head_h, page.text("<b>" + escape_lines(heads[c]) + "</b>", col_x[c], y, col_w[c], 9,
                                        c >= 3 ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT));
  y += head_h + 4;
  page.rule(y);
  y += 5;
  for (const auto& l : inv.lines) {
    double h = 0;
    h = std::max(h, page.text(e(l.brand + " " + l.name) + "\n" + e(l.model_code), col_x[0], y,
                              col_w[0], 9.5));
    h = std::max(h, page.text(e(l.spec) + "\n" + e(std::string(category_name_zh(l.category))),
                              col_x[1], y, col_w[1], 9.5));
    h = std::max(h, page.text(e(l.card_no) + "\n" + e(l.serial_no) +
                                  (l.replaces_card.empty() ? "" : "\n换货 原卡 " + e(l.replaces_card)),
                              col_x[2], y, col_w[2], 9.5));
    h = std::max(h,
                 page.text(e(format_yuan(l.price)), col_x[3], y, col_w[3], 9.5, PANGO_ALIGN_RIGHT));
    h = std::max(
        h, page.text(e(format_yuan(l.subsidy)), col_x[4], y, col_w[4], 9.5, PANGO_ALIGN_RIGHT));
    y += h + 6;
    page.rule(y, 0.4);
    y += 5;
  }
  y += 4;
  const std::string totals = "数量 Items: " + std::to_string(inv.lines.size()) +
                             "\n合计 Total: " + b("￥" + format_yuan(inv.total)) +
                             "\n补贴 Subsidy: ￥" + e(format_yuan(inv.subsidy)) +
                             "\n实收 Paid now: ￥" + e(format_yuan(inv.total)) + payment_lines(inv);
  y += page.text(totals, kMargin + half, y, half, 10.5, PANGO_ALIGN_RIGHT) + 10;
  page.rule(y, 1.2);
  y += 8;
  page.text(escape_lines("凭本发票和产品标识卡到户籍所在地乡镇财政所申领补贴。\nClaim the subsidy with this "
              "invoice and the label "
              "cards at the township finance office of your household registration."),
            kMargin, y, content, 9.5);

  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS)
    return Error{"PDF_FAILED", std::string("无法生成 PDF:") + cairo_status_to_string(status),
                 std::string("cannot make the PDF: ") + cairo_status_to_string(status)};
  return bytes;
}

Result<std::string> document_pdf(const Document& doc) {
  PdfStream pdf(doc.title + " " + doc.number);
  cairo_t* cr = pdf.cr;
  Page page(cr);
  const double content = kPageWidth - 2 * kMargin;
  const double bottom = kPageHeight - kMargin;
  double y = kMargin;
  // A new page when `height` more does not fit this one.
  auto room_for = [&](double height) {
    if (y + height <= bottom) return;
    cairo_show_page(cr);
    y = kMargin;
  };

  if (!doc.number.empty())
    page.text("编号 No: " + b(doc.number), kMargin, y, content, 10.5, PANGO_ALIGN_RIGHT);
  y += 26;
  y += page.text(b(doc.title), kMargin, y, content, 20, PANGO_ALIGN_CENTER);
  if (!doc.subtitle.empty())
    y += 2 + page.text(e(doc.subtitle), kMargin, y + 2, content, 11, PANGO_ALIGN_CENTER);
  y += 16;

  // The rows: label | value, a thin rule under each.
  const double label_w = 170;
  const double value_x = kMargin + label_w + 10;
  const double value_w = content - label_w - 10;
  page.rule(y, 1.2);
  y += 6;
  for (const auto& row : doc.rows) {
    const double h = std::max(page.measure(e(row.label), label_w, 10),
                              page.measure(b(row.value), value_w, 10.5));
    room_for(h + 10);
    page.text(e(row.label), kMargin, y + 0.5, label_w, 10);
    page.text(b(row.value), value_x, y, value_w, 10.5);
    y += h + 4;
    page.rule(y, 0.4);
    y += 5;
  }
  y += 6;

  // The notes: list items hang under their number; a note that is not one starts a block.
  for (std::size_t n = 0; n < doc.notes.size(); ++n) {
    const std::string& note = doc.notes[n];
    std::size_t marker = 0;
    while (marker < note.size() && note[marker] >= '0' && note[marker] <= '9') ++marker;
    const bool item =
        marker > 0 && marker + 1 < note.size() && note[marker] == '.' && note[marker + 1] == ' ';
    if (n > 0 && !item) y += 8;
    if (item) {
      const std::string text = note.substr(marker + 2);
      const double h = page.measure(e(text), content - 18, 10);
      room_for(h);
      page.text(e(note.substr(0, marker + 1)), kMargin, y, 18, 10);
      y += page.text(e(text), kMargin + 18, y, content - 18, 10) + 2;
    } else {
      room_for(page.measure(b(note), content, 10));
      y += page.text(b(note), kMargin, y, content, 10) + 2;
    }
  }

  // The signers side by side, three to a row: the label, room to sign and for a round stamp
  // (about 40 mm), the line, the date.
  const std::size_t per_row = 3;
  const double gap = 18;
  const double col_w = (content - gap * 2) / 3;
  const double stamp_room = 96;
  for (std::size_t first = 0; first < doc.signatures.size(); first += per_row) {
    const std::size_t last = std::min(doc.signatures.size(), first + per_row);
    double label_h = 0;
    for (std::size_t i = first; i < last; ++i)
      label_h = std::max(label_h, page.measure(e(doc.signatures[i] + ":"), col_w, 10));
    y += 18;
    room_for(label_h + stamp_room + 20);
    for (std::size_t i = first; i < last; ++i) {
      const double x = kMargin + static_cast<double>(i - first) * (col_w + gap);
      page.text(e(doc.signatures[i] + ":"), x, y, col_w, 10);
      page.line(x, y + label_h + stamp_room, x + col_w, 0.8);
      page.text(e("日期 Date:    年   月   日"), x, y + label_h + stamp_room + 4, col_w, 9.5);
    }
    y += label_h + stamp_room + 20;
  }
  return pdf.finish();
}

}  // namespace hn::printer
