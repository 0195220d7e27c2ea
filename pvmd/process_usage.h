// process_usage.h - what a task's process costs its host, read from /proc, for the
// console's live view (pvm_tasks carries it).
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

}  // namespace pvm
