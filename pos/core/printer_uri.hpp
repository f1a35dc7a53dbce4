#pragma once
// Where an invoice is printed, as the terminal's settings and the command line name it:
//   escpos+file:PATH[?paper=58|80]              a device file (/dev/usb/lp0) or a plain file
//   escpos+serial:PATH?baud=N[&paper=58|80]     a serial receipt printer
//   escpos+tcp://HOST[:PORT][?paper=58|80]      a network receipt printer (raw TCP, 9100)
//   pdf:PATH                                    an A4 PDF file
//   cups:QUEUE                                  an A4 PDF handed to `lp -d QUEUE`
// The grammar is a pure function here so that a setting is checked on its parsed value where
// it is stored (pos/app) and the same parse opens the printer (hardware/printer).
#include <optional>
#include <string>

namespace hn {

struct PrinterAddress {
  enum class Kind { EscPosFile, EscPosSerial, EscPosTcp, Pdf, Cups };
  Kind kind = Kind::EscPosFile;
  std::string path;  // file, serial device, PDF path; the host for tcp; the queue for cups
  int port = 9100;   // tcp
  int baud = 0;      // serial
  int paper_mm = 80;  // 58 or 80 (ESC/POS only)
  bool escpos() const { return kind == Kind::EscPosFile || kind == Kind::EscPosSerial || kind == Kind::EscPosTcp; }
};

struct PrinterAddressParse {
  std::optional<PrinterAddress> address;
  // When address is empty: PRINTER_URI and what is wrong, in both languages (the value quoted
  // and cut to 60 characters, non-printables escaped).
  std::string code, message_zh, message_en;
};

PrinterAddressParse parse_printer_address(const std::string& uri);

}  // namespace hn
