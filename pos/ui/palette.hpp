#pragma once
// The counter's colours, one set for every screen: red refuses, amber warns, green is done,
// blue is information, grey is secondary; kCheckMe marks a field the clerk must look at.
#include <wx/colour.h>

namespace hn::ui::palette {
inline const wxColour kRed(0xc6, 0x28, 0x28);
inline const wxColour kAmber(0xb3, 0x6b, 0x00);
inline const wxColour kGreen(0x1b, 0x7f, 0x3b);
inline const wxColour kBlue(0x1f, 0x4e, 0x9a);
inline const wxColour kGrey(0x70, 0x70, 0x70);
inline const wxColour kCheckMe(0xff, 0xe0, 0x82);
}  // namespace hn::ui::palette
