#pragma once
// The first-run wizard: when huinong-pos starts without a terminal database, the technician
// installing the shop's PC creates the outlet (code, name, county) and its first manager here.
// The work is app::Terminal::init, the same use case as `huinong init`; this file only asks.
#include <optional>
#include <string>

namespace hn::ui {

// Shows the wizard (modal) for `db_path`. The first manager's login once the outlet exists;
// nothing when the technician cancelled (and then nothing was created).
std::optional<std::string> run_first_run_wizard(const std::string& db_path);

}  // namespace hn::ui
