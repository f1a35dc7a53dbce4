#include "app/province_link.hpp"

#include <filesystem>

#include "app/store_access.hpp"

namespace hn::app {

Problem link_problem(const sync::LinkRefusal& r) { return bad_input(r.code, r.message_zh, r.message_en); }

namespace {
struct CheckedLink {
  std::string server;  // as libcurl parsed it
  bool tls = false;    // its parsed scheme is https
  std::string dir;     // absolute
  sync::Credential credential;
};

// What setup_sync and the connection test both check before anything is stored or sent.
Result<CheckedLink> check_link(Terminal& t, const std::string& server_url, const std::string& credential_dir,
                               const std::string& pinned_public_key) {
  const sync::ServerUrlCheck checked = sync::check_server_url(server_url);
  if (!checked.server) return link_problem(*checked.refusal);
  if (const auto refused = sync::check_pinned_public_key(pinned_public_key)) return link_problem(*refused);
  CheckedLink link;
  link.server = checked.server->url;
  link.tls = checked.server->scheme == "https";
  std::error_code ec;
  link.dir = std::filesystem::absolute(credential_dir, ec).string();
  try {
    link.credential = sync::load_credential(link.dir);
  } catch (const platform::SetupError& e) {
    return bad_input("CREDENTIAL_INVALID", e.zh(), e.en());
  }
  if (const auto refused = sync::check_credential_permissions(link.credential)) return link_problem(*refused);
  const Outlet o = t.outlet();
  if (link.credential.outlet_code != o.code)
    return bad_input("CREDENTIAL_OTHER_OUTLET",
                     "凭证属于网点 " + link.credential.outlet_code + ",不是本网点 " + o.code,
                     "the credential belongs to outlet " + link.credential.outlet_code + ", not to this outlet " + o.code);
  return link;
}
}  // namespace

Result<std::string> setup_sync(Terminal& t, const UserRecord& manager, const std::string& server_url,
                               const std::string& credential_dir, const std::string& pinned_public_key) {
  if (manager.role != Role::Manager)
    return not_permitted("ROLE_NOT_PERMITTED", "只有店长可以设置上传", "only a manager can set up uploading");
  const auto link = check_link(t, server_url, credential_dir, pinned_public_key);
  if (!link) return link.problem();
  const std::string& server = link->server;
  const std::string& dir = link->dir;
  store::Store& store = store_of(t);
  platform::Transaction tx(store.db());
  put_setting(t, kSyncServer, server);
  put_setting(t, kSyncCredentialDir, dir);
  put_setting(t, kSyncPinnedKey, pinned_public_key);
  // A new setup is a person fixing what stopped the uploads: what waits goes at the next pass.
  store.outbox().retry_pending_now();
  store::journal_append(store.db(), t.now().iso(), manager.login, "sync_setup",
                        {{"server", server}, {"credential_dir", dir}, {"pinned", !pinned_public_key.empty()}});
  tx.commit();
  return server;
}

LinkTest test_province_link(Terminal& t, const std::string& server_url, const std::string& credential_dir,
                            const std::string& pinned_public_key) {
  const auto link = check_link(t, server_url, credential_dir, pinned_public_key);
  if (!link) return {false, link.problem().code, link.problem().message_zh, link.problem().message_en};
  std::unique_ptr<sync::ProvinceClient> client;
  try {
    client = sync::ProvinceClient::connect(link->server, link->credential, pinned_public_key);
  } catch (const sync::LinkRefused& e) {
    return {false, e.refusal().code, e.refusal().message_zh, e.refusal().message_en};
  } catch (const platform::SetupError& e) {
    return {false, "CREDENTIAL_INVALID", e.zh(), e.en()};
  }
  const std::string since = t.settings().sync_updates_version;
  const sync::Answer a = client->call("GET", "/updates?since=" + since, nullptr, std::chrono::seconds(5));
  const std::string& s = link->server;
  if (a.ok()) {
    const bool tls = link->tls;
    return {true, "LINK_OK",
            "连接正常:省平台 " + s + " 可以连通," +
                (tls ? std::string(pinned_public_key.empty() ? "TLS 证书校验通过," : "TLS 证书与固定公钥校验通过,")
                     : std::string("本机明文连接(仅限本机),")) +
                "本网点凭证已被接受",
            "Connection works: the province at " + s + " is reachable, " +
                (tls ? std::string(pinned_public_key.empty() ? "its TLS certificate verified, "
                                                             : "its TLS certificate and the pinned key verified, ")
                     : std::string("plain http to this machine only, ")) +
                "and this outlet's credential was accepted"};
  }
  if (a.code == "SERVER_UNTRUSTED") return {false, a.code, a.message_zh, a.message_en};
  if (a.code == "NO_ANSWER")
    return {false, "LINK_UNREACHABLE",
            // curl's words are English: the Chinese says what to check without them.
            "连不上省平台 " + s + ":请检查地址和端口、网络连接,以及省平台服务器是否在运行",
            "cannot reach the province at " + s + " (" + a.http.error +
                "): check the address and port, the network, and that the provincial server is running"};
  if (a.code == "SIGNATURE_STALE")
    return {false, "LINK_CLOCK",
            "省平台可以连通,但拒绝了请求的时间 [" + a.code + "]:请把本机时钟校准到北京时间",
            "the province is reachable but refused the request's time [" + a.code + "]: set this computer's clock right"};
  if (a.http.status == 401)
    return {false, "LINK_CREDENTIAL_REFUSED",
            "省平台可以连通,但不接受本网点的凭证 [" + a.code + "]:" + a.message_zh +
                "。请确认凭证目录是省平台为本网点发放的那一份",
            "the province is reachable but did not accept this outlet's credential [" + a.code + "]: " + a.message_en +
                ". Check that the credential directory is the one the province issued to this outlet"};
  return {false, "LINK_BAD_ANSWER",
          "省平台可以连通,但回答了 HTTP " + std::to_string(a.http.status) + " [" + a.code + "]:请检查地址是否为省平台接口",
          "the server answered HTTP " + std::to_string(a.http.status) + " [" + a.code +
              "]: check that the address is the provincial system's"};
}

sync::SyncService sync_service(Terminal& t, sync::ProvinceClient& client, std::function<std::int64_t()> unix_ms) {
  return sync::SyncService(store_of(t), client, std::move(unix_ms));
}

std::unique_ptr<sync::ProvinceClient> connect_province(Terminal& t) {
  const Settings s = t.settings();
  if (s.sync_server.empty() || s.sync_credential_dir.empty()) return nullptr;
  return sync::ProvinceClient::connect(s.sync_server, sync::load_credential(s.sync_credential_dir),
                                       s.sync_pinned_public_key);
}

namespace {
SubsidyState subsidy_from(sync::ProvinceClient& client, const std::string& card) {
  const auto code = client.card_subsidy_state(card, kQuotaTimeout);
  const auto state = code ? parse_subsidy_state(*code) : std::nullopt;
  // Only the province's own states count; anything else is no answer.
  if (!state || *state == SubsidyState::NeverUploaded || *state == SubsidyState::Unreachable)
    return SubsidyState::Unreachable;
  return *state;
}
}  // namespace

void ask_province_at_checkout(Terminal& t, sync::ProvinceClient& client) {
  t.set_remote_history([&client](const std::string& household) {
    return Terminal::RemoteAnswer{true, client.held_elsewhere(household, kQuotaTimeout)};
  });
  t.set_subsidy_lookup([&client](const std::string& card) { return subsidy_from(client, card); });
}

void follow_province_at_checkout(Terminal& t) {
  struct Link {
    std::string settings;  // what `client` was made from
    std::unique_ptr<sync::ProvinceClient> client;
  };
  auto link = std::make_shared<Link>();
  // The client for the settings as they are now; nullptr when none is set up or it cannot be
  // made (retried next time). `configured` says whether the province was set up at all.
  auto current = [&t, link](bool& configured) -> sync::ProvinceClient* {
    const Settings s = t.settings();
    const std::string& server = s.sync_server;
    configured = !server.empty();
    if (!configured) return nullptr;
    const std::string settings = server + "\n" + s.sync_credential_dir + "\n" + s.sync_pinned_public_key;
    if (settings != link->settings || !link->client) {
      link->settings = settings;
      try {
        link->client = connect_province(t);
      } catch (const std::exception&) {
        link->client.reset();
        link->settings.clear();
      }
    }
    return link->client.get();
  };
  t.set_remote_history([current](const std::string& household) -> Terminal::RemoteAnswer {
    bool configured = false;
    auto* client = current(configured);
    if (!configured) return {false, std::nullopt};
    if (!client) return {true, std::nullopt};
    return {true, client->held_elsewhere(household, kQuotaTimeout)};
  });
  t.set_subsidy_lookup([current](const std::string& card) {
    bool configured = false;
    auto* client = current(configured);
    return client ? subsidy_from(*client, card) : SubsidyState::Unreachable;
  });
}

}  // namespace hn::app
