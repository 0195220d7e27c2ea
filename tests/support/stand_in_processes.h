// stand_in_processes.h - a ProcessControl for a daemon driven in memory (unit tests,
// the daemon fuzzer): it records what the daemon asks of processes and starts or signals
// nothing. Every process it hands out has "ended" as far as watching goes (a readable
// eventfd), so a halt never waits for one.
#pragma once

#include <cerrno>
#include <string>
#include <sys/eventfd.h>
#include <utility>
#include <vector>

#include "process_control.h"

namespace pvm::test {

class StandInProcesses final : public ProcessControl {
public:
    StartedProcess startTask(const std::string& path, const std::vector<std::string>&, const std::vector<std::string>&,
                             const std::string&) override {
        started.push_back(path);
        StartedProcess p;
        p.pid = 4000000 + static_cast<int>(started.size());  // above any pid_max
        p.pidfd = watch(p.pid);
        return p;
    }
    int startCommand(const ExecArguments& exec, int, int, int* error) override {
        commands.push_back(exec.argv()[0]);
        *error = ENOENT;
        return 0;
    }
    int signal(int pid, int number) override {
        signals.push_back({pid, number});
        return 0;
    }
    int watch(int) override { return eventfd(1, EFD_CLOEXEC); }

    std::vector<std::string> started, commands;
    std::vector<std::pair<int, int>> signals;
};

}  // namespace pvm::test
