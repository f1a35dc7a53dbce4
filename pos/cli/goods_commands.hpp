#pragma once
// `huinong catalog import`, `cards receive|list`, `policy list|use|import`: the catalog, the
// label cards received and the policy phases, each file checked whole before it is imported.
#include "cli/common.hpp"

namespace hn::cli {

int cmd_catalog_import(Context& c);  // catalog import --user MANAGER FILE.csv
int cmd_cards_receive(Context& c);   // cards receive --user MANAGER (FILE.csv | --card C --serial S --model M)
int cmd_cards_list(Context& c);      // cards list --user L [--state S] [--model CODE]
int cmd_policy_list(Context& c);
int cmd_policy_use(Context& c);      // policy use --user MANAGER PHASE
int cmd_policy_import(Context& c);   // policy import --user MANAGER FILE.ini

}  // namespace hn::cli
