#pragma once
// What the terminal checks before it sends anything to a province: that the address keeps
// buyers' personal data off the network in clear, and that the outlet's secrets are its own.
// Decided on values parsed by libcurl's URL API and on the files' modes, never on the text of
// a setting; checked when a manager sets uploading up and again at every connect, so a setting
// edited in the database cannot get round it.
#include <optional>
#include <string>
#include <string_view>

#include "platform/database.hpp"
#include "sync/protocol/protocol.hpp"

namespace hn::sync {

// Why the terminal will not talk to a province: a stable code and what to do, in both languages.
struct LinkRefusal {
  std::string code;  // SERVER_INVALID, SERVER_NOT_HTTPS, CREDENTIAL_PERMISSIONS, PIN_INVALID
  std::string message_zh;
  std::string message_en;
};

// Thrown where a client would be made from refused settings (ProvinceClient::connect,
// CurlTransport): a platform::SetupError, so every caller that copes with a bad credential copes
// with this too, carrying its code for those who show it.
class LinkRefused : public platform::SetupError {
 public:
  explicit LinkRefused(LinkRefusal r);
  const LinkRefusal& refusal() const { return refusal_; }

 private:
  LinkRefusal refusal_;
};

struct ServerUrl {
  std::string url;     // the address as libcurl puts it back together: what the terminal uses
  std::string scheme;  // "https" or "http"
  std::string host;    // as libcurl parsed it ("[::1]" for IPv6)
};

// https to any host; plain http only to this machine: a host in 127.0.0.0/8, ::1, or exactly
// `localhost`. No user name or password before '@', no query or fragment, no other scheme.
// Either the parsed address or why not (SERVER_INVALID, SERVER_NOT_HTTPS).
struct ServerUrlCheck {
  std::optional<ServerUrl> server;
  std::optional<LinkRefusal> refusal;
};
ServerUrlCheck check_server_url(std::string_view url);

// Like ssh with a private key: the signing key (hmac.key) and the TLS client key must not be
// readable, writable or runnable by group or others. CREDENTIAL_PERMISSIONS with the chmod.
std::optional<LinkRefusal> check_credential_permissions(const Credential& credential);

// The pinned server key, as libcurl's CURLOPT_PINNEDPUBLICKEY takes it from a person: empty (no
// pin), or one or more "sha256//" + 44 base64 characters joined by ';'. Anything else, a file
// path above all (which libcurl would read), is PIN_INVALID, checked before it is stored.
std::optional<LinkRefusal> check_pinned_public_key(std::string_view pin);

// `text` as a message may quote it: at most `max` bytes of it, anything outside printable
// ASCII as \xNN, and "…" when cut.
std::string quoted_for_message(std::string_view text, std::size_t max = 60);

}  // namespace hn::sync
