#include "core/records.hpp"

namespace hn {

std::string_view role_code(Role r) {
  switch (r) {
    case Role::Clerk: return "clerk";
    case Role::Manager: return "manager";
    case Role::Auditor: return "auditor";
  }
  return "clerk";
}

std::optional<Role> parse_role(std::string_view code) {
  if (code == "clerk") return Role::Clerk;
  if (code == "manager") return Role::Manager;
  if (code == "auditor") return Role::Auditor;
  return std::nullopt;
}

}  // namespace hn
