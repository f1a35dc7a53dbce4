#pragma once
// Internal to hardware/printer: the line builder every ESC/POS printout is laid out with (the
// invoice receipt in receipt.cpp, the return documents in document.cpp). It keeps every line
// within the paper's columns (CJK two) and leaves alignment, bold and size as it found them.
#include <algorithm>
#include <string>

#include "core/money.hpp"
#include "core/text.hpp"
#include "printer/escpos.hpp"
#include "printer/receipt.hpp"

namespace hn::printer::detail {

inline std::string rtrim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

inline std::string money(Fen fen) { return "\xEF\xBF\xA5" + format_yuan(fen); }  // full-width ￥

class Receipt {
 public:
  using Align = escpos::Align;
  explicit Receipt(int columns) : cols_(columns) {}

  void line(const std::string& text, Align a = Align::Left) {
    for (const auto& l : wrap_text(text, cols_)) emit(l, a);
  }
  // Wrapped to the paper less `indent` columns, each line indented: a value under its label.
  void indented(const std::string& text, int indent) {
    indent = std::clamp(indent, 0, cols_ / 2);
    for (const auto& l : wrap_text(text, cols_ - indent))
      emit(std::string(static_cast<std::size_t>(indent), ' ') + l, Align::Left);
  }
  // A list item: `marker` ("1. ") on the first line, the text's other lines hanging under it.
  void hanging(const std::string& marker, const std::string& text) {
    const int indent = std::min(display_width(marker), cols_ / 2);
    const auto lines = wrap_text(text, cols_ - indent);
    for (std::size_t i = 0; i < lines.size(); ++i)
      emit((i == 0 ? marker : std::string(static_cast<std::size_t>(indent), ' ')) + lines[i],
           Align::Left);
  }
  // A label on the left and a value flush right; on two lines when they do not fit one.
  void spread(const std::string& left, const std::string& right) {
    const int gap = cols_ - display_width(left) - display_width(right);
    if (gap >= 1) {
      emit(left + std::string(static_cast<std::size_t>(gap), ' ') + right, Align::Left);
    } else {
      line(left);
      line(right, Align::Right);
    }
  }
  // A label and its value as one line when they fit, else the label and then the value.
  void labelled(const std::string& label, const std::string& value, Align a) {
    if (display_width(label) + display_width(value) <= cols_) {
      emit(label + value, a);
    } else {
      line(rtrim(label), a);
      line(value, a);
    }
  }
  // A left-aligned field: "label value" on one line when it fits, else the label on its own
  // line and the value indented under it (a number or a name is never broken between lines
  // when it fits a line of its own).
  void field(const std::string& label, const std::string& value) {
    if (display_width(label) + display_width(value) <= cols_) {
      emit(label + value, Align::Left);
      return;
    }
    const std::size_t lead = label.find_first_not_of(' ');
    const int indent = static_cast<int>(lead == std::string::npos ? 0 : lead) + 2;
    line(rtrim(label));
    if (indent + display_width(value) <= cols_)
      emit(std::string(static_cast<std::size_t>(indent), ' ') + value, Align::Left);
    else
      line(value);
  }
  void rule() { emit(std::string(static_cast<std::size_t>(cols_), '-'), Align::Left); }
  void blank() { w_.line_feed(); }
  // Bold, enlarged, centred; enlarged only as far as the paper allows, wrapped when even
  // unenlarged it is wider than the paper.
  void title(const std::string& text, int want_width, int height) {
    const int width = display_width(text) * want_width <= cols_ ? want_width : 1;
    w_.align(Align::Center).bold(true).size(width, height);
    for (const auto& l : wrap_text(text, cols_ / width)) {
      w_.text(l);
      w_.line_feed();
    }
    w_.size(1, 1).bold(false).align(Align::Left);
  }
  void bold(bool on) { w_.bold(on); }
  escpos::Writer& writer() { return w_; }
  int columns() const { return cols_; }

 private:
  void emit(const std::string& text, Align a) {
    if (a != Align::Left) w_.align(a);
    w_.text(text);  // UTF-8 from the database and the core: valid by construction
    w_.line_feed();
    if (a != Align::Left) w_.align(Align::Left);
  }
  int cols_;
  escpos::Writer w_;
};

}  // namespace hn::printer::detail
