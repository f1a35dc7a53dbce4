// huinong-printer-sim: a receipt printer for the demo and the tests, with no hardware. It
// listens on 127.0.0.1 (loopback only) as a network receipt printer does on port 9100, answers
// DLE EOT status requests (all well, or out of paper with --paper-out), and writes each
// printout it receives to DIR as receipt-NNNN.txt (the paper as text, sink.hpp) and
// receipt-NNNN.png (its picture, QR code drawn).
//   huinong-printer-sim --out DIR [--port N] [--paper 58|80] [--paper-out] [--port-file FILE]
// Stops on SIGINT or SIGTERM.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include "printer/sink.hpp"

namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

int usage() {
  std::cerr << "huinong-printer-sim --out DIR [--port N] [--paper 58|80] [--paper-out] [--port-file FILE]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string out, port_file;
  int port = 0, columns = 48;
  bool paper_out = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--out") out = value();
    else if (a == "--port") port = std::atoi(value().c_str());
    else if (a == "--port-file") port_file = value();
    else if (a == "--paper") columns = value() == "58" ? 32 : 48;
    else if (a == "--paper-out") paper_out = true;
    else return usage();
  }
  if (out.empty() || port < 0 || port > 65535) return usage();
  std::error_code ec;
  std::filesystem::create_directories(out, ec);

  hn::printer::SinkAnswers answers;
  if (paper_out) answers.paper = 0x12 | 0x60;  // DLE EOT 4: paper roll end
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  try {
    hn::printer::SinkServer sink(answers, port);
    if (!port_file.empty()) std::ofstream(port_file) << sink.port() << "\n";
    std::cout << "打印机模拟器 printer simulator: escpos+tcp://127.0.0.1:" << sink.port() << " -> " << out
              << std::endl;
    std::size_t written = 0, seen = 0;
    while (!g_stop) {
      const auto jobs = sink.jobs();
      for (; seen < jobs.size(); ++seen) {
        const auto paper = hn::printer::parse_escpos(jobs[seen]);
        if (paper.items.empty()) continue;  // a status request only: nothing on paper
        char name[32];
        std::snprintf(name, sizeof name, "receipt-%04zu", ++written);
        const std::string base = out + "/" + name;
        std::ofstream(base + ".txt", std::ios::binary) << hn::printer::render_paper(paper, columns);
        hn::printer::render_paper_png(paper, columns, base + ".png");
        std::cout << "已打印 printed: " << base << ".png" << std::endl;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  } catch (const std::exception& e) {
    std::cerr << "huinong-printer-sim: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
