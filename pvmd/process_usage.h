// process_usage.h - what a task's process costs its host, read from /proc, for the
// console's live view (pvm_tasks carries it); and a process's ancestry.
#pragma once

#include <cstdint>

namespace pvm {

/// ProcessUsage is a process's CPU time so far and its resident memory.
struct ProcessUsage {
    std::int64_t cpuMs = 0;
    std::int64_t rssKb = 0;
};

/// processUsage reads /proc/<pid>; zeros when the process is gone or pid <= 0.
ProcessUsage processUsage(int pid);

/// descendsFrom is true when process pid is ancestor's child, grandchild, ... (a task run by
/// the debugger that pvmd started for spawn's PvmTaskDebug); false when either is gone.
bool descendsFrom(int pid, int ancestor);

}  // namespace pvm
