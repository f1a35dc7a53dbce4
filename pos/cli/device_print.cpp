// `huinong device decode` and `huinong reprint`: reading label cards and serials from a
// picture, and printing an invoice again. Printing is always a separate step after the sale's
// commit: a printer that fails leaves the sale as it was, and the invoice can be printed again.
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "cli/device_commands.hpp"
#include "core/text.hpp"
#include "imaging/decode.hpp"
#include "imaging/image.hpp"
#include "printer/printer.hpp"

namespace hn::cli {

using app::Problem;
using app::ProblemKind;
using nlohmann::json;

int cmd_device_decode(Context& c) {
  int exit = 0;
  if (!only_options(c, {}, exit)) return exit;
  if (c.args.words.size() != 3)
    return usage_error(c, "请给出一个图像文件(PNG、JPEG 或 PGM)",
                       "give exactly one image file (PNG, JPEG or PGM)");
  const std::string file = c.args.words[2];
  const auto image = imaging::load_image(file);
  if (!image) {
    const auto& e = image.error();
    return report_problem(c, app::bad_input(e.code, e.message_zh, e.message_en));
  }
  // A still picture that someone waits for: the extra passes cost nothing when the first
  // pass finds the code, and recover corner Data Matrix symbols and dim pictures when not.
  imaging::DecodeOptions options;
  options.fallback_passes = true;
  const auto codes = imaging::decode(image->view(), options);
  if (!codes) {
    const auto& e = codes.error();
    return report_problem(c, app::bad_input(e.code, e.message_zh, e.message_en));
  }
  if (codes->empty())
    return report_problem(
        c, app::bad_input("NO_BARCODE",
                          "图像 " + quote_for_message(file) +
                              " 中没有找到条码(Code 128、QR、EAN-13、Data "
                              "Matrix):请让条码更大、更清楚、光线更均匀后重拍",
                          "no barcode found in " + quote_for_message(file) +
                              " (Code 128, QR, EAN-13, Data Matrix): retake it larger, "
                              "sharper and evenly lit"));
  json list = json::array();
  std::string text;
  for (const auto& code : codes.value()) {
    json corners = json::array();
    for (const auto& p : code.corners) corners.push_back({p.x, p.y});
    list.push_back({{"format", imaging::format_code(code.format)},
                    {"format_name", imaging::format_name(code.format)},
                    {"text", code.text},
                    {"position", corners}});
    text += std::string(imaging::format_name(code.format)) + "  " + code.text + "\n";
  }
  text.pop_back();
  print_ok(c, {{"status", "ok"}, {"file", file}, {"codes", list}}, text);
  return 0;
}

namespace {

// Exit 1, and the message says what matters to the clerk first: the sale is safe.
int print_failed(const Context& c, const printer::Error& e) {
  return report_problem(
      c, Problem{ProblemKind::Internal, "PRINT_FAILED",
                 "打印失败:" + e.message_zh +
                     "。这笔销售已经保存,不受影响;请检查打印机后再运行 huinong reprint 重新打印。",
                 "printing failed: " + e.message_en +
                     ". The sale is saved and safe; check the printer and run "
                     "huinong reprint again."});
}

}  // namespace

// The reprint is journaled only once the printer is open and, where it can answer, ready: a
// printer that cannot be reached (a closed port, an unwritable path, no paper) changes
// nothing at all. A failure while the bytes are already going out is still journaled: part of
// that copy may be on paper, and its number must not be given to another copy.
int cmd_reprint(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "invoice", "printer"}, exit)) return exit;
  const auto invoice_text = required(c, "invoice", exit);
  if (!invoice_text) return exit;
  const auto uri_text = required(c, "printer", exit);
  if (!uri_text) return exit;
  const bool digits = invoice_text->size() <= 8 &&
                      invoice_text->find_first_not_of("0123456789") == std::string::npos;
  if (!digits)
    return usage_error(c, "--invoice 应为发票号码(最多 8 位数字)",
                       "--invoice must be the invoice number (up to 8 digits)");
  const std::int64_t invoice_no = std::stoll(*invoice_text);
  const auto uri = printer::parse_printer_uri(*uri_text);
  if (!uri)
    return report_problem(
        c, app::bad_input(uri.error().code, uri.error().message_zh, uri.error().message_en));

  auto t = open_terminal(c);
  const auto actor = login(c, *t, {app::Role::Clerk, app::Role::Manager});
  if (!actor) return report_problem(c, actor.problem());
  if (const auto exists = t->invoice(invoice_no); !exists)
    return report_problem(c, exists.problem());

  auto device = printer::open_printer(uri.value());
  if (!device) return print_failed(c, device.error());
  const auto copy = t->reprint(actor.value(), invoice_no);
  if (!copy) return report_problem(c, copy.problem());
  printer::ReceiptOptions options;
  options.paper = uri->paper;
  options.kick_drawer = false;  // a reprint never opens the cash drawer
  if (const auto printed = device.value()->print(copy.value(), options); !printed)
    return print_failed(c, printed.error());

  const int n = copy->copy_no;
  print_ok(c,
           {{"status", "printed"},
            {"invoice_no", copy->invoice_no},
            {"copy", n},
            {"printer", *uri_text}},
           "已重新打印发票 " + copy->invoice_no + " 副本 COPY " + std::to_string(n) +
               "\nReprinted invoice " + copy->invoice_no + " as copy " + std::to_string(n));
  return 0;
}

int cmd_audit_check_invoice(Context& c) {
  int exit = 0;
  if (!only_options(c, {"user", "text", "image"}, exit)) return exit;
  const auto text = c.args.get("text"), image_file = c.args.get("image");
  if (!text == !image_file)
    return usage_error(c, "请给出 --text 二维码内容 或 --image 图像文件(二选一)",
                       "give either --text QR_TEXT or --image FILE");
  std::string payload = text.value_or("");
  if (image_file) {  // the camera's or a scanner's picture of the paper
    const auto image = imaging::load_image(*image_file);
    if (!image) return report_problem(c, app::bad_input(image.error().code, image.error().message_zh, image.error().message_en));
    imaging::DecodeOptions options;
    options.fallback_passes = true;
    const auto codes = imaging::decode(image->view(), options);
    if (codes)
      for (const auto& code : codes.value())
        if (code.text.rfind("HNPOS", 0) == 0) payload = code.text;
    if (payload.empty())
      return report_problem(c, app::bad_input("NO_INVOICE_QR", "图像 " + quote_for_message(*image_file) + " 中没有发票二维码:请对准小票底部的二维码重拍",
                                              "no invoice QR code in " + quote_for_message(*image_file) +
                                                  ": retake it with the QR code at the foot of the receipt in view"));
  }
  auto t = open_terminal(c);
  const auto user = login(c, *t, {app::Role::Clerk, app::Role::Manager, app::Role::Auditor});
  if (!user) return report_problem(c, user.problem());
  const auto r = t->check_invoice_qr(payload);
  if (!r) return report_problem(c, r.problem());
  json problems = json::array();
  std::string lines;
  for (std::size_t i = 0; i < r->problems_zh.size(); ++i) {
    problems.push_back({{"message_zh", r->problems_zh[i]}, {"message_en", r->problems_en[i]}});
    lines += "\n✗ " + r->problems_zh[i] + " / " + r->problems_en[i];
  }
  const bool ok = problems.empty();
  const json out = {{"status", ok ? "matches" : "differs"}, {"invoice_no", r->invoice_no}, {"problems", problems}};
  if (c.json_out)
    std::cout << dump(out) << "\n";
  else
    std::cout << (ok ? "✓ 发票 " + r->invoice_no + " 与记录相符 / invoice " + r->invoice_no + " matches the record"
                     : "核验失败 发票 " + r->invoice_no + " 与记录不符 / invoice " + r->invoice_no +
                           " does not match the record" + lines)
              << "\n";
  return ok ? 0 : 5;
}

}  // namespace hn::cli
