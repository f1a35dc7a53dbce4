#pragma once
// Characters that are not on the private Xvfb's US keyboard (汉字, full-width signs) get a
// keycode of their own before xdotool types them, and keep it.
//
// Why: for such a character `xdotool type` maps a scratch keycode, sends the key and puts the
// old mapping back at once. GTK reads the keyboard map lazily, when it handles the key; on a
// busy machine it reads it after the mapping is gone and the character is lost or replaced
// (CI once stored the outlet name "萧县惠农家电城" wrong this way). A mapping that stays is
// found by xdotool in the keyboard map and used as any other key.
#include <string>

namespace hn::test {

// Gives every character of `utf8` above U+007F that the keyboard of `display` lacks an unused
// keycode of its own. Throws when the display cannot be opened, the text is not UTF-8 or the
// keyboard has no unused keycode left.
void map_missing_characters(const std::string& display, const std::string& utf8);

}  // namespace hn::test
