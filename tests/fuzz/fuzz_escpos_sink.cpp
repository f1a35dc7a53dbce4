// Any byte stream into the ESC/POS sink (what a receipt printer would make of it) and the
// paper rendered from it at both widths: no crash, problems listed instead.
#include <cstddef>
#include <cstdint>
#include <string>

#include "printer/sink.hpp"
#include "fuzz_check.hpp"

using namespace hn::printer;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const Printout p = parse_escpos(bytes);
  std::size_t lines = 0;
  for (const auto& item : p.items) {
    FUZZ_CHECK(item.width >= 1 && item.width <= 8 && item.height >= 1 && item.height <= 8);
    if (item.kind == PrintedItem::Kind::Line) ++lines;
  }
  FUZZ_CHECK(p.lines().size() == lines);
  FUZZ_CHECK(p.of(PrintedItem::Kind::Line).size() == lines);
  FUZZ_CHECK(p.status_requests >= 0);
  for (const int columns : {32, 48}) {
    const std::string paper = render_paper(p, columns);
    FUZZ_CHECK(p.items.empty() || !paper.empty());
  }
  return 0;
}
