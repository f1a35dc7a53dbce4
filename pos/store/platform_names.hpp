#pragma once
// The platform's names (pos/platform: the SQLite wrapper, crypto, signing) as the store has
// always used them, unqualified inside hn::store: one place instead of every use.
#include "platform/crypto.hpp"
#include "platform/database.hpp"
#include "platform/signing.hpp"

namespace hn::store {
using platform::Bytes;
using platform::constant_time_equal;
using platform::Database;
using platform::DbError;
using platform::hmac_sha256;
using platform::immutable_uri;
using platform::KeyRing;
using platform::key_fingerprint;
using platform::kPinIterations;
using platform::new_uuid;
using platform::pin_hash;
using platform::random_bytes;
using platform::read_secret_file;
using platform::ReadTransaction;
using platform::SecretFileTexts;
using platform::SetupError;
using platform::sha256_hex;
using platform::SigningKey;
using platform::Statement;
using platform::to_hex;
using platform::Transaction;
using platform::verify_signature;
}  // namespace hn::store
