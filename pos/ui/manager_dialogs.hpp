#pragma once
// The store manager's functions, behind F9: goods receipt, users, returns, the daily report,
// settings. A clerk at the counter gets them only with a manager's login and PIN, asked at the
// moment of need.
#include "app/terminal.hpp"

namespace hn::ui {

class MainFrame;

void run_manager_menu(MainFrame& frame, const app::UserRecord& current);
// The screens behind the menu, one file each (manager_*.cpp).
void goods_receipt(MainFrame& frame, const app::UserRecord& manager);  // 1 (manager_goods.cpp)
void returns_screen(MainFrame& frame, const app::UserRecord& manager);  // 3
void users(MainFrame& frame, const app::UserRecord& manager);           // 2
void tasks(MainFrame& frame, const app::UserRecord& manager);           // 6
void show_report_dialog(MainFrame& frame, const app::UserRecord& manager);
// F9 → 7: the device.* settings, what is plugged in, and a test of each (devices_page.cpp).
void show_devices_page(MainFrame& frame, const app::UserRecord& manager);
// F9 → K (库存): the label cards by model, in stock, sold and taken back, with their goods receipt.
void stock_screen(MainFrame& frame, const app::UserRecord& manager);
// F9 → 8, 9, 0 (issue 16): closing the day with the cash count (manager_closing.cpp), backups,
// restore and the audit export (manager_backup.cpp), the province connection (manager_province.cpp).
void closing_screen(MainFrame& frame, const app::UserRecord& manager);
void backup_screen(MainFrame& frame, const app::UserRecord& manager);
void province_screen(MainFrame& frame, const app::UserRecord& manager);

}  // namespace hn::ui
