// `huinong device read-document FILE`: reads an ID card face or a 户口簿 page from a picture (a
// camera frame, a flatbed scan, a photograph) by OCR and prints every field with its confidence,
// what is doubtful and why, and whether the ID number's check digit holds. The ID number is
// masked unless a manager asks for it in full; one whose check digit fails is never printed.
//
// Exit codes: 0 read (doubtful fields included: they are marked); 2 usage, an unreadable file,
// no document in the picture, not the kind asked for; 4 --full without a manager; 1 the OCR
// language data missing (an installation fault).
#include <sstream>

#include "cli/device_commands.hpp"
#include "core/id_number.hpp"
#include "core/text.hpp"
#include "document/reader.hpp"

namespace hn::cli {

namespace {

using app::Problem;
using nlohmann::json;

constexpr int kChinaUtcOffsetMinutes = 8 * 60;

const char* label_of(const std::string& field) {
  static const std::pair<const char*, const char*> kLabels[] = {
      {"name", "姓名 Name"},           {"sex", "性别 Sex"},
      {"nation", "民族 Nation"},       {"birth", "出生 Birth date"},
      {"address", "住址 Address"},     {"id_number", "公民身份号码 ID number"},
      {"issuer", "签发机关 Issuer"},   {"validity", "有效期限 Valid"},
      {"hukou_type", "户别 Hukou type"}, {"head_name", "户主姓名 Head"},
      {"household_no", "户号 Household no."}, {"authority", "登记机关 Authority"},
      {"relation", "与户主关系 Relation"}};
  for (const auto& [k, v] : kLabels)
    if (field == k) return v;
  return "?";
}

}  // namespace

int cmd_device_read_document(Context& c) {
  int exit = 0;
  if (!only_options(c, {"kind", "user"}, exit)) return exit;
  if (c.args.words.size() != 3)
    return usage_error(c, "请给出一个图像文件(PNG、JPEG、PGM 或 BMP)",
                       "give exactly one image file (PNG, JPEG, PGM or BMP)");
  const std::string file = c.args.words[2];
  std::optional<document::Kind> kind;
  if (const auto k = c.args.get("kind")) {
    kind = document::parse_kind(*k);
    if (!kind)
      return usage_error(c, "--kind 应为 id-front、id-back、hukou-first 或 hukou-member",
                         "--kind must be id-front, id-back, hukou-first or hukou-member");
  }
  const bool full = c.args.flag("full");
  // The full number is personal data (DESIGN.md "Data"): a signed-in manager only, checked
  // before anything is read. With --user the read is journaled (who, what kind, never the image).
  std::unique_ptr<app::Terminal> terminal;
  std::optional<app::UserRecord> user;
  if (full && !c.args.get("user"))
    return report_problem(
        c, app::not_permitted("FULL_ID_NEEDS_MANAGER",
                              "显示完整身份证号需要店长登录:加上 --user 店长账号 并提供 HUINONG_PIN",
                              "the full ID number needs a manager: add --user MANAGER and set HUINONG_PIN"));
  if (c.args.get("user")) {
    terminal = open_terminal(c);
    const auto who = full ? login(c, *terminal, {app::Role::Manager})
                          : login(c, *terminal, {app::Role::Clerk, app::Role::Manager});
    if (!who) return report_problem(c, who.problem());
    user = who.value();
  }

  const auto image = imaging::load_image(file);
  if (!image) {
    const auto& e = image.error();
    return report_problem(c, app::bad_input(e.code, e.message_zh, e.message_en));
  }
  document::ReaderOptions options;
  options.today = local_time_from_unix(c.clock.unix_seconds(), kChinaUtcOffsetMinutes).date;
  auto reader = document::DocumentReader::open(options);
  if (!reader) {
    const auto& e = reader.error();
    return report_problem(c, Problem{app::ProblemKind::Internal, e.code, e.message_zh, e.message_en});
  }
  const auto reading = reader.value()->read(image->view(), kind);
  if (!reading) {
    const auto& e = reading.error();
    return report_problem(c, app::bad_input(e.code, e.message_zh, e.message_en));
  }
  const document::Reading& r = reading.value();

  json fields = json::object();
  std::ostringstream text;
  text << pad_right("证件 Document", 26) << document::kind_name_zh(r.kind) << " / " << document::kind_name_en(r.kind)
       << (r.kind_detected ? "" : "") << "\n";
  json read_names = json::array(), doubtful_names = json::array();
  for (const auto& f : r.fields) {
    std::string shown = f.text;
    if (f.name == "id_number" && !f.text.empty() && !full) {
      const auto id = IdNumber::parse(f.text, std::nullopt);
      shown = id ? id->masked() : mask_id_text(f.text);
    }
    json jf = {{"text", shown}, {"confidence", f.confidence}, {"doubtful", f.doubtful}};
    if (f.doubtful) {
      jf["why_zh"] = f.why_zh;
      jf["why_en"] = f.why_en;
      doubtful_names.push_back(f.name);
    }
    if (!f.text.empty()) read_names.push_back(f.name);
    fields[f.name] = jf;
    text << pad_right(label_of(f.name), 26) << pad_right(shown.empty() ? "-" : shown, 34) << " "
         << pad_left(std::to_string(f.confidence) + "%", 4)
         << (f.doubtful ? "  ? 请核对 check: " + f.why_zh + " / " + f.why_en : "") << "\n";
  }
  const bool has_id = r.id_check != document::IdCheck::None;
  const bool holds = r.id_check == document::IdCheck::Ok || r.id_check == document::IdCheck::BirthUnread ||
                     r.id_check == document::IdCheck::BirthMismatch || r.id_check == document::IdCheck::SexMismatch;
  json j = {{"status", "ok"},
            {"file", file},
            {"kind", document::kind_code(r.kind)},
            {"kind_detected", r.kind_detected},
            {"fields", fields},
            {"id_check", document::id_check_code(r.id_check)},
            {"check_digit_holds", has_id ? json(holds && r.id_check != document::IdCheck::Unread) : json(nullptr)},
            {"all_sure", r.all_sure()},
            {"seconds", r.seconds}};
  if (has_id)
    text << pad_right("校验 Check", 26) << document::id_check_zh(r.id_check) << " / "
         << document::id_check_en(r.id_check) << "\n";
  text << (r.all_sure() ? "全部读出,无需核对 / all fields read with confidence"
                        : "标 ? 的字段请与证件核对 / check the fields marked ? against the document");
  if (user && terminal)
    terminal->record_document_read(*user, {{"kind", document::kind_code(r.kind)},
                                           {"fields_read", read_names},
                                           {"fields_doubtful", doubtful_names},
                                           {"id_check", document::id_check_code(r.id_check)},
                                           {"source", "file"},
                                           {"image_kept", false}});
  print_ok(c, j, text.str());
  return 0;
}

}  // namespace hn::cli
