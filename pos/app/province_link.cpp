#include "app/province_link.hpp"

#include <filesystem>

namespace hn::app {

Problem link_problem(const sync::LinkRefusal& r) { return bad_input(r.code, r.message_zh, r.message_en); }

Result<std::string> setup_sync(Terminal& t, const UserRecord& manager, const std::string& server_url,
                               const std::string& credential_dir, const std::string& pinned_public_key) {
  if (manager.role != Role::Manager)
    return not_permitted("ROLE_NOT_PERMITTED", "只有店长可以设置上传", "only a manager can set up uploading");
  const sync::ServerUrlCheck checked = sync::check_server_url(server_url);
  if (!checked.server) return link_problem(*checked.refusal);
  const std::string& server = checked.server->url;
  std::error_code ec;
  const std::string dir = std::filesystem::absolute(credential_dir, ec).string();
  sync::Credential cred;
  try {
    cred = sync::load_credential(dir);
  } catch (const store::SetupError& e) {
    return bad_input("CREDENTIAL_INVALID", e.zh(), e.en());
  }
  if (const auto refused = sync::check_credential_permissions(cred)) return link_problem(*refused);
  const Outlet o = t.outlet();
  if (cred.outlet_code != o.code)
    return bad_input("CREDENTIAL_OTHER_OUTLET",
                     "凭证属于网点 " + cred.outlet_code + ",不是本网点 " + o.code,
                     "the credential belongs to outlet " + cred.outlet_code + ", not to this outlet " + o.code);
  store::Transaction tx(t.store().db());
  t.store().set_setting("sync.server", server);
  t.store().set_setting("sync.credential_dir", dir);
  t.store().set_setting("sync.pinned_public_key", pinned_public_key);
  // A new setup is a person fixing what stopped the uploads: what waits goes at the next pass.
  t.store().db().exec("UPDATE outbox SET next_attempt_at = 0 WHERE state = 'pending'");
  store::journal_append(t.store().db(), t.now().iso(), manager.login, "sync_setup",
                        {{"server", server}, {"credential_dir", dir}, {"pinned", !pinned_public_key.empty()}});
  tx.commit();
  return server;
}

std::unique_ptr<sync::ProvinceClient> connect_province(Terminal& t) {
  const auto server = t.store().setting("sync.server");
  const auto dir = t.store().setting("sync.credential_dir");
  if (!server || server->empty() || !dir) return nullptr;
  return sync::ProvinceClient::connect(*server, sync::load_credential(*dir),
                                       t.store().setting("sync.pinned_public_key").value_or(""));
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
    const std::string server = t.store().setting("sync.server").value_or("");
    configured = !server.empty();
    if (!configured) return nullptr;
    const std::string settings = server + "\n" + t.store().setting("sync.credential_dir").value_or("") + "\n" +
                                 t.store().setting("sync.pinned_public_key").value_or("");
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
