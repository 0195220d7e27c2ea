// task_table.cpp - the tasks of this host.
#include "task_table.h"

#include "tid.h"

namespace pvm {

int TaskTable::allocateTid() {
    // Local parts cycle through the whole range before reuse, so a stale tid held by a
    // user rarely names a new task.
    for (int tries = 0; tries < kTidLocalMask; ++tries) {
        int local = nextLocal_;
        nextLocal_ = nextLocal_ >= kTidLocalMask ? 1 : nextLocal_ + 1;
        int tid = makeTid(host_, local);
        if (!tasks_.count(tid)) return tid;
    }
    return 0;
}

Task& TaskTable::add(Task task) {
    int tid = task.tid;
    return tasks_.insert_or_assign(tid, std::move(task)).first->second;
}

Task* TaskTable::find(int tid) {
    auto it = tasks_.find(tid);
    return it == tasks_.end() ? nullptr : &it->second;
}

Task* TaskTable::findByRoute(const std::string& routingId) {
    auto it = byRoute_.find(routingId);
    return it == byRoute_.end() ? nullptr : find(it->second);
}

void TaskTable::connect(Task& task, const std::string& routingId) {
    task.routingId = routingId;
    byRoute_[routingId] = task.tid;
}

std::optional<Task> TaskTable::remove(int tid) {
    auto it = tasks_.find(tid);
    if (it == tasks_.end()) return std::nullopt;
    Task task = std::move(it->second);
    tasks_.erase(it);
    if (task.routingId) byRoute_.erase(*task.routingId);
    return task;
}

std::vector<int> TaskTable::tids() const {
    std::vector<int> out;
    for (const auto& [tid, task] : tasks_) out.push_back(tid);
    return out;
}

}  // namespace pvm
