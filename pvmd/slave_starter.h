// slave_starter.h - starting slave pvmds on other hosts through $PVM_RSH, all
// at once and without blocking the master's event loop.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pvm {

/// SlaveResult is how one start ended.
struct SlaveResult {
    int hostNumber = 0;
    int error = 0;        // 0, PvmNoHost or PvmCantStart
    std::string message;  // what went wrong, for the log
    int port = 0;         // the slave's peer port
    std::string arch;
    int speed = 0;
};

/// SlaveStarter runs one start-up command per host and reads its answer line
/// ("pvmd-slave-ready <port> <arch> <speed>") with a time-out.
class SlaveStarter {
public:
    explicit SlaveStarter(std::chrono::milliseconds timeout) : timeout_(timeout) {}
    ~SlaveStarter();
    /// start runs command (argv) and writes input to its standard input.
    void start(int hostNumber, const std::vector<std::string>& command, const std::string& input);
    std::vector<int> fds() const;
    /// onReadable reads fd's output; returns the start it finished, if any.
    std::optional<SlaveResult> onReadable(int fd);
    /// expire ends starts whose time is up, as PvmCantStart.
    std::vector<SlaveResult> expire();
    /// msUntilDeadline is the time until the next time-out, or -1 when nothing runs.
    int msUntilDeadline() const;
    bool busy() const { return !launches_.empty() || !reapLater_.empty(); }

private:
    struct Launch {
        int hostNumber;
        int pid;
        std::string output;
        std::chrono::steady_clock::time_point deadline;
    };
    SlaveResult finish(int fd, bool timedOut);

    std::chrono::milliseconds timeout_;
    std::map<int, Launch> launches_;  // by output fd
    std::vector<int> reapLater_;      // start-up commands still finishing
};

/// kSlaveReady starts the line a slave prints when it is ready.
constexpr const char* kSlaveReady = "pvmd-slave-ready";

}  // namespace pvm
