#include "keymap.hpp"

#include "core/text.hpp"  // before Xlib.h, whose None and Status macros would rename its enums

#include <X11/Xlib.h>

#include <memory>
#include <set>
#include <stdexcept>
#include <vector>

namespace hn::test {
namespace {

// X's keysym for a code point: Latin-1 keysyms are the code point itself, others 0x01000000 + cp.
KeySym keysym_of(unsigned long cp) { return cp <= 0xFF ? cp : 0x01000000UL + cp; }

}  // namespace

void map_missing_characters(const std::string& display, const std::string& utf8) {
  const auto all = hn::code_points(utf8);
  if (all.empty() && !utf8.empty()) throw std::runtime_error("map_missing_characters: not UTF-8: " + utf8);
  std::set<unsigned long> wanted;
  for (const std::uint32_t cp : all)
    if (cp > 0x7F) wanted.insert(cp);
  if (wanted.empty()) return;
  const std::unique_ptr<Display, int (*)(Display*)> dpy(XOpenDisplay(display.c_str()), XCloseDisplay);
  if (!dpy) throw std::runtime_error("map_missing_characters: cannot open display " + display);
  int min_code = 0, max_code = 0;
  XDisplayKeycodes(dpy.get(), &min_code, &max_code);
  int per_code = 0;
  KeySym* raw = XGetKeyboardMapping(dpy.get(), static_cast<KeyCode>(min_code), max_code - min_code + 1, &per_code);
  if (raw == nullptr) throw std::runtime_error("map_missing_characters: no keyboard map on " + display);
  const std::vector<KeySym> map(raw, raw + static_cast<std::size_t>(max_code - min_code + 1) * per_code);
  XFree(raw);

  std::set<KeySym> present;
  std::vector<int> unused;  // keycodes with no keysym at all
  for (int code = min_code; code <= max_code; ++code) {
    bool any = false;
    for (int k = 0; k < per_code; ++k) {
      const KeySym s = map[static_cast<std::size_t>(code - min_code) * per_code + k];
      if (s != NoSymbol) present.insert(s), any = true;
    }
    if (!any) unused.push_back(code);
  }
  // One unused keycode stays unused: xdotool's scratch key for anything else.
  if (!unused.empty()) unused.pop_back();
  std::size_t next = 0;
  for (const unsigned long cp : wanted) {
    KeySym sym = keysym_of(cp);
    if (present.count(sym) != 0) continue;
    if (next == unused.size())
      throw std::runtime_error("map_missing_characters: no unused keycode left on " + display + " for " + utf8);
    // Both the plain and the shifted level carry the character, so no modifier changes it.
    KeySym both[2] = {sym, sym};
    XChangeKeyboardMapping(dpy.get(), unused[next++], 2, both, 1);
    present.insert(sym);
  }
  XSync(dpy.get(), False);
}

}  // namespace hn::test
