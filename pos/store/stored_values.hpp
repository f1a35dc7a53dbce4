#pragma once
// Reading back what the store wrote: a malformed date or an unknown category in a row is a
// damaged database, not a value to carry on with.
#include <string>

#include "core/catalog.hpp"
#include "core/date.hpp"
#include "store/platform_names.hpp"

namespace hn::store {

inline Date parse_stored_date(const std::string& text) {
  const auto d = parse_iso_date(text);
  if (!d) throw DbError("stored date is malformed: " + text, 0);
  return *d;
}

inline Category parse_stored_category(const std::string& text) {
  const auto c = parse_category(text);
  if (!c) throw DbError("stored category is unknown: " + text, 0);
  return *c;
}

}  // namespace hn::store
