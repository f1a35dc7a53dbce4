#pragma once
// The province's sandbox as a real process on loopback: `huinong-sandbox serve` on a port the
// kernel picks, for the sandbox's own tests, the sync tests and the GUI's connection screen.
#include <string>
#include <vector>

#include "process.hpp"

namespace hn::test {

// `huinong-sandbox serve --db DB --listen 127.0.0.1:0 EXTRA...` with exactly `env`, its output
// in `log`, once its first line names the port the kernel picked; throws with the log when it
// exits first or that line has not come within 15 s.
struct Served {
  Child process;
  int port = 0;
};
Served serve_sandbox(const std::string& db, const std::string& log, const std::vector<std::string>& extra = {},
                     const Env& env = {});

}  // namespace hn::test
