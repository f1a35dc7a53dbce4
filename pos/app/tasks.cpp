// What the province rejected, as the manager's tasks (sync issue): the list and its settling.
#include <nlohmann/json.hpp>

#include "app/access.hpp"
#include "app/terminal.hpp"
#include "core/text.hpp"

namespace hn::app {

Result<TaskResolution> Terminal::resolve_task(const UserRecord& actor, std::int64_t task_id,
                                              const std::string& action, const std::string& reason) {
  if (!has_role(actor, {Role::Manager})) return role_refused(actor);
  if (reason.find_first_not_of(" \t") == std::string::npos)
    return bad_input("REASON_REQUIRED", "请写明处理理由(会记入日志)",
                     "give the reason for this decision (it goes into the journal)");
  if (const auto text = check_text("reason", reason, TextKind::Reason); !text.ok()) return text_refused(text);
  platform::Transaction tx(store_.db());
  const auto task = store_.tasks().find(task_id);
  if (!task)
    return bad_input("TASK_NOT_FOUND", "没有任务 #" + std::to_string(task_id) + ":请用 huinong tasks list 查看",
                     "there is no task #" + std::to_string(task_id) + ": see huinong tasks list");
  if (task->state != "open")
    return refused("TASK_ALREADY_RESOLVED", "任务 #" + std::to_string(task_id) + " 已处理(" + task->resolution + ")",
                   "task #" + std::to_string(task_id) + " was already resolved (" + task->resolution + ")");
  const bool for_sale = task->kind == "sale_rejected";
  store::SaleSettlement settlement = store::SaleSettlement::None;
  std::string resolution;
  if (for_sale && action == "unsubsidised") {
    settlement = store::SaleSettlement::Unsubsidised;
    resolution = "unsubsidised";
  } else if (for_sale && action == "cancel") {
    settlement = store::SaleSettlement::Cancelled;
    resolution = "cancelled";
  } else if (!for_sale && action == "acknowledge") {
    resolution = "acknowledged";
  } else {
    return bad_input("BAD_ACTION",
                     for_sale ? "被拒的销售只能:unsubsidised(转为无补贴销售)或 cancel(取消销售)"
                              : "此任务只能 acknowledge(知悉)",
                     for_sale ? "a rejected sale is settled with --action unsubsidised or --action cancel"
                              : "this task is settled with --action acknowledge");
  }
  const std::string at = now().iso();
  store_.tasks().resolve(*task, settlement, resolution, actor.id, reason, at);
  TaskResolution out;
  nlohmann::json body = {{"task", task->id}, {"code", task->code}, {"resolution", resolution}, {"reason", reason}};
  if (for_sale) {
    const auto sale = store_.sales().find(task->sale_id);
    if (!sale) throw std::runtime_error("task " + std::to_string(task->id) + " names a sale that is not there");
    body["invoice_no"] = format_invoice_no(sale->invoice_no);
    body["sale_uuid"] = sale->uuid;
    out.invoice = make_invoice(*sale, 0);
  }
  journal(actor, "task_resolved", body);
  tx.commit();
  out.task = *store_.tasks().find(task_id);
  return out;
}

std::vector<TaskEntry> Terminal::task_list(const std::string& state) {
  std::vector<TaskEntry> out;
  for (auto& task : store_.tasks().list(state)) {
    TaskEntry e;
    if (task.sale_id)
      if (const auto sale = store_.sales().find(task.sale_id)) {
        e.invoice_no = format_invoice_no(sale->invoice_no);
        e.total = sale->total;
      }
    e.task = std::move(task);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace hn::app
