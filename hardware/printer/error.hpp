#pragma once
// Expected failures of the printers (no paper, a closed port, an unwritable file) are
// values, as in zxing-cpp's Error: the CLI and the GUI each turn them into a message.
#include "platform/error.hpp"

namespace hn::printer {

// The platform's error and Result (pos/platform/error.hpp), as this layer has always named them.
using platform::Error;
template <class T>
using Result = platform::Result<T, Error>;
using platform::Done;

}  // namespace hn::printer
