#pragma once
// Reads the files the core tests check against: shipped assets and golden renderings.
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace hn_test {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string read_asset(const std::string& relative) {
  return read_file(std::string(HUINONG_ASSETS_DIR) + "/" + relative);
}

}  // namespace hn_test
