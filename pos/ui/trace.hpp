#pragma once
// What the screen shows, as JSON lines in a file named by --trace or $HUINONG_UI_TRACE: lines
// shown, findings and their colours, sales committed. Tests read it to check what a clerk
// sees; the benchmark reads its timestamps. Off unless asked for; never holds a full ID number.
#include <string>

#include <nlohmann/json.hpp>

namespace hn::ui {

void trace_open(const std::string& path);
bool trace_enabled();
void trace(const std::string& event, nlohmann::json fields = nlohmann::json::object());

}  // namespace hn::ui
