// The core is plain C++17 on the standard library (STYLE.md 1, KiCad's warning): it never
// includes wx, SQLite, curl, OpenSSL or JSON libraries, nor headers of the other parts of pos/.
// CMake already keeps it from linking them; this test keeps the sources from including them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "test_files.hpp"

namespace {

// The C++17 standard headers the core may use. Left out on purpose: headers that give the core
// effects the shell owns (STYLE.md 3: clock, hardware and I/O come in through interfaces):
// files and streams (<iostream> <fstream> <filesystem>), threads (<thread> <mutex> <future>
// <condition_variable> <atomic> <shared_mutex>), the clock (<chrono> <ctime>), randomness
// (<random>) and <csignal> <csetjmp>. <cstdio> stays for snprintf.
const std::set<std::string> kAllowedStd = {"algorithm",     "any",
                                           "array",         "bitset",
                                           "cassert",       "cctype",
                                           "cerrno",        "cfloat",
                                           "charconv",      "cinttypes",
                                           "climits",       "cmath",
                                           "cstddef",       "cstdint",
                                           "cstdio",        "cstdlib",
                                           "cstring",       "cwchar",
                                           "cwctype",       "deque",
                                           "exception",     "forward_list",
                                           "functional",    "initializer_list",
                                           "iomanip",       "ios",
                                           "iosfwd",        "iterator",
                                           "limits",        "list",
                                           "locale",        "map",
                                           "memory",        "memory_resource",
                                           "new",           "numeric",
                                           "optional",      "queue",
                                           "ratio",         "set",
                                           "sstream",       "stack",
                                           "stdexcept",     "string",
                                           "string_view",   "system_error",
                                           "tuple",         "type_traits",
                                           "typeindex",     "typeinfo",
                                           "unordered_map", "unordered_set",
                                           "utility",       "valarray",
                                           "variant",       "vector"};

// Names that must never appear in a core include, whatever the brackets.
const std::vector<std::string> kBanned = {"sqlite3", "sqlite",  "wx/",
                                          "curl",    "openssl", "nlohmann"};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Problems with one line of source; empty when the line is not an include or is allowed.
std::vector<std::string> include_problems(const std::string& line) {
  std::size_t i = line.find_first_not_of(" \t");
  if (i == std::string::npos || line[i] != '#') return {};
  i = line.find_first_not_of(" \t", i + 1);
  if (i == std::string::npos || line.compare(i, 7, "include") != 0) return {};
  i += 7;
  std::vector<std::string> problems;
  const std::string low = lower(line);
  for (const auto& word : kBanned)
    if (low.find(word) != std::string::npos) problems.push_back("includes '" + word + "'");
  if (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_')) {
    problems.push_back("not a plain #include directive");
    return problems;
  }
  i = line.find_first_not_of(" \t", i);
  if (i == std::string::npos) {
    problems.push_back("#include without a header");
    return problems;
  }
  const char open = line[i];
  const char close = open == '"' ? '"' : open == '<' ? '>' : '\0';
  const std::size_t end = close ? line.find(close, i + 1) : std::string::npos;
  if (end == std::string::npos) {
    problems.push_back("computed or malformed #include");
    return problems;
  }
  const std::string header = line.substr(i + 1, end - i - 1);
  if (open == '"') {
    if (header.compare(0, 5, "core/") != 0)
      problems.push_back("\"" + header + "\" is not a core header");
    if (header.find("..") != std::string::npos)
      problems.push_back("\"" + header + "\" leaves core/");
  } else if (!kAllowedStd.count(header)) {
    problems.push_back("<" + header + "> is not an allowed C++17 standard header");
  }
  return problems;
}

bool refused(const std::string& line) { return !include_problems(line).empty(); }

}  // namespace

TEST_CASE("the include check refuses GUI, database, network, crypto and JSON libraries",
          "[purity]") {
  CHECK(refused("#include <wx/string.h>"));
  CHECK(refused("#include <wx/wx.h>"));
  CHECK(refused("#include \"wx/string.h\""));
  CHECK(refused("#include <sqlite3.h>"));
  CHECK(refused("#include \"sqlite3.h\""));
  CHECK(refused("#include <curl/curl.h>"));
  CHECK(refused("#include <openssl/sha.h>"));
  CHECK(refused("#include <nlohmann/json.hpp>"));
  CHECK(refused("  #  include <wx/string.h>  // indented, spaced"));
  // Banned names are caught even when dressed as core headers.
  CHECK(refused("#include \"core/sqlite3_journal.hpp\""));
  CHECK(refused("#include \"core/curl_transport.hpp\""));
  CHECK(refused("#include \"core/../wx/frame.hpp\""));
}

TEST_CASE("the include check refuses headers outside core and unlisted system headers",
          "[purity]") {
  CHECK(refused("#include \"store/journal.hpp\""));
  CHECK(refused("#include \"app/paths.hpp\""));
  CHECK(refused("#include \"money.hpp\""));
  CHECK(refused("#include \"core/../store/db.hpp\""));
  CHECK(refused("#include <boost/optional.hpp>"));
  CHECK(refused("#include <unistd.h>"));
  CHECK(refused("#include <iostream>"));
  CHECK(refused("#include <fstream>"));
  CHECK(refused("#include <filesystem>"));
  CHECK(refused("#include <thread>"));
  CHECK(refused("#include <chrono>"));
  CHECK(refused("#include HUINONG_PLATFORM_HEADER"));
  CHECK(refused("#include_next <string>"));
  CHECK(refused("#include <string"));
}

TEST_CASE("the include check accepts core headers, standard headers and other lines", "[purity]") {
  CHECK_FALSE(refused("#include \"core/money.hpp\""));
  CHECK_FALSE(refused("#include <string>"));
  CHECK_FALSE(refused("#include <string_view>  // UTF-8 text"));
  CHECK_FALSE(refused("  #include <map>"));
  CHECK_FALSE(refused("#pragma once"));
  CHECK_FALSE(refused("// the core never does #include <wx/string.h>"));
  CHECK_FALSE(refused("int include = 0;"));
}

TEST_CASE("pos/core includes only core headers and allowed standard headers", "[purity]") {
  namespace fs = std::filesystem;
  int files = 0, sources = 0, includes = 0;
  std::vector<std::string> problems;
  for (const auto& entry : fs::recursive_directory_iterator(HUINONG_CORE_DIR)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const auto ext = entry.path().extension().string();
    if (ext == ".cpp" || ext == ".hpp" || ext == ".h" || ext == ".cc") ++sources;
    const std::string text = hn_test::read_file(entry.path().string());
    std::size_t start = 0;
    int line_no = 0;
    while (start < text.size()) {
      auto end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      const std::string line = text.substr(start, end - start);
      start = end + 1;
      ++line_no;
      if (line.rfind("#include", 0) == 0) ++includes;
      for (const auto& p : include_problems(line))
        problems.push_back(entry.path().filename().string() + ":" + std::to_string(line_no) + ": " +
                           p + "  [" + line + "]");
    }
  }
  // The scan really looked at the core: 12 modules, a header and a source each.
  CHECK(sources >= 24);
  CHECK(files > sources);  // CMakeLists.txt is scanned too
  CHECK(includes > 50);
  INFO("problems:\n"
       << [&] {
            std::string all;
            for (const auto& p : problems) all += p + "\n";
            return all;
          }());
  CHECK(problems.empty());
}
