#pragma once
// Expected failures of the imaging devices (an unreadable file, a camera that went away) are
// values, as in zxing-cpp's Error: the CLI and the GUI each turn them into a message.
#include "platform/error.hpp"

namespace hn::imaging {

// The platform's error and Result (pos/platform/error.hpp), as this layer has always named them.
using platform::Error;
template <class T>
using Result = platform::Result<T, Error>;

}  // namespace hn::imaging
