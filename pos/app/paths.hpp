#pragma once
#include <string>

#include "platform/files.hpp"
#include "app/problem.hpp"

namespace hn::app {

// The database path: --db, else $HUINONG_DB, else the platform data directory
// ($XDG_DATA_HOME/huinong/huinong.db or ~/.local/share/huinong/huinong.db).
std::string default_db_path();
// The shipped data (policy, demo, calendar): $HUINONG_ASSETS_DIR, else share/huinong beside
// the running binary's bin/ (an installed package, wherever unpacked), else the source tree's
// assets/ when running from a build tree, else the compiled-in install directory.
std::string assets_dir();
// PREFIX/share when the running binary is PREFIX/bin/NAME and PREFIX/share exists; else "".
std::string installed_share_dir();
// Creates the directory holding `file_path` (owner-only) when missing.
void ensure_parent_dir(const std::string& file_path);
// A file someone named, of this kind, read whole within its kind's size limit (files.hpp):
// its text, or the problem (bad input, exit 2: FILE_UNREADABLE, FILE_NOT_REGULAR,
// FILE_TOO_LARGE).
Result<std::string> read_input_file(const std::string& path, files::Kind kind);
// Writes `text` to `path` readable by its owner alone (invoices and return papers carry the
// buyer's ID); false when it could not be written whole.
bool write_private_file(const std::string& path, const std::string& text);

}  // namespace hn::app
