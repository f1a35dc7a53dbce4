#pragma once
// `huinong close day`, `huinong audit export|verify` (audit issue).
#include "cli/common.hpp"

namespace hn::cli {

int cmd_close_day(Context& c);     // close day --user MANAGER [--date YYYY-MM-DD]
int cmd_audit_export(Context& c);  // audit export --user L --out FILE [--from DATE --to DATE]
int cmd_audit_verify(Context& c);  // audit verify FILE [--public-key HEX]; no database

}  // namespace hn::cli
