// task_table.h - the tasks of this host: who they are, how to reach them, and
// messages waiting for a task that was spawned but has not connected yet.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "frame.h"

namespace pvm {

/// QueuedMessage is a user message held for a task that has not enrolled yet.
struct QueuedMessage {
    std::vector<Frame> frames;  // packet frame and body frames
};

/// Task is one task of this host.
struct Task {
    int tid = 0;
    int parent = 0;  // parent tid, or 0 when started by hand
    int pid = 0;
    int pidfd = -1;                                        // readable once the process has exited
    bool child = false;                                    // forked by this daemon (so we reap it)
    std::string name;                                      // executable name as pvm_tasks shows it
    std::optional<std::string> routingId;                  // set once connected
    std::vector<int> siblings;                             // tids spawned by the same pvm_spawn call
    int outputTid = 0, outputCode = 0, outputContext = 0;  // where this task's output goes
    int context = 0;                                       // its parent's context at spawn: its first one
    std::deque<QueuedMessage> waiting;                     // messages that arrived before it enrolled
    std::size_t waitingBytes = 0;                          // their size
    std::vector<std::string> heldSenders;                  // local senders paused until it enrolls
    std::uint64_t sent = 0, received = 0;                  // user messages through this daemon
};

/// TaskTable holds tasks by tid and by connection.
class TaskTable {
public:
    explicit TaskTable(int hostNumber) : host_(hostNumber) {}

    /// allocateTid gives a fresh tid of this host, skipping live ones; 0 when the host is full.
    int allocateTid();
    Task& add(Task task);
    Task* find(int tid);
    Task* findByRoute(const std::string& routingId);
    /// connect records the connection a task enrolled on.
    void connect(Task& task, const std::string& routingId);
    /// remove drops a task; returns it for the caller's clean-up.
    std::optional<Task> remove(int tid);
    std::vector<int> tids() const;
    std::size_t size() const { return tasks_.size(); }

private:
    int host_;
    int nextLocal_ = 1;
    std::map<int, Task> tasks_;
    std::map<std::string, int> byRoute_;
};

}  // namespace pvm
