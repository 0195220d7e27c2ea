// daemon_log.h - the pvmd log file ($PVM_TMP/pvml.<uid>): daemon events and
// the output of tasks nobody collects.
#pragma once

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
    ~DaemonLog();

private:
    void append(const std::string& text);
    int fd_ = -1;
};

}  // namespace pvm
