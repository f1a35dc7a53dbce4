#pragma once
// What the printer tests print: the core's two-item invoice (tests/core/invoice_test.cpp),
// golden files, temp dirs and small process helpers.
#include <string>
#include <vector>

#include "core/invoice.hpp"

namespace hn_print_test {

// 海信 TV and 海尔 fridge bought by 王秀英 (ID 340822198001010013) on 2009-01-15 10:32.
hn::Invoice two_item_invoice();

std::string read_file(const std::string& path);  // throws when missing
void write_file(const std::string& path, const std::string& bytes);
std::vector<std::string> lines_of(const std::string& text);
// Compares `actual` with the golden file tests/hardware/printer/golden/NAME line by line
// (Catch CHECKs); HUINONG_UPDATE_GOLDEN=1 rewrites it first (then read it as a person would).
void check_golden(const std::string& name, const std::string& actual);

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Runs a program (argv, no shell) and returns its exit code and stdout.
struct Output {
  int exit_code = -1;
  std::string out;
};
Output run_program(const std::vector<std::string>& argv);

}  // namespace hn_print_test
