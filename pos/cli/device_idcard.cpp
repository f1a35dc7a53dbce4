// `huinong device read-id`: reads the buyer's ID card from a SAM reader on a serial port and
// prints its fields, the ID number masked unless a manager asks for it in full.
//
// Exit codes: 0 read; 2 usage, and every reader outcome that leaves nothing to read (no card,
// card lifted, no answer, unplugged, line noise, the port unusable, another kind of card): they
// are the counter's everyday trouble, not the program's, and the message says what to do;
// 4 --full without a manager's sign-in.
#include <algorithm>
#include <chrono>
#include <sstream>
#include <string>

#include "cli/device_commands.hpp"
#include "core/id_number.hpp"
#include "core/text.hpp"
#include "id_card_reader.hpp"

namespace hn::cli {

namespace {

using app::Problem;
using nlohmann::json;
using std::chrono::milliseconds;

// China has one time zone and no DST: the card's dates are compared with the date in Beijing.
// (The terminal's own offset setting is in its database, which reading a card does not need.)
constexpr int kChinaUtcOffsetMinutes = 8 * 60;
constexpr milliseconds kDefaultWait{3000};
constexpr milliseconds kMaxWait{600000};

std::string hex_byte(std::uint8_t b) {
  static const char* digits = "0123456789ABCDEF";
  return std::string("0x") + digits[b >> 4] + digits[b & 0xF];
}

Problem reader_problem(const hw::ReadResult& r, const std::string& port) {
  const std::string tries = std::to_string(r.attempts);
  const std::string detail = r.detail.empty() ? "" : " (" + r.detail + ")";
  switch (r.status) {
    case hw::ReadStatus::NoCard:
      return app::bad_input("ID_NO_CARD", "没有身份证:请把身份证放在读卡器上",
                            "no ID card on the reader: place the card on it");
    case hw::ReadStatus::CardRemoved:
      return app::bad_input(
          "ID_CARD_REMOVED", "读卡时身份证被移开了:请把身份证放稳在读卡器上,再读一次",
          "the card was moved away during the read: keep it still on the reader and read again");
    case hw::ReadStatus::BadChecksum:
      return app::bad_input(
          "READER_BAD_CHECKSUM",
          "读卡器传来的数据校验不对(试了 " + tries + " 次):请检查连接线,或换一个 USB 口",
          "the reader's answers failed their checksum (" + tries +
              " tries): check the cable, or try another USB port");
    case hw::ReadStatus::ShortFrame:
      return app::bad_input(
          "READER_SHORT_FRAME",
          "读卡器传来的数据不完整(试了 " + tries + " 次):请检查连接线,或换一个 USB 口",
          "the reader's answers were cut short (" + tries +
              " tries): check the cable, or try another USB port");
    case hw::ReadStatus::Timeout:
      return app::bad_input(
          "READER_TIMEOUT",
          "端口 " + port + " 上的读卡器没有应答:请确认这是读卡器的端口,读卡器已通电",
          "no answer from a reader on " + port +
              ": check that this is the reader's port and that the reader is powered");
    case hw::ReadStatus::Unplugged:
      return app::bad_input(
          "READER_UNPLUGGED", "找不到读卡器 " + port + detail + ":请插好读卡器,或检查 --port 路径",
          "no reader at " + port + detail + ": plug the reader in, or check the --port path");
    case hw::ReadStatus::PortError:
      return app::bad_input(
          "READER_PORT_ERROR",
          "无法打开端口 " + port + detail + ":请检查权限(Linux 上把用户加入 dialout 组)",
          "cannot open the port " + port + detail +
              ": check its permissions (on Linux, add the user to the dialout group)");
    case hw::ReadStatus::ReaderFault:
      return app::bad_input(
          "READER_FAULT",
          "读卡器报告错误(SW3=" + hex_byte(r.sw3) + "):请重新放卡,仍不行请重启读卡器",
          "the reader reported an error (SW3=" + hex_byte(r.sw3) +
              "): place the card again, and if that fails restart the reader");
    case hw::ReadStatus::OtherCard:
      return app::bad_input(
          "ID_CARD_TYPE",
          "这张卡不是居民身份证(外国人永久居留身份证或港澳台居民居住证):请用购买人的居民身份证",
          "this is not a resident ID card (a foreigner's or a Hong Kong/Macao/Taiwan residence "
          "card): use the buyer's resident ID card");
    case hw::ReadStatus::Ok:
      break;
  }
  return {app::ProblemKind::Internal, "INTERNAL", "内部错误:读卡状态未知",
          "internal error: unknown read status"};
}

// A card date for people and scripts: ISO when it is a date, else as printed (长期).
std::string card_date(const std::string& compact) {
  const auto d = parse_compact_date(compact);
  return d ? d->iso() : compact;
}

}  // namespace

int cmd_device_read_id(Context& c) {
  int exit = 0;
  if (!only_options(c, {"port", "user", "timeout-ms"}, exit)) return exit;
  const auto port = required(c, "port", exit);
  if (!port) return exit;
  milliseconds wait = kDefaultWait;
  if (const auto t = c.args.get("timeout-ms")) {
    const bool digits =
        !t->empty() && t->size() <= 6 && t->find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::stol(*t) < 1 || milliseconds(std::stol(*t)) > kMaxWait)
      return usage_error(c, "--timeout-ms 应为 1-600000 的整数(毫秒)",
                         "--timeout-ms must be a whole number of milliseconds, 1-600000");
    wait = milliseconds(std::stol(*t));
  }
  const bool full = c.args.flag("full");
  if (!full && c.args.get("user"))
    return usage_error(c, "--user 只和 --full 一起用", "--user goes with --full only");

  // The full number is personal data (DESIGN.md "Data"): only a signed-in manager sees it, and
  // the check comes before the card is read.
  if (full) {
    if (!c.args.get("user"))
      return report_problem(
          c, app::not_permitted(
                 "FULL_ID_NEEDS_MANAGER",
                 "显示完整身份证号需要店长登录:加上 --user 店长账号 并提供 HUINONG_PIN",
                 "the full ID number needs a manager: add --user MANAGER and set HUINONG_PIN"));
    auto t = open_terminal(c);
    const auto manager = login(c, *t, {app::Role::Manager});
    if (!manager) return report_problem(c, manager.problem());
  }

  hw::ReaderTimings timings;
  // Three tries of find-select-read fit in the wait; never less than a SAM module needs.
  timings.answer_timeout =
      std::clamp(wait / (timings.retries + 1), milliseconds(100), milliseconds(1000));
  hw::IdCardReader reader(*port, timings);
  const hw::ReadResult r = reader.wait_for_card(wait);
  if (!r.ok()) return report_problem(c, reader_problem(r, *port));
  const hw::IdCard& card = *r.card;

  const Date today = local_time_from_unix(c.clock.unix_seconds(), kChinaUtcOffsetMinutes).date;
  const auto id = IdNumber::parse(card.id_number, today);
  const std::string id_shown = full ? card.id_number
                               : id ? id->masked()
                                    : mask_id_text(card.id_number);
  const bool expired = card.expired(today);
  const std::string birth = card_date(card.birth);
  const std::string valid_from = card_date(card.valid_from);
  const std::string valid_to = card_date(card.valid_to);

  json j = {{"status", "ok"},
            {"name", card.name},
            {"sex", card.sex_zh()},
            {"sex_code", card.sex_code},
            {"nation", card.nation()},
            {"nation_code", card.nation_code},
            {"birth_date", birth},
            {"address", card.address},
            {"id_number", id_shown},
            {"id_valid", id.has_value()},
            {"issuer", card.issuer},
            {"valid_from", valid_from},
            {"valid_to", valid_to},
            {"expired", expired},
            {"county", card.county()},
            // The photo stays in this process's memory; only its size is shown.
            {"photo_bytes", card.photo.size()}};

  std::ostringstream text;
  const auto line = [&text](const char* label, const std::string& value) {
    text << pad_right(label, 24) << value << "\n";
  };
  line("姓名 Name", card.name);
  line("性别 Sex", card.sex_zh() + " " + card.sex_en());
  line("民族 Nation", card.nation() + " (" + card.nation_code + ")");
  line("出生 Birth date", birth);
  line("住址 Address", card.address);
  line("公民身份号码 ID number", id_shown + (id ? "" : "  校验不通过 / fails the GB 11643 check"));
  line("签发机关 Issuer", card.issuer);
  line("有效期限 Valid", valid_from + " - " + valid_to + (expired ? "  已过期 EXPIRED" : ""));
  line("县区 County", card.county());
  line("照片 Photo", std::to_string(card.photo.size()) +
                         " 字节 bytes(只在内存中,不保存 / kept in memory only, never saved)");
  std::string out = text.str();
  out.pop_back();  // print_ok adds the last newline
  print_ok(c, j, out);
  return 0;
}

}  // namespace hn::cli
