#pragma once
// The terminal's link to the provincial system, once a manager has set it up (`huinong sync
// setup`): the settings it lives in, and the quota question asked at checkout.
#include <memory>
#include <string>

#include "app/problem.hpp"
#include "app/terminal.hpp"
#include "sync/client/link_checks.hpp"
#include "sync/client/province.hpp"
#include "sync/client/sync_service.hpp"

namespace hn::app {

// The quota question at checkout never keeps the clerk waiting longer than this (issue 4).
inline constexpr std::chrono::milliseconds kQuotaTimeout{1500};

// Stores the server and the credential directory after checking the address
// (sync::check_server_url: https, or plain http to this machine only) and that the credential
// is readable, private (sync::check_credential_permissions) and belongs to this outlet.
// Journaled. Returns the address as stored: as libcurl parsed it.
Result<std::string> setup_sync(Terminal& t, const UserRecord& manager, const std::string& server_url,
                               const std::string& credential_dir, const std::string& pinned_public_key);
// "Test connection" on the province screen (F9, issue 16): the address, credential directory
// and pinned key as typed (saved or not), checked as setup_sync checks them, then tried with one
// signed read that changes nothing (GET /updates at the version already held; nothing is
// applied). The answer in plain words: reachable, TLS and the pinned key held (or plain http to
// this machine), the credential accepted; else what is wrong and what to do, with its code
// (LINK_OK; the setup codes; LINK_UNREACHABLE, SERVER_UNTRUSTED, LINK_CREDENTIAL_REFUSED,
// LINK_CLOCK, LINK_BAD_ANSWER).
struct LinkTest {
  bool ok = false;
  std::string code;
  std::string message_zh, message_en;
};
LinkTest test_province_link(Terminal& t, const std::string& server_url, const std::string& credential_dir,
                            const std::string& pinned_public_key);
// The client for the configured province; nullptr when sync is not set up. Throws
// sync::LinkRefused when the stored address or the credential's file modes are refused (the
// same checks as setup_sync: a setting edited in the database gets no further), and
// platform::SetupError when the stored credential has gone missing or bad.
std::unique_ptr<sync::ProvinceClient> connect_province(Terminal& t);
// An upload pass over this terminal's outbox to `client` (CLI `sync`, the counter's uploader);
// `unix_ms` is the clock its retries are scheduled by.
sync::SyncService sync_service(Terminal& t, sync::ProvinceClient& client, std::function<std::int64_t()> unix_ms);
// A refused link as the CLI and the GUI report it (exit 2).
Problem link_problem(const sync::LinkRefusal& r);
// Makes checkout ask `client` for the household's purchases elsewhere, and returns ask it for
// a card's subsidy state (each within kQuotaTimeout).
void ask_province_at_checkout(Terminal& t, sync::ProvinceClient& client);
// As ask_province_at_checkout, for a terminal that runs for days (the counter application):
// follows the province settings, connecting when a manager sets uploading up or changes it,
// so nobody has to restart the counter. A credential gone bad counts as no answer.
void follow_province_at_checkout(Terminal& t);

}  // namespace hn::app
