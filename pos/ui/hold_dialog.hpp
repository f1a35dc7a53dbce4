#pragma once
// The list of held sales (挂单, issue 16), opened with F8 on an empty counter: number, buyer,
// masked ID, items, total, when and by whom. Enter recalls the selected one into the counter;
// Delete drops one after a question whose default (Enter) keeps it, with a manager's approval
// when the clerk is not one.
#include <optional>

#include "app/terminal.hpp"

namespace hn::ui {

class MainFrame;

// The held sale recalled (its ID number in full, for the invoice), or nothing.
std::optional<app::HeldSale> show_hold_dialog(MainFrame& frame, const app::UserRecord& user);

}  // namespace hn::ui
