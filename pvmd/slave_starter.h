// slave_starter.h - starting slave pvmds on other hosts through $PVM_RSH, all
// at once and without blocking the master's event loop.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pvm {

class ProcessControl;

/// SlaveResult is how one start ended.
struct SlaveResult {
    int hostNumber = 0;
    int error = 0;        // 0, PvmNoHost or PvmCantStart
    std::string message;  // what went wrong, for the log
    int port = 0;         // the slave's peer port
    std::string arch;
    int speed = 0;
    std::string publicKey;  // the slave daemon's own key
};

/// SlaveStarter runs one start-up command per host and reads its answer line
/// ("pvmd-slave-ready <port> <arch> <speed> <public key>") with a time-out. For a manual start the
/// answer comes instead from a person, who writes it into a FIFO.
class SlaveStarter {
public:
    SlaveStarter(std::chrono::milliseconds timeout, ProcessControl& processes)
        : timeout_(timeout), processes_(processes) {}
    ~SlaveStarter();
    /// start runs command (argv, with environment additions "NAME=value") and writes input
    /// to its standard input. The files in cleanup are removed when the start ends.
    void start(int hostNumber, const std::vector<std::string>& command, const std::string& input,
               const std::vector<std::string>& environment = {}, std::chrono::milliseconds timeout = {},
               std::vector<std::string> cleanup = {});
    /// awaitAnswer makes the FIFO fifoPath (0600) and waits up to timeout for the answer line
    /// a person writes into it; the FIFO is removed when the start ends.
    void awaitAnswer(int hostNumber, const std::string& fifoPath, std::chrono::milliseconds timeout);
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
        int pid;  // 0: a person answers through a FIFO
        std::string output;
        std::chrono::steady_clock::time_point deadline;
        std::chrono::milliseconds limit;
        int holdFd = -1;                   // our own writer on the FIFO, so it never reads as ended
        std::vector<std::string> cleanup;  // files to remove at the end
    };
    SlaveResult finish(int fd, bool timedOut);

    std::chrono::milliseconds timeout_;
    ProcessControl& processes_;
    std::map<int, Launch> launches_;  // by output fd
    std::vector<int> reapLater_;      // start-up commands still finishing
};

/// kSlaveReady starts the line a slave prints when it is ready.
constexpr const char* kSlaveReady = "pvmd-slave-ready";

}  // namespace pvm
