#pragma once
// What the printer tests print: the sample two-item invoice (tests/support/samples.hpp),
// golden files, temp dirs and small process helpers.
#include <string>
#include <vector>

#include "core/invoice.hpp"
#include "samples.hpp"
#include "temp_dir.hpp"

namespace hn_print_test {

// 海信 TV and 海尔 fridge bought by 王秀英 (ID 340822198001010013) on 2009-01-15 10:32.
using hn::test::two_item_invoice;
using hn::test::lines_of;
using hn::test::TempDir;

std::string read_file(const std::string& path);  // throws when missing
void write_file(const std::string& path, const std::string& bytes);
// Compares `actual` with the golden file tests/hardware/printer/golden/NAME line by line
// (Catch CHECKs); HUINONG_UPDATE_GOLDEN=1 rewrites it first (then read it as a person would).
void check_golden(const std::string& name, const std::string& actual);

// Runs a program (argv, no shell) and returns its exit code and stdout.
struct Output {
  int exit_code = -1;
  std::string out;
};
Output run_program(const std::vector<std::string>& argv);

}  // namespace hn_print_test
