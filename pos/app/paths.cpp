#include "app/paths.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#ifndef HUINONG_SOURCE_ASSETS_DIR
#define HUINONG_SOURCE_ASSETS_DIR ""
#endif
#ifndef HUINONG_INSTALL_ASSETS_DIR
#define HUINONG_INSTALL_ASSETS_DIR "/usr/share/huinong"
#endif

namespace hn::app {

namespace fs = std::filesystem;

std::string default_db_path() {
  if (const char* env = std::getenv("HUINONG_DB"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return std::string(xdg) + "/huinong/huinong.db";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.local/share/huinong/huinong.db";
  return "huinong.db";
}

std::string installed_share_dir() {
  // Linux: the running binary's own path. Elsewhere (a Windows build) this part of the
  // platform layer is still to write; the compiled-in directories remain.
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec || exe.empty()) return {};
  const fs::path share = exe.parent_path().parent_path() / "share";
  return fs::is_directory(share, ec) ? share.string() : std::string();
}

std::string assets_dir() {
  if (const char* env = std::getenv("HUINONG_ASSETS_DIR"); env && *env) return env;
  std::error_code ec;
  // Installed (bin/huinong beside share/huinong): the package's own data, wherever the package
  // was unpacked, before any source tree that happens to exist on the machine.
  if (const std::string share = installed_share_dir(); !share.empty()) {
    const fs::path mine = fs::path(share) / "huinong";
    if (fs::is_directory(mine / "policy", ec)) return mine.string();
  }
  if (fs::is_directory(fs::path(HUINONG_SOURCE_ASSETS_DIR) / "policy", ec))
    return HUINONG_SOURCE_ASSETS_DIR;
  return HUINONG_INSTALL_ASSETS_DIR;
}

void ensure_parent_dir(const std::string& file_path) {
  const fs::path parent = fs::path(file_path).parent_path();
  if (parent.empty()) return;
  std::error_code ec;
  if (fs::exists(parent, ec)) return;
  fs::create_directories(parent, ec);
  if (!ec) fs::permissions(parent, fs::perms::owner_all, fs::perm_options::replace, ec);
}

Result<std::string> read_input_file(const std::string& path, files::Kind kind) {
  std::string text;
  if (const auto error = files::read_file(path, kind, text))
    return bad_input(error->code, error->message_zh, error->message_en);
  return text;
}

bool write_private_file(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const bool written =
      fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  if (fd >= 0) ::close(fd);
  return written;
}

}  // namespace hn::app
