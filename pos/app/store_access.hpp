#pragma once
// The terminal's store, for pos/app's own files and the tests only: the shells (pos/ui,
// pos/cli) call use cases and never include this header.
#include <string>

#include "app/terminal.hpp"
#include "store/store.hpp"

namespace hn::app {

store::Store& store_of(Terminal& t);
// Stores a setting (in the caller's transaction) and drops the terminal's copy of the settings,
// so the next Terminal::settings() reads it: the connection's own writes do not change
// PRAGMA data_version.
void put_setting(Terminal& t, const std::string& key, const std::string& value);

}  // namespace hn::app
