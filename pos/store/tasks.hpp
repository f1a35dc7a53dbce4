#pragma once
// Work for the manager: what the province rejected, to convert or cancel, and the settlement
// of a rejected sale.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/records.hpp"
#include "store/platform_names.hpp"

namespace hn::store {

class Tasks {
 public:
  explicit Tasks(Database& db) : db_(db) {}
  std::int64_t add(const Task& t);
  // In order of creation; `state` filters when not empty.
  std::vector<Task> list(const std::string& state);
  std::optional<Task> find(std::int64_t task_id);
  // Closes an open task. For a sale's task, `settlement` is recorded with the sale for good;
  // a cancelled sale's cards still out are recorded as taken back. Throws if already closed.
  void resolve(const Task& task, SaleSettlement settlement, const std::string& resolution,
               std::int64_t user_id, const std::string& reason, const std::string& at);

 private:
  Database& db_;
};

}  // namespace hn::store
