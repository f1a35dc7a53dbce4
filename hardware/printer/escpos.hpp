#pragma once
// ESC/POS, the command language of receipt printers (Epson and the Chinese printers that copy
// it: Xprinter, Gprinter, Sprt...), as bytes. The writer knows nothing of invoices; the sink
// (sink.hpp) reads the same commands back.
#include <cstdint>
#include <string>
#include <string_view>

namespace hn::printer::escpos {

inline constexpr char ESC = 0x1B;
inline constexpr char GS = 0x1D;
inline constexpr char FS = 0x1C;
inline constexpr char DLE = 0x10;
inline constexpr char EOT = 0x04;
inline constexpr char LF = 0x0A;

enum class Align : std::uint8_t { Left = 0, Center = 1, Right = 2 };
enum class QrErrorLevel : std::uint8_t { L = 48, M = 49, Q = 50, H = 51 };

// DLE EOT n, the real-time status requests; the printer answers each with one byte.
enum class StatusQuery : std::uint8_t { Printer = 1, Offline = 2, Error = 3, PaperRoll = 4 };

class Writer {
 public:
  Writer& initialize();                 // ESC @
  Writer& chinese_mode(bool on);        // FS & / FS . : double-byte GB18030 text
  Writer& align(Align a);               // ESC a n (takes effect at the start of a line)
  Writer& bold(bool on);                // ESC E n
  Writer& size(int width, int height);  // GS ! n, each 1..8
  // GB18030 text (from UTF-8), one line's worth: control characters and bytes that are not
  // UTF-8 are printed as '?', never sent as they are (commands go through the calls here).
  bool text(std::string_view utf8);
  Writer& line_feed();        // LF
  Writer& feed_lines(int n);  // ESC d n
  // GS ( k: QR model 2, module size 1..16 dots, error level; store the data, then print it.
  Writer& qr_code(std::string_view data, int module_size, QrErrorLevel level);
  Writer& cut(bool partial);  // GS V 66 0: feed to the cutter and cut
  // ESC p m t1 t2: a pulse on the drawer kick-out connector, pin 2 (m = 0) or pin 5 (m = 1).
  Writer& kick_drawer(int pin, int on_ms, int off_ms);
  Writer& raw(std::string_view bytes);

  const std::string& bytes() const { return out_; }

 private:
  Writer& put(std::initializer_list<int> bytes);
  std::string out_;
};

std::string status_request(StatusQuery q);

// What a printer's answers to DLE EOT 1..4 say (bits per the ESC/POS reference; each answer
// byte has bit 1 and bit 4 set and bit 0 and bit 7 clear, which is how a real answer is told
// from noise).
struct PrinterStatus {
  bool answered = false;  // false: the printer said nothing (many cannot answer)
  bool offline = false;
  bool cover_open = false;
  bool paper_out = false;
  bool paper_near_end = false;
  bool error = false;  // cutter jam, overheating, unrecoverable
  bool ready() const { return !answered || (!offline && !cover_open && !paper_out && !error); }
};
bool is_status_byte(std::uint8_t b);
// Folds the answer to one query into `s`.
void apply_status(PrinterStatus& s, StatusQuery q, std::uint8_t answer);

}  // namespace hn::printer::escpos
