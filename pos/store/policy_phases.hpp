#pragma once
// Policy phases as shipped or received from the province, verbatim.
#include <optional>
#include <string>
#include <vector>

#include "store/platform_names.hpp"

namespace hn::store {

class PolicyPhases {
 public:
  explicit PolicyPhases(Database& db) : db_(db) {}
  void put(const std::string& id, const std::string& source);
  std::optional<std::string> source(const std::string& id);
  std::vector<std::string> ids();

 private:
  Database& db_;
};

}  // namespace hn::store
