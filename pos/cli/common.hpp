#pragma once
// What every `huinong` command shares: the parsed command line, one place that turns a Problem
// into text or JSON and an exit code, option checks, PINs from the environment, sign-in.
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/terminal.hpp"
#include "cli/args.hpp"

namespace hn::cli {

struct Context {
  Args args;
  bool json_out = false;
  std::string db_path;
  app::SystemClock clock;
};

// Prints the problem (stderr, or a JSON error object on stdout with --json); its exit code.
int report_problem(const Context& c, const app::Problem& p);
int usage_error(const Context& c, const std::string& zh, const std::string& en);
// --name YYYY-MM-DD, when given; false (with the usage error in `exit`) when malformed.
bool optional_date(Context& c, const char* name, std::optional<Date>& out, int& exit);
// Prints `j` with --json, else `text`.
void print_ok(const Context& c, const nlohmann::json& j, const std::string& text);
// The JSON text as printed: indented, invalid UTF-8 replaced rather than thrown on.
std::string dump(const nlohmann::json& j);

std::optional<std::string> required(const Context& c, const std::string& name, int& exit);
// Each command names the options it takes; anything else is a usage error, and so is an
// option given twice. Only --item repeats.
bool only_options(const Context& c, std::initializer_list<const char*> allowed, int& exit);

// PINs never come from argv: the environment variable, else a prompt on the terminal.
std::optional<std::string> read_pin(const char* env_name, const std::string& prompt);
app::Problem pin_missing(const char* env_name);

std::unique_ptr<app::Terminal> open_terminal(Context& c);

// Writes an invoice (which carries the buyer's full ID number) owner-only, like the database;
// after a committed change a failure is a warning on stderr, never a lost sale.
void write_invoice_file(const std::string& path, const std::string& text);
// Signs in the user named by --`option` (PIN from HUINONG_PIN) with one of `roles`.
app::Result<app::UserRecord> login(Context& c, app::Terminal& t, std::initializer_list<app::Role> roles,
                                   const std::string& option = "user");

}  // namespace hn::cli
