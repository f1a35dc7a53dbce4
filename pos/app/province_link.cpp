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
    return client.held_elsewhere(household, kQuotaTimeout);
  });
}

}  // namespace hn::app
