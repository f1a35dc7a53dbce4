// huinong-sandbox: a self-contained stand-in of the provincial 家电下乡信息管理系统 for training,
// demos and tests (sync/PROTOCOL.md). Its commands are a stable contract:
//   huinong-sandbox serve  --db FILE --listen 127.0.0.1:PORT [--tls-cert C --tls-key K] [--client-ca CA]
//   huinong-sandbox outlet add --db FILE --code C --name N --county X --out CREDENTIAL_DIR
//   huinong-sandbox catalog import --db FILE [--policy POLICY.ini] CATALOG.csv
//   huinong-sandbox cards issue --db FILE CARDS.csv --outlet C
//   huinong-sandbox policy use --db FILE POLICY.ini
//   huinong-sandbox claim --db FILE --card CARD --state claimed|approved|paid|refunded|rejected
//   huinong-sandbox report --db FILE --json
// Exit codes: 0 done, 1 internal error, 2 bad usage or bad input.
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/catalog.hpp"
#include "core/policy.hpp"
#include "core/text.hpp"
#include "province.hpp"
#include "server.hpp"
#include "platform/database.hpp"
#include "platform/files.hpp"

#ifndef HUINONG_SOURCE_ASSETS_DIR
#define HUINONG_SOURCE_ASSETS_DIR ""
#endif
#ifndef HUINONG_INSTALL_ASSETS_DIR
#define HUINONG_INSTALL_ASSETS_DIR "/usr/share/huinong"
#endif

namespace {

namespace fs = std::filesystem;
using hn::sandbox::InputError;

constexpr const char* kUsage =
    R"(huinong-sandbox — 家电下乡信息管理系统 沙箱 / a stand-in of the provincial system

用法 / usage:
  huinong-sandbox serve  --db FILE --listen 127.0.0.1:PORT [--tls-cert C --tls-key K] [--client-ca CA]
                         [--allow-remote] [--quiet]
      按 sync/PROTOCOL.md 提供服务;端口 0 表示任选空闲端口,首行输出 "listening on HOST:PORT"。
      Serves sync/PROTOCOL.md; port 0 picks a free port, printed as "listening on HOST:PORT".
      只监听本机回环地址,除非给出 --allow-remote。 Loopback only unless --allow-remote.
  huinong-sandbox outlet add --db FILE --code C --name N --county X --out CREDENTIAL_DIR
      登记网点并写出其凭据目录 / registers an outlet and writes its credential directory
  huinong-sandbox catalog import --db FILE [--policy POLICY.ini] CATALOG.csv
      导入中标产品目录(可同时启用补贴政策) / imports the catalog (and, with --policy, a policy)
  huinong-sandbox cards issue --db FILE CARDS.csv --outlet C
      向网点发放标识卡(card_no,serial_no,model_code) / issues label cards to an outlet
  huinong-sandbox policy use --db FILE POLICY.ini
      导入并启用补贴政策 / stores a policy phase file and checks sales with it
  huinong-sandbox claim --db FILE --card CARD --state claimed|approved|paid|refunded|rejected
      扮演乡镇财政所,设置已售标识卡的补贴状态 / plays the township office: a card's subsidy state
  huinong-sandbox report --db FILE [--json]
      各网点的上传结果:接收、重复、按代码的拒绝 / per outlet: accepted, duplicates, rejected by code

数据库文件首次使用时创建(仅属主可读写)。 The database file is created on first use (owner-only).
退出码 / exit codes: 0 完成 done, 1 内部错误 internal error, 2 用法或输入有误 bad usage or input.
)";

struct UsageError {
  std::string zh, en;
};

struct Args {
  std::vector<std::string> words;
  std::map<std::string, std::string> options;
  std::set<std::string> flags;
};

const std::set<std::string> kFlagNames = {"json", "allow-remote", "quiet", "help"};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (!hn::is_valid_utf8(arg))
      throw UsageError{"参数须为 UTF-8:" + hn::trim(arg), "arguments must be UTF-8"};
    if (arg.size() > 2 && arg.compare(0, 2, "--") == 0) {
      std::string name = arg.substr(2), value;
      const auto eq = name.find('=');
      const bool inline_value = eq != std::string::npos;
      if (inline_value) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      if (kFlagNames.count(name)) {
        if (inline_value)
          throw UsageError{"选项 --" + name + " 不带值", "option --" + name + " takes no value"};
        a.flags.insert(name);
        continue;
      }
      if (!inline_value) {
        if (i + 1 >= argc)
          throw UsageError{"选项 --" + name + " 缺少值", "option --" + name + " needs a value"};
        value = argv[++i];
      }
      if (!a.options.emplace(name, value).second)
        throw UsageError{"选项 --" + name + " 给了两次", "option --" + name + " was given twice"};
    } else if (arg == "-h") {
      a.flags.insert("help");
    } else {
      a.words.push_back(arg);
    }
  }
  return a;
}

struct Command {
  std::vector<std::string> name;
  std::set<std::string> required;
  std::set<std::string> optional;
  std::set<std::string> flags;
  std::size_t positionals = 0;
  const char* positional_name = "";
};

const std::vector<Command> kCommands = {
    {{"serve"}, {"db", "listen"}, {"tls-cert", "tls-key", "client-ca"}, {"allow-remote", "quiet"}, 0, ""},
    {{"outlet", "add"}, {"db", "code", "name", "county", "out"}, {}, {"json"}, 0, ""},
    {{"catalog", "import"}, {"db"}, {"policy"}, {"json"}, 1, "CATALOG.csv"},
    {{"cards", "issue"}, {"db", "outlet"}, {}, {"json"}, 1, "CARDS.csv"},
    {{"policy", "use"}, {"db"}, {}, {"json"}, 1, "POLICY.ini"},
    {{"claim"}, {"db", "card", "state"}, {}, {"json"}, 0, ""},
    {{"report"}, {"db"}, {}, {"json"}, 0, ""},
};

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& w : v) s += (s.empty() ? "" : " ") + w;
  return s;
}

const Command& match(const Args& a) {
  for (const auto& c : kCommands) {
    if (a.words.size() < c.name.size()) continue;
    if (std::equal(c.name.begin(), c.name.end(), a.words.begin())) return c;
  }
  const std::string given = a.words.empty() ? "" : a.words[0];
  throw UsageError{given.empty() ? "请给出命令(见 --help)" : "没有命令 '" + given + "'(见 --help)",
                   given.empty() ? "give a command (see --help)" : "there is no command '" + given + "' (see --help)"};
}

void check(const Command& c, const Args& a) {
  const std::string cmd = joined(c.name);
  for (const auto& [name, value] : a.options)
    if (!c.required.count(name) && !c.optional.count(name))
      throw UsageError{cmd + " 不接受选项 --" + name, cmd + " takes no option --" + name};
  for (const auto& f : a.flags)
    if (f != "help" && !c.flags.count(f))
      throw UsageError{cmd + " 不接受选项 --" + f, cmd + " takes no option --" + f};
  for (const auto& r : c.required)
    if (!a.options.count(r))
      throw UsageError{cmd + " 缺少选项 --" + r, cmd + " needs the option --" + r};
  for (const auto& [name, value] : a.options)
    if (value.empty())
      throw UsageError{"选项 --" + name + " 的值为空", "option --" + name + " is empty"};
  const std::size_t given = a.words.size() - c.name.size();
  if (given != c.positionals) {
    if (c.positionals == 0)
      throw UsageError{cmd + " 不接受参数 '" + a.words[c.name.size()] + "'",
                       cmd + " takes no argument '" + a.words[c.name.size()] + "'"};
    throw UsageError{cmd + " 需要一个文件参数 " + c.positional_name,
                     cmd + " needs one file argument " + c.positional_name};
  }
}

// An input file read within its kind's size limit, as the terminal reads them (platform/files.hpp).
std::string read_input_file(const std::string& path, hn::files::Kind kind) {
  std::string text;
  if (const auto e = hn::files::read_file(path, kind, text)) throw InputError(e->message_zh, e->message_en);
  return text;
}

std::string assets_dir() {
  if (const char* env = std::getenv("HUINONG_ASSETS_DIR"); env && *env) return env;
  std::error_code ec;
  if (fs::is_directory(fs::path(HUINONG_SOURCE_ASSETS_DIR) / "policy", ec)) return HUINONG_SOURCE_ASSETS_DIR;
  return HUINONG_INSTALL_ASSETS_DIR;
}

hn::sandbox::Province open_db(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty() && !fs::is_directory(parent, ec))
    throw InputError("数据库目录 " + parent.string() + " 不存在", "the database's directory " + parent.string() + " does not exist");
  if (fs::exists(path, ec) && !fs::is_regular_file(path, ec))
    throw InputError(path + " 不是普通文件", path + " is not a regular file");
  return hn::sandbox::Province::open(path, assets_dir());
}

void print(const Args& a, const nlohmann::json& j, const std::string& text) {
  if (a.flags.count("json"))
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  else
    std::cout << text << "\n";
}

int cmd_serve(const Args& a) {
  hn::sandbox::ServeOptions o;
  o.db_path = a.options.at("db");
  o.assets_dir = assets_dir();
  o.quiet = a.flags.count("quiet") > 0;
  const std::string listen = a.options.at("listen");
  const auto colon = listen.rfind(':');
  const std::string bad_zh = "--listen 应为 主机:端口,如 127.0.0.1:8443 或 127.0.0.1:0(任选端口)";
  const std::string bad_en = "--listen must be HOST:PORT, e.g. 127.0.0.1:8443 or 127.0.0.1:0 (any free port)";
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) throw UsageError{bad_zh, bad_en};
  std::string host = listen.substr(0, colon);
  const std::string port = listen.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535)
    throw UsageError{bad_zh, bad_en};
  o.host = host;
  o.port = std::stoi(port);
  // Training and tests must never be reachable from the network.
  if (!hn::sandbox::is_loopback_host(host) && !a.flags.count("allow-remote"))
    throw UsageError{"沙箱只在本机回环地址上监听(127.0.0.1、::1、localhost);确需对外请加 --allow-remote",
                     "the sandbox listens on loopback only (127.0.0.1, ::1, localhost); add --allow-remote "
                     "if you really mean " + host};
  const auto opt = [&](const char* n) { return a.options.count(n) ? a.options.at(n) : std::string(); };
  o.tls_cert = opt("tls-cert");
  o.tls_key = opt("tls-key");
  o.client_ca = opt("client-ca");
  if (o.tls_cert.empty() != o.tls_key.empty())
    throw UsageError{"--tls-cert 与 --tls-key 须同时给出", "--tls-cert and --tls-key go together"};
  if (!o.client_ca.empty() && o.tls_cert.empty())
    throw UsageError{"--client-ca 须与 --tls-cert/--tls-key 同用", "--client-ca needs --tls-cert and --tls-key"};
  for (const auto& f : {o.tls_cert, o.tls_key, o.client_ca})
    if (!f.empty()) read_input_file(f, hn::files::Kind::Credential);  // a clear message for a missing file
  // Open (and create) the database here, so a bad --db is a usage problem, not a server crash.
  open_db(o.db_path);
  return hn::sandbox::serve(o);
}

int cmd_outlet_add(const Args& a) {
  auto p = open_db(a.options.at("db"));
  const auto c = p.add_outlet(a.options.at("code"), a.options.at("name"), a.options.at("county"),
                              a.options.at("out"));
  print(a, {{"status", "ok"}, {"outlet_code", c.outlet_code}, {"credential", c.dir}},
        "网点 " + c.outlet_code + " 已登记,凭据在 " + c.dir + "\noutlet " + c.outlet_code +
            " registered; credential in " + c.dir);
  return 0;
}

int cmd_catalog_import(const Args& a) {
  auto p = open_db(a.options.at("db"));
  const std::string csv = read_input_file(a.words.at(2), hn::files::Kind::CatalogCsv);
  std::optional<std::string> policy_text;
  if (a.options.count("policy")) {
    // Both files are checked before either is stored: a bad one leaves everything as it was.
    policy_text = read_input_file(a.options.at("policy"), hn::files::Kind::PolicyIni);
    hn::PolicyPhase phase;
    hn::ImportMessage err;
    if (!hn::parse_policy_file(*policy_text, phase, err))
      throw hn::sandbox::import_error(err, "补贴政策文件", "the policy file");
  }
  const int n = p.import_catalog(csv);
  std::string phase;
  if (policy_text) phase = p.use_policy(*policy_text);
  nlohmann::json j = {{"status", "ok"}, {"models", n}, {"version", p.version()}};
  std::string text = "已导入 " + std::to_string(n) + " 个型号 / " + std::to_string(n) + " models imported";
  if (!phase.empty()) {
    j["policy"] = phase;
    text += "\n补贴政策 " + phase + " 已启用 / policy phase " + phase + " in use";
  }
  print(a, j, text);
  return 0;
}

int cmd_cards_issue(const Args& a) {
  auto p = open_db(a.options.at("db"));
  const std::string outlet = a.options.at("outlet");
  const int n = p.issue_cards(read_input_file(a.words.at(2), hn::files::Kind::CardsCsv), outlet);
  print(a, {{"status", "ok"}, {"cards", n}, {"outlet", outlet}, {"version", p.version()}},
        "已向网点 " + outlet + " 发放 " + std::to_string(n) + " 张标识卡 / " + std::to_string(n) +
            " cards issued to outlet " + outlet);
  return 0;
}

int cmd_policy_use(const Args& a) {
  auto p = open_db(a.options.at("db"));
  const std::string phase = p.use_policy(read_input_file(a.words.at(2), hn::files::Kind::PolicyIni));
  print(a, {{"status", "ok"}, {"policy", phase}, {"version", p.version()}},
        "补贴政策 " + phase + " 已启用 / policy phase " + phase + " in use");
  return 0;
}

int cmd_claim(const Args& a) {
  auto p = open_db(a.options.at("db"));
  const std::string card = a.options.at("card"), state = a.options.at("state");
  p.set_claim(card, state);
  print(a, {{"status", "ok"}, {"card", card}, {"state", state}},
        "标识卡 " + card + " 的补贴状态:" + state + " / subsidy state of card " + card + ": " + state);
  return 0;
}

int cmd_report(const Args& a) {
  auto p = open_db(a.options.at("db"));
  const nlohmann::json r = p.report();
  std::ostringstream text;
  text << "补贴政策 policy " << r["policy"].get<std::string>() << ", 版本 version "
       << r["version"].get<std::int64_t>() << "\n";
  for (const auto& o : r["outlets"]) {
    text << o["code"].get<std::string>() << "  " << o["name"].get<std::string>() << "  ("
         << o["county"].get<std::string>() << ")\n"
         << "  接收 accepted " << o["accepted"] << ", 重复 duplicates " << o["duplicates"]
         << ", 拒绝 rejected " << o["rejected_total"] << "\n";
    for (const auto& [code, n] : o["rejected"].items()) text << "    " << code << ": " << n << "\n";
    const auto& e = o["events"];
    text << "  退货事件 events: 接收 accepted " << e["accepted"] << ", 重复 duplicates "
         << e["duplicates"] << ", 拒绝 rejected " << e["rejected_total"] << "\n";
  }
  if (r["outlets"].empty()) text << "没有网点 / no outlets\n";
  std::string t = text.str();
  if (!t.empty() && t.back() == '\n') t.pop_back();
  print(a, r, t);
  return 0;
}

void print_error(const std::string& zh, const std::string& en) {
  std::cerr << "错误:" << zh << "\nerror: " << en << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Args a = parse(argc, argv);
    if (a.words.empty() || a.flags.count("help") || a.words[0] == "help") {
      if (a.words.empty() && !a.flags.count("help")) {
        std::cerr << kUsage;
        return 2;
      }
      std::cout << kUsage;
      return 0;
    }
    const Command& c = match(a);
    check(c, a);
    const std::string name = joined(c.name);
    static const std::map<std::string, std::function<int(const Args&)>> handlers = {
        {"serve", cmd_serve},          {"outlet add", cmd_outlet_add}, {"catalog import", cmd_catalog_import},
        {"cards issue", cmd_cards_issue}, {"policy use", cmd_policy_use}, {"claim", cmd_claim},
        {"report", cmd_report}};
    return handlers.at(name)(a);
  } catch (const UsageError& e) {
    print_error(e.zh, e.en);
    return 2;
  } catch (const InputError& e) {
    print_error(e.zh(), e.en());
    return 2;
  } catch (const hn::platform::SetupError& e) {
    print_error(e.zh(), e.en());
    return 2;
  } catch (const hn::platform::DbError& e) {
    print_error(std::string("数据库错误:") + e.what(), std::string("database error: ") + e.what());
    return 1;
  } catch (const std::exception& e) {
    print_error(std::string("内部错误:") + e.what(), std::string("internal error: ") + e.what());
    return 1;
  }
}
