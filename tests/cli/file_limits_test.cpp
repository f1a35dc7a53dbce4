// Files the commands read have a size limit fitting their kind, checked before reading (issue
// 14, item 7): /dev/zero, a FIFO and a file larger than the limit are bad input (exit 2) with
// FILE_NOT_REGULAR or FILE_TOO_LARGE and the limit in the message, at once and in little
// memory, where they used to grow the process by gigabytes.
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <string>

#include "cli_harness.hpp"

using namespace hn_cli;
namespace d = hn_cli::demo;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// A safety net for the machine, not the check: the commands run under 1 GB of address space,
// so a reader without a limit fails there (bad_alloc) instead of taking the machine's memory.
// Not under AddressSanitizer, which reserves terabytes of address space for its shadow.
void cap_children_address_space() {
  if (kSanitized) return;
  rlimit lim{};
  REQUIRE(::getrlimit(RLIMIT_AS, &lim) == 0);
  const rlim_t cap = rlim_t(1) << 30;
  if (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur > cap) {
    lim.rlim_cur = cap;
    REQUIRE(::setrlimit(RLIMIT_AS, &lim) == 0);
  }
}

// The largest resident set of any child this test process has waited for, in MB.
long children_peak_rss_mb() {
  rusage ru{};
  ::getrusage(RUSAGE_CHILDREN, &ru);
  return ru.ru_maxrss / 1024;
}

// A file of `bytes` bytes that takes no disk space (truncate(2), as truncate -s does).
std::string sparse_file(const DemoOutlet& outlet, const std::string& name, off_t bytes) {
  const std::string path = outlet.file(name);
  write_file(path, "");
  REQUIRE(::truncate(path.c_str(), bytes) == 0);
  return path;
}

void check_file_refusal(const RunResult& r, const std::string& code, const std::string& limit = "") {
  INFO(r.describe());
  CHECK(r.exit_code == 2);
  const auto e = error_of(r.json());
  CHECK(e.at("code") == code);
  const std::string zh = e.at("message_zh"), en = e.at("message_en");
  CHECK(has_cjk(zh));
  if (!limit.empty()) {
    CHECK(contains(zh, limit));
    CHECK(contains(en, limit));
  }
}

}  // namespace

TEST_CASE("audit verify, device decode and catalog import refuse /dev/zero at once",
          "[cli][files][hardening]") {
  cap_children_address_space();
  DemoOutlet outlet;
  const auto models = outlet.reader().count("catalog_models");
  check_file_refusal(outlet.run({"--json", "audit", "verify", "/dev/zero"}), "FILE_NOT_REGULAR");
  check_file_refusal(outlet.run({"--json", "device", "decode", "/dev/zero"}), "FILE_NOT_REGULAR");
  check_file_refusal(outlet.as_manager({"--json", "catalog", "import", "--user", d::kManager, "/dev/zero"}),
                     "FILE_NOT_REGULAR");
  check_file_refusal(outlet.run({"--json", "report", "merge", "/dev/zero"}), "FILE_NOT_REGULAR");
  CHECK(outlet.reader().count("catalog_models") == models);
  // Not a byte more than a command needs: nothing of /dev/zero was read into memory.
  CHECK(children_peak_rss_mb() < 200);
}

TEST_CASE("a FIFO is refused without waiting for a writer", "[cli][files][hardening]") {
  DemoOutlet outlet;
  const std::string fifo = outlet.file("catalog.fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  check_file_refusal(outlet.as_manager({"--json", "catalog", "import", "--user", d::kManager, fifo}),
                     "FILE_NOT_REGULAR");
  check_file_refusal(outlet.run({"--json", "audit", "verify", fifo}), "FILE_NOT_REGULAR");
}

TEST_CASE("files larger than their kind's limit are refused before reading, naming the limit",
          "[cli][files][hardening]") {
  cap_children_address_space();
  DemoOutlet outlet;
  const auto models = outlet.reader().count("catalog_models");
  const auto cards = outlet.reader().count("label_cards");
  check_file_refusal(outlet.as_manager({"--json", "catalog", "import", "--user", d::kManager,
                                        sparse_file(outlet, "catalog.csv", 9 << 20)}),
                     "FILE_TOO_LARGE", "8 MB");
  check_file_refusal(outlet.as_manager({"--json", "cards", "receive", "--user", d::kManager,
                                        sparse_file(outlet, "cards.csv", 33 << 20)}),
                     "FILE_TOO_LARGE", "32 MB");
  check_file_refusal(outlet.as_manager({"--json", "policy", "import", "--user", d::kManager,
                                        sparse_file(outlet, "policy.ini", 65 << 10)}),
                     "FILE_TOO_LARGE", "64 KB");
  check_file_refusal(outlet.run({"--json", "audit", "verify", sparse_file(outlet, "bundle.json", off_t(1) << 34)}),
                     "FILE_TOO_LARGE", "256 MB");
  check_file_refusal(outlet.run({"--json", "device", "decode", sparse_file(outlet, "photo.png", 40 << 20)}),
                     "FILE_TOO_LARGE", "32 MB");
  CHECK(outlet.reader().count("catalog_models") == models);
  CHECK(outlet.reader().count("label_cards") == cards);
  CHECK(children_peak_rss_mb() < 200);
}

TEST_CASE("audit check-invoice refuses a QR text longer than any invoice's", "[cli][files][hardening]") {
  DemoOutlet outlet;
  const auto r = outlet.run({"--json", "audit", "check-invoice", "--user", d::kClerk, "--text",
                             "HNPOS2;o=" + std::string(100000, 'A') + ";n=1;g=x"},
                            {{"HUINONG_PIN", d::kClerkPin}});
  INFO(r.describe().substr(0, 2000));
  CHECK(r.exit_code == 2);
  CHECK(error_of(r.json()).at("code") == "QR_UNREADABLE");
  CHECK(r.all_output().size() < 2000);
}
