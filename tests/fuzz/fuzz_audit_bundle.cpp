// An auditor's export as anyone may hand it over (audit issue): any bytes are either verified
// or refused with named problems; never a crash, never "verified" with problems.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "store/audit_bundle.hpp"

using namespace hn;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const store::AuditReport r = store::verify_bundle(text);
  for (const auto& p : r.problems) {
    FUZZ_CHECK(!p.code.empty());
    FUZZ_CHECK(!p.message_zh.empty() && !p.message_en.empty());
  }
  FUZZ_CHECK(r.ok() == r.problems.empty());
  // A sound file stays sound against its own key, and fails against another.
  if (r.ok() && !r.public_key.empty()) {
    FUZZ_CHECK(store::verify_bundle(text, r.public_key).ok());
    FUZZ_CHECK(!store::verify_bundle(text, std::string(64, '0')).ok());
  }
  return 0;
}
