#include "printer/document.hpp"

#include <algorithm>
#include <cstddef>

#include "core/text.hpp"
#include "printer/receipt_builder.hpp"

namespace hn::printer {

using detail::Receipt;
using escpos::Align;

namespace {

// "1. " or "12. " at the start of a note: its continuation lines hang under the text.
std::size_t list_marker_length(const std::string& note) {
  std::size_t i = 0;
  while (i < note.size() && note[i] >= '0' && note[i] <= '9') ++i;
  if (i == 0 || i + 1 >= note.size() || note[i] != '.' || note[i + 1] != ' ') return 0;
  return i + 2;
}

}  // namespace

std::string document_bytes(const Document& doc, const ReceiptOptions& options) {
  const int cols = paper_columns(options.paper);
  Receipt r(cols);
  r.writer().initialize().chinese_mode(true);

  r.title(doc.title, 2, 2);
  if (!doc.subtitle.empty()) r.line(doc.subtitle, Align::Center);
  r.blank();
  if (!doc.number.empty()) r.line("编号 No: " + doc.number, Align::Right);
  r.rule();

  // The same layout as render_document_text: "label: value" when it fits, else the label and
  // the value indented under it.
  for (const auto& row : doc.rows) {
    const std::string label = row.label + ":";
    if (display_width(label) + 1 + display_width(row.value) <= cols) {
      r.line(label + " " + row.value);
    } else {
      r.line(label);
      r.indented(row.value, 2);
    }
  }
  r.rule();

  for (std::size_t n = 0; n < doc.notes.size(); ++n) {
    const std::string& note = doc.notes[n];
    const std::size_t marker = list_marker_length(note);
    if (n > 0 && marker == 0) r.blank();  // a note that is not a list item starts a new block
    if (marker > 0)
      r.hanging(note.substr(0, marker), note.substr(marker));
    else
      r.line(note);
  }

  // Each signer: the label, room to sign and stamp, the line, the date.
  for (const auto& signature : doc.signatures) {
    r.blank();
    r.line(signature + ":");
    r.writer().feed_lines(2);
    r.line(std::string(static_cast<std::size_t>(std::min(cols, 40)), '_'));
    r.line("日期 Date: ______年____月____日");
  }

  r.writer().feed_lines(3);
  if (options.cut) r.writer().cut(true);
  if (options.kick_drawer) r.writer().kick_drawer(2, 100, 500);
  return r.writer().bytes();
}

}  // namespace hn::printer
