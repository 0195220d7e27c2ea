// daemon_log.h - the pvmd log file ($PVM_TMP/pvml.<uid>): daemon events and
// the output of tasks nobody collects.
#pragma once

#include <cstdint>
#include <string>

namespace pvm {

/// DaemonLog appends timestamped lines to the log file; never throws.
class DaemonLog {
public:
    /// open starts logging to path (mode 0600, appended); false on failure.
    bool open(const std::string& path);
    /// write logs one event line with a timestamp.
    void write(const std::string& line);
    /// taskOutput logs one line a task printed, prefixed with its tid as PVM does.
    void taskOutput(int tid, const std::string& line);
    /// dropped logs a message or packet the daemon dropped: the first kDroppedInFull in full,
    /// then one line at every kDroppedEvery-th, with the count, so that a flood of them (a
    /// task sending to one that is gone, a broken peer) cannot fill the disk.
    void dropped(const std::string& line);
    static constexpr std::uint64_t kDroppedInFull = 10, kDroppedEvery = 1000;
    ~DaemonLog();

private:
    void append(const std::string& text);
    int fd_ = -1;
    std::uint64_t dropped_ = 0;
};

}  // namespace pvm
