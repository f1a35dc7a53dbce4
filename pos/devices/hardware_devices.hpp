#pragma once
// The counter's devices over the drivers in hardware/: the pos/app/devices.hpp interfaces
// implemented by hardware/idcard (IdCardReader, SerialScanner), hardware/imaging (V4l2Camera,
// StillFrames, decode). The printer is not here: every printout, the Devices page's test page
// included, goes through pos/app/printing.hpp's InvoiceOutput (hardware/printer/invoice_output).
// This header includes no hardware/ header, so the screens that use it see only pos/app's types.
#include <memory>
#include <string>
#include <vector>

#include "app/devices.hpp"

namespace hn::devices {

// The ID card reader on a serial path (opened on the first poll, again after an unplug).
std::unique_ptr<app::IdCardSource> open_id_reader(const std::string& path);
// A serial barcode scanner (9600 baud, CR suffix, tolerant of LF and CRLF).
std::unique_ptr<app::ScanSource> open_serial_scanner(const std::string& path);
// The counter camera (V4L2), opened on the first grab and again after a failure.
std::unique_ptr<app::FrameDecodeSource> open_camera(const std::string& device);
// The camera's simulator: image files, one a grab, in turn.
std::unique_ptr<app::FrameDecodeSource> open_still_frames(std::vector<std::string> files);

// The card's WLT photo for the screen, through the reader maker's decoder library when it is
// installed (loaded at run time; $HUINONG_WLT_LIBRARY names another). Never written anywhere.
app::CardPhoto decode_card_photo(const std::vector<std::uint8_t>& wlt);

// What is plugged into this PC (the Devices page).
app::FoundDevices find_devices();

}  // namespace hn::devices
