#pragma once
// The province as a real process on loopback (huinong-sandbox serve), outlets registered in it,
// and terminals (test_terminal.hpp) set up to upload to it.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/client/sync_service.hpp"
#include "process.hpp"
#include "sandbox_process.hpp"
#include "temp_dir.hpp"
#include "test_terminal.hpp"

namespace hn::test {

// `huinong-sandbox ARGS...`; throws with its output when it fails.
std::string sandbox(const std::vector<std::string>& args);

class Province {
 public:
  explicit Province(const std::string& dir);
  ~Province();
  // Registers an outlet and issues it `cards` TV cards numbered from `first` (tv_card); returns
  // the credential directory and writes the cards file the terminal receives.
  std::string add_outlet(const std::string& code, int first, int cards, const std::string& cards_csv);
  void serve(const std::vector<std::string>& extra = {});
  void stop();
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  nlohmann::json report();
  const std::string& db() const { return db_; }

 private:
  std::string dir_, db_, log_;
  Child server_;
  int port_ = 0;
};

// Milliseconds since the epoch: the sync service's clock in these tests.
std::int64_t unix_ms();
// The one integer `sql` answers over the database file `db` (read-only); -1 when it fails.
std::int64_t query(const std::string& db, const std::string& sql);
// Short timeouts and quick retries, so tests of faults end in seconds.
sync::SyncService::Options fast_retries();
// `field` of `outlet` in `huinong-sandbox report --json`; -1 when the outlet is not there.
int report_count(const nlohmann::json& report, const std::string& outlet, const std::string& field);

}  // namespace hn::test
