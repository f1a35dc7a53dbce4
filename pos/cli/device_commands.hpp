#pragma once
// `huinong device ...` and `huinong reprint`: the devices issue's commands.
#include "cli/common.hpp"

namespace hn::cli {

// device read-id --port PATH [--json] [--full --user MANAGER]
int cmd_device_read_id(Context& c);
// device read-document FILE [--kind K] [--json] [--full --user MANAGER | --user L]: OCR
int cmd_device_read_document(Context& c);
// device decode FILE [--json]
int cmd_device_decode(Context& c);
// audit check-invoice --user L (--text QR | --image FILE): the paper against the record
int cmd_audit_check_invoice(Context& c);
// reprint --user L --invoice NO --printer URI
int cmd_reprint(Context& c);

}  // namespace hn::cli
