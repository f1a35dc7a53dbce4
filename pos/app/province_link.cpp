#include "app/province_link.hpp"

#include <filesystem>

namespace hn::app {

Result<Done> setup_sync(Terminal& t, const UserRecord& manager, const std::string& server_url,
                        const std::string& credential_dir, const std::string& pinned_public_key) {
  if (manager.role != Role::Manager)
    return not_permitted("ROLE_NOT_PERMITTED", "只有店长可以设置上传", "only a manager can set up uploading");
  if (server_url.rfind("https://", 0) != 0 && server_url.rfind("http://127.", 0) != 0 &&
      server_url.rfind("http://localhost", 0) != 0)
    return bad_input("SERVER_INVALID", "省平台地址 '" + server_url + "' 无效:应为 https://…(本机沙箱可用 http://127.0.0.1:端口)",
                     "server '" + server_url + "' is invalid: use https://… (http://127.0.0.1:PORT for a sandbox on this machine)");
  std::error_code ec;
  const std::string dir = std::filesystem::absolute(credential_dir, ec).string();
  sync::Credential cred;
  try {
    cred = sync::load_credential(dir);
  } catch (const store::SetupError& e) {
    return bad_input("CREDENTIAL_INVALID", e.zh(), e.en());
  }
  const Outlet o = t.outlet();
  if (cred.outlet_code != o.code)
    return bad_input("CREDENTIAL_OTHER_OUTLET",
                     "凭证属于网点 " + cred.outlet_code + ",不是本网点 " + o.code,
                     "the credential belongs to outlet " + cred.outlet_code + ", not to this outlet " + o.code);
  store::Transaction tx(t.store().db());
  t.store().set_setting("sync.server", server_url);
  t.store().set_setting("sync.credential_dir", dir);
  t.store().set_setting("sync.pinned_public_key", pinned_public_key);
  // A new setup is a person fixing what stopped the uploads: what waits goes at the next pass.
  t.store().db().exec("UPDATE outbox SET next_attempt_at = 0 WHERE state = 'pending'");
  store::journal_append(t.store().db(), t.now().iso(), manager.login, "sync_setup",
                        {{"server", server_url}, {"credential_dir", dir}, {"pinned", !pinned_public_key.empty()}});
  tx.commit();
  return Done{};
}

std::unique_ptr<sync::ProvinceClient> connect_province(Terminal& t) {
  const auto server = t.store().setting("sync.server");
  const auto dir = t.store().setting("sync.credential_dir");
  if (!server || server->empty() || !dir) return nullptr;
  return sync::ProvinceClient::connect(*server, sync::load_credential(*dir),
                                       t.store().setting("sync.pinned_public_key").value_or(""));
}

void ask_province_at_checkout(Terminal& t, sync::ProvinceClient& client) {
  t.set_remote_history([&client](const std::string& household) {
    return Terminal::RemoteAnswer{true, client.held_elsewhere(household, kQuotaTimeout)};
  });
}

void follow_province_at_checkout(Terminal& t) {
  struct Link {
    std::string settings;  // what `client` was made from
    std::unique_ptr<sync::ProvinceClient> client;
  };
  auto link = std::make_shared<Link>();
  t.set_remote_history([&t, link](const std::string& household) -> Terminal::RemoteAnswer {
    const std::string server = t.store().setting("sync.server").value_or("");
    if (server.empty()) return {false, std::nullopt};
    const std::string settings = server + "\n" + t.store().setting("sync.credential_dir").value_or("") + "\n" +
                                 t.store().setting("sync.pinned_public_key").value_or("");
    if (settings != link->settings || !link->client) {
      link->settings = settings;
      try {
        link->client = connect_province(t);
      } catch (const std::exception&) {
        link->client.reset();  // retried at the next sale
        link->settings.clear();
      }
    }
    if (!link->client) return {true, std::nullopt};
    return {true, link->client->held_elsewhere(household, kQuotaTimeout)};
  });
}

}  // namespace hn::app
