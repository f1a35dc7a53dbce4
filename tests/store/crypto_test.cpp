#include <catch2/catch.hpp>
#include <sys/stat.h>

#include <fstream>

#include "platform/crypto.hpp"
#include "platform/database.hpp"
#include "temp_dir.hpp"

using namespace hn::platform;

TEST_CASE("SHA-256 matches the published test vector", "[store][crypto]") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("personal data sealed with the key ring opens only with it", "[store][crypto]") {
  hn::test::TempDir dir;
  const auto ring = KeyRing::create(dir.file("a.key"));
  const auto other = KeyRing::create(dir.file("b.key"));
  const Bytes sealed = ring.seal("341322198001011239");
  const std::string as_text(sealed.begin(), sealed.end());
  CHECK(as_text.find("341322198001011239") == std::string::npos);
  CHECK(ring.open(sealed) == "341322198001011239");
  CHECK_THROWS(other.open(sealed));
  Bytes tampered = sealed;
  tampered[14] ^= 0x01;
  CHECK_THROWS(ring.open(tampered));
}

TEST_CASE("two seals of the same value differ but its lookup hash is stable", "[store][crypto]") {
  hn::test::TempDir dir;
  const auto ring = KeyRing::create(dir.file("a.key"));
  CHECK(ring.seal("x") != ring.seal("x"));
  CHECK(ring.lookup_hash("id", "x") == ring.lookup_hash("id", "x"));
  CHECK(ring.lookup_hash("id", "x") != ring.lookup_hash("household", "x"));
}

TEST_CASE("a key file is owner-only, never overwritten, and reloads to the same keys", "[store][crypto]") {
  hn::test::TempDir dir;
  const auto ring = KeyRing::create(dir.file("a.key"));
  struct stat st {};
  REQUIRE(::stat(dir.file("a.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK_THROWS(KeyRing::create(dir.file("a.key")));
  const auto again = KeyRing::load(dir.file("a.key"));
  CHECK(again.open(ring.seal("hello")) == "hello");
}

TEST_CASE("a missing or damaged key file is a setup error with a clear message", "[store][crypto]") {
  hn::test::TempDir dir;
  CHECK_THROWS_AS(KeyRing::load(dir.file("none.key")), SetupError);
  std::ofstream(dir.file("bad.key")) << "HUINONG-KEYS-1\nzz\n";
  CHECK_THROWS_AS(KeyRing::load(dir.file("bad.key")), SetupError);
}

TEST_CASE("a PIN hash depends on the PIN and the salt", "[store][crypto]") {
  const Bytes salt(16, 7), other_salt(16, 8);
  const Bytes h = pin_hash("1234", salt, 1000);
  CHECK(h.size() == 32);
  CHECK(constant_time_equal(h, pin_hash("1234", salt, 1000)));
  CHECK_FALSE(constant_time_equal(h, pin_hash("1235", salt, 1000)));
  CHECK_FALSE(constant_time_equal(h, pin_hash("1234", other_salt, 1000)));
}
