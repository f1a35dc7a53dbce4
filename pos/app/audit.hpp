#pragma once
// What the shells check of the auditor's files without a terminal (`huinong audit verify`):
// an export verified against its signature, journal chain and closings (store::verify_bundle),
// and a public key as people compare it (its fingerprint).
#include "store/audit_bundle.hpp"
#include "platform/signing.hpp"

namespace hn::app {

using platform::key_fingerprint;
using store::verify_bundle;

}  // namespace hn::app
