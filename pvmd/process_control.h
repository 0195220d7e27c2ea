// process_control.h - what the daemon does to processes: start a task, run a slave's
// start-up command, send a signal. Behind an interface so that the daemon's handlers can
// run in a unit test or a fuzzer (daemon_in_memory.h) without starting or signalling
// anything real; the daemon proper uses systemProcesses().
#pragma once

#include <string>
#include <vector>

#include "spawner.h"

namespace pvm {

class ProcessControl {
public:
    virtual ~ProcessControl() = default;
    /// startTask starts a task's program, as startProcess does (spawner.h).
    virtual StartedProcess startTask(const std::string& path, const std::vector<std::string>& args,
                                     const std::vector<std::string>& env, const std::string& workDir) = 0;
    /// startCommand runs exec's program with its standard input from inFd and its output and
    /// errors to outFd; returns the pid, or 0 with errno's code in *error.
    virtual int startCommand(const ExecArguments& exec, int inFd, int outFd, int* error) = 0;
    /// signal sends signal number to process pid (kill(2)); returns kill's result.
    virtual int signal(int pid, int number) = 0;
    /// watch opens a descriptor that becomes readable when process pid ends (a pidfd), or
    /// returns -1 with errno set (ESRCH: there is no such process any more).
    virtual int watch(int pid) = 0;
};

/// systemProcesses starts and signals real processes.
ProcessControl& systemProcesses();

}  // namespace pvm
