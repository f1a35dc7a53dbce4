// huinong-idcard-sim: a simulated ID card reader on a pseudo-terminal, for the demo and for
// trying `huinong device read-id` by hand. See reader_simulator.hpp and README.md.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "reader_simulator.hpp"

namespace {

constexpr const char* kUsage =
    R"(huinong-idcard-sim - 模拟二代证阅读器 / simulated ID card reader (GA 467 SAM, serial)

Usage: huinong-idcard-sim [--link PATH] [--card KEY|none] [--fault NAME[:TIMES]]
                          [--unplug-ms N] [--delay-ms N] [--list-cards]

  --link PATH      keep a symlink at PATH to the current pty; unplugging and plugging back makes
                   a new pty, so give PATH to the driver (huinong device read-id --port PATH)
  --card KEY       the card on the reader at start (default valid; none = empty reader)
  --fault NAME     no-card, card-removed, bad-checksum, short-frame, timeout, garbage, unplug;
                   :TIMES spoils only that many answers (default: all)
  --unplug-ms N    how long the unplug fault keeps the reader away (default 300)
  --delay-ms N     the module's thinking time before each answer (default 0)

The first line on stdout is "pty /dev/pts/N" (and again after each plug-back). Control lines on
stdin: card KEY | card none | fault NAME [TIMES] | fault none | unplug [MS] | status | quit
)";

std::mutex out_mutex;
std::atomic<bool> stopping{false};

void say(const std::string& line) {
  std::lock_guard<std::mutex> lock(out_mutex);
  std::cout << line << std::endl;  // flushed: a test or script waits for each line
}

bool parse_ms(const std::string& text, int& out) {
  try {
    std::size_t used = 0;
    out = std::stoi(text, &used);
    return used == text.size() && out >= 0;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  hn::hw::ReaderSimulator::Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << a << " needs a value\n" << kUsage;
        std::exit(2);
      }
      return argv[++i];
    };
    int ms = 0;
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--list-cards") {
      for (const auto& c : hn::hw::builtin_cards())
        std::cout << c.key << "\t" << c.card.name << "\t" << c.description << "\n";
      return 0;
    } else if (a == "--link") {
      o.link = value();
    } else if (a == "--card") {
      o.card = value();
      if (o.card == "none")
        o.card.clear();
      else if (!hn::hw::find_builtin_card(o.card)) {
        std::cerr << "no built-in card '" << o.card << "' (see --list-cards)\n";
        return 2;
      }
    } else if (a == "--fault") {
      std::string f = value();
      if (const auto colon = f.find(':'); colon != std::string::npos) {
        if (!parse_ms(f.substr(colon + 1), o.fault_times) || o.fault_times == 0) {
          std::cerr << "--fault NAME:TIMES needs a positive TIMES\n";
          return 2;
        }
        f.erase(colon);
      }
      const auto fault = hn::hw::parse_fault(f);
      if (!fault) {
        std::cerr << "no fault '" << f << "'\n" << kUsage;
        return 2;
      }
      o.fault = *fault;
    } else if (a == "--unplug-ms" && parse_ms(value(), ms)) {
      o.unplug_for = std::chrono::milliseconds(ms);
    } else if (a == "--delay-ms" && parse_ms(value(), ms)) {
      o.answer_delay = std::chrono::milliseconds(ms);
    } else {
      std::cerr << "bad argument '" << a << "'\n" << kUsage;
      return 2;
    }
  }

  // SIGINT and SIGTERM are taken by sigwait() below, in the main thread, so the simulator is
  // shut down in order (its link removed) whichever thread the signal would have hit.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::unique_ptr<hn::hw::ReaderSimulator> sim;
  try {
    sim = std::make_unique<hn::hw::ReaderSimulator>(o);
  } catch (const std::exception& e) {
    std::cerr << "huinong-idcard-sim: " << e.what() << "\n";
    return 1;
  }
  sim->on_plugged([](const std::string& pty) { say("pty " + pty); });
  say("pty " + sim->pty_path());
  if (!o.link.empty()) say("link " + o.link);

  // Control lines; at end of input the simulator keeps running until it is signalled.
  std::thread([&sim] {
    for (std::string line; std::getline(std::cin, line);) {
      if (line == "quit") break;
      if (stopping) return;
      if (!line.empty()) say(sim->control(line));
    }
    if (std::cin.good()) ::kill(::getpid(), SIGTERM);  // "quit"
  }).detach();

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  stopping = true;
  sim.reset();
  return 0;
}
